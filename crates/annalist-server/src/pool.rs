//! The tagging pool: CPU work runs here, never on the async runtime.
//!
//! A job carries the request's concurrency permit, so work that outlives its
//! request (after a timeout) still counts against [`crate::Config::max_concurrency`],
//! and a cancellation flag, set when the request goes away, that jobs check before
//! each document so abandoned work stops early.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{OwnedSemaphorePermit, oneshot};

use crate::error::ApiError;

/// Set when the request that queued a job is gone.
#[derive(Clone, Default)]
pub(crate) struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub(crate) fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Sets the flag when dropped (the request future was dropped or finished).
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        (self.0).0.store(true, Ordering::Relaxed);
    }
}

/// A fixed-size rayon pool.
pub(crate) struct Pool {
    pool: rayon::ThreadPool,
}

impl Pool {
    pub(crate) fn new(threads: usize) -> std::io::Result<Pool> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("annalist-tag-{i}"))
            .build()
            .map_err(std::io::Error::other)?;
        Ok(Pool { pool })
    }

    /// Runs `f` on the pool and waits for its result without blocking the runtime.
    /// A panic in `f` becomes a 500 answer.
    pub(crate) async fn run<T, F>(&self, permit: Option<OwnedSemaphorePermit>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Cancel) -> T + Send + 'static,
    {
        let cancel = Cancel::default();
        let guard = CancelOnDrop(cancel.clone());
        let (tx, rx) = oneshot::channel();
        self.pool.spawn(move || {
            if cancel.is_cancelled() {
                drop(permit);
                return;
            }
            let out = std::panic::catch_unwind(AssertUnwindSafe(|| f(&cancel)));
            // Free the slot before answering: a client that sends its next request
            // as soon as it reads this answer must find the slot free.
            drop(permit);
            let _ = tx.send(out.map_err(|p| panic_message(&p)));
        });
        let out = rx.await;
        drop(guard);
        match out {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(msg)) => {
                tracing::error!(panic = %msg, "tagging job panicked");
                Err(ApiError::internal(format!("internal error while tagging: {msg}")))
            }
            Err(_) => Err(ApiError::internal("tagging job was dropped")),
        }
    }
}

/// The message of a caught panic.
pub(crate) fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}
