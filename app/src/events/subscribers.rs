//! Background subscribers of store events (ssr only). Each runs in its own
//! task with its own receiver, so a slow or failing one never holds up the
//! others. Each applies an event id once: it claims the id in
//! `processed_events` (unique per subscriber) before acting, gives the
//! claim back if acting fails for good, and retries with a doubling pause
//! meanwhile.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use entity::processed_event;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, SqlErr};
use tokio::sync::broadcast::error::RecvError;

use super::bus::EventBus;
use super::domain::{Envelope, StoreEvent};
use crate::error::ServerError;

/// One background reaction to store events.
#[async_trait::async_trait]
pub trait Subscriber: Send + Sync + 'static {
    /// Stable name, part of the idempotency key.
    fn name(&self) -> &'static str;
    /// Whether it acts on `event` at all.
    fn wants(&self, event: &StoreEvent) -> bool;
    async fn handle(&self, envelope: &Envelope) -> Result<(), ServerError>;
    /// Catches up after events it may have missed: when it starts, and
    /// when its receiver fell behind. Nothing by default.
    async fn missed(&self) -> Result<(), ServerError> {
        Ok(())
    }
}

/// How often a failing event is tried before its claim is given back.
pub const ATTEMPTS: u32 = 5;

/// Claims `event_id` for `subscriber`: false if it was applied already.
async fn claim(db: &DatabaseConnection, subscriber: &str, event_id: &str) -> Result<bool, ServerError> {
    let row = processed_event::ActiveModel {
        subscriber: Set(subscriber.to_owned()),
        event_id: Set(event_id.to_owned()),
        processed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match row {
        Ok(_) => Ok(true),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

async fn release(db: &DatabaseConnection, subscriber: &str, event_id: &str) -> Result<(), ServerError> {
    processed_event::Entity::delete_many()
        .filter(processed_event::Column::Subscriber.eq(subscriber))
        .filter(processed_event::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Applies `envelope` once for `sub`: Ok(true) if this call applied it.
pub async fn apply(db: &DatabaseConnection, sub: &dyn Subscriber, envelope: &Envelope) -> Result<bool, ServerError> {
    if !sub.wants(&envelope.event) || !claim(db, sub.name(), &envelope.id).await? {
        return Ok(false);
    }
    let mut pause = Duration::from_millis(100);
    for attempt in 1..=ATTEMPTS {
        match sub.handle(envelope).await {
            Ok(()) => return Ok(true),
            Err(e) if attempt < ATTEMPTS => {
                tracing::warn!(subscriber = sub.name(), event = %envelope.id, attempt, error = %e, "retrying");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
            Err(e) => {
                release(db, sub.name(), &envelope.id).await?;
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// Runs `sub` on every event of `bus` until the process ends.
pub fn spawn(db: DatabaseConnection, bus: &EventBus, sub: Arc<dyn Subscriber>) -> tokio::task::JoinHandle<()> {
    let mut events = bus.subscribe();
    tokio::spawn(async move {
        if let Err(e) = sub.missed().await {
            tracing::error!(subscriber = sub.name(), error = %e, "could not catch up");
        }
        loop {
            match events.recv().await {
                Ok(envelope) => {
                    if let Err(e) = apply(&db, sub.as_ref(), &envelope).await {
                        tracing::error!(subscriber = sub.name(), event = %envelope.id, error = %e, "event not applied");
                    }
                }
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!(subscriber = sub.name(), missed = n, "fell behind");
                    if let Err(e) = sub.missed().await {
                        tracing::error!(subscriber = sub.name(), error = %e, "could not catch up");
                    }
                }
                Err(RecvError::Closed) => break,
            }
        }
    })
}

/// Mails the shop's address (`SHOP_EMAIL`) for every order placed.
pub struct OrderPlacedMail {
    pub mailer: Arc<crate::mail::Mailer>,
    pub to: String,
    pub public_url: String,
}

#[async_trait::async_trait]
impl Subscriber for OrderPlacedMail {
    fn name(&self) -> &'static str {
        "order-placed-mail"
    }

    fn wants(&self, event: &StoreEvent) -> bool {
        matches!(event, StoreEvent::OrderPlaced { .. })
    }

    async fn handle(&self, envelope: &Envelope) -> Result<(), ServerError> {
        let StoreEvent::OrderPlaced { number, total, email } = &envelope.event else { return Ok(()) };
        let mail = crate::mail::Mail {
            to: self.to.clone(),
            subject: format!("New order {number} ({total})"),
            body: format!(
                "Order {number} was placed at {} by {email} for {total}.\n\nIt waits for its payment. See it in the back office:\n{}/admin/orders/{number}\n",
                envelope.at, self.public_url
            ),
        };
        self.mailer.send(&mail).await
    }
}
