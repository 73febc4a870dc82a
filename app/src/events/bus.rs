//! The event bus (ssr only): Redis pub/sub through `fred` when `REDIS_URL`
//! is set, so every app server hears every server's events; otherwise an
//! in-process channel behind the same interface. Either way, subscribers in
//! this process read a [`tokio::sync::broadcast`] receiver.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use fred::clients::SubscriberClient;
use fred::prelude::*;
use tokio::sync::{Notify, broadcast};

use super::domain::Envelope;
use crate::error::ServerError;

/// Events a slow subscriber in this process may fall behind by before it
/// misses some (it is told how many: `RecvError::Lagged`).
const LOCAL_CAPACITY: usize = 1024;

/// Where store events travel. Cheap to clone.
#[derive(Clone)]
pub enum EventBus {
    /// One process: published events go straight to its subscribers.
    Local { tx: broadcast::Sender<Envelope>, wake: Arc<Wake> },
    /// Redis pub/sub on `channel`, published through the shared pool and
    /// heard by a subscriber connection of this process's own.
    Redis {
        pool: Pool,
        channel: String,
        local: broadcast::Sender<Envelope>,
        subscriber: SubscriberClient,
        listening: Arc<AtomicBool>,
        wake: Arc<Wake>,
    },
}

/// This process's commits with events: the relay's wake-up call, and a
/// count of them (the catalog's read model catches up when it moved).
#[derive(Default)]
pub struct Wake {
    notify: Notify,
    commits: AtomicU64,
}

impl Wake {
    /// How many commits this process has announced ([`EventBus::nudge`]) so far.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Acquire)
    }
}

impl std::fmt::Debug for EventBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Local { .. } => f.write_str("EventBus::Local"),
            Self::Redis { channel, .. } => write!(f, "EventBus::Redis({channel})"),
        }
    }
}

impl EventBus {
    pub fn local() -> Self {
        Self::Local { tx: broadcast::channel(LOCAL_CAPACITY).0, wake: Arc::default() }
    }

    /// Redis pub/sub on channel `{prefix}events`: publishes through `pool`
    /// and subscribes with a connection of its own (a subscribed Redis
    /// connection can do nothing else), which reconnects and subscribes
    /// again by itself after an outage.
    pub async fn redis(url: &str, pool: Pool, prefix: &str) -> Result<Self, ServerError> {
        let channel = format!("{prefix}events");
        let config = fred::types::config::Config::from_url(url)
            .map_err(|e| ServerError::Config(format!("REDIS_URL: {}", e.details())))?;
        let subscriber = Builder::from_config(config)
            .with_connection_config(|c| {
                c.connection_timeout = Duration::from_millis(500);
                c.internal_command_timeout = Duration::from_millis(500);
            })
            .set_policy(ReconnectPolicy::new_exponential(0, 100, 2_000, 2))
            .build_subscriber_client()
            .map_err(|e| ServerError::Config(format!("REDIS_URL: {}", e.details())))?;
        let local = broadcast::channel(LOCAL_CAPACITY).0;
        let mut messages = subscriber.message_rx();
        let forward = local.clone();
        tokio::spawn(async move {
            loop {
                match messages.recv().await {
                    Ok(message) => {
                        let parsed = message.value.as_str().and_then(|s| serde_json::from_str::<Envelope>(&s).ok());
                        match parsed {
                            Some(envelope) => {
                                let _ = forward.send(envelope);
                            }
                            None => tracing::warn!(channel = %message.channel, "unreadable store event ignored"),
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "store events missed: the subscriber fell behind");
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        // Connects in the background (the store starts while Redis is down)
        // and subscribes once connected and after every reconnection;
        // `listening` says whether it is subscribed now.
        let listening = Arc::new(AtomicBool::new(false));
        let _connection = subscriber.connect();
        let mut errors = subscriber.error_rx();
        let flag = listening.clone();
        tokio::spawn(async move {
            // Any error (a lost connection among them) means "maybe not
            // subscribed": so does having missed some errors.
            while !matches!(errors.recv().await, Err(broadcast::error::RecvError::Closed)) {
                flag.store(false, Ordering::SeqCst);
            }
        });
        let mut reconnects = subscriber.reconnect_rx();
        let (sub, ch, flag) = (subscriber.clone(), channel.clone(), listening.clone());
        tokio::spawn(async move {
            loop {
                let _ = sub.wait_for_connect().await;
                match sub.subscribe(ch.clone()).await {
                    Ok(()) => {
                        flag.store(true, Ordering::SeqCst);
                        // Wait for the next reconnection (or several: a lagged
                        // receiver missed some), then subscribe again.
                        if matches!(reconnects.recv().await, Err(broadcast::error::RecvError::Closed)) {
                            break;
                        }
                        flag.store(false, Ordering::SeqCst);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot subscribe to store events yet");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                }
            }
        });
        Ok(Self::Redis { pool, channel, local, subscriber, listening, wake: Arc::default() })
    }

    /// Whether this process hears what is published now. The relay waits
    /// while it does not (Redis down, or reconnected but not subscribed
    /// again yet), so this process's own subscribers miss nothing;
    /// subscribers of other app servers that are cut off at that moment
    /// miss what is published meanwhile (Redis pub/sub keeps nothing).
    pub fn ready(&self) -> bool {
        match self {
            Self::Local { .. } => true,
            Self::Redis { subscriber, listening, .. } => subscriber.is_connected() && listening.load(Ordering::SeqCst),
        }
    }

    /// Sends `envelope` to every subscriber (of every app server, with
    /// Redis). Fails while Redis cannot be reached: the caller keeps it.
    pub async fn publish(&self, envelope: &Envelope) -> Result<(), ServerError> {
        match self {
            Self::Local { tx, .. } => {
                // No subscriber listening is not a failure.
                let _ = tx.send(envelope.clone());
                Ok(())
            }
            Self::Redis { pool, channel, .. } => {
                if !self.ready() {
                    return Err(ServerError::Internal("the store's own event subscriber is not listening".into()));
                }
                let json = serde_json::to_string(envelope).map_err(|e| ServerError::Internal(e.to_string()))?;
                let client = pool.next_connected();
                let _: i64 = client
                    .publish(channel.clone(), json)
                    .await
                    .map_err(|e| ServerError::Internal(format!("publishing to Redis: {e}")))?;
                Ok(())
            }
        }
    }

    /// A receiver of every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Envelope> {
        match self {
            Self::Local { tx, .. } | Self::Redis { local: tx, .. } => tx.subscribe(),
        }
    }

    /// Tells this process's relay that a change with events just committed,
    /// so it publishes now rather than at its next look.
    pub fn nudge(&self) {
        match self {
            Self::Local { wake, .. } | Self::Redis { wake, .. } => {
                wake.commits.fetch_add(1, Ordering::AcqRel);
                wake.notify.notify_one();
            }
        }
    }

    /// The commit counter [`nudge`](Self::nudge) moves, shared.
    pub fn wake(&self) -> Arc<Wake> {
        match self {
            Self::Local { wake, .. } | Self::Redis { wake, .. } => wake.clone(),
        }
    }

    /// Resolves at the next [`nudge`](Self::nudge) (or at once if one came
    /// since the last wait).
    pub async fn nudged(&self) {
        match self {
            Self::Local { wake, .. } | Self::Redis { wake, .. } => wake.notify.notified().await,
        }
    }
}
