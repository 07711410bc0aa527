//! The `cutover` command: the whole program is [`cutover::cli::main`], a function of
//! its arguments, environment and terminal.

use std::process::ExitCode;

fn main() -> ExitCode {
    cutover::cli::main()
}
