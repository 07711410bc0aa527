//! The `cutover` command: parses arguments, calls the library, maps results to exit codes.
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
