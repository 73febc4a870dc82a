use sea_orm::entity::prelude::*;

/// The outbox: store events written in the same transaction as the change
/// that caused them, kept until the relay has published them to the bus.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The event's identity on the bus (random, unique).
    #[sea_orm(unique)]
    pub event_id: String,
    pub kind: String,
    /// The `app::events::domain::Envelope`, as JSON.
    pub payload: String,
    pub created_at: ChronoDateTimeUtc,
    /// When the relay published it; `None` while it waits (Redis down).
    pub published_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
