//! `annalist tag`: find and normalize the time expressions of documents.

use std::io::{BufRead, BufReader, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Deserialize;

use annalist::format::json::{DocRecord, timex_records, write_doc};
use annalist::format::timeml::{read_timeml, write_timeml};
use annalist::{Context, Domain, Tagger, Timex};

use crate::input::{self, STDIN};

/// Which kind of text a document is (decides what relative expressions anchor to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DomainArg {
    /// News: anchor to the document creation time.
    News,
    /// Narrative: anchor to the time the story has reached.
    Narrative,
    /// News when a creation time is known, narrative otherwise.
    Auto,
}

impl From<DomainArg> for Domain {
    fn from(d: DomainArg) -> Domain {
        match d {
            DomainArg::News => Domain::News,
            DomainArg::Narrative => Domain::Narrative,
            DomainArg::Auto => Domain::Auto,
        }
    }
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InFormat {
    /// Plain UTF-8 text: each file is one document.
    Text,
    /// TimeML: the content of <TEXT> is tagged, the <DCT> is used.
    Timeml,
    /// JSON lines: one document a line, {"id", "text", "dct"?, "domain"?}.
    Jsonl,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    /// One JSON document per input file ({"id", "timexes"}; an array of those for jsonl input).
    Json,
    /// One line per document: {"id", "timexes"} or {"id", "error"}.
    Jsonl,
    /// TimeML with inline TIMEX3 tags.
    Timeml,
    /// A listing for people: line, text, type, value, mod.
    Text,
}

/// Arguments of `annalist tag`.
#[derive(Debug, Args)]
pub struct TagArgs {
    /// Input files; `-` (or none) reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Document creation time for all documents (overrides a TimeML <DCT>; a jsonl
    /// record's own "dct" overrides this).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub dct: Option<String>,
    /// Domain of the documents.
    #[arg(long, value_enum, default_value_t = DomainArg::Auto)]
    pub domain: DomainArg,
    /// Input format.
    #[arg(long, value_enum, default_value_t = InFormat::Text)]
    pub from: InFormat,
    /// Output format [default: jsonl for jsonl input, json otherwise].
    #[arg(long, value_enum)]
    pub to: Option<OutFormat>,
    /// Replace invalid UTF-8 with U+FFFD instead of refusing the document.
    #[arg(long)]
    pub lossy: bool,
    /// Write each input file's output to its own file in this directory (created if
    /// missing) instead of standard output: `--to timeml` keeps the input's file name,
    /// the other formats use the document id with `.json`, `.jsonl` or `.txt`.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<std::path::PathBuf>,
}

impl OutFormat {
    /// The file name an output for input `name` gets in `--out-dir`.
    fn file_name(self, name: &str) -> String {
        if name == STDIN {
            return format!("stdin.{}", self.extension());
        }
        let path = std::path::Path::new(name);
        match self {
            OutFormat::Timeml if path.file_name().is_some() => {
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            }
            _ => format!("{}.{}", input::stem(path), self.extension()),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            OutFormat::Json => "json",
            OutFormat::Jsonl => "jsonl",
            OutFormat::Timeml => "tml",
            OutFormat::Text => "txt",
        }
    }
}

/// Lines of a jsonl input processed together (in parallel), at most.
const CHUNK_LINES: usize = 512;
/// Bytes of a jsonl input read before processing, at most (unless one line is longer).
const CHUNK_BYTES: usize = 16 << 20;

/// A chunk of jsonl input: (line number, byte offset, line) per line, and its size in bytes.
type Chunk = (Vec<(u64, u64, Vec<u8>)>, usize);

/// A tagged document, or why it could not be.
enum Outcome {
    Done { id: serde_json::Value, text: String, timexes: Vec<Timex> },
    Failed { id: serde_json::Value, message: String },
}

struct Run<'a> {
    args: &'a TagArgs,
    to: OutFormat,
    tagger: Tagger,
    base: Context,
    failures: usize,
}

