//! `annalist eval`: TempEval-3 scores of the tagger (or of given output) against gold data.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use annalist::eval::{Counts, DocEval, EvalError, Expr, Scores, exprs_from_records, score_doc};
use annalist::format::json::DocRecord;
use annalist::format::timeml::read_timeml;
use annalist::format::timex2::read_timex2;
use annalist::{Context, Domain, Tagger};

use crate::input;
use crate::tag::DomainArg;

/// Gold data formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GoldFormat {
    /// TempEval-3 TimeML (`*.tml`): news, scored with the document creation time.
    Timeml,
    /// ACE/TERN SGML with inline TIMEX2 (`*.key.xml`, WikiWars): narratives, no DCT.
    Timex2,
}

impl GoldFormat {
    fn suffix(self) -> &'static str {
        match self {
            GoldFormat::Timeml => ".tml",
            GoldFormat::Timex2 => ".key.xml",
        }
    }

    fn of_path(p: &Path) -> Option<GoldFormat> {
        let n = p.file_name()?.to_string_lossy().to_ascii_lowercase();
        if n.ends_with(".tml") {
            Some(GoldFormat::Timeml)
        } else if n.ends_with(".key.xml") {
            Some(GoldFormat::Timex2)
        } else {
            None
        }
    }
}

/// Arguments of `annalist eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold files or directories (searched recursively for *.tml or *.key.xml).
    #[arg(long, value_name = "PATH", required = true, num_args = 1..)]
    pub gold: Vec<PathBuf>,
    /// Gold format [default: from the file names].
    #[arg(long, value_enum)]
    pub format: Option<GoldFormat>,
    /// Domain to tag with [default: news for TimeML (with its DCT), narrative for TIMEX2].
    #[arg(long, value_enum)]
    pub domain: Option<DomainArg>,
    /// List every miss, spurious expression, span, value and type error with context.
    #[arg(long)]
    pub errors: bool,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Score this output instead of running the tagger: JSON lines as `annalist tag
    /// --to jsonl` writes them, ids = gold file names without extension.
    #[arg(long, value_name = "FILE.jsonl")]
    pub system: Option<PathBuf>,
    /// Score event–time TLINKs of `annalist timeline` against the gold TLINKs (TimeML gold).
    #[arg(long, conflicts_with_all = ["events", "system"])]
    pub tlinks: bool,
    /// Score event extraction (`event::evaluate`, TimeML gold).
    #[arg(long, conflicts_with_all = ["tlinks", "system"])]
    pub events: bool,
    /// With --events or --tlinks: only the documents held out from event-model training.
    #[arg(long)]
    pub heldout: bool,
}

/// One gold file to score.
struct Job {
    group: usize,
    path: PathBuf,
    format: GoldFormat,
}

#[derive(Serialize)]
struct GroupReport {
    path: String,
    documents: usize,
    scores: Scores,
}

#[derive(Serialize)]
struct Failure {
    file: String,
    error: String,
}

#[derive(Serialize)]
struct Report {
    system: String,
    documents: usize,
    scores: Scores,
    groups: Vec<GroupReport>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    failed: Vec<Failure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<EvalError>>,
}

