//! The accept loop: Axum's router over hyper, with the connection timeouts
//! `axum::serve` does not offer.
//!
//! A client must send a complete request head within `header_read_timeout`
//! of connecting, and again within it after each response (an idle
//! keep-alive connection counts as "reading the next head"), or the
//! connection is closed: a slow or silent client cannot hold connections.
//! A request body must keep coming too: each chunk of it within the same
//! time (`tower_http`'s `TimeoutBody`), or reading it fails and the request
//! is refused. HTTP/2 connections are pinged and closed when the peer stops
//! answering.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tower::ServiceExt as _;

/// Connection limits.
#[derive(Clone, Copy, Debug)]
pub struct ServeOptions {
    /// Time allowed for each request head, including the wait for the next
    /// request on a kept-alive connection, and for each chunk of a request
    /// body.
    pub header_read_timeout: Duration,
    /// How long in-flight requests may take to finish at shutdown.
    pub shutdown_grace: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self { header_read_timeout: Duration::from_secs(15), shutdown_grace: Duration::from_secs(20) }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish (for at most `shutdown_grace`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(options.header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(options.header_read_timeout))
        .keep_alive_timeout(options.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait, don't spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(move |mut req: axum::extract::Request| {
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(remote));
            req
        });
        let body_timeout = options.header_read_timeout;
        let service =
            TowerToHyperService::new(service.map_request(move |req: hyper::Request<hyper::body::Incoming>| {
                req.map(|body| axum::body::Body::new(tower_http::timeout::TimeoutBody::new(body_timeout, body)))
            }));
        let (builder, watcher, timeout) = (builder.clone(), graceful.watcher(), options.header_read_timeout);
        tokio::spawn(async move {
            // hyper's header timer starts once it knows the protocol, which it
            // learns from the first bytes: a client that sends none is timed here.
            let mut first = [0_u8; 1];
            if !matches!(tokio::time::timeout(timeout, stream.peek(&mut first)).await, Ok(Ok(1))) {
                return;
            }
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
            if let Err(e) = watcher.watch(conn.into_owned()).await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(options.shutdown_grace) => tracing::warn!("shutdown grace period over; closing"),
    }
    Ok(())
}
