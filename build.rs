//! Links the `rotor` executable as a position-dependent (non-PIE) program on Linux with the
//! GNU toolchain (issue 19, docs/PERFORMANCE.md "trend3 branch").
//!
//! A position-independent executable is relocated by the dynamic loader at every start:
//! ~21,000 relative relocations that write to ~80 pages of pointers (vtables, string
//! tables), each a page fault of a few microseconds on a virtual machine, about a tenth of
//! a short run. Linked at a fixed address, those pages are never written and only the
//! ones read are mapped. The code is compiled as before (position-independent, so every
//! dependency is reused as built); only the final link changes, and only for the binary:
//! the library, tests and benchmarks link as the toolchain decides. The cost is that the
//! executable's own code is not placed at a random address (ASLR still covers the stack,
//! the heap and the shared libraries): rotor reads local files and runs no network
//! service, and its scripts run in a sandboxed engine (rhai, see src/script/).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
