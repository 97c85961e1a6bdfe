//! Python bindings for annalist: a thin PyO3 layer over the core crate.
//!
//! The Python package is `annalist`; this extension module is `annalist._annalist`
//! and `annalist/__init__.py` re-exports it. Offsets handed to Python are Unicode
//! code points (Python string indices), computed by
//! [`annalist::format::json::timex_records`] and
//! [`annalist::format::timeline::timeline_record`], so they agree with the CLI's JSON.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use annalist::event::EventTagger;
use annalist::format::json::{TimexRecord, timex_records};
use annalist::format::timeline::{self as timeline_format, AnchorRecord, Doc, EntryRecord, EventRecord, SpanRecord};
use annalist::{Context, Domain};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One time expression found in a text.
///
/// `start` and `end` are Python string indices (Unicode code points) into the
/// tagged text, so `text[t.start:t.end] == t.text`.
#[pyclass(frozen, eq, hash, module = "annalist", name = "Timex")]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct PyTimex {
    /// Start index in the text (Unicode code points).
    #[pyo3(get)]
    start: usize,
    /// End index (exclusive, Unicode code points).
    #[pyo3(get)]
    end: usize,
    /// The expression as written.
    #[pyo3(get)]
    text: String,
    /// TIMEX3 type: ``DATE``, ``TIME``, ``DURATION`` or ``SET``.
    #[pyo3(get, name = "type")]
    kind: String,
    /// TIMEX3 value, e.g. ``1921-03-03``, ``P3D``, ``PRESENT_REF``.
    #[pyo3(get)]
    value: String,
    /// TIMEX3 ``mod`` (``START``, ``APPROX``, …) or None.
    #[pyo3(get, name = "mod")]
    modifier: Option<String>,
    /// ``t1``, ``t2``, … in text order.
    #[pyo3(get)]
    tid: String,
    /// TIMEX3 ``freq`` for SETs, or None.
    #[pyo3(get)]
    freq: Option<String>,
    /// TIMEX3 ``quant`` for SETs, or None.
    #[pyo3(get)]
    quant: Option<String>,
    /// The ``tid`` this expression is an alternative to ("the 22nd or 23rd"), or None.
    #[pyo3(get)]
    alternative_of: Option<String>,
    /// The id of the rule that recognized the expression (for debugging).
    #[pyo3(get)]
    rule: String,
}

impl PyTimex {
    fn from_record(r: TimexRecord, rule: &str) -> PyTimex {
        PyTimex {
            start: r.start,
            end: r.end,
            text: r.text,
            kind: r.kind,
            value: r.value,
            modifier: r.modifier,
            tid: r.tid,
            freq: r.freq,
            quant: r.quant,
            alternative_of: r.alternative_of,
            rule: rule.to_string(),
        }
    }
}

#[pymethods]
impl PyTimex {
    /// Builds a Timex by hand (the tagger builds them for you; this exists for
    /// tests and unpickling).
    #[new]
    #[pyo3(signature = (start, end, text, r#type, value, r#mod=None, tid=String::new(), freq=None, quant=None, alternative_of=None, rule=String::new()))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        start: usize,
        end: usize,
        text: String,
        r#type: String,
        value: String,
        r#mod: Option<String>,
        tid: String,
        freq: Option<String>,
        quant: Option<String>,
        alternative_of: Option<String>,
        rule: String,
    ) -> PyTimex {
        PyTimex { start, end, text, kind: r#type, value, modifier: r#mod, tid, freq, quant, alternative_of, rule }
    }

    /// The expression as a dict with the keys of the CLI's JSON records:
    /// ``start``, ``end``, ``text``, ``type``, ``value``, ``mod``, ``tid``, ``freq``,
    /// ``quant``, ``alternative_of`` (absent attributes are None).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("text", &self.text)?;
        d.set_item("type", &self.kind)?;
        d.set_item("value", &self.value)?;
        d.set_item("mod", &self.modifier)?;
        d.set_item("tid", &self.tid)?;
        d.set_item("freq", &self.freq)?;
        d.set_item("quant", &self.quant)?;
        d.set_item("alternative_of", &self.alternative_of)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let r = |s: &str| py_repr(py, s);
        let mut s = format!(
            "Timex(start={}, end={}, text={}, type={}, value={}",
            self.start,
            self.end,
            r(&self.text)?,
            r(&self.kind)?,
            r(&self.value)?
        );
        if let Some(m) = &self.modifier {
            s.push_str(&format!(", mod={}", r(m)?));
        }
        s.push_str(&format!(", tid={})", r(&self.tid)?));
        Ok(s)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let t = slf.get();
        let args = (
            t.start,
            t.end,
            &t.text,
            &t.kind,
            &t.value,
            &t.modifier,
            &t.tid,
            &t.freq,
            &t.quant,
            &t.alternative_of,
            &t.rule,
        )
            .into_pyobject(py)?;
        Ok((slf.get_type(), args))
    }
}

/// Python's `repr()` of a string.
fn py_repr(py: Python<'_>, s: &str) -> PyResult<String> {
    Ok(PyString::new(py, s).repr()?.to_cow()?.into_owned())
}

