//! `annalist timeline`: events and their times, ordered, in several output formats.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};

use annalist::event::EventTagger;
use annalist::format::timeline::{self as out_fmt, Doc};
use annalist::format::timeml::read_timeml;
use annalist::timeline::{self, Timeline};
use annalist::{Context, Tagger};

use crate::input::{self, STDIN};
use crate::tag::DomainArg;

/// Output formats of `annalist timeline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// The full record (timexes, events with anchors, ordered entries); an array for several files.
    Json,
    /// One full record per line.
    Jsonl,
    /// One row per timeline entry: when, what, who, evidence.
    Csv,
    /// A Markdown table per document.
    Markdown,
    /// TimeML with TIMEX3, EVENT, MAKEINSTANCE and TLINK (one document).
    Timeml,
    /// TimelineJS3 JSON.
    Timelinejs,
    /// One self-contained HTML page with a visual timeline and a table.
    Html,
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineInput {
    /// Plain UTF-8 text.
    Text,
    /// TimeML: the content of <TEXT>, with its <DCT>.
    Timeml,
}

/// How the HTML and TimelineJS views group events into rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// By the first participant.
    Participant,
    /// By document.
    Document,
}

/// Arguments of `annalist timeline`.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Input files; `-` (or none) reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Document creation time (overrides a TimeML <DCT>).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub dct: Option<String>,
    /// Domain of the documents.
    #[arg(long, value_enum, default_value_t = DomainArg::Auto)]
    pub domain: DomainArg,
    /// Input format.
    #[arg(long, value_enum, default_value_t = TimelineInput::Text)]
    pub from: TimelineInput,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TimelineFormat::Json)]
    pub to: TimelineFormat,
    /// Rows of the HTML and TimelineJS views [default: participant for one document, document for several].
    #[arg(long, value_enum)]
    pub group_by: Option<GroupBy>,
    /// Title of the HTML and TimelineJS views [default: the document id(s)].
    #[arg(long)]
    pub title: Option<String>,
    /// Replace invalid UTF-8 with U+FFFD instead of refusing the document.
    #[arg(long)]
    pub lossy: bool,
}

struct Built {
    id: String,
    text: String,
    timeline: Timeline,
}

/// Runs `annalist timeline`.
pub fn run(args: TimelineArgs) -> Result<ExitCode> {
    let base = match &args.dct {
        Some(d) => Context::with_dct(d, args.domain.into())?,
        None => Context { dct: None, domain: args.domain.into() },
    };
    let files: Vec<String> = if args.files.is_empty() { vec![STDIN.to_string()] } else { args.files.clone() };
    if args.to == TimelineFormat::Timeml && files.len() > 1 {
        bail!("--to timeml writes one document; give one file");
    }
    let tagger = Tagger::new();
    let events = EventTagger::new();
    let mut built = Vec::new();
    let mut failures = 0;
    for name in &files {
        let id = if name == STDIN { STDIN.to_string() } else { input::stem(std::path::Path::new(name)) };
        let doc = (|| -> Result<Built> {
            let raw = input::read_text(name, args.lossy)?;
            let (text, ctx) = match args.from {
                TimelineInput::Timeml => {
                    let doc = read_timeml(&raw, input::shown(name))?;
                    let mut ctx = base.clone();
                    if args.dct.is_none() {
                        ctx.dct = doc.dct;
                    }
                    (doc.text, ctx)
                }
                TimelineInput::Text => (raw, base.clone()),
            };
            let tl = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                timeline::build(&text, &ctx, &tagger, &events)
            }))
            .map_err(|_| anyhow::anyhow!("{}: internal error while building the timeline", input::shown(name)))?;
            Ok(Built { id: id.clone(), text, timeline: tl })
        })();
        match doc {
            Ok(b) => built.push(b),
            Err(e) => {
                eprintln!("annalist: {e:#}");
                failures += 1;
            }
        }
    }
    let docs: Vec<Doc> = built.iter().map(|b| Doc { id: &b.id, text: &b.text, timeline: &b.timeline }).collect();
    let title = args.title.clone().unwrap_or_else(|| docs.iter().map(|d| d.id).collect::<Vec<_>>().join(", "));
    let by_document = args.group_by.unwrap_or(if docs.len() > 1 { GroupBy::Document } else { GroupBy::Participant })
        == GroupBy::Document;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = (|| -> Result<()> {
        match args.to {
            TimelineFormat::Json => {
                let recs: Vec<_> = docs.iter().map(out_fmt::timeline_record).collect();
                if recs.len() == 1 {
                    serde_json::to_writer_pretty(&mut out, &recs[0])?;
                } else {
                    serde_json::to_writer_pretty(&mut out, &recs)?;
                }
                out.write_all(b"\n")?;
            }
            TimelineFormat::Jsonl => {
                for d in &docs {
                    serde_json::to_writer(&mut out, &out_fmt::timeline_record(d))?;
                    out.write_all(b"\n")?;
                }
            }
            TimelineFormat::Csv => out_fmt::write_csv(&mut out, &docs)?,
            TimelineFormat::Markdown => out_fmt::write_markdown(&mut out, &docs)?,
            TimelineFormat::Timeml => {
                for d in &docs {
                    out.write_all(out_fmt::write_timeml(d).as_bytes())?;
                }
            }
            TimelineFormat::Timelinejs => {
                serde_json::to_writer_pretty(&mut out, &out_fmt::timelinejs(&docs, &title, by_document))?;
                out.write_all(b"\n")?;
            }
            TimelineFormat::Html => out_fmt::write_html(&mut out, &docs, &title, by_document)?,
        }
        out.flush()?;
        Ok(())
    })();
    match written {
        Err(e) if input::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    Ok(if failures > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
