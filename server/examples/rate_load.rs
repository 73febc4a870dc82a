//! Load at a fixed rate, for latency at a given throughput (wrk only
//! measures at its maximum rate). Requests are sent on a schedule, spread
//! over the connections; each one's latency counts from when the schedule
//! says it should have been sent, so a server that falls behind is charged
//! for the queue it builds (no coordinated omission).
//!
//! `cargo run --release --example rate_load -- <url> <req/s> [seconds] [connections]`
//! prints one line: the rate asked and achieved, p50/p90/p99/max latency,
//! and how many answers were not 2xx or failed. bench/run.sh runs it at half
//! of each page's measured maximum, on the pinned server.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use tokio::net::TcpStream;

struct Outcome {
    latencies: Vec<Duration>,
    failed: usize,
}

/// One connection: requests `n` times, the k-th due at `start + offset + k·every`.
async fn connection(url: hyper::Uri, start: Instant, offset: Duration, every: Duration, n: usize) -> Outcome {
    let mut out = Outcome { latencies: Vec::with_capacity(n), failed: 0 };
    let addr = format!("{}:{}", url.host().unwrap_or("127.0.0.1"), url.port_u16().unwrap_or(80));
    let path = url.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let mut sender = None;
    for k in 0..n {
        let due = start + offset + every * u32::try_from(k).unwrap_or(u32::MAX);
        tokio::time::sleep_until(due.into()).await;
        if sender.is_none() {
            sender = async {
                let stream = TcpStream::connect(&addr).await.ok()?;
                stream.set_nodelay(true).ok()?;
                let io = hyper_util::rt::TokioIo::new(stream);
                let (sender, conn) = hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(io).await.ok()?;
                tokio::spawn(conn);
                Some(sender)
            }
            .await;
        }
        let Some(s) = sender.as_mut() else {
            out.failed += 1;
            continue;
        };
        let req = hyper::Request::get(&path).header("host", &addr).body(Empty::new()).expect("a request");
        let ok = match s.send_request(req).await {
            Ok(res) => {
                let success = res.status().is_success();
                res.into_body().collect().await.is_ok() && success
            }
            Err(_) => false,
        };
        out.latencies.push(due.elapsed());
        if !ok {
            out.failed += 1;
            sender = None;
        }
    }
    out
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: rate_load <url> <req/s> [seconds, 10] [connections, 32]";
    let url: hyper::Uri = args.first().and_then(|u| u.parse().ok()).expect(usage);
    let rate: f64 = args.get(1).and_then(|r| r.parse().ok()).filter(|r| *r > 0.0).expect(usage);
    let seconds: f64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10.0);
    let connections: usize = args.get(3).and_then(|c| c.parse().ok()).unwrap_or(32).max(1);

    let total = (rate * seconds).round() as usize;
    let every = Duration::from_secs_f64(connections as f64 / rate);
    let start = Instant::now() + Duration::from_millis(50);
    let tasks: Vec<_> = (0..connections)
        .map(|c| {
            let n = total / connections + usize::from(c < total % connections);
            let offset = Duration::from_secs_f64(c as f64 / rate);
            tokio::spawn(connection(url.clone(), start, offset, every, n))
        })
        .collect();
    let (mut latencies, mut failed) = (Vec::with_capacity(total), 0);
    for task in tasks {
        let out = task.await.expect("a connection task");
        latencies.extend(out.latencies);
        failed += out.failed;
    }
    let took = start.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let at = |q: f64| {
        let i = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len().max(1)) - 1;
        latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    println!(
        "asked {rate:.0}/s, got {:.0}/s: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {failed} failed of {}",
        latencies.len() as f64 / took,
        at(0.50),
        at(0.90),
        at(0.99),
        at(1.0),
        latencies.len()
    );
}