/// `__reduce__` for the timeline classes: `(_restore, (kind, json))`.
fn reduce_json<'py, T: Serialize>(
    py: Python<'py>,
    kind: &str,
    value: &T,
) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
    let json = serde_json::to_string(value).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    let restore = py.import("annalist._annalist")?.getattr("_restore")?;
    Ok((restore, (kind.to_string(), json)))
}

/// A stretch of the text: a participant, or the sentence that is an entry's evidence.
#[pyclass(frozen, eq, module = "annalist", name = "Span")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PySpan {
    /// Start index in the text (Unicode code points).
    #[pyo3(get)]
    start: usize,
    /// End index (exclusive, Unicode code points).
    #[pyo3(get)]
    end: usize,
    /// The text of the span.
    #[pyo3(get)]
    text: String,
}

impl From<SpanRecord> for PySpan {
    fn from(r: SpanRecord) -> PySpan {
        PySpan { start: r.start, end: r.end, text: r.text }
    }
}

#[pymethods]
impl PySpan {
    /// ``{"start", "end", "text"}``, as in the CLI's timeline JSON.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("text", &self.text)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Span(start={}, end={}, text={})", self.start, self.end, py_repr(py, &self.text)?))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        reduce_json(py, "Span", self)
    }
}

/// The time an event is anchored to.
#[pyclass(frozen, eq, module = "annalist", name = "Anchor")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PyAnchor {
    /// The ``tid`` of the governing time expression, or None for the document creation time.
    #[pyo3(get)]
    tid: Option<String>,
    /// The TIMEX3 value anchored to (``1939-08-22``, ``1938``).
    #[pyo3(get)]
    value: String,
    /// The TIMEX3 ``mod`` of the governing expression (``END`` for "the end of 1938"), or None.
    #[pyo3(get, name = "mod")]
    modifier: Option<String>,
    /// The end of a range ("from May to July": ``1939-07``) when ``relation`` is ``from_to``, or None.
    #[pyo3(get)]
    until: Option<String>,
    /// The ``tid`` of ``until``, or None.
    #[pyo3(get)]
    until_tid: Option<String>,
    /// Other values the text allows ("the 22nd or 23rd").
    #[pyo3(get)]
    alternatives: Vec<String>,
    /// ``on``, ``during``, ``before``, ``after``, ``from_to``, ``from``, ``until`` or ``includes``.
    #[pyo3(get)]
    relation: String,
    /// ``year``, ``month``, ``day``, ``part_of_day``, …: the coarsest expression involved.
    #[pyo3(get)]
    granularity: String,
    /// Where the anchor comes from: ``clause``, ``sentence``, ``narrative`` or ``dct``.
    #[pyo3(get)]
    source: String,
    /// ``stated``, ``inferred`` or ``uncertain``.
    #[pyo3(get)]
    certainty: String,
    /// The anchor as a person writes it ("late 1938").
    #[pyo3(get)]
    label: String,
    /// Start on the time axis, days since 1970-01-01 (proleptic Gregorian).
    #[pyo3(get)]
    axis_start: f64,
    /// End on the time axis (exclusive; equal to ``axis_start`` for a point).
    #[pyo3(get)]
    axis_end: f64,
}

impl From<AnchorRecord> for PyAnchor {
    fn from(r: AnchorRecord) -> PyAnchor {
        PyAnchor {
            tid: r.tid,
            value: r.value,
            modifier: r.modifier,
            until: r.until,
            until_tid: r.until_tid,
            alternatives: r.alternatives,
            relation: r.relation,
            granularity: r.granularity,
            source: r.source,
            certainty: r.certainty,
            label: r.label,
            axis_start: r.axis_start,
            axis_end: r.axis_end,
        }
    }
}

#[pymethods]
impl PyAnchor {
    /// The keys of ``events[].anchor`` in the CLI's timeline JSON (absent values are
    /// None, no alternatives is ``[]``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("tid", &self.tid)?;
        d.set_item("value", &self.value)?;
        d.set_item("mod", &self.modifier)?;
        d.set_item("until", &self.until)?;
        d.set_item("until_tid", &self.until_tid)?;
        d.set_item("alternatives", &self.alternatives)?;
        d.set_item("relation", &self.relation)?;
        d.set_item("granularity", &self.granularity)?;
        d.set_item("source", &self.source)?;
        d.set_item("certainty", &self.certainty)?;
        d.set_item("label", &self.label)?;
        d.set_item("axis_start", self.axis_start)?;
        d.set_item("axis_end", self.axis_end)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Anchor(value={}, relation={}, source={}, label={})",
            py_repr(py, &self.value)?,
            py_repr(py, &self.relation)?,
            py_repr(py, &self.source)?,
            py_repr(py, &self.label)?
        ))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        reduce_json(py, "Anchor", self)
    }
}

