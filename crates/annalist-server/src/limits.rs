//! Request limits: bounded concurrency (503), time (504) and body size (413).

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tokio::sync::OwnedSemaphorePermit;

use crate::error::{ApiError, ErrorKind};
use crate::server::AppState;

/// The concurrency permit of one request, which its handler may move into the
/// tagging job so the slot stays taken while the job runs.
#[derive(Clone)]
pub(crate) struct PermitSlot(Arc<Mutex<Option<OwnedSemaphorePermit>>>);

impl PermitSlot {
    /// Takes the permit (once).
    pub(crate) fn take(&self) -> Option<OwnedSemaphorePermit> {
        self.0.lock().ok().and_then(|mut p| p.take())
    }
}

/// Refuses API requests with 503 when `max_concurrency` are in flight.
pub(crate) async fn gate(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    match st.gate.clone().try_acquire_owned() {
        Ok(permit) => {
            req.extensions_mut().insert(PermitSlot(Arc::new(Mutex::new(Some(permit)))));
            next.run(req).await
        }
        Err(_) => ApiError::new(
            ErrorKind::Saturated,
            format!("server is saturated: all {} request slots are busy; retry later", st.config.max_concurrency),
        )
        .into_response(),
    }
}

/// Answers 504 when an API request (body reading included) takes longer than
/// `request_timeout`. Dropping the request future cancels its queued tagging work.
pub(crate) async fn timeout(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let limit = st.config.request_timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::new(
            ErrorKind::Timeout,
            format!("request took longer than the {} ms time limit", limit.as_millis()),
        )
        .into_response(),
    }
}

/// Reads a request body of at most `limit` bytes.
pub(crate) async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let too_large =
        || ApiError::new(ErrorKind::TooLarge, format!("request body is larger than the {limit} byte limit"));
    if let Some(len) =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok())
    {
        if len > limit as u64 {
            return Err(too_large());
        }
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) => {
            if is_length_limit(&*e) {
                Err(too_large())
            } else {
                Err(ApiError::bad_request(format!("could not read the request body: {e}")))
            }
        }
    }
}

fn is_length_limit(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.is::<LengthLimitError>() {
            return true;
        }
        cur = err.source();
    }
    false
}
