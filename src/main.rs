//! The `rotor` command. Everything it does is in the library; see `rotor::cli`.

fn main() -> std::process::ExitCode {
    rotor::cli::main()
}
