//! The `annalist` command line.
mod train;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("train") {
        return train::main_from(&args[1..]);
    }
    println!("annalist {}", env!("CARGO_PKG_VERSION"));
    Ok(())
}
