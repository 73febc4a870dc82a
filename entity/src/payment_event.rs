use sea_orm::entity::prelude::*;

/// What the store did with a verified provider event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum EventOutcome {
    /// It moved the order (paid, failed, expired).
    #[sea_orm(string_value = "applied")]
    Applied,
    /// It put the order on hold for review (amount mismatch, late payment).
    #[sea_orm(string_value = "held")]
    Held,
    /// Valid, but it changes nothing (an older event, an unknown order).
    #[sea_orm(string_value = "ignored")]
    Ignored,
    /// Its signature did not verify: nothing was read from it.
    #[sea_orm(string_value = "refused")]
    Refused,
}

/// The webhook inbox: one row per provider event, unique on
/// `(provider, event_id)`, written in the same transaction as its effect;
/// and one per refused delivery (`refused-…` ids: the event's own id is
/// not read from an unverified body).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub provider: String,
    pub event_id: String,
    pub event_type: String,
    pub order_id: Option<i32>,
    pub outcome: EventOutcome,
    pub detail: Option<String>,
    pub received_at: ChronoDateTimeUtc,
    /// How often the provider delivered it (redeliveries are counted, not applied).
    pub deliveries: i32,
    /// When staff accepted a held event after review, and who.
    pub replayed_at: Option<ChronoDateTimeUtc>,
    pub replayed_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
