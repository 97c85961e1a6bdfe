//! Prometheus metrics and the access log.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::error::ErrorKind;
use crate::server::AppState;

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: [f64; 14] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, secs: f64) {
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                self.counts[i] += 1;
            }
        }
        self.count += 1;
        self.sum += secs;
    }
}

#[derive(Default)]
struct Tables {
    /// (route, method, status) → count.
    requests: BTreeMap<(String, String, u16), u64>,
    /// route → latency histogram.
    latency: BTreeMap<String, Histogram>,
    /// (route, kind) → count.
    errors: BTreeMap<(String, &'static str), u64>,
}

/// The server's counters.
pub(crate) struct Metrics {
    tables: Mutex<Tables>,
    in_flight: AtomicI64,
    next_id: AtomicU64,
    /// Documents tagged (batch members included).
    pub documents: AtomicU64,
    /// Time expressions returned.
    pub timexes: AtomicU64,
    started: Instant,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        Metrics {
            tables: Mutex::new(Tables::default()),
            in_flight: AtomicI64::new(0),
            next_id: AtomicU64::new(1),
            documents: AtomicU64::new(0),
            timexes: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    fn record(&self, route: &str, method: &str, status: u16, secs: f64, error: Option<ErrorKind>) {
        let Ok(mut t) = self.tables.lock() else {
            return;
        };
        *t.requests.entry((route.to_string(), method.to_string(), status)).or_default() += 1;
        t.latency.entry(route.to_string()).or_default().observe(secs);
        if let Some(kind) = error {
            *t.errors.entry((route.to_string(), kind.as_str())).or_default() += 1;
        }
    }

    /// The Prometheus text exposition.
    pub(crate) fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        let t = match self.tables.lock() {
            Ok(t) => t,
            Err(p) => p.into_inner(),
        };
        out.push_str("# HELP annalist_http_requests_total HTTP requests answered, by route, method and status.\n");
        out.push_str("# TYPE annalist_http_requests_total counter\n");
        for ((route, method, status), n) in &t.requests {
            let _ = writeln!(
                out,
                "annalist_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                esc(route),
                esc(method)
            );
        }
        out.push_str("# HELP annalist_http_request_duration_seconds Time to answer HTTP requests, by route.\n");
        out.push_str("# TYPE annalist_http_request_duration_seconds histogram\n");
        for (route, h) in &t.latency {
            let r = esc(route);
            for (le, n) in BUCKETS.iter().zip(h.counts.iter()) {
                let _ = writeln!(out, "annalist_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{le}\"}} {n}");
            }
            let _ =
                writeln!(out, "annalist_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "annalist_http_request_duration_seconds_sum{{route=\"{r}\"}} {}", h.sum);
            let _ = writeln!(out, "annalist_http_request_duration_seconds_count{{route=\"{r}\"}} {}", h.count);
        }
        out.push_str("# HELP annalist_http_errors_total Error answers, by route and kind (bad_request, too_large, timeout, saturated, internal, …).\n");
        out.push_str("# TYPE annalist_http_errors_total counter\n");
        for ((route, kind), n) in &t.errors {
            let _ = writeln!(out, "annalist_http_errors_total{{route=\"{}\",kind=\"{kind}\"}} {n}", esc(route));
        }
        drop(t);
        let gauges = [
            (
                "annalist_http_requests_in_flight",
                "gauge",
                "HTTP requests being answered now.",
                self.in_flight.load(Ordering::Relaxed).to_string(),
            ),
            (
                "annalist_documents_tagged_total",
                "counter",
                "Documents tagged, batch members included.",
                self.documents.load(Ordering::Relaxed).to_string(),
            ),
            (
                "annalist_timexes_found_total",
                "counter",
                "Time expressions returned.",
                self.timexes.load(Ordering::Relaxed).to_string(),
            ),
            (
                "annalist_uptime_seconds",
                "gauge",
                "Seconds since the server started.",
                format!("{:.3}", self.started.elapsed().as_secs_f64()),
            ),
        ];
        for (name, kind, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        }
        out
    }
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Counts and times every request, logs it, and tags the answer with `x-request-id`.
pub(crate) async fn track(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().as_str().to_string();
    let m = &st.metrics;
    let id = m.next_id.fetch_add(1, Ordering::Relaxed);
    m.in_flight.fetch_add(1, Ordering::Relaxed);
    // Decrements even if the connection drops the request future.
    struct InFlight<'a>(&'a AtomicI64);
    impl Drop for InFlight<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::Relaxed);
        }
    }
    let _guard = InFlight(&m.in_flight);
    let mut resp = next.run(req).await;
    let secs = start.elapsed().as_secs_f64();
    let status = resp.status().as_u16();
    let error = resp.extensions().get::<ErrorKind>().copied().or(match status {
        404 => Some(ErrorKind::NotFound),
        405 => Some(ErrorKind::MethodNotAllowed),
        413 => Some(ErrorKind::TooLarge),
        400..=499 => Some(ErrorKind::BadRequest),
        500..=599 => Some(ErrorKind::Internal),
        _ => None,
    });
    m.record(&route, &method, status, secs, error);
    if let Ok(v) = HeaderValue::from_str(&id.to_string()) {
        resp.headers_mut().insert("x-request-id", v);
    }
    let ms = secs * 1000.0;
    if status >= 500 {
        tracing::warn!(target: "annalist_server::access", id, %method, %route, status, ms, error = error.map(|e| e.as_str()), "request");
    } else {
        tracing::info!(target: "annalist_server::access", id, %method, %route, status, ms, "request");
    }
    resp
}
