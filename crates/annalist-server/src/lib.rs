//! # annalist-server
//!
//! The HTTP service of annalist: tag documents, build timelines, answer
//! Duckling-compatible `/parse` requests, and serve a small web page.
//!
//! | route | what |
//! | --- | --- |
//! | `POST /v1/tag` | one document `{"text", "dct"?, "domain"?, "id"?}` → `{"id", "timexes": […]}`; a batch `{"documents": […]}` → `{"results": […]}` |
//! | `POST /v1/timeline` | one document → `{"id", "timeline"}` (501 until a [`TimelineBuilder`] is plugged in) |
//! | `POST /parse` | Duckling's form API (`text`, `locale`, `reftime`, `tz`, `dims`) for the `time` and `duration` dimensions |
//! | `GET /healthz` | liveness |
//! | `GET /metrics` | Prometheus text |
//! | `GET /openapi.json` | OpenAPI 3 document |
//! | `GET /` | the web page |
//!
//! ```no_run
//! # async fn run() -> Result<(), annalist_server::Error> {
//! let config = annalist_server::Config {
//!     addr: "127.0.0.1:8080".parse().unwrap(),
//!     ..Default::default()
//! };
//! annalist_server::serve(config).await
//! # }
//! ```
//!
//! Tagging runs on a dedicated rayon pool, never on the async runtime. Every API
//! request is bounded: body size ([`Config::body_limit`], 413), time
//! ([`Config::request_timeout`], 504), concurrency ([`Config::max_concurrency`], 503).

#![warn(missing_docs)]

mod api;
mod duckling;
mod error;
mod limits;
mod metrics;
mod pool;
mod server;
mod timeline;
mod web;

use std::net::SocketAddr;
use std::time::Duration;

pub use server::{Server, serve, shutdown_signal};
pub use timeline::{TimelineBuilder, TimelineError, default_timeline_builder};

/// Server settings. Build with struct update syntax over [`Config::default`].
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (loopback by default).
    pub addr: SocketAddr,
    /// Largest accepted request body, in bytes (413 above it).
    pub body_limit: usize,
    /// Longest time one API request may take, body reading included (504 after it).
    pub request_timeout: Duration,
    /// API requests allowed in flight at once, counting tagging work still running
    /// for requests that timed out (503 when all are taken).
    pub max_concurrency: usize,
    /// Most documents accepted in one `/v1/tag` batch (413 above it).
    pub max_batch: usize,
    /// Threads of the tagging pool (0 = one per core).
    pub workers: usize,
    /// After a shutdown signal, how long in-flight requests may take to finish.
    pub shutdown_grace: Duration,
    /// Time zone used by `/parse` when the request gives no `tz` (Duckling's
    /// default is `America/Los_Angeles`).
    pub default_tz: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            body_limit: 2 * 1024 * 1024,
            request_timeout: Duration::from_secs(10),
            max_concurrency: 256,
            max_batch: 1000,
            workers: 0,
            shutdown_grace: Duration::from_secs(30),
            default_tz: "America/Los_Angeles".to_string(),
        }
    }
}

/// Command-line options of `annalist serve` (and of the `annalist-server` binary).
///
/// Flatten it into a clap command and call [`ServeArgs::config`].
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = Config::default().body_limit)]
    pub body_limit: usize,
    /// Per-request time limit in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// API requests in flight at once before answering 503.
    #[arg(long, default_value_t = Config::default().max_concurrency)]
    pub max_concurrency: usize,
    /// Most documents in one batch.
    #[arg(long, default_value_t = Config::default().max_batch)]
    pub max_batch: usize,
    /// Tagging threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    pub workers: usize,
    /// Seconds in-flight requests get to finish after SIGTERM or ctrl-c.
    #[arg(long, default_value_t = 30)]
    pub shutdown_grace_secs: u64,
    /// Default time zone for /parse.
    #[arg(long, default_value = "America/Los_Angeles")]
    pub default_tz: String,
    /// Log format: `text` or `json`.
    #[arg(long, default_value = "text")]
    pub log_format: String,
}

impl ServeArgs {
    /// The server configuration these options describe.
    pub fn config(&self) -> Result<Config, Error> {
        if self.max_concurrency == 0 {
            return Err(Error::Config("--max-concurrency must be at least 1".into()));
        }
        if self.max_batch == 0 {
            return Err(Error::Config("--max-batch must be at least 1".into()));
        }
        if self.timeout_ms == 0 {
            return Err(Error::Config("--timeout-ms must be at least 1".into()));
        }
        if jiff::tz::TimeZone::get(&self.default_tz).is_err() {
            return Err(Error::Config(format!("--default-tz: unknown time zone {:?}", self.default_tz)));
        }
        Ok(Config {
            addr: self.addr,
            body_limit: self.body_limit,
            request_timeout: Duration::from_millis(self.timeout_ms),
            max_concurrency: self.max_concurrency,
            max_batch: self.max_batch,
            workers: self.workers,
            shutdown_grace: Duration::from_secs(self.shutdown_grace_secs),
            default_tz: self.default_tz.clone(),
        })
    }

    /// Sets up logging as asked ([`init_tracing`]), then serves until SIGTERM or
    /// ctrl-c on a runtime of its own. This is all `annalist serve` needs to call.
    pub fn run(&self) -> Result<(), Error> {
        let config = self.config()?;
        init_tracing(self.log_format == "json");
        run(config)
    }
}

/// Errors starting or running the server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Could not listen on the address.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// A setting is out of range.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Any other I/O failure (building the runtime or the tagging pool).
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Installs a global `tracing` subscriber writing to stderr, as text or JSON lines,
/// filtered by `RUST_LOG` (default `info`). Does nothing if one is already set.
pub fn init_tracing(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json { builder.json().flatten_event(true).try_init() } else { builder.try_init() };
}

/// Serves `config` on a new multi-threaded runtime until SIGTERM or ctrl-c
/// (for callers that are not async, like the CLI).
pub fn run(config: Config) -> Result<(), Error> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().thread_name("annalist-http").build()?;
    rt.block_on(serve(config))
}
