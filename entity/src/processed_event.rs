use sea_orm::entity::prelude::*;

/// Which subscriber has applied which event: unique on
/// `(subscriber, event_id)`, so a redelivered event is applied once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "processed_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub subscriber: String,
    pub event_id: String,
    pub processed_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