/// An event mention with its time, as ``annalist timeline`` finds it.
#[pyclass(frozen, eq, module = "annalist", name = "Event")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PyEvent {
    /// ``e1``, ``e2``, … in text order.
    #[pyo3(get)]
    eid: String,
    /// Start of the trigger word (Unicode code points).
    #[pyo3(get)]
    start: usize,
    /// End of the trigger word (exclusive, Unicode code points).
    #[pyo3(get)]
    end: usize,
    /// The trigger word as written (``text[e.start:e.end]``).
    #[pyo3(get)]
    trigger: String,
    /// TimeML class: ``OCCURRENCE``, ``REPORTING``, ``STATE``, ``I_ACTION``, … (``class`` in ``to_dict()``).
    #[pyo3(get, name = "class_")]
    class: String,
    /// ``verb``, ``noun``, ``adjective`` or ``other``.
    #[pyo3(get)]
    pos: String,
    /// TimeML tense (``past``, ``present``, ``future``, ``infinitive``, …).
    #[pyo3(get)]
    tense: String,
    /// TimeML aspect.
    #[pyo3(get)]
    aspect: String,
    /// ``POS`` or ``NEG``.
    #[pyo3(get)]
    polarity: String,
    /// ``actual``, ``negated``, ``intended_requested``, ``hypothetical_conditional`` or ``future``.
    #[pyo3(get)]
    modality: String,
    /// Whether the text says it happened; only these are timeline entries.
    #[pyo3(get)]
    occurred: bool,
    /// Why it is or is not an entry: ``occurred``, ``negated``, ``intended_requested``,
    /// ``hypothetical_conditional``, ``future``, ``infinitive``, ``writers_present``, ``mention``.
    #[pyo3(get)]
    status: String,
    /// Index of its sentence in ``Timeline.sentences``.
    #[pyo3(get)]
    sentence: usize,
    /// Who acts (a list of Span).
    #[pyo3(get)]
    actors: Vec<PySpan>,
    /// Who or what is acted upon (a list of Span).
    #[pyo3(get)]
    patients: Vec<PySpan>,
    /// Its time (an Anchor), or None.
    #[pyo3(get)]
    anchor: Option<PyAnchor>,
    /// The participants' texts: actors, participants the timeline found around the
    /// event ("sent a telegram to Stalin"), patients, without repeats (``who`` of
    /// its entry; not in ``to_dict()``, as the CLI's event records lack it).
    #[pyo3(get)]
    participants: Vec<String>,
}

impl PyEvent {
    fn from_record(r: EventRecord, participants: Vec<String>) -> PyEvent {
        PyEvent {
            eid: r.eid,
            start: r.start,
            end: r.end,
            trigger: r.trigger,
            class: r.class,
            pos: r.pos,
            tense: r.tense,
            aspect: r.aspect,
            polarity: r.polarity,
            modality: r.modality,
            occurred: r.occurred,
            status: r.status,
            sentence: r.sentence,
            actors: r.actors.into_iter().map(PySpan::from).collect(),
            patients: r.patients.into_iter().map(PySpan::from).collect(),
            anchor: r.anchor.map(PyAnchor::from),
            participants,
        }
    }
}

fn spans_to_list<'py>(py: Python<'py>, spans: &[PySpan]) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, spans.iter().map(|s| s.to_dict(py)).collect::<PyResult<Vec<_>>>()?)
}

#[pymethods]
impl PyEvent {
    /// The keys of ``events[]`` in the CLI's timeline JSON (``anchor`` is a dict or None).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("eid", &self.eid)?;
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("trigger", &self.trigger)?;
        d.set_item("class", &self.class)?;
        d.set_item("pos", &self.pos)?;
        d.set_item("tense", &self.tense)?;
        d.set_item("aspect", &self.aspect)?;
        d.set_item("polarity", &self.polarity)?;
        d.set_item("modality", &self.modality)?;
        d.set_item("occurred", self.occurred)?;
        d.set_item("status", &self.status)?;
        d.set_item("sentence", self.sentence)?;
        d.set_item("actors", spans_to_list(py, &self.actors)?)?;
        d.set_item("patients", spans_to_list(py, &self.patients)?)?;
        d.set_item("anchor", self.anchor.as_ref().map(|a| a.to_dict(py)).transpose()?)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let when = match &self.anchor {
            Some(a) => py_repr(py, &a.value)?,
            None => "None".to_string(),
        };
        Ok(format!(
            "Event(eid={}, start={}, end={}, trigger={}, class_={}, modality={}, when={when})",
            py_repr(py, &self.eid)?,
            self.start,
            self.end,
            py_repr(py, &self.trigger)?,
            py_repr(py, &self.class)?,
            py_repr(py, &self.modality)?
        ))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        reduce_json(py, "Event", self)
    }
}

/// One place on the timeline: an event that happened, in chronological order.
#[pyclass(frozen, eq, module = "annalist", name = "Entry")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PyEntry {
    /// 1-based position on the timeline.
    #[pyo3(get)]
    position: usize,
    /// The event's ``eid``.
    #[pyo3(get)]
    eid: String,
    /// The event's trigger word.
    #[pyo3(get)]
    trigger: String,
    /// The event's TimeML class (``class`` in ``to_dict()``).
    #[pyo3(get, name = "class_")]
    class: String,
    /// The anchor's TIMEX3 value, or None when the entry is undated.
    #[pyo3(get)]
    when: Option<String>,
    /// The anchor's TIMEX3 ``mod``, or None.
    #[pyo3(get, name = "mod")]
    modifier: Option<String>,
    /// The end of a range, or None.
    #[pyo3(get)]
    until: Option<String>,
    /// Alternative values ("the 22nd or 23rd").
    #[pyo3(get)]
    alternatives: Vec<String>,
    /// The relation to the anchor (``on``, ``during``, ``before``, …), or None when undated.
    #[pyo3(get)]
    relation: Option<String>,
    /// The time as a person writes it ("late 1938"), or ``"undated"``.
    #[pyo3(get)]
    label: String,
    /// False when the event has no time: it is placed by text order, after the dated
    /// entry that precedes it in the text.
    #[pyo3(get)]
    anchored: bool,
    /// ``stated``, ``inferred`` or ``uncertain``; None when undated.
    #[pyo3(get)]
    certainty: Option<String>,
    /// The participants' texts: actors, participants found around the event, patients.
    #[pyo3(get)]
    who: Vec<String>,
    /// The sentence that says so (a Span).
    #[pyo3(get)]
    evidence: PySpan,
    /// The Event this entry places (also in ``Timeline.events``).
    #[pyo3(get)]
    event: PyEvent,
}

