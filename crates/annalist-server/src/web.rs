//! The web page (assets embedded in the binary), health, metrics and OpenAPI.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::server::AppState;

const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");
/// The OpenAPI 3 document, hand-written; `tests/http.rs` checks it names every route.
pub(crate) const OPENAPI_JSON: &str = include_str!("../assets/openapi.json");

fn with_type(body: &'static str, content_type: &'static str) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

/// `GET /`.
pub(crate) async fn index() -> Response {
    let mut resp = with_type(INDEX_HTML, "text/html; charset=utf-8");
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'",
        ),
    );
    resp
}

/// `GET /assets/app.js`.
pub(crate) async fn app_js() -> Response {
    with_type(APP_JS, "text/javascript; charset=utf-8")
}

/// `GET /assets/app.css`.
pub(crate) async fn app_css() -> Response {
    with_type(APP_CSS, "text/css; charset=utf-8")
}

/// `GET /healthz`.
pub(crate) async fn healthz(State(st): State<AppState>) -> Response {
    let body = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": st.tagger.rule_count(),
    });
    with_json(body.to_string())
}

/// `GET /metrics`.
pub(crate) async fn metrics(State(st): State<AppState>) -> Response {
    let mut resp = st.metrics.render().into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    resp
}

/// `GET /openapi.json`.
pub(crate) async fn openapi() -> Response {
    with_type(OPENAPI_JSON, "application/json")
}

fn with_json(body: String) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}
