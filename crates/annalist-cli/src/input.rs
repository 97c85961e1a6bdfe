//! Reading input files: UTF-8 checks, binary detection, progress bars.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The name `-` reads standard input.
pub const STDIN: &str = "-";

/// How a file name is shown in messages (`<stdin>` for `-`).
pub fn shown(name: &str) -> &str {
    if name == STDIN { "<stdin>" } else { name }
}

/// Reads a whole file (or standard input for `-`) as bytes.
pub fn read_bytes(name: &str) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    if name == STDIN {
        std::io::stdin().lock().read_to_end(&mut buf).context("cannot read standard input")?;
    } else {
        buf = std::fs::read(name).with_context(|| format!("cannot read {name}"))?;
    }
    Ok(buf)
}

/// Decodes `bytes` read from `name` as UTF-8 text. NUL bytes mean binary data and are
/// refused; invalid UTF-8 is an error naming the byte offset (`base` is added to it, for
/// a piece of a larger file) unless `lossy`, which replaces it with U+FFFD.
pub fn decode(bytes: Vec<u8>, name: &str, base: u64, lossy: bool) -> Result<String> {
    let name = shown(name);
    if let Some(at) = memchr::memchr(0, &bytes) {
        bail!("{name}: binary data, not text (NUL byte at byte offset {})", base + at as u64);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => {
            let at = base + e.utf8_error().valid_up_to() as u64;
            bail!("{name}: invalid UTF-8 at byte offset {at} (use --lossy to replace bad bytes)")
        }
    }
}

/// Reads and decodes a whole text file.
pub fn read_text(name: &str, lossy: bool) -> Result<String> {
    decode(read_bytes(name)?, name, 0, lossy)
}

/// A display name for a path: the file name without `.key.xml`, `.tml` or the last
/// extension (the document id `eval --system` matches on).
pub fn stem(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    for suffix in [".key.xml", ".tml", ".sgm"] {
        if let Some(s) = name.strip_suffix(suffix) {
            return s.to_string();
        }
    }
    match name.rfind('.') {
        Some(i) if i > 0 => name[..i].to_string(),
        _ => name,
    }
}

/// A progress bar on standard error, hidden unless standard error is a terminal.
/// `len` in bytes when known, else a spinner.
pub fn progress(len: Option<u64>, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match len {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{spinner} {msg} {bytes} ({bytes_per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_message(what.to_string());
    bar
}

/// True when `e` (or its cause) is a broken pipe: the reader went away (`| head`).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_offsets() {
        let e = decode(b"ab\xffcd".to_vec(), "f.txt", 10, false).unwrap_err();
        assert!(e.to_string().contains("f.txt: invalid UTF-8 at byte offset 12"), "{e}");
        assert_eq!(decode(b"ab\xffcd".to_vec(), "f", 0, true).unwrap(), "ab\u{fffd}cd");
        let e = decode(b"ab\0cd".to_vec(), "bin", 0, true).unwrap_err();
        assert!(e.to_string().contains("binary"), "{e}");
    }

    #[test]
    fn stems() {
        assert_eq!(stem(Path::new("/a/01_WW2.key.xml")), "01_WW2");
        assert_eq!(stem(Path::new("ABC19980108.1830.0711.tml")), "ABC19980108.1830.0711");
        assert_eq!(stem(Path::new("notes.txt")), "notes");
        assert_eq!(stem(Path::new(".hidden")), ".hidden");
    }
}
