use sea_orm::entity::prelude::*;

use super::order::OrderStatus;

/// One step of an order's history: who moved it, from what, to what, why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    /// `None` for the event that created the order.
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    /// "customer", "system", "provider:stub", "admin:<id>".
    pub actor: String,
    pub note: Option<String>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::order::Entity", from = "Column::OrderId", to = "super::order::Column::Id")]
    Order,
}

impl Related<super::order::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Order.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
