//! `annalist-server`: runs the annalist HTTP service (the same as `annalist serve`).

use clap::Parser;

/// annalist's HTTP service: tagging, timelines, a Duckling-compatible /parse, a web page.
#[derive(Parser)]
#[command(name = "annalist-server", version)]
struct Cli {
    #[command(flatten)]
    serve: annalist_server::ServeArgs,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match cli.serve.run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("annalist-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
