//! Routing, the accept loop and graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use annalist::Tagger;
use axum::Router;
use axum::extract::Request;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::{ApiError, ErrorKind};
use crate::metrics::Metrics;
use crate::pool::Pool;
use crate::timeline::{TimelineBuilder, default_timeline_builder};
use crate::{Config, Error, api, duckling, limits, metrics, web};

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    pub tagger: Arc<Tagger>,
    pub pool: Arc<Pool>,
    pub gate: Arc<Semaphore>,
    pub metrics: Arc<Metrics>,
    pub config: Arc<Config>,
    pub timeline: Arc<dyn TimelineBuilder>,
    pub default_tz: jiff::tz::TimeZone,
}

fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/v1/tag", post(api::tag))
        .route("/v1/timeline", post(api::timeline))
        .route("/parse", post(duckling::parse))
        .route_layer(from_fn_with_state(state.clone(), limits::gate))
        .route_layer(from_fn_with_state(state.clone(), limits::timeout));
    let open = Router::new()
        .route("/", get(web::index))
        .route("/assets/app.js", get(web::app_js))
        .route("/assets/app.css", get(web::app_css))
        .route("/healthz", get(web::healthz))
        .route("/metrics", get(web::metrics))
        .route("/openapi.json", get(web::openapi));
    api.merge(open)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(CatchPanicLayer::custom(|p: Box<dyn std::any::Any + Send>| {
            let msg = crate::pool::panic_message(&p);
            tracing::error!(panic = %msg, "handler panicked");
            ApiError::internal(format!("internal error: {msg}")).into_response()
        }))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
}

async fn not_found(req: Request) -> Response {
    ApiError::new(
        ErrorKind::NotFound,
        format!("no route for {} {}; see GET /openapi.json", req.method(), req.uri().path()),
    )
    .into_response()
}

async fn method_not_allowed(req: Request) -> Response {
    ApiError::new(
        ErrorKind::MethodNotAllowed,
        format!("{} is not allowed on {}; see GET /openapi.json", req.method(), req.uri().path()),
    )
    .into_response()
}

/// A bound server, ready to run.
pub struct Server {
    listener: TcpListener,
    state: AppState,
    addr: SocketAddr,
}

impl Server {
    /// Builds the tagger and the tagging pool and binds `config.addr` (port 0 picks a
    /// free port; see [`Server::local_addr`]).
    pub async fn bind(config: Config) -> Result<Server, Error> {
        if config.max_concurrency == 0 || config.max_batch == 0 {
            return Err(Error::Config("max_concurrency and max_batch must be at least 1".into()));
        }
        if config.request_timeout.is_zero() {
            return Err(Error::Config("request_timeout must be positive".into()));
        }
        let default_tz = jiff::tz::TimeZone::get(&config.default_tz)
            .map_err(|e| Error::Config(format!("unknown time zone {:?}: {e}", config.default_tz)))?;
        let started = Instant::now();
        let listener =
            TcpListener::bind(config.addr).await.map_err(|source| Error::Bind { addr: config.addr, source })?;
        let addr = listener.local_addr()?;
        let workers = if config.workers == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            config.workers
        };
        let tagger = tokio::task::spawn_blocking(Tagger::new)
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        let state = AppState {
            tagger: Arc::new(tagger),
            pool: Arc::new(Pool::new(workers)?),
            gate: Arc::new(Semaphore::new(config.max_concurrency)),
            metrics: Arc::new(Metrics::new()),
            config: Arc::new(config),
            timeline: default_timeline_builder(),
            default_tz,
        };
        tracing::info!(
            %addr,
            workers,
            rules = state.tagger.rule_count(),
            startup_ms = started.elapsed().as_millis() as u64,
            "annalist-server ready"
        );
        Ok(Server { listener, state, addr })
    }

    /// Replaces the timeline builder behind `POST /v1/timeline`.
    pub fn with_timeline(mut self, builder: Arc<dyn TimelineBuilder>) -> Server {
        self.state.timeline = builder;
        self
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until SIGTERM or ctrl-c, then finishes in-flight requests.
    pub async fn run(self) -> Result<(), Error> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes, then stops accepting connections and waits
    /// up to `shutdown_grace` for in-flight requests to finish.
    pub async fn run_until<F>(self, shutdown: F) -> Result<(), Error>
    where
        F: Future<Output = ()> + Send,
    {
        let Server { listener, state, addr } = self;
        let grace = state.config.shutdown_grace;
        let app = router(state);
        let graceful = GracefulShutdown::new();
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(10)).keep_alive(true);
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                conn = listener.accept() => match conn {
                    Ok((stream, _peer)) => {
                        let _ = stream.set_nodelay(true);
                        let svc = TowerToHyperService::new(app.clone());
                        let conn = builder.serve_connection(TokioIo::new(stream), svc);
                        let conn = graceful.watch(conn);
                        tokio::spawn(async move {
                            if let Err(e) = conn.await {
                                tracing::debug!(error = %e, "connection ended with an error");
                            }
                        });
                    }
                    Err(e) => {
                        // Out of file descriptors and the like: wait, don't spin.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                () = &mut shutdown => break,
            }
        }
        drop(listener);
        tracing::info!(%addr, grace_secs = grace.as_secs_f64(), "shutting down: finishing in-flight requests");
        tokio::select! {
            () = graceful.shutdown() => tracing::info!("all connections closed"),
            () = tokio::time::sleep(grace) => tracing::warn!("shutdown grace period over; dropping remaining connections"),
        }
        Ok(())
    }
}

/// Serves `config` until SIGTERM or ctrl-c, finishing in-flight requests before
/// returning. This is what `annalist serve` calls.
pub async fn serve(config: Config) -> Result<(), Error> {
    Server::bind(config).await?.run().await
}

/// Completes on ctrl-c or (on Unix) SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("ctrl-c received"),
        () = term => tracing::info!("SIGTERM received"),
    }
}
