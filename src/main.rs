//! The `rotor` command. Everything it does is in the library; see `rotor::cli`.

fn main() -> std::process::ExitCode {
    rotor::cli::main()
}

/// Notes whether standard output was closed when rotor started (`rotor run s.rotor >&-`),
/// before Rust's runtime opens /dev/null in its place (which it does before `main`): the
/// output would be lost without an error. The system runs `.init_array` before that.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static SEE_CLOSED_STDOUT: extern "C" fn() = {
    extern "C" fn see() {
        // SAFETY: `fcntl(F_GETFD)` only asks whether descriptor 1 is open.
        if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
            rotor::cli::stdout_was_closed();
        }
    }
    see
};
