//! Python bindings for annalist: a thin PyO3 layer over the core crate.
//!
//! The Python package is `annalist`; this extension module is `annalist._annalist`
//! and `annalist/__init__.py` re-exports it. Offsets handed to Python are Unicode
//! code points (Python string indices), computed by
//! [`annalist::format::json::timex_records`], so they agree with the CLI's JSON.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use annalist::format::json::{TimexRecord, timex_records};
use annalist::{Context, Domain};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};
use rayon::prelude::*;

/// One time expression found in a text.
///
/// `start` and `end` are Python string indices (Unicode code points) into the
/// tagged text, so `text[t.start:t.end] == t.text`.
#[pyclass(frozen, eq, hash, module = "annalist", name = "Timex")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
        let r = |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_cow()?.into_owned()) };
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

/// What tagging one document produced, before Python objects are built.
type Tagged = Result<Vec<(TimexRecord, Arc<str>)>, String>;

/// Tags one document, turning a panic in the engine into an error message.
fn tag_one(tagger: &annalist::Tagger, text: &str, ctx: &Context) -> Tagged {
    catch_unwind(AssertUnwindSafe(|| {
        let timexes = tagger.tag(text, ctx);
        let records = timex_records(text, &timexes);
        records.into_iter().zip(timexes.into_iter().map(|t| t.rule)).collect()
    }))
    .map_err(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        format!("internal error in annalist while tagging: {msg}")
    })
}

fn to_py_list<'py>(py: Python<'py>, tagged: Tagged) -> PyResult<Vec<Bound<'py, PyTimex>>> {
    let items = tagged.map_err(PyRuntimeError::new_err)?;
    items.into_iter().map(|(r, rule)| Bound::new(py, PyTimex::from_record(r, &rule))).collect()
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

/// The temporal tagger. Build it once and share it: it is immutable, and safe to
/// use from many threads at once (tagging releases the GIL).
#[pyclass(frozen, module = "annalist", name = "Tagger")]
struct PyTagger {
    inner: Arc<annalist::Tagger>,
}

#[pymethods]
impl PyTagger {
    /// Builds the English tagger from the built-in resources.
    #[new]
    fn new(py: Python<'_>) -> PyResult<PyTagger> {
        let inner = py
            .detach(|| catch_unwind(annalist::Tagger::new))
            .map_err(|_| PyRuntimeError::new_err("annalist failed to build its tagger"))?;
        Ok(PyTagger { inner: Arc::new(inner) })
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
    ) -> PyResult<Vec<Bound<'py, PyTimex>>> {
        let text = read_text(text, "text")?;
        let ctx = read_dct(dct, read_domain(domain)?)?;
        let tagger = &*self.inner;
        let tagged = py.detach(|| tag_one(tagger, &text, &ctx));
        to_py_list(py, tagged)
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
        tag_many_impl(py, &self.inner, texts, dcts, domains, errors, threads)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        Ok((slf.get_type(), PyTuple::empty(slf.py())))
    }

    fn __repr__(&self) -> String {
        format!("Tagger(rules={})", self.inner.rule_count())
    }
}

fn tag_many_impl<'py>(
    py: Python<'py>,
    tagger: &annalist::Tagger,
    texts: &Bound<'py, PyAny>,
    dcts: Option<&Bound<'py, PyAny>>,
    domains: Option<&Bound<'py, PyAny>>,
    errors: &str,
    threads: Option<i64>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
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
            return Err(PyValueError::new_err(format!("threads must be at least 1 (or None for all cores), not {t}")));
        }
    };
    if texts.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "texts must be an iterable of str, not a single str (use tag() for one text)",
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
    let is_str = |o: &Bound<'py, PyAny>| Ok(o.is_instance_of::<PyString>());
    let dcts = per_document("dcts", dcts, n, |o| Ok(o.is_instance_of::<PyString>() || is_date(o)?))?;
    let domains = per_document("domains", domains, n, is_str)?;

    // Read every document's inputs while holding the GIL; a bad one becomes an error.
    let mut jobs: Vec<PyResult<(PyBackedStr, Context)>> = Vec::with_capacity(n);
    for (i, ((text, dct), domain)) in texts.iter().zip(&dcts).zip(&domains).enumerate() {
        let job = (|| -> PyResult<(PyBackedStr, Context)> {
            let name = if return_errors { "text".to_string() } else { format!("texts[{i}]") };
            let text = read_text(text, &name)?;
            let domain = read_domain(domain.as_ref()).map_err(|e| prefix(py, e, "domains", i, return_errors))?;
            let ctx = read_dct(dct.as_ref(), domain).map_err(|e| prefix(py, e, "dcts", i, return_errors))?;
            Ok((text, ctx))
        })();
        if let Err(e) = &job
            && !return_errors
        {
            return Err(e.clone_ref(py));
        }
        jobs.push(job);
    }

    let run = |jobs: &[PyResult<(PyBackedStr, Context)>]| -> Vec<Option<Tagged>> {
        let one =
            |job: &PyResult<(PyBackedStr, Context)>| job.as_ref().ok().map(|(text, ctx)| tag_one(tagger, text, ctx));
        match threads {
            Some(1) => jobs.iter().map(one).collect(),
            _ => jobs.par_iter().map(one).collect(),
        }
    };
    let results: Vec<Option<Tagged>> = match threads {
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
            (Ok(_), Some(Ok(items))) => {
                let list = to_py_list(py, Ok(items))?;
                list.into_pyobject(py)?.into_any()
            }
            (Ok(_), result) => {
                let msg = match result {
                    Some(Err(msg)) => msg,
                    _ => "document was not tagged".to_string(),
                };
                if return_errors {
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

/// Prefixes an error message with the argument and index it came from, keeping its
/// type (unless the error is returned in the document's own slot, which says which).
fn prefix(py: Python<'_>, e: PyErr, name: &str, i: usize, in_slot: bool) -> PyErr {
    if in_slot {
        return e;
    }
    let msg = format!("{name}[{i}]: {}", e.value(py));
    if e.is_instance_of::<PyTypeError>(py) { PyTypeError::new_err(msg) } else { PyValueError::new_err(msg) }
}

static DEFAULT: PyOnceLock<Py<PyTagger>> = PyOnceLock::new();

/// The process-wide shared Tagger, built on first use. `tag()` and `tag_many()`
/// use it; so should code that runs in worker processes (Spark, multiprocessing),
/// so that each process builds one tagger.
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
) -> PyResult<Vec<Bound<'py, PyTimex>>> {
    let t = default_tagger(py)?;
    t.get().tag(py, text, dct, domain)
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
    let t = default_tagger(py)?;
    tag_many_impl(py, &t.get().inner, texts, dcts, domains, errors, threads)
}

/// annalist: find time expressions in English text and normalize them to TimeML
/// TIMEX3 values.
#[pymodule]
fn _annalist(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTimex>()?;
    m.add_class::<PyTagger>()?;
    m.add_function(wrap_pyfunction!(tag, m)?)?;
    m.add_function(wrap_pyfunction!(tag_many, m)?)?;
    m.add_function(wrap_pyfunction!(default_tagger, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
