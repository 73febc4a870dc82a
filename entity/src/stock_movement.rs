use sea_orm::entity::prelude::*;

/// Why a product's stock moved. Stored as lowercase text under a CHECK
/// constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum StockReason {
    /// The stock a product had when the ledger began.
    #[sea_orm(string_value = "initial")]
    Initial,
    /// Delivered by a supplier.
    #[sea_orm(string_value = "received")]
    Received,
    /// A count found a different number.
    #[sea_orm(string_value = "correction")]
    Correction,
    /// Written off.
    #[sea_orm(string_value = "damaged")]
    Damaged,
    /// Sent back by a customer and fit to sell again.
    #[sea_orm(string_value = "returned")]
    Returned,
    /// Taken by an order (placed, or paid again after its hold ended).
    #[sea_orm(string_value = "reserved")]
    Reserved,
    /// Given back by an order (cancelled, replaced, or its hold ended).
    #[sea_orm(string_value = "released")]
    Released,
}

/// The stock ledger: every change of `products.stock`, written in the same
/// transaction as the change. A product's stock is the sum of its rows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub product_id: i32,
    /// Units added (> 0) or taken (< 0); never 0.
    pub delta: i32,
    pub reason: StockReason,
    /// The order that reserved or released it.
    pub order_id: Option<i32>,
    /// "system", "customer", "provider:stripe", "admin:<id>".
    pub actor: String,
    pub note: Option<String>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::product::Entity", from = "Column::ProductId", to = "super::product::Column::Id")]
    Product,
}

impl Related<super::product::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
