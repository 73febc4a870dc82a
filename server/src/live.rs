//! `GET /admin/events`: the back office's live notifications, a stream of
//! server-sent events (one JSON `Envelope` each) of every store event any
//! app server publishes. Admins only; a plain Axum handler.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use app::account::session::CurrentUser;
use app::events::domain::Envelope;
use app::state::AppState;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast::error::RecvError;

/// Ids remembered to drop an event a second relay published again.
const SEEN: usize = 512;

pub async fn stream(State(state): State<AppState>, Extension(current): Extension<CurrentUser>) -> Response {
    match &current.user {
        None => return (StatusCode::UNAUTHORIZED, "sign in").into_response(),
        Some(u) if !u.is_admin() => return (StatusCode::FORBIDDEN, "admins only").into_response(),
        Some(_) => {}
    }
    let events = state.events.subscribe();
    let stream =
        futures_util::stream::unfold((events, VecDeque::with_capacity(SEEN)), |(mut events, mut seen)| async move {
            loop {
                match events.recv().await {
                    Ok(envelope) => {
                        if seen.contains(&envelope.id) || !envelope.event.notifies_staff() {
                            continue;
                        }
                        if seen.len() == SEEN {
                            seen.pop_front();
                        }
                        seen.push_back(envelope.id.clone());
                        return Some((Ok::<Event, Infallible>(event_of(&envelope)), (events, seen)));
                    }
                    // Fell behind: the notifications go on with what comes next.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
            }
        });
    let mut res = Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response();
    res.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    res
}

fn event_of(envelope: &Envelope) -> Event {
    let data = serde_json::to_string(envelope).unwrap_or_else(|_| "{}".to_owned());
    // Unnamed ("message") events: the browser's `onmessage` gets them all.
    Event::default().id(envelope.id.clone()).data(data)
}