impl PyEntry {
    fn from_record(r: EntryRecord, event: PyEvent) -> PyEntry {
        PyEntry {
            position: r.position,
            eid: r.eid,
            trigger: r.trigger,
            class: r.class,
            when: r.when,
            modifier: r.modifier,
            until: r.until,
            alternatives: r.alternatives,
            relation: r.relation,
            label: r.label,
            anchored: r.anchored,
            certainty: r.certainty,
            who: r.who,
            evidence: r.evidence.into(),
            event,
        }
    }
}

#[pymethods]
impl PyEntry {
    /// The keys of ``timeline[]`` in the CLI's timeline JSON (absent values are None,
    /// no alternatives is ``[]``; the event itself is not included).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("position", self.position)?;
        d.set_item("eid", &self.eid)?;
        d.set_item("trigger", &self.trigger)?;
        d.set_item("class", &self.class)?;
        d.set_item("when", &self.when)?;
        d.set_item("mod", &self.modifier)?;
        d.set_item("until", &self.until)?;
        d.set_item("alternatives", &self.alternatives)?;
        d.set_item("relation", &self.relation)?;
        d.set_item("label", &self.label)?;
        d.set_item("anchored", self.anchored)?;
        d.set_item("certainty", &self.certainty)?;
        d.set_item("who", &self.who)?;
        d.set_item("evidence", self.evidence.to_dict(py)?)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let when = match &self.when {
            Some(w) => py_repr(py, w)?,
            None => "None".to_string(),
        };
        Ok(format!(
            "Entry(position={}, eid={}, trigger={}, when={when}, label={}, who=[{}])",
            self.position,
            py_repr(py, &self.eid)?,
            py_repr(py, &self.trigger)?,
            py_repr(py, &self.label)?,
            self.who.iter().map(|w| py_repr(py, w)).collect::<PyResult<Vec<_>>>()?.join(", "),
        ))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        reduce_json(py, "Entry", self)
    }
}

/// A document's time expressions, events and ordered timeline.
///
/// Each attribute access builds a new list: bind it once (``events = tl.events``)
/// rather than indexing ``tl.events[i]`` in a loop.
#[pyclass(frozen, eq, module = "annalist", name = "Timeline")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PyTimeline {
    /// ``news`` or ``narrative``: the domain the text was read in (``auto`` resolved).
    #[pyo3(get)]
    domain: String,
    /// The document creation time (TIMEX3 value), or None.
    #[pyo3(get)]
    dct: Option<String>,
    /// The sentences as ``(start, end)`` code point ranges; events and entries refer
    /// to them by index.
    #[pyo3(get)]
    sentences: Vec<(usize, usize)>,
    /// The time expressions (a list of Timex), in text order.
    #[pyo3(get)]
    timexes: Vec<PyTimex>,
    /// Every event (a list of Event), in text order, with its anchor; also the events
    /// that did not happen (planned, negated, …).
    #[pyo3(get)]
    events: Vec<PyEvent>,
    /// The events that happened (a list of Entry), in chronological order.
    #[pyo3(get)]
    entries: Vec<PyEntry>,
}

impl PyTimeline {
    /// Builds the timeline of one document (pure Rust: runs with the GIL released).
    fn build(tagger: &annalist::Tagger, events: &EventTagger, text: &str, ctx: &Context) -> PyTimeline {
        let timexes = tagger.tag(text, ctx);
        let tl = annalist::timeline::build_from(text, ctx, &timexes, events.events(text));
        let rec = timeline_format::timeline_record(&Doc { id: "", text, timeline: &tl });
        let events: Vec<PyEvent> = rec
            .events
            .into_iter()
            .zip(&tl.events)
            .map(|(r, e)| PyEvent::from_record(r, e.participants().into_iter().map(String::from).collect()))
            .collect();
        let entries = rec
            .timeline
            .into_iter()
            .zip(&tl.entries)
            .map(|(r, e)| PyEntry::from_record(r, events[e.event].clone()))
            .collect();
        PyTimeline {
            domain: rec.domain,
            dct: rec.dct,
            sentences: rec.sentences.into_iter().map(|[s, e]| (s, e)).collect(),
            timexes: rec.timexes.into_iter().zip(&timexes).map(|(r, t)| PyTimex::from_record(r, &t.rule)).collect(),
            events,
            entries,
        }
    }
}