/// Runs `annalist tag`.
pub fn run(args: TagArgs) -> Result<ExitCode> {
    let to = args.to.unwrap_or(match args.from {
        InFormat::Jsonl => OutFormat::Jsonl,
        _ => OutFormat::Json,
    });
    if to == OutFormat::Timeml && args.from == InFormat::Jsonl {
        bail!("--to timeml needs --from text or --from timeml (one document per file)");
    }
    let base = match &args.dct {
        Some(d) => Context::with_dct(d, args.domain.into())?,
        None => Context { dct: None, domain: args.domain.into() },
    };
    let files: Vec<String> = if args.files.is_empty() { vec![STDIN.to_string()] } else { args.files.clone() };
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut seen = std::collections::HashSet::new();
        for f in &files {
            let n = to.file_name(f);
            if !seen.insert(n.clone()) {
                bail!("two inputs would both be written to {}: rename one", dir.join(n).display());
            }
        }
    }
    let mut run = Run { args: &args, to, tagger: Tagger::new(), base, failures: 0 };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let multi = files.len() > 1;
    let result = (|| -> Result<()> {
        match args.from {
            InFormat::Jsonl => {
                for name in &files {
                    match &args.out_dir {
                        Some(dir) => {
                            let path = dir.join(to.file_name(name));
                            let f = std::fs::File::create(&path)
                                .with_context(|| format!("cannot write {}", path.display()))?;
                            let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
                            run.jsonl_file(name, &mut w)?;
                            w.flush().with_context(|| format!("cannot write {}", path.display()))?;
                        }
                        None => run.jsonl_file(name, &mut out)?,
                    }
                }
            }
            _ => run.whole_files(&files, multi, &mut out)?,
        }
        out.flush()?;
        Ok(())
    })();
    let failures = run.failures;
    // The process ends here: freeing the tagger's tables one by one would only cost time.
    std::mem::forget(run);
    match result {
        Err(e) if input::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    if failures > 0 {
        eprintln!("annalist: {} document{} could not be tagged", failures, if failures == 1 { "" } else { "s" });
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

impl Run<'_> {
    /// Tags one text, turning a panic in the tagger into an error.
    fn tag(&self, text: &str, ctx: &Context) -> Result<Vec<Timex>, String> {
        catch_unwind(AssertUnwindSafe(|| self.tagger.tag(text, ctx))).map_err(|p| {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            format!("internal error while tagging: {what}")
        })
    }

    /// Text or TimeML files, one document each: tagged in parallel (a batch of files at a
    /// time, so memory stays bounded), written in input order, or each to its own file
    /// with `--out-dir`.
    fn whole_files(&mut self, files: &[String], multi: bool, out: &mut impl Write) -> Result<()> {
        let bar = if files.len() > 1 { input::progress(None, "files") } else { indicatif::ProgressBar::hidden() };
        let batch = rayon::current_num_threads().max(1) * 4;
        for names in files.chunks(batch) {
            let results: Vec<Result<(Vec<u8>, bool)>> = names
                .par_iter()
                .map(|name| {
                    let mut buf = Vec::new();
                    let failed = self.whole_file(name, multi, &mut buf)?;
                    let size = std::fs::metadata(name).map(|m| m.len()).unwrap_or(0);
                    bar.inc(size);
                    if let Some(dir) = &self.args.out_dir {
                        let path = dir.join(self.to.file_name(name));
                        std::fs::write(&path, &buf).with_context(|| format!("cannot write {}", path.display()))?;
                        buf.clear();
                    }
                    Ok((buf, failed))
                })
                .collect();
            for r in results {
                let (bytes, failed) = r?;
                self.failures += failed as usize;
                out.write_all(&bytes)?;
            }
        }
        bar.finish_and_clear();
        Ok(())
    }

    /// A text or TimeML file: one document. Returns whether it failed (the error is
    /// reported on standard error and, in JSON output, as the document's record).
    fn whole_file(&self, name: &str, multi: bool, out: &mut impl Write) -> Result<bool> {
        let id = if name == STDIN { STDIN.to_string() } else { input::stem(std::path::Path::new(name)) };
        let id_json = serde_json::Value::String(id.clone());
        let doc = (|| -> Result<(String, Vec<Timex>, Option<String>)> {
            let raw = input::read_text(name, self.args.lossy)?;
            match self.args.from {
                InFormat::Timeml => {
                    let doc = read_timeml(&raw, input::shown(name))?;
                    let mut ctx = self.base.clone();
                    if self.args.dct.is_none() {
                        ctx.dct = doc.dct;
                    }
                    let timexes = self.tag(&doc.text, &ctx).map_err(anyhow::Error::msg)?;
                    Ok((doc.text, timexes, Some(raw)))
                }
                _ => {
                    let timexes = self.tag(&raw, &self.base).map_err(anyhow::Error::msg)?;
                    Ok((raw, timexes, None))
                }
            }
        })();
        let (text, timexes, original) = match doc {
            Ok(d) => d,
            Err(e) => {
                eprintln!("annalist: {e:#}");
                if matches!(self.to, OutFormat::Json | OutFormat::Jsonl) {
                    let rec = DocRecord { id: id_json, timexes: None, error: Some(format!("{e:#}")) };
                    write_record(out, &rec, self.to == OutFormat::Json)?;
                }
                return Ok(true);
            }
        };
        match self.to {
            OutFormat::Json => {
                let rec = DocRecord { id: id_json, timexes: Some(timex_records(&text, &timexes)), error: None };
                write_record(out, &rec, true)?;
            }
            OutFormat::Jsonl => {
                write_doc(out, &id_json, &text, &timexes)?;
                out.write_all(b"\n")?;
            }
            OutFormat::Text => listing(out, multi.then_some(id.as_str()), &text, &timexes)?,
            OutFormat::Timeml => {
                let xml = match original {
                    Some(x) => x,
                    None => timeml_skeleton(&id, &text, self.base.dct),
                };
                match write_timeml(&xml, &timexes) {
                    Ok(s) => out.write_all(s.as_bytes())?,
                    Err(e) => {
                        eprintln!("annalist: {}: {e}", input::shown(name));
                        return Ok(true);
                    }
                }
            }
        }
        Ok(false)
    }

    /// A jsonl file, streamed in chunks of lines tagged in parallel and written in order.
    /// A thread reads the next chunk while the current one is tagged, and each record's
    /// output is made by the thread that tagged it: only writing stays in order on this one.
    fn jsonl_file(&mut self, name: &str, out: &mut impl Write) -> Result<()> {
        let (mut reader, len): (Box<dyn BufRead + Send>, Option<u64>) = if name == STDIN {
            (Box::new(BufReader::with_capacity(1 << 16, std::io::stdin())), None)
        } else {
            let f = std::fs::File::open(name).with_context(|| format!("cannot read {name}"))?;
            let len = f.metadata().ok().map(|m| m.len());
            (Box::new(BufReader::with_capacity(1 << 16, f)), len)
        };
        let bar = input::progress(len, name);
        // Binary data (a NUL byte near the start) is refused as a whole.
        let head = reader.fill_buf().with_context(|| format!("cannot read {}", input::shown(name)))?;
        if let Some(at) = head.iter().take(1 << 16).position(|&b| b == 0) {
            bail!("{}: binary data, not JSON lines (NUL byte at byte offset {at})", input::shown(name));
        }
        let mut first_array_item = true;
        if self.to == OutFormat::Json {
            out.write_all(b"[")?;
        }
        // At most one chunk waits while another is read and a third is tagged. The reader
        // is not joined: if writing fails, it stops at its next chunk (or with the process).
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Chunk>>(1);
        let owned_name = name.to_string();
        std::thread::spawn(move || {
            let (mut line_no, mut offset) = (0u64, 0u64);
            loop {
                let chunk = read_chunk(&mut *reader, &owned_name, &mut line_no, &mut offset);
                let last = !matches!(&chunk, Ok((lines, _)) if !lines.is_empty());
                if tx.send(chunk).is_err() || last {
                    break;
                }
            }
        });
        for chunk in rx {
            let (chunk, bytes) = chunk?;
            if chunk.is_empty() {
                break;
            }
            let results: Vec<Result<(Vec<u8>, Option<String>)>> = chunk
                .into_par_iter()
                .map(|(no, at, bytes)| self.render(self.jsonl_line(name, no, at, bytes)))
                .collect();
            for r in results {
                let (bytes, failure) = r?;
                if let Some(message) = failure {
                    self.failures += 1;
                    if self.to == OutFormat::Text {
                        eprintln!("annalist: {message}");
                    }
                }
                if !bytes.is_empty() {
                    if self.to != OutFormat::Text {
                        array_sep(out, self.to, &mut first_array_item)?;
                    }
                    out.write_all(&bytes)?;
                }
            }
            bar.inc(bytes as u64);
        }
        if self.to == OutFormat::Json {
            out.write_all(b"]\n")?;
        }
        bar.finish_and_clear();
        Ok(())
    }

    /// The output of one jsonl record, and the message when it failed.
    fn render(&self, outcome: Outcome) -> Result<(Vec<u8>, Option<String>)> {
        let mut out = Vec::new();
        match outcome {
            Outcome::Done { id, text, timexes } => {
                if self.to == OutFormat::Text {
                    let label = match &id {
                        serde_json::Value::String(s) => s.clone(),
                        v => v.to_string(),
                    };
                    listing(&mut out, Some(&label), &text, &timexes)?;
                } else {
                    write_doc(&mut out, &id, &text, &timexes)?;
                    out.push(b'\n');
                }
                Ok((out, None))
            }
            Outcome::Failed { id, message } => {
                if self.to != OutFormat::Text {
                    let rec = DocRecord { id, timexes: None, error: Some(message.clone()) };
                    write_record(&mut out, &rec, false)?;
                }
                Ok((out, Some(message)))
            }
        }
    }

    /// One jsonl line: decode, parse, tag.
    fn jsonl_line(&self, name: &str, no: u64, at: u64, bytes: Vec<u8>) -> Outcome {
        #[derive(Deserialize)]
        struct Record {
            #[serde(default)]
            id: Option<serde_json::Value>,
            text: String,
            #[serde(default)]
            dct: Option<String>,
            #[serde(default)]
            domain: Option<String>,
        }
        let fail = |id: serde_json::Value, m: String| Outcome::Failed {
            id,
            message: format!("{}:{no}: {m}", input::shown(name)),
        };
        let line = match input::decode(bytes, name, at, self.args.lossy) {
            Ok(l) => l,
            Err(e) => {
                // decode names the file already; add the line.
                let m = e.to_string();
                let m = m.strip_prefix(&format!("{}: ", input::shown(name))).unwrap_or(&m).to_string();
                return fail(serde_json::Value::Null, m);
            }
        };
        if line.trim().is_empty() {
            return fail(serde_json::Value::Null, "empty line".into());
        }
        let rec: Record = match serde_json::from_str(&line) {
            Ok(r) => {
                // The record owns its text now: do not keep a second copy while tagging.
                drop(line);
                r
            }
            Err(e) => {
                // Keep the id if the line is an object with one.
                let id = serde_json::from_str::<serde_json::Value>(&line)
                    .ok()
                    .and_then(|v| v.get("id").cloned())
                    .unwrap_or(serde_json::Value::Null);
                return fail(id, format!("not a document record: {e}"));
            }
        };
        let id = rec.id.unwrap_or(serde_json::Value::from(no));
        let mut ctx = self.base.clone();
        if let Some(d) = &rec.domain {
            match Domain::parse(d) {
                Some(d) => ctx.domain = d,
                None => {
                    return fail(id, format!("unknown domain {d:?} (expected news, narrative or auto)"));
                }
            }
        }
        if let Some(d) = &rec.dct {
            match Context::with_dct(d, ctx.domain) {
                Ok(c) => ctx = c,
                Err(e) => return fail(id, e.to_string()),
            }
        }
        match self.tag(&rec.text, &ctx) {
            Ok(timexes) => Outcome::Done { id, text: rec.text, timexes },
            Err(m) => fail(id, m),
        }
    }
}

/// Reads up to [`CHUNK_LINES`] lines or [`CHUNK_BYTES`] bytes (at least one line, unless
/// the input has ended: then the chunk is empty).
fn read_chunk(reader: &mut dyn BufRead, name: &str, line_no: &mut u64, offset: &mut u64) -> Result<Chunk> {
    let mut chunk = Vec::new();
    let mut bytes = 0usize;
    while chunk.len() < CHUNK_LINES && bytes < CHUNK_BYTES {
        let mut buf = Vec::new();
        let n = reader.read_until(b'\n', &mut buf).with_context(|| format!("cannot read {name}"))?;
        if n == 0 {
            break;
        }
        *line_no += 1;
        let at = *offset;
        *offset += n as u64;
        bytes += n;
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        chunk.push((*line_no, at, buf));
    }
    Ok((chunk, bytes))
}

fn array_sep(out: &mut impl Write, to: OutFormat, first: &mut bool) -> Result<()> {
    if to == OutFormat::Json {
        out.write_all(if *first { b"\n" } else { b",\n" })?;
        *first = false;
    }
    Ok(())
}

fn write_record(out: &mut impl Write, rec: &DocRecord, pretty: bool) -> Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, rec)?;
    } else {
        serde_json::to_writer(&mut *out, rec)?;
    }
    out.write_all(b"\n")?;
    Ok(())
}

