//! The `annalist` command line.
//!
//! Each subcommand lives in its own module with a `clap::Args` struct and a `run`
//! function returning the exit code; add one by adding a module and a `Command` variant.

mod eval;
mod input;
mod tag;
mod timeline;
mod train;

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
    /// Train a model from annotated corpora (`annalist train events …`).
    Train(train::TrainCmd),
    /// Events and their times, ordered: who did what, when.
    Timeline(timeline::TimelineArgs),
    /// Run the HTTP service: /v1/tag, /v1/timeline, Duckling-compatible /parse, a web page.
    Serve(annalist_server::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Tag(args) => tag::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Train(cmd) => train::run(cmd.what).map(|()| ExitCode::SUCCESS),
        Command::Timeline(args) => timeline::run(args),
        Command::Serve(args) => args.run().map(|()| ExitCode::SUCCESS).map_err(anyhow::Error::from),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("annalist: {e:#}");
            ExitCode::from(2)
        }
    }
}
