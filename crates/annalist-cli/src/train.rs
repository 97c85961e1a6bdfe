//! `annalist train events`: trains the event model from TimeML corpora.

use std::path::PathBuf;
use std::time::Instant;

use annalist::event::{self, EventTagger, TrainConfig};
use anyhow::Context as _;

/// `annalist train …`
#[derive(Debug, clap::Args)]
pub struct TrainCmd {
    /// What to train.
    #[command(subcommand)]
    pub what: TrainWhat,
}

/// The trainable models.
#[derive(Debug, clap::Subcommand)]
pub enum TrainWhat {
    /// The event model (detection, class, part of speech, tense, aspect).
    Events(EventsArgs),
}

/// Options of `annalist train events`.
#[derive(Debug, clap::Args)]
pub struct EventsArgs {
    /// Directory of gold TimeML (.tml, searched recursively); repeatable. Held-out
    /// documents (20% by file-name hash) are never trained on.
    #[arg(long, required = true)]
    pub corpus: Vec<PathBuf>,
    /// Directory of machine-annotated ("silver") TimeML; repeatable.
    #[arg(long)]
    pub silver: Vec<PathBuf>,
    /// Where to write the model (the shipped one is crates/annalist/models/events.bin).
    #[arg(long)]
    pub out: PathBuf,
    /// Passes over the data.
    #[arg(long, default_value_t = TrainConfig::default().epochs)]
    pub epochs: usize,
    /// Update weight of gold examples.
    #[arg(long, default_value_t = TrainConfig::default().gold_weight)]
    pub gold_weight: i32,
    /// Update weight of silver examples (0 ignores --silver).
    #[arg(long, default_value_t = TrainConfig::default().silver_weight)]
    pub silver_weight: i32,
    /// Hash bucket bits of the detection head.
    #[arg(long, default_value_t = TrainConfig::default().bits)]
    pub bits: u32,
    /// Hash bucket bits of the attribute heads.
    #[arg(long, default_value_t = TrainConfig::default().attr_bits)]
    pub attr_bits: u32,
    /// Shuffling seed.
    #[arg(long, default_value_t = TrainConfig::default().seed)]
    pub seed: u64,
    /// Also train part of speech, tense and aspect on the silver documents.
    #[arg(long)]
    pub silver_attrs: bool,
    /// Independent runs (shuffle seeds seed, seed+1, …) whose averaged weights are
    /// averaged: less dependent on the order of the examples than one run.
    #[arg(long, default_value_t = TrainConfig::default().runs)]
    pub runs: usize,
    /// Development mode, for choosing options: also hold out the development split
    /// (15% of the gold documents, by file-name hash, never the held-out ones) and
    /// score on it after every epoch. Not how the shipped model is trained.
    #[arg(long)]
    pub dev: bool,
    /// After training, score the new model on the held-out gold documents.
    #[arg(long)]
    pub eval: bool,
}

/// Runs a training command.
pub fn run(what: TrainWhat) -> anyhow::Result<()> {
    match what {
        TrainWhat::Events(a) => train_events(a),
    }
}

fn train_events(a: EventsArgs) -> anyhow::Result<()> {
    let cfg = TrainConfig {
        gold: a.corpus.clone(),
        silver: a.silver,
        gold_weight: a.gold_weight,
        silver_weight: a.silver_weight,
        epochs: a.epochs,
        bits: a.bits,
        attr_bits: a.attr_bits,
        seed: a.seed,
        silver_attrs: a.silver_attrs,
        runs: a.runs,
        dev: a.dev,
    };
    let t0 = Instant::now();
    let rep = event::train_with_progress(&cfg, |e, acc| {
        let (run, epoch) = ((e - 1) / cfg.epochs.max(1) + 1, (e - 1) % cfg.epochs.max(1) + 1);
        eprintln!("run {run} epoch {epoch}: training accuracy {:.2}%", 100.0 * acc);
    })?;
    eprintln!(
        "trained on {} gold docs ({} held out) + {} silver docs: {} sentences, {} examples, \
         {} events ({} on non-candidate tokens) in {:.1}s",
        rep.gold_docs,
        rep.heldout_docs,
        rep.silver_docs,
        rep.sentences,
        rep.examples,
        rep.events,
        rep.events_lost,
        t0.elapsed().as_secs_f64()
    );
    for (e, r) in rep.dev_epochs.iter().enumerate() {
        let ((_, _, x), (_, _, c)) = (r.relaxed_prf(), r.class_prf());
        println!("dev epoch {}: extraction F1 {x:.2}, class F1 {c:.2} ({} docs, {} gold)", e + 1, rep.dev_docs, r.gold);
    }
    if let Some(r) = &rep.dev {
        let ((_, _, x), (_, _, c)) = (r.relaxed_prf(), r.class_prf());
        println!(
            "dev final: extraction F1 {x:.2}, class F1 {c:.2}, tense {:.2}% of {}",
            r.tense.accuracy(),
            r.tense.scored
        );
    }
    std::fs::write(&a.out, &rep.model).with_context(|| format!("writing {}", a.out.display()))?;
    eprintln!("wrote {} ({} bytes)", a.out.display(), rep.model.len());
    if a.eval {
        let tagger = EventTagger::from_model_bytes(&rep.model)?;
        let r = event::evaluate(&tagger, &a.corpus, true)?;
        print!("held-out {r}");
    }
    Ok(())
}