/// The human listing: `line  text  type  value  mod`, one expression a line.
fn listing(out: &mut impl Write, header: Option<&str>, text: &str, timexes: &[Timex]) -> Result<()> {
    if let Some(h) = header {
        writeln!(out, "== {h} ==")?;
    }
    if timexes.is_empty() {
        writeln!(out, "(no time expressions)")?;
        return Ok(());
    }
    writeln!(out, "{:>6}  {:<32}  {:<8}  {:<20}  mod", "line", "text", "type", "value")?;
    let (mut pos, mut line) = (0usize, 1usize);
    for t in timexes {
        if t.start < pos {
            (pos, line) = (0, 1);
        }
        let upto = t.start.min(text.len());
        line += text.as_bytes()[pos..upto].iter().filter(|&&b| b == b'\n').count();
        pos = upto;
        let shown: String = t.text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
        writeln!(
            out,
            "{:>6}  {:<32}  {:<8}  {:<20}  {}",
            line,
            shown,
            t.kind.as_str(),
            t.value.to_string(),
            t.modifier.map_or("", |m| m.as_str())
        )?;
    }
    Ok(())
}

/// A minimal TimeML document around plain text, for `--to timeml` of text input.
fn timeml_skeleton(id: &str, text: &str, dct: Option<annalist::Date>) -> String {
    use quick_xml_escape::escape;
    let mut s = String::with_capacity(text.len() + 256);
    s.push_str("<?xml version=\"1.0\" ?>\n<TimeML>\n<DOCID>");
    s.push_str(&escape(id));
    s.push_str("</DOCID>\n");
    if let Some(d) = dct {
        let v = escape(&d.to_string()).into_owned();
        s.push_str(&format!(
            "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"{v}\" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">{v}</TIMEX3></DCT>\n"
        ));
    }
    s.push_str("<TEXT>");
    s.push_str(&escape(text));
    s.push_str("</TEXT>\n</TimeML>\n");
    s
}

/// XML escaping for text and attribute values (the five predefined entities).
mod quick_xml_escape {
    use std::borrow::Cow;

    pub fn escape(s: &str) -> Cow<'_, str> {
        if !s.contains(['<', '>', '&', '"', '\'']) {
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len() + 16);
        for c in s.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                c => out.push(c),
            }
        }
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeleton_round_trips_through_the_reader() {
        let text = "Tom & Jerry met on <Monday>.\r\nThen \"later\".";
        let xml = timeml_skeleton("a&b", text, None);
        let doc = read_timeml(&xml, "x").unwrap();
        assert_eq!(doc.text, text);
        assert_eq!(doc.id, "a&b");
    }
}