#[pymethods]
impl PyTimeline {
    /// The timeline as the CLI's JSON record (``annalist timeline --to json``, schema
    /// ``annalist-timeline/1``): ``id``, ``schema``, ``domain``, ``dct``,
    /// ``sentences``, ``timexes``, ``events``, ``timeline``. Where the CLI leaves an
    /// absent value out, the dict has None (``[]`` for no alternatives), so every
    /// record has the same keys; ``id`` is the argument.
    #[pyo3(signature = (id=None))]
    fn to_dict<'py>(&self, py: Python<'py>, id: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("id", id)?;
        d.set_item("schema", timeline_format::SCHEMA)?;
        d.set_item("domain", &self.domain)?;
        d.set_item("dct", &self.dct)?;
        d.set_item("sentences", self.sentences.iter().map(|&(s, e)| vec![s, e]).collect::<Vec<_>>())?;
        let list = |items: Vec<Bound<'py, PyDict>>| PyList::new(py, items);
        d.set_item("timexes", list(self.timexes.iter().map(|t| t.to_dict(py)).collect::<PyResult<_>>()?)?)?;
        d.set_item("events", list(self.events.iter().map(|e| e.to_dict(py)).collect::<PyResult<_>>()?)?)?;
        d.set_item("timeline", list(self.entries.iter().map(|e| e.to_dict(py)).collect::<PyResult<_>>()?)?)?;
        Ok(d)
    }

    fn __len__(&self) -> usize {
        self.entries.len()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let dct = match &self.dct {
            Some(d) => py_repr(py, d)?,
            None => "None".to_string(),
        };
        Ok(format!(
            "Timeline(domain={}, dct={dct}, timexes={}, events={}, entries={})",
            py_repr(py, &self.domain)?,
            self.timexes.len(),
            self.events.len(),
            self.entries.len()
        ))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        reduce_json(py, "Timeline", self)
    }
}

/// Rebuilds a timeline object from its pickled form (used by ``pickle``).
#[pyfunction]
fn _restore(py: Python<'_>, kind: &str, json: &str) -> PyResult<Py<PyAny>> {
    fn read<'a, T: Deserialize<'a>>(json: &'a str) -> PyResult<T> {
        serde_json::from_str(json).map_err(|e| PyValueError::new_err(format!("cannot unpickle: {e}")))
    }
    Ok(match kind {
        "Span" => Py::new(py, read::<PySpan>(json)?)?.into_any(),
        "Anchor" => Py::new(py, read::<PyAnchor>(json)?)?.into_any(),
        "Event" => Py::new(py, read::<PyEvent>(json)?)?.into_any(),
        "Entry" => Py::new(py, read::<PyEntry>(json)?)?.into_any(),
        "Timeline" => Py::new(py, read::<PyTimeline>(json)?)?.into_any(),
        other => return Err(PyValueError::new_err(format!("cannot unpickle an annalist {other:?}"))),
    })
}

/// Whether `obj` is a `datetime.date` (or `datetime.datetime`).
fn is_date(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    obj.is_instance(DATE.import(obj.py(), "datetime", "date")?)
}

/// Reads a `dct` argument: None, a `YYYY-MM-DD` string (any TIMEX3 day value), or a
/// `datetime.date` / `datetime.datetime`.
fn read_dct(dct: Option<&Bound<'_, PyAny>>, domain: Domain) -> PyResult<Context> {
    let Some(obj) = dct.filter(|o| !o.is_none()) else {
        return Ok(Context { dct: None, domain });
    };
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_cow()?;
        return Context::with_dct(&s, domain).map_err(|e| PyValueError::new_err(e.to_string()));
    }
    if is_date(obj)? {
        let y: i32 = obj.getattr("year")?.extract()?;
        let m: u8 = obj.getattr("month")?.extract()?;
        let d: u8 = obj.getattr("day")?.extract()?;
        let s = format!("{y:04}-{m:02}-{d:02}");
        return Context::with_dct(&s, domain).map_err(|e| PyValueError::new_err(e.to_string()));
    }
    Err(PyTypeError::new_err(format!(
        "dct must be a 'YYYY-MM-DD' string, a datetime.date or None, not {}",
        obj.get_type().name()?
    )))
}

/// Reads a `text` argument, which must be a `str`.
fn read_text(text: &Bound<'_, PyAny>, name: &str) -> PyResult<PyBackedStr> {
    if text.is_instance_of::<PyString>() {
        // Fails only for a str that is not valid Unicode (a lone surrogate):
        // Python's UnicodeEncodeError, a ValueError, says where.
        return text.extract();
    }
    text.extract().map_err(|_| {
        let ty = text.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        PyTypeError::new_err(format!("{name} must be str, not {ty}"))
    })
}

/// Reads a `domain` argument: None (auto) or `"news"`, `"narrative"`, `"auto"`.
fn read_domain(domain: Option<&Bound<'_, PyAny>>) -> PyResult<Domain> {
    let Some(obj) = domain.filter(|o| !o.is_none()) else {
        return Ok(Domain::Auto);
    };
    let Ok(s) = obj.cast::<PyString>() else {
        return Err(PyTypeError::new_err(format!(
            "domain must be 'news', 'narrative', 'auto' or None, not {}",
            obj.get_type().name()?
        )));
    };
    let s = s.to_cow()?;
    Domain::parse(&s)
        .ok_or_else(|| PyValueError::new_err(format!("unknown domain {s:?}: expected 'news', 'narrative' or 'auto'")))
}

