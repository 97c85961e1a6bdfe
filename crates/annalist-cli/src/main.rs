//! The `annalist` command line.
//!
//! Each subcommand lives in its own module with a `clap::Args` struct and a `run`
//! function returning the exit code; add one by adding a module and a `Command` variant.

mod eval;
mod input;
mod tag;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Temporal information extraction: find time expressions and normalize them to TIMEX3 values.
#[derive(Debug, Parser)]
#[command(name = "annalist", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Tag documents: find time expressions and their TIMEX3 values.
    Tag(tag::TagArgs),
    /// Score the tagger (or given output) against gold data, TempEval-3 style.
    Eval(eval::EvalArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Tag(args) => tag::run(args),
        Command::Eval(args) => eval::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("annalist: {e:#}");
            ExitCode::from(2)
        }
    }
}
