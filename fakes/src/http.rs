//! A reply that breaks off: what the fakes send for a dropped connection.

use axum::body::{Body, Bytes};
use axum::http::StatusCode;
use axum::response::Response;

/// A reply that breaks off after its headers, as a reset connection does:
/// the client cannot know whether the request was carried out.
pub fn broken() -> Response {
    struct Failing(Option<std::io::Error>);
    impl http_body::Body for Failing {
        type Data = Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
            std::task::Poll::Ready(self.0.take().map(Err))
        }
    }
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "application/json")
        .body(Body::new(Failing(Some(std::io::Error::other("connection reset")))))
        .unwrap()
}