/// Reads one document's `text`, `dct` and `domain` arguments: the one place where
/// `tag`, `timeline` and the `*_many` functions check their input. `index` is the
/// document's position in a `*_many` call, for the error messages (`texts[3] must be
/// str`, `dcts[3]: invalid …`); None for a single document, or when the error goes
/// in the document's own slot (`errors="return"`), which says which one it is.
fn read_input(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    dct: Option<&Bound<'_, PyAny>>,
    domain: Option<&Bound<'_, PyAny>>,
    index: Option<usize>,
) -> PyResult<(PyBackedStr, Context)> {
    let text = match index {
        Some(i) => read_text(text, &format!("texts[{i}]"))?,
        None => read_text(text, "text")?,
    };
    let prefix = |e: PyErr, name: &str| match index {
        None => e,
        Some(i) => {
            let msg = format!("{name}[{i}]: {}", e.value(py));
            if e.is_instance_of::<PyTypeError>(py) { PyTypeError::new_err(msg) } else { PyValueError::new_err(msg) }
        }
    };
    let domain = read_domain(domain).map_err(|e| prefix(e, "domains"))?;
    let ctx = read_dct(dct, domain).map_err(|e| prefix(e, "dcts"))?;
    Ok((text, ctx))
}

/// Runs `f`, turning a panic in the engine into an error message.
fn guard<R>(doing: &str, f: impl FnOnce() -> R) -> Result<R, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        format!("internal error in annalist while {doing}: {msg}")
    })
}

/// What tagging one document produced, before Python objects are built.
type Tagged = Vec<(TimexRecord, Arc<str>)>;

/// Tags one document.
fn tag_one(tagger: &annalist::Tagger, text: &str, ctx: &Context) -> Result<Tagged, String> {
    guard("tagging", || {
        let timexes = tagger.tag(text, ctx);
        let records = timex_records(text, &timexes);
        records.into_iter().zip(timexes.into_iter().map(|t| t.rule)).collect()
    })
}

/// Builds the timeline of one document.
fn timeline_one(tagger: &PyTagger, text: &str, ctx: &Context) -> Result<PyTimeline, String> {
    guard("building the timeline", || PyTimeline::build(&tagger.inner, &tagger.events, text, ctx))
}

fn tagged_to_py<'py>(py: Python<'py>, tagged: Tagged) -> PyResult<Bound<'py, PyAny>> {
    let list: Vec<Bound<'py, PyTimex>> =
        tagged.into_iter().map(|(r, rule)| Bound::new(py, PyTimex::from_record(r, &rule))).collect::<PyResult<_>>()?;
    Ok(list.into_pyobject(py)?.into_any())
}

fn timeline_to_py<'py>(py: Python<'py>, tl: PyTimeline) -> PyResult<Bound<'py, PyAny>> {
    Ok(Bound::new(py, tl)?.into_any())
}

/// Reads an argument that is None, one value for every document, or an iterable
/// with one value per document.
fn per_document<'py>(
    name: &str,
    arg: Option<&Bound<'py, PyAny>>,
    n: usize,
    is_single: impl Fn(&Bound<'py, PyAny>) -> PyResult<bool>,
) -> PyResult<Vec<Option<Bound<'py, PyAny>>>> {
    let Some(arg) = arg.filter(|a| !a.is_none()) else {
        return Ok(vec![None; n]);
    };
    if is_single(arg)? {
        return Ok(vec![Some(arg.clone()); n]);
    }
    let items: Vec<Option<Bound<'py, PyAny>>> = arg
        .try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!("{name} must be None, a single value or an iterable with one value per text"))
        })?
        .map(|r| r.map(Some))
        .collect::<PyResult<_>>()?;
    if items.len() != n {
        return Err(PyValueError::new_err(format!("{name} has {} items but there are {n} texts", items.len())));
    }
    Ok(items)
}

/// The temporal tagger, with the event tagger for timelines. Build it once and share
/// it: it is immutable, and safe to use from many threads at once (tagging releases
/// the GIL).
#[pyclass(frozen, module = "annalist", name = "Tagger")]
struct PyTagger {
    inner: Arc<annalist::Tagger>,
    events: Arc<EventTagger>,
}

#[pymethods]
impl PyTagger {
    /// Builds the English tagger from the built-in resources.
    #[new]
    fn new(py: Python<'_>) -> PyResult<PyTagger> {
        let (inner, events) = py
            .detach(|| catch_unwind(|| (annalist::Tagger::new(), EventTagger::new())))
            .map_err(|_| PyRuntimeError::new_err("annalist failed to build its tagger"))?;
        Ok(PyTagger { inner: Arc::new(inner), events: Arc::new(events) })
    }

    /// The number of recognition rules loaded.
    #[getter]
    fn rule_count(&self) -> usize {
        self.inner.rule_count()
    }

