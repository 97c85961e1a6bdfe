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
                let recs: Vec<_> = docs.iter().map(out_fmt::timeline_json).collect();
                if recs.len() == 1 {
                    serde_json::to_writer_pretty(&mut out, &recs[0])?;
                } else {
                    serde_json::to_writer_pretty(&mut out, &recs)?;
                }
                out.write_all(b"\n")?;
            }
            TimelineFormat::Jsonl => {
                for d in &docs {
                    serde_json::to_writer(&mut out, &out_fmt::timeline_json(d))?;
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

/// `annalist eval --tlinks` / `--events`: TimeML gold only.
pub fn eval(args: &crate::eval::EvalArgs) -> Result<ExitCode> {
    use crate::eval::GoldFormat;
    use annalist::timeline::eval::{TlinkCounts, TlinkScores, score_tlinks};
    use rayon::prelude::*;

    if args.format.is_some_and(|f| f != GoldFormat::Timeml) {
        bail!("--tlinks and --events need TimeML gold (*.tml)");
    }
    let events = EventTagger::new();
    if args.events {
        let report = annalist::event::evaluate(&events, &args.gold, args.heldout)?;
        if args.json {
            let (sp, sr, sf) = report.strict_prf();
            let (rp, rr, rf) = report.relaxed_prf();
            let (cp, cr, cf) = report.class_prf();
            let v = serde_json::json!({
                "documents": report.docs, "gold": report.gold, "system": report.system,
                "strict": {"precision": sp, "recall": sr, "f1": sf},
                "relaxed": {"precision": rp, "recall": rr, "f1": rf},
                "class": {"precision": cp, "recall": cr, "f1": cf},
                "class_accuracy": report.class_accuracy(),
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        } else {
            print!("{report}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut files = Vec::new();
    for root in &args.gold {
        let found = crate::eval::collect(root, Some(GoldFormat::Timeml))?;
        if found.is_empty() {
            bail!("{}: no TimeML gold files found (*.tml)", root.display());
        }
        files.extend(found.into_iter().map(|(p, _)| p));
    }
    if args.heldout {
        files.retain(|p| annalist::event::is_heldout(&p.file_name().unwrap_or_default().to_string_lossy()));
    }
    let tagger = Tagger::new();
    let domain = args.domain.map_or(annalist::Domain::News, annalist::Domain::from);
    type DocResult = Result<(TlinkCounts, std::collections::HashMap<String, TlinkCounts>), String>;
    let results: Vec<DocResult> = files
        .par_iter()
        .map(|p| {
            let name = p.display().to_string();
            let raw = input::read_text(&name, false).map_err(|e| format!("{e:#}"))?;
            let doc = read_timeml(&raw, &name).map_err(|e| e.to_string())?;
            let ctx = Context { dct: doc.dct, domain };
            let tl = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                timeline::build(&doc.text, &ctx, &tagger, &events)
            }))
            .map_err(|_| format!("{name}: internal error while building the timeline"))?;
            Ok(score_tlinks(&doc, &tl))
        })
        .collect();
    let mut total = TlinkCounts::default();
    let mut by: std::collections::BTreeMap<String, TlinkCounts> = Default::default();
    let mut failed = 0;
    let mut docs = 0;
    for r in results {
        match r {
            Ok((c, o)) => {
                docs += 1;
                total += c;
                for (k, v) in o {
                    *by.entry(k).or_default() += v;
                }
            }
            Err(e) => {
                eprintln!("annalist: {e}");
                failed += 1;
            }
        }
    }
    let scores = TlinkScores::new(total, by.into_iter().collect());
    if args.json {
        let v = serde_json::json!({"documents": docs, "scores": scores});
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        let c = &scores.counts;
        println!("event-time TLINKs: {docs} documents, {} gold, {} system links", c.gold, c.system);
        println!("  {:<9} {:>9} {:>9} {:>9}", "", "P", "R", "F1");
        for (name, p) in [("relation", &scores.strict), ("pair", &scores.pairs), ("aligned", &scores.aligned)] {
            println!("  {:<9} {:>9.4} {:>9.4} {:>9.4}", name, p.precision, p.recall, p.f1);
        }
        println!("  (pair: a system link on a gold-linked pair, any relation; aligned: relation precision");
        println!("   over system links on gold-linked pairs — the gold data links only some pairs)");
        println!("  by origin: system links, on gold-linked pairs, with the gold relation");
        for (o, k) in &scores.by_origin {
            println!("    {:<10} {:>6} {:>6} {:>6}", o, k.system, k.system_aligned, k.system_aligned_correct);
        }
    }
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
