//! Product image uploads and the media they become: plain Axum handlers.
//!
//! - `POST /admin/products/{id}/images/upload` (admins only, multipart:
//!   `file`, `alt`): the file is re-encoded by `catalog::images` (its name
//!   and declared type are ignored). A browser's form post is answered with
//!   a redirect to the gallery page, with `?refused=<code>` when refused
//!   (the page shows the store's own words for the code); other clients get
//!   201 with the new image's id, or 400 / 413 with the reason.
//! - `GET /media/{name}`: a stored image, always `image/jpeg`, never
//!   sniffed, never scripted, cached for good (names are never reused).

use app::account::session::CurrentUser;
use app::catalog::images::{self, Added, Refusal};
use app::state::AppState;
use axum::extract::multipart::MultipartError;
use axum::extract::{Extension, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// The body limit of an upload: the file and a little for the form around it.
pub const MAX_BODY: usize = images::MAX_UPLOAD + 64 * 1024;

fn wants_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

fn gallery(id: i32) -> String {
    format!("/admin/products/{id}/images")
}

fn refused(id: i32, html: bool, why: Refusal) -> Response {
    if html {
        return Redirect::to(&format!("{}?refused={}", gallery(id), why.code())).into_response();
    }
    let status = if why == Refusal::TooLarge { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::BAD_REQUEST };
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], why.message()).into_response()
}

/// The form's `file` and `alt`; a body over the limit is `TooLarge`.
async fn read_form(mut form: Multipart) -> Result<(Vec<u8>, String), Refusal> {
    let too_large = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE { Refusal::TooLarge } else { Refusal::Broken }
    };
    let (mut file, mut alt) = (None, String::new());
    while let Some(field) = form.next_field().await.map_err(too_large)? {
        match field.name() {
            Some("file") => file = Some(field.bytes().await.map_err(too_large)?.to_vec()),
            Some("alt") => alt = field.text().await.map_err(too_large)?,
            _ => {}
        }
    }
    match file {
        Some(bytes) if !bytes.is_empty() => Ok((bytes, alt)),
        _ => Err(Refusal::Empty),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentUser>,
    Path(id): Path<i32>,
    headers: HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    match &current.user {
        None => return (StatusCode::UNAUTHORIZED, "sign in").into_response(),
        Some(u) if !u.is_admin() => return (StatusCode::FORBIDDEN, "admins only").into_response(),
        Some(_) => {}
    }
    let html = wants_html(&headers);
    let Ok(form) = form else { return refused(id, html, Refusal::Empty) };
    let (bytes, alt) = match read_form(form).await {
        Ok(f) => f,
        Err(why) => return refused(id, html, why),
    };
    match images::add(&state.db, state.media.as_ref(), id, bytes, &alt, chrono::Utc::now()).await {
        Ok(Added::Added { image_id }) => {
            state.events.nudge();
            if html {
                Redirect::to(&gallery(id)).into_response()
            } else {
                (StatusCode::CREATED, axum::Json(serde_json::json!({ "image_id": image_id }))).into_response()
            }
        }
        Ok(Added::Refused(why)) => refused(id, html, why),
        Err(e) => e.into_response(),
    }
}

pub async fn media(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    if !app::media::valid_name(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.media.get(&name).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox"),
                (header::CONTENT_DISPOSITION, "inline"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => e.into_response(),
    }
}