/// Runs `annalist eval`.
pub fn run(args: EvalArgs) -> Result<ExitCode> {
    if args.tlinks || args.events {
        return crate::timeline::eval(&args);
    }
    let mut jobs = Vec::new();
    for (group, root) in args.gold.iter().enumerate() {
        let found = collect(root, args.format)?;
        if found.is_empty() {
            bail!(
                "{}: no gold files found (looked for {})",
                root.display(),
                args.format.map_or("*.tml and *.key.xml".to_string(), |f| format!("*{}", f.suffix()))
            );
        }
        jobs.extend(found.into_iter().map(|(path, format)| Job { group, path, format }));
    }

    let system = match &args.system {
        Some(p) => Some(load_system(p)?),
        None => None,
    };
    let tagger = system.is_none().then(Tagger::new);

    let results: Vec<(&Job, String, Result<DocEval, String>)> = jobs
        .par_iter()
        .map(|job| {
            let id = input::stem(&job.path);
            let r = score_file(job, &id, &args, tagger.as_ref(), system.as_ref());
            (job, id, r)
        })
        .collect();

    let mut total = Counts::default();
    let mut groups = vec![(Counts::default(), 0usize); args.gold.len()];
    let mut failed = Vec::new();
    let mut errors = Vec::new();
    let mut documents = 0;
    for (job, _, r) in &results {
        match r {
            Ok(d) => {
                documents += 1;
                total += d.counts;
                groups[job.group].0 += d.counts;
                groups[job.group].1 += 1;
                if args.errors {
                    errors.extend(d.errors.iter().cloned());
                }
            }
            Err(e) => {
                eprintln!("annalist: {e}");
                failed.push(Failure { file: job.path.display().to_string(), error: e.clone() });
            }
        }
    }
    if let Some(sys) = &system {
        let gold_ids: std::collections::HashSet<&str> = results.iter().map(|(_, id, _)| id.as_str()).collect();
        let missing: Vec<&str> =
            results.iter().map(|(_, id, _)| id.as_str()).filter(|id| !sys.docs.contains_key(*id)).collect();
        if !missing.is_empty() {
            eprintln!(
                "annalist: warning: no system output for {} document(s), scored as empty: {}{}",
                missing.len(),
                missing[..missing.len().min(5)].join(", "),
                if missing.len() > 5 { ", …" } else { "" }
            );
        }
        let extra = sys.docs.keys().filter(|k| !gold_ids.contains(k.as_str())).count();
        if extra > 0 {
            eprintln!("annalist: warning: {extra} system record(s) match no gold document");
        }
    }

    let system_name = match &args.system {
        Some(p) => p.display().to_string(),
        None => format!("annalist {}", env!("CARGO_PKG_VERSION")),
    };
    let report = Report {
        system: system_name,
        documents,
        scores: Scores::from_counts(total),
        groups: groups
            .iter()
            .zip(&args.gold)
            .map(|((c, n), p)| GroupReport {
                path: p.display().to_string(),
                documents: *n,
                scores: Scores::from_counts(*c),
            })
            .collect(),
        failed,
        errors: args.errors.then_some(errors),
    };

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(anyhow::Error::from)
            .and_then(|_| Ok(out.write_all(b"\n")?))
    } else {
        print_report(&mut out, &report)
    };
    match written.and_then(|_| Ok(out.flush()?)) {
        Err(e) if input::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    Ok(if report.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The gold files under `root` (or `root` itself), sorted, with their format.
pub(crate) fn collect(root: &Path, format: Option<GoldFormat>) -> Result<Vec<(PathBuf, GoldFormat)>> {
    let meta = std::fs::metadata(root).with_context(|| format!("cannot read {}", root.display()))?;
    if meta.is_file() {
        let f = format.or_else(|| GoldFormat::of_path(root)).with_context(|| {
            format!(
                "{}: cannot tell the gold format from the name; give --format timeml or --format timex2",
                root.display()
            )
        })?;
        return Ok(vec![(root.to_path_buf(), f)]);
    }
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for entry in rd {
            let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
            let p = entry.path();
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(p);
            } else if let Some(f) = GoldFormat::of_path(&p)
                && format.is_none_or(|want| want == f)
            {
                out.push((p, f));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Precomputed system output, by document id.
struct SystemOutput {
    docs: HashMap<String, DocRecord>,
}

fn load_system(path: &Path) -> Result<SystemOutput> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut docs = HashMap::new();
    for (i, line) in BufReader::new(f).split(b'\n').enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        let line = input::decode(line, &path.display().to_string(), 0, false)?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: DocRecord = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a result record", path.display(), i + 1))?;
        let id = match &rec.id {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => bail!("{}:{}: record without an id", path.display(), i + 1),
            v => v.to_string(),
        };
        if docs.insert(id.clone(), rec).is_some() {
            bail!("{}:{}: duplicate id {id:?}", path.display(), i + 1);
        }
    }
    Ok(SystemOutput { docs })
}

/// Reads one gold file, gets the system output for it and scores it.
fn score_file(
    job: &Job,
    id: &str,
    args: &EvalArgs,
    tagger: Option<&Tagger>,
    system: Option<&SystemOutput>,
) -> Result<DocEval, String> {
    let name = job.path.display().to_string();
    let raw = input::read_text(&name, false).map_err(|e| format!("{e:#}"))?;
    let (text, gold, ctx) = match job.format {
        GoldFormat::Timeml => {
            let doc = read_timeml(&raw, &name).map_err(|e| e.to_string())?;
            let ctx = Context { dct: doc.dct, domain: args.domain.map_or(Domain::News, Domain::from) };
            let gold: Vec<Expr> = doc.timexes.iter().map(Expr::from).collect();
            (doc.text, gold, ctx)
        }
        GoldFormat::Timex2 => {
            let doc = read_timex2(&raw, &name).map_err(|e| e.to_string())?;
            let ctx = Context { dct: None, domain: args.domain.map_or(Domain::Narrative, Domain::from) };
            let gold: Vec<Expr> = doc.timexes.iter().map(Expr::from).collect();
            (doc.text, gold, ctx)
        }
    };
    let sys: Vec<Expr> = match (system, tagger) {
        (Some(s), _) => match s.docs.get(id) {
            Some(rec) => match (&rec.timexes, &rec.error) {
                (Some(t), _) => exprs_from_records(&text, t).map_err(|e| format!("{name}: system output: {e}"))?,
                (None, Some(e)) => {
                    eprintln!("annalist: warning: {id}: system reported an error ({e}); scored as empty");
                    Vec::new()
                }
                (None, None) => Vec::new(),
            },
            None => Vec::new(),
        },
        (None, Some(t)) => {
            let timexes = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| t.tag(&text, &ctx)))
                .map_err(|_| format!("{name}: internal error while tagging"))?;
            timexes.iter().map(Expr::from).collect()
        }
        (None, None) => Vec::new(),
    };
    Ok(score_doc(id, &text, &gold, &sys))
}