    /// Finds and normalizes the time expressions of ``text``, in text order.
    ///
    /// ``dct`` is the document creation time (``"YYYY-MM-DD"`` or a
    /// ``datetime.date``); ``domain`` is ``"news"``, ``"narrative"`` or ``"auto"``
    /// (news when a dct is given, narrative otherwise).
    ///
    /// Raises ValueError for a bad dct or domain, TypeError for arguments of the
    /// wrong type.
    #[pyo3(signature = (text, dct=None, domain=None), text_signature = "(self, text, dct=None, domain='auto')")]
    fn tag<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        dct: Option<&Bound<'py, PyAny>>,
        domain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (text, ctx) = read_input(py, text, dct, domain, None)?;
        let tagger = &*self.inner;
        let tagged = py.detach(|| tag_one(tagger, &text, &ctx)).map_err(PyRuntimeError::new_err)?;
        tagged_to_py(py, tagged)
    }

    /// Tags many documents in parallel (all cores by default) and returns one list
    /// of Timex per text, in input order.
    ///
    /// ``dcts`` and ``domains`` are None, one value for all texts, or an iterable
    /// with one value per text. ``threads`` caps the parallelism (``1`` tags in
    /// the calling thread). With ``errors="raise"`` (default) the first bad
    /// document raises; with ``errors="return"`` its slot holds the exception
    /// instead (ValueError, TypeError or RuntimeError) and the others are tagged.
    #[pyo3(signature = (texts, dcts=None, domains=None, *, errors="raise", threads=None))]
    fn tag_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        dcts: Option<&Bound<'py, PyAny>>,
        domains: Option<&Bound<'py, PyAny>>,
        errors: &str,
        threads: Option<i64>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let tagger = &*self.inner;
        let opts = ManyOptions::read(errors, threads)?;
        run_many(py, texts, dcts, domains, opts, |text, ctx| tag_one(tagger, text, ctx), tagged_to_py)
    }

    /// Finds the time expressions and events of ``text``, gives each event a time
    /// and orders the events that happened: a Timeline.
    ///
    /// ``dct`` and ``domain`` are as for ``tag()``; the domain also decides how
    /// events without a time of their own are placed (narrative: the time the
    /// story has reached; news: the dct by tense). Raises ValueError for a bad dct
    /// or domain, TypeError for arguments of the wrong type.
    #[pyo3(signature = (text, dct=None, domain=None), text_signature = "(self, text, dct=None, domain='auto')")]
    fn timeline<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        dct: Option<&Bound<'py, PyAny>>,
        domain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (text, ctx) = read_input(py, text, dct, domain, None)?;
        let tl = py.detach(|| timeline_one(self, &text, &ctx)).map_err(PyRuntimeError::new_err)?;
        timeline_to_py(py, tl)
    }

    /// Builds the timelines of many documents in parallel (all cores by default)
    /// and returns one Timeline per text, in input order.
    ///
    /// Arguments as for ``tag_many()``: ``dcts`` and ``domains`` are None, one value
    /// for all texts, or one value per text; ``threads`` caps the parallelism;
    /// ``errors="return"`` puts a bad document's exception in its slot.
    #[pyo3(signature = (texts, dcts=None, domains=None, *, errors="raise", threads=None))]
    fn timeline_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        dcts: Option<&Bound<'py, PyAny>>,
        domains: Option<&Bound<'py, PyAny>>,
        errors: &str,
        threads: Option<i64>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let opts = ManyOptions::read(errors, threads)?;
        run_many(py, texts, dcts, domains, opts, |text, ctx| timeline_one(self, text, ctx), timeline_to_py)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        Ok((slf.get_type(), PyTuple::empty(slf.py())))
    }

    fn __repr__(&self) -> String {
        format!("Tagger(rules={})", self.inner.rule_count())
    }
}

/// The `errors` and `threads` arguments of the `*_many` functions.
#[derive(Clone, Copy)]
struct ManyOptions {
    return_errors: bool,
    threads: Option<usize>,
}

impl ManyOptions {
    fn read(errors: &str, threads: Option<i64>) -> PyResult<ManyOptions> {
        let return_errors = match errors {
            "raise" => false,
            "return" => true,
            other => {
                return Err(PyValueError::new_err(format!("errors must be 'raise' or 'return', not {other:?}")));
            }
        };
        let threads = match threads {
            None => None,
            Some(t) if t >= 1 => Some(t as usize),
            Some(t) => {
                return Err(PyValueError::new_err(format!(
                    "threads must be at least 1 (or None for all cores), not {t}"
                )));
            }
        };
        Ok(ManyOptions { return_errors, threads })
    }
}

