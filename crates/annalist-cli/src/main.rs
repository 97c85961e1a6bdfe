//! The `annalist` command line.
fn main() {
    println!("annalist {}", env!("CARGO_PKG_VERSION"));
}