fn print_report(out: &mut impl Write, r: &Report) -> Result<()> {
    if let Some(errors) = &r.errors {
        for e in errors {
            let show = |v: &Option<annalist::eval::ExprView>| {
                v.as_ref().map_or_else(String::new, |v| {
                    let mut s = format!(
                        "{:?} {} {}",
                        v.text,
                        v.kind.as_deref().unwrap_or("-"),
                        if v.value.is_empty() { "\"\"" } else { &v.value }
                    );
                    if let Some(rule) = &v.rule {
                        s.push_str(&format!(" [{rule}]"));
                    }
                    s
                })
            };
            writeln!(
                out,
                "{}\t{}\tgold: {}\tsystem: {}\t{}",
                e.doc,
                e.kind.as_str(),
                show(&e.gold),
                show(&e.system),
                e.context
            )?;
        }
        if !errors.is_empty() {
            writeln!(out)?;
        }
    }
    writeln!(out, "system: {}", r.system)?;
    let table = |out: &mut dyn Write, title: &str, n: usize, s: &Scores| -> Result<()> {
        let c = &s.counts;
        writeln!(out, "{title}: {n} documents, {} gold, {} system expressions", c.gold, c.system)?;
        writeln!(out, "  {:<8} {:>9} {:>9} {:>9}   {:>6}", "", "P", "R", "F1", "count")?;
        let mut row = |name: &str, p: &annalist::eval::Prf, k: usize| {
            writeln!(out, "  {:<8} {:>9.4} {:>9.4} {:>9.4}   {:>6}", name, p.precision, p.recall, p.f1, k)
        };
        row("strict", &s.strict, c.strict)?;
        row("relaxed", &s.relaxed, c.relaxed)?;
        row("value", &s.value, c.value)?;
        match &s.kind {
            Some(k) => row("type", k, c.kind)?,
            None => writeln!(out, "  {:<8} {:>9} {:>9} {:>9}", "type", "-", "-", "-")?,
        }
        Ok(())
    };
    if r.groups.len() > 1 {
        for g in &r.groups {
            table(out, &g.path, g.documents, &g.scores)?;
        }
        table(out, "all", r.documents, &r.scores)?;
    } else {
        let title = r.groups.first().map_or("all", |g| g.path.as_str());
        table(out, title, r.documents, &r.scores)?;
    }
    if !r.failed.is_empty() {
        writeln!(out, "{} file(s) could not be read (see above)", r.failed.len())?;
    }
    Ok(())
}
