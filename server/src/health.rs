//! Health endpoints for load balancers and monitoring.
//!
//! - `GET /healthz`: liveness. The process is up and serving; restart it if not.
//! - `GET /readyz`: readiness, with every dependency the store is configured
//!   with and how each is doing, as JSON:
//!   `{"status":"ready|degraded|unavailable","checks":{"database":{"status":"ok"},"redis":{"status":"failing","error":"…"}}}`.
//!   503 when the database fails: nothing works without it, so take this
//!   instance out of rotation. 200 with `degraded` when only Redis fails:
//!   every page but the signed-in cart still works, and all instances share
//!   one Redis, so removing them would turn a cart outage into a store
//!   outage; alert on it instead. `/readyz?strict=1` answers 503 for any
//!   failing dependency, for a balancer that should rather drain.

use std::time::Duration;

use app::cart::store::CartStore;
use app::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::ConnectionTrait as _;
use serde::{Deserialize, Serialize};

/// How long the database may take to answer a readiness ping.
const DB_TIMEOUT: Duration = Duration::from_secs(2);

/// One dependency's state.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Check {
    /// `ok` or `failing`.
    pub status: String,
    /// Why it is failing (a short, non-secret description).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

impl Check {
    fn ok() -> Self {
        Self { status: "ok".into(), error: None }
    }

    fn failing(error: impl Into<String>) -> Self {
        Self { status: "failing".into(), error: Some(error.into()) }
    }

    fn is_ok(&self) -> bool {
        self.status == "ok"
    }
}

/// The `/readyz` body.
#[derive(Debug, Serialize, Deserialize)]
pub struct Readiness {
    /// `ready`, `degraded` (an optional dependency fails) or `unavailable`.
    pub status: String,
    /// By dependency: `database`, and `redis` when `REDIS_URL` is set.
    pub checks: std::collections::BTreeMap<String, Check>,
}

#[derive(Debug, Deserialize)]
pub struct ReadyParams {
    #[serde(default)]
    strict: Option<String>,
}

/// Liveness: the process is up and serving.
pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], "ok")
}

async fn database(state: &AppState) -> Check {
    // A real round trip (a pool's `ping` may answer from an idle connection's state).
    match tokio::time::timeout(DB_TIMEOUT, state.db.execute_unprepared("SELECT 1")).await {
        Ok(Ok(_)) => Check::ok(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database failing");
            Check::failing("database unreachable")
        }
        Err(_) => {
            tracing::warn!("readiness: database timed out");
            Check::failing(format!("no answer within {} s", DB_TIMEOUT.as_secs()))
        }
    }
}

async fn redis(carts: &CartStore) -> Option<Check> {
    let CartStore::Redis(redis) = carts else {
        return None;
    };
    Some(match redis.ping().await {
        Ok(()) => Check::ok(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: Redis failing");
            Check::failing("Redis unreachable: signed-in carts are unavailable")
        }
    })
}

/// Readiness of this instance and of each dependency (see the module docs).
pub async fn readyz(State(state): State<AppState>, Query(params): Query<ReadyParams>) -> Response {
    let strict = params.strict.is_some_and(|v| !matches!(v.as_str(), "0" | "false" | "no"));
    let (db, redis) = tokio::join!(database(&state), redis(&state.carts));
    let required_ok = db.is_ok();
    let mut checks = std::collections::BTreeMap::new();
    checks.insert("database".to_owned(), db);
    if let Some(r) = redis {
        checks.insert("redis".to_owned(), r);
    }
    let all_ok = checks.values().all(Check::is_ok);
    let (status, word) = match (required_ok, all_ok) {
        (true, true) => (StatusCode::OK, "ready"),
        (true, false) if !strict => (StatusCode::OK, "degraded"),
        (true, false) => (StatusCode::SERVICE_UNAVAILABLE, "degraded"),
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
    };
    let body = Readiness { status: word.to_owned(), checks };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}
