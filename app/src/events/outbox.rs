//! The outbox (ssr only): [`record`] writes an event in the caller's
//! transaction, so an event exists exactly when its change committed; the
//! relay ([`run_relay`]) publishes waiting events to the bus in order and
//! marks them published. While the bus cannot be reached (Redis down)
//! events wait in the table and nothing is lost; the relay tries again with
//! a growing pause. Several app servers may each run a relay: an event may
//! then be published twice, and subscribers apply each event id once.

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::outbox_event;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::bus::EventBus;
use super::domain::{Envelope, StoreEvent};
use crate::error::ServerError;

/// A new random event id (128 bits, hex).
fn new_event_id() -> String {
    use rand::RngCore;
    let mut bytes = [0_u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `event` to the outbox, inside the caller's transaction.
pub async fn record<C: ConnectionTrait>(db: &C, event: StoreEvent, now: DateTime<Utc>) -> Result<(), ServerError> {
    let envelope = Envelope { id: new_event_id(), at: now.to_rfc3339(), event };
    let payload = serde_json::to_string(&envelope).map_err(|e| ServerError::Internal(format!("event: {e}")))?;
    outbox_event::ActiveModel {
        event_id: Set(envelope.id.clone()),
        kind: Set(envelope.event.kind().to_owned()),
        payload: Set(payload),
        created_at: Set(now),
        published_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Publishes up to `batch` waiting events, oldest first, and marks each
/// published. Stops at the first that cannot be published (it and the
/// rest wait for the next round, in order). Returns how many went out.
pub async fn relay_once(db: &DatabaseConnection, bus: &EventBus, batch: u64) -> Result<u32, ServerError> {
    let waiting = outbox_event::Entity::find()
        .filter(outbox_event::Column::PublishedAt.is_null())
        .order_by_asc(outbox_event::Column::Id)
        .limit(batch)
        .all(db)
        .await?;
    let mut sent = 0;
    for row in waiting {
        let envelope: Envelope = serde_json::from_str(&row.payload)
            .map_err(|e| ServerError::Internal(format!("outbox row {}: {e}", row.id)))?;
        bus.publish(&envelope).await?;
        outbox_event::Entity::update_many()
            .col_expr(outbox_event::Column::PublishedAt, Expr::value(Utc::now()))
            .filter(outbox_event::Column::Id.eq(row.id))
            .exec(db)
            .await?;
        sent += 1;
    }
    Ok(sent)
}

/// How many events wait to be published.
pub async fn waiting(db: &DatabaseConnection) -> Result<u64, ServerError> {
    use sea_orm::PaginatorTrait;
    Ok(outbox_event::Entity::find().filter(outbox_event::Column::PublishedAt.is_null()).count(db).await?)
}

/// Publishes the outbox until the process ends: at once when a change of
/// this process nudges the bus, and every `every` otherwise (changes of
/// other processes, the sweeper); after a failure with a pause that doubles
/// up to 10 s.
pub async fn run_relay(db: DatabaseConnection, bus: EventBus, every: Duration) {
    let mut pause = every;
    loop {
        match relay_once(&db, &bus, 200).await {
            Ok(n) => {
                pause = every;
                if n == 200 {
                    continue;
                }
            }
            Err(e) => {
                pause = (pause * 2).min(Duration::from_secs(10));
                tracing::warn!(error = %e, retry_in = ?pause, "publishing store events failed; they wait in the outbox");
            }
        }
        if pause == every {
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = bus.nudged() => {}
            }
        } else {
            tokio::time::sleep(pause).await;
        }
    }
}
