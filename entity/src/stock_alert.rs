use sea_orm::entity::prelude::*;

/// How bad an alert is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum AlertLevel {
    /// At or under the low-stock threshold, some left.
    #[sea_orm(string_value = "low")]
    Low,
    /// None left.
    #[sea_orm(string_value = "out")]
    Out,
}

/// A low-stock alert, kept by the stock-alerts subscriber. At most one per
/// product is open (`resolved_at` empty); it closes when the product is
/// restocked, taken off sale or deleted. Staff may dismiss an open alert;
/// it comes back if the product then sells out.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_alerts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub product_id: i32,
    pub level: AlertLevel,
    /// The stock and threshold when the alert last changed.
    pub stock: i32,
    pub threshold: i32,
    /// When the change that raised it happened.
    pub raised_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    pub dismissed_at: Option<ChronoDateTimeUtc>,
    pub dismissed_by: Option<i32>,
    pub resolved_at: Option<ChronoDateTimeUtc>,
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
