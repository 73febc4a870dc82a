use sea_orm::entity::prelude::*;

/// Where an order is in its life. Stored as lowercase text; the column's
/// CHECK constraint refuses any other value, and reading one fails loudly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum OrderStatus {
    /// Placed, stock held until `hold_expires_at`, waiting for the payment.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "paid")]
    Paid,
    #[sea_orm(string_value = "processing")]
    Processing,
    #[sea_orm(string_value = "shipped")]
    Shipped,
    #[sea_orm(string_value = "delivered")]
    Delivered,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    /// A payment arrived that the store cannot simply accept (wrong amount
    /// or currency, or paid after the hold expired and the stock was gone):
    /// a person decides (refund or fulfil). `review_reason` says why.
    #[sea_orm(string_value = "held")]
    Held,
}

/// Where the refund of a cancelled paid order stands. Stored as lowercase
/// text under a CHECK constraint, like the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum RefundStatus {
    /// Owed, not yet accepted by the provider (unreachable so far): the
    /// sweeper asks again.
    #[sea_orm(string_value = "requested")]
    Requested,
    /// The provider accepted it; the money is under way.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "refunded")]
    Refunded,
    /// The store cannot refund it through the provider (provider no longer
    /// enabled, or it refused: an amount other than the order's): a person
    /// refunds by hand. `refund_reference` says why.
    #[sea_orm(string_value = "manual")]
    Manual,
}

/// An order: who placed it, what they bought (in `order_lines`), at which
/// prices, shipped where and how, and how far it got.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Random, unguessable order number shown to the shopper ("OB-…").
    #[sea_orm(unique)]
    pub number: String,
    /// Hex SHA-256 of the secret in the order's private link.
    pub access_key_hash: String,
    /// The account that placed it; `None` for a guest checkout.
    pub user_id: Option<i32>,
    pub email: String,
    pub status: OrderStatus,
    /// ISO 4217 code of every amount of the order.
    pub currency: String,
    pub subtotal_minor: i64,
    pub shipping_minor: i64,
    pub total_minor: i64,
    pub shipping_method: String,
    pub ship_name: String,
    pub ship_line1: String,
    pub ship_line2: Option<String>,
    pub ship_city: String,
    pub ship_region: Option<String>,
    pub ship_postcode: String,
    pub ship_country: String,
    pub ship_phone: Option<String>,
    /// Payment provider id ("stub", later "stripe", "paypal").
    pub provider: String,
    /// The provider's id of the hosted payment (session/order id).
    pub provider_ref: Option<String>,
    /// The checkout attempt that placed it: a resubmitted form finds it again.
    #[sea_orm(unique)]
    pub checkout_key: String,
    pub client_ip: Option<String>,
    /// Whether the order's quantities are taken out of `products.stock` now.
    pub stock_held: bool,
    pub hold_expires_at: ChronoDateTimeUtc,
    pub review_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub paid_at: Option<ChronoDateTimeUtc>,
    /// When the effects of the payment (cart cleared, mail sent) were claimed.
    pub fulfilled_at: Option<ChronoDateTimeUtc>,
    /// The carrier's tracking number, from the move to shipped.
    pub tracking_number: Option<String>,
    /// Set when a cancelled order owes its payment back.
    pub refund_status: Option<RefundStatus>,
    /// The provider's refund id, or why the refund is manual.
    pub refund_reference: Option<String>,
    pub refunded_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::order_line::Entity")]
    OrderLine,
    #[sea_orm(has_many = "super::order_event::Entity")]
    OrderEvent,
}

impl Related<super::order_line::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderLine.def()
    }
}

impl Related<super::order_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderEvent.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