/// The `*_many` functions: reads every document's input with the GIL held, runs
/// `work` on all of them in parallel with the GIL released, then converts the
/// results with `to_py`, in input order.
fn run_many<'py, R: Send>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    dcts: Option<&Bound<'py, PyAny>>,
    domains: Option<&Bound<'py, PyAny>>,
    opts: ManyOptions,
    work: impl Fn(&str, &Context) -> Result<R, String> + Sync,
    to_py: impl Fn(Python<'py>, R) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if texts.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "texts must be an iterable of str, not a single str (use the single-text function for one text)",
        ));
    }
    let texts: Vec<Bound<'py, PyAny>> = texts
        .try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "texts must be an iterable of str, not {}",
                texts.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?
        .collect::<PyResult<_>>()?;
    let n = texts.len();
    let dcts = per_document("dcts", dcts, n, |o| Ok(o.is_instance_of::<PyString>() || is_date(o)?))?;
    let domains = per_document("domains", domains, n, |o| Ok(o.is_instance_of::<PyString>()))?;

    // Read every document's inputs while holding the GIL; a bad one becomes an error.
    let mut jobs: Vec<PyResult<(PyBackedStr, Context)>> = Vec::with_capacity(n);
    for (i, ((text, dct), domain)) in texts.iter().zip(&dcts).zip(&domains).enumerate() {
        let index = if opts.return_errors { None } else { Some(i) };
        let job = read_input(py, text, dct.as_ref(), domain.as_ref(), index);
        if let Err(e) = &job
            && !opts.return_errors
        {
            return Err(e.clone_ref(py));
        }
        jobs.push(job);
    }

    let run = |jobs: &[PyResult<(PyBackedStr, Context)>]| -> Vec<Option<Result<R, String>>> {
        let one = |job: &PyResult<(PyBackedStr, Context)>| job.as_ref().ok().map(|(text, ctx)| work(text, ctx));
        match opts.threads {
            Some(1) => jobs.iter().map(one).collect(),
            _ => jobs.par_iter().map(one).collect(),
        }
    };
    let results = match opts.threads {
        Some(t) if t > 1 => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|e| PyRuntimeError::new_err(format!("cannot start threads: {e}")))?;
            py.detach(|| pool.install(|| run(&jobs)))
        }
        _ => py.detach(|| run(&jobs)),
    };

    let mut out = Vec::with_capacity(n);
    for (i, (job, result)) in jobs.into_iter().zip(results).enumerate() {
        let item = match (job, result) {
            (Err(e), _) => e.into_value(py).into_bound(py).into_any(),
            (Ok(_), Some(Ok(r))) => to_py(py, r)?,
            (Ok(_), result) => {
                let msg = match result {
                    Some(Err(msg)) => msg,
                    _ => "document was not processed".to_string(),
                };
                if opts.return_errors {
                    PyRuntimeError::new_err(msg).into_value(py).into_bound(py).into_any()
                } else {
                    return Err(PyRuntimeError::new_err(format!("texts[{i}]: {msg}")));
                }
            }
        };
        out.push(item);
    }
    Ok(out)
}

static DEFAULT: PyOnceLock<Py<PyTagger>> = PyOnceLock::new();

/// The process-wide shared Tagger, built on first use. `tag()`, `tag_many()`,
/// `timeline()` and `timeline_many()` use it; so should code that runs in worker
/// processes (Spark, multiprocessing), so that each process builds one tagger.
#[pyfunction]
fn default_tagger(py: Python<'_>) -> PyResult<Py<PyTagger>> {
    DEFAULT.get_or_try_init(py, || Py::new(py, PyTagger::new(py)?)).map(|t| t.clone_ref(py))
}

/// Finds and normalizes the time expressions of ``text`` with the shared tagger.
///
/// ``dct`` is the document creation time (``"YYYY-MM-DD"`` or a
/// ``datetime.date``); ``domain`` is ``"news"``, ``"narrative"`` or ``"auto"``
/// (news when a dct is given, narrative otherwise). Returns a list of Timex.
#[pyfunction]
#[pyo3(signature = (text, dct=None, domain=None), text_signature = "(text, dct=None, domain='auto')")]
fn tag<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    dct: Option<&Bound<'py, PyAny>>,
    domain: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    default_tagger(py)?.get().tag(py, text, dct, domain)
}

/// Tags many documents in parallel with the shared tagger; see ``Tagger.tag_many``.
#[pyfunction]
#[pyo3(signature = (texts, dcts=None, domains=None, *, errors="raise", threads=None))]
fn tag_many<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    dcts: Option<&Bound<'py, PyAny>>,
    domains: Option<&Bound<'py, PyAny>>,
    errors: &str,
    threads: Option<i64>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    default_tagger(py)?.get().tag_many(py, texts, dcts, domains, errors, threads)
}

/// Builds the timeline of ``text`` with the shared tagger; see ``Tagger.timeline``.
#[pyfunction]
#[pyo3(signature = (text, dct=None, domain=None), text_signature = "(text, dct=None, domain='auto')")]
fn timeline<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    dct: Option<&Bound<'py, PyAny>>,
    domain: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    default_tagger(py)?.get().timeline(py, text, dct, domain)
}

/// Builds many timelines in parallel with the shared tagger; see ``Tagger.timeline_many``.
#[pyfunction]
#[pyo3(signature = (texts, dcts=None, domains=None, *, errors="raise", threads=None))]
fn timeline_many<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    dcts: Option<&Bound<'py, PyAny>>,
    domains: Option<&Bound<'py, PyAny>>,
    errors: &str,
    threads: Option<i64>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    default_tagger(py)?.get().timeline_many(py, texts, dcts, domains, errors, threads)
}

/// annalist: find time expressions in English text and normalize them to TimeML
/// TIMEX3 values; find events and order them on a timeline.
#[pymodule]
fn _annalist(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTimex>()?;
    m.add_class::<PyTagger>()?;
    m.add_class::<PySpan>()?;
    m.add_class::<PyAnchor>()?;
    m.add_class::<PyEvent>()?;
    m.add_class::<PyEntry>()?;
    m.add_class::<PyTimeline>()?;
    m.add_function(wrap_pyfunction!(tag, m)?)?;
    m.add_function(wrap_pyfunction!(tag_many, m)?)?;
    m.add_function(wrap_pyfunction!(timeline, m)?)?;
    m.add_function(wrap_pyfunction!(timeline_many, m)?)?;
    m.add_function(wrap_pyfunction!(default_tagger, m)?)?;
    m.add_function(wrap_pyfunction!(_restore, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
