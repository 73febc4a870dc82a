//! Order services (ssr only): placing an order with its stock hold,
//! releasing a hold exactly once, and applying verified payment events.
//!
//! Every function takes a connection or opens one transaction per business
//! step. Stock only ever moves through conditional updates
//! (`stock = stock - q WHERE stock >= q`, one row affected), in ascending
//! product id order so two transactions never wait on each other in a
//! circle; order status only ever moves through `UPDATE … WHERE status = <the
//! status it was read in>`, so two deliveries of one event, or a webhook and
//! the return page, can never both act.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use entity::order::OrderStatus as Status;
use entity::payment_event::EventOutcome;
use entity::{order, order_event, order_line, payment_event, product, product_image};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, SqlErr, Statement, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::cart::domain::{LineRequest, MAX_LINES, MAX_PER_LINE};
use crate::catalog::stock::{Movement, move_stock};
use crate::checkout::domain::{Address, ShippingMethod};
use crate::config::CheckoutConfig;
use crate::error::ServerError;
use crate::events::domain::StoreEvent;
use crate::events::outbox;
use crate::money::{CATALOG_CURRENCY, Currency, Money};
use crate::orders::domain::{Mover, OrderStatus as DomainStatus};
use crate::payments::{PaymentOutcome, ProviderEvent};

/// Who an order belongs to: an account, or a guest's e-mail address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub user_id: Option<i32>,
    /// Lowercase, parsed (`account::domain::Email`).
    pub email: String,
}

/// Everything placing an order needs. Prices are not in it: they come from
/// the database, inside the transaction.
#[derive(Clone, Debug)]
pub struct PlaceOrder {
    pub party: Party,
    pub lines: Vec<LineRequest>,
    pub address: Address,
    pub shipping: ShippingMethod,
    /// Id of an enabled payment provider.
    pub provider: String,
    /// Random id of this checkout attempt (from the form): the same key
    /// always finds the same order.
    pub checkout_key: String,
    /// The items' subtotal the shopper was shown (shipping is priced per
    /// method beside its choice). When it differs from the subtotal now,
    /// nothing is placed and the shopper sees the new one.
    pub expected_subtotal: Option<Money>,
    pub client_ip: Option<String>,
}

/// Why an order could not be placed, in words for the shopper.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckoutProblem {
    #[error("Your cart is empty.")]
    EmptyCart,
    #[error("Your cart has more than {MAX_LINES} different products.")]
    TooManyLines,
    #[error("At most {MAX_PER_LINE} of one product per order.")]
    TooMany,
    #[error("{name} is no longer sold: remove it from your cart to go on.")]
    Unavailable { product_id: i32, name: String },
    #[error("{name} is sold out: remove it from your cart to go on.")]
    SoldOut { product_id: i32, name: String },
    #[error("Only {available} of {name} left: lower the quantity to go on.")]
    OutOfStock { product_id: i32, name: String, available: u32 },
    #[error("Prices changed since you looked: your items now come to {now}. Check your order and place it again.")]
    TotalChanged { now: Money },
    #[error(
        "There are already {limit} unpaid orders from your network holding stock. Pay one, or wait until its hold ends."
    )]
    TooManyPending { limit: u32 },
    #[error("That payment method is not available.")]
    UnknownProvider,
}

impl CheckoutProblem {
    /// The form field the message belongs next to.
    pub fn field(&self) -> &'static str {
        match self {
            Self::TotalChanged { .. } => "total",
            Self::UnknownProvider => "provider",
            _ => "cart",
        }
    }
}

/// An order that was placed now, or earlier by the same checkout attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub id: i32,
    pub number: String,
    /// The secret of the order's private link (`/orders/{number}?key=…`).
    pub access_key: String,
    pub total: Money,
    pub provider: String,
    pub provider_ref: Option<String>,
    pub status: Status,
    pub hold_expires_at: DateTime<Utc>,
    /// False when the checkout key had already placed this order.
    pub is_new: bool,
}

/// First key of the advisory locks that serialise placements per shopper
/// and per client address on PostgreSQL (SQLite has one writer anyway).
const ORDER_LOCK_SHOPPER: i32 = 0x0AD1;
const ORDER_LOCK_IP: i32 = 0x0AD2;

async fn advisory_lock<C: ConnectionTrait>(db: &C, class: i32, key: &str) -> Result<(), ServerError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, hashtext($2))",
            [class.into(), key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// A new random order number: "OB-" and 12 Crockford base-32 characters
/// (60 random bits), in groups of four.
pub fn new_order_number() -> String {
    use rand::RngCore;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0_u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let mut n = u64::from_le_bytes(bytes);
    let mut out = String::from("OB-");
    for i in 0..12 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[(n & 31) as usize] as char);
        n >>= 5;
    }
    out
}

/// Whether `s` looks like an order number (checked before any query).
pub fn is_order_number(s: &str) -> bool {
    s.len() == 17
        && s.starts_with("OB-")
        && s[3..].split('-').all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The private-link secret of the order placed by `checkout_key`: derived,
/// so a resubmitted form gets the same link again, and only the browser
/// that holds the checkout key can have it.
pub fn access_key(link_secret: &[u8; 32], checkout_key: &str) -> String {
    let mut h = Sha256::new();
    h.update(link_secret);
    h.update(b"order-link\n");
    h.update(checkout_key.as_bytes());
    hex(&h.finalize()[..20])
}

/// What the database keeps of an access key.
pub fn access_key_hash(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// The shipping price of `method` for `subtotal`, from configuration.
pub fn shipping_price(rules: &CheckoutConfig, method: ShippingMethod, subtotal: Money) -> Money {
    let cents = match method {
        ShippingMethod::Standard if rules.free_from_cents > 0 && subtotal.minor() >= rules.free_from_cents => 0,
        ShippingMethod::Standard => rules.standard_cents,
        ShippingMethod::Express => rules.express_cents,
    };
    Money::new(cents, subtotal.currency())
}

/// Merges repeated products and checks counts; ascending product id.
fn normalise(lines: &[LineRequest]) -> Result<BTreeMap<i32, u32>, CheckoutProblem> {
    let mut merged = BTreeMap::new();
    for l in lines {
        if l.quantity == 0 {
            continue;
        }
        let q = merged.entry(l.product_id).or_insert(0_u32);
        *q = q.saturating_add(l.quantity);
    }
    if merged.is_empty() {
        return Err(CheckoutProblem::EmptyCart);
    }
    if merged.len() > MAX_LINES {
        return Err(CheckoutProblem::TooManyLines);
    }
    if merged.values().any(|q| *q > MAX_PER_LINE) {
        return Err(CheckoutProblem::TooMany);
    }
    Ok(merged)
}

/// Who an event's `actor` is, for [`OrderStatus::may_become`](crate::orders::domain::OrderStatus::may_become).
fn mover_of(actor: &str) -> Option<Mover> {
    match actor {
        "customer" => Some(Mover::Customer),
        "system" => Some(Mover::System),
        a if a.starts_with(PROVIDER_ACTOR) => Some(Mover::Provider),
        a if a.starts_with(ADMIN_ACTOR) => Some(Mover::Admin),
        _ => None,
    }
}

/// Refuses a move the status machine does not allow `actor` to make.
fn check_move(from: Status, to: Status, actor: &str) -> Result<(), ServerError> {
    let allowed = mover_of(actor).is_some_and(|by| DomainStatus::from(from).may_become(to.into(), by));
    if allowed { Ok(()) } else { Err(ServerError::IllegalTransition { from: from.into(), to: to.into() }) }
}

/// Records one step of an order's history, after checking it is a move
/// `actor` may make: a caller that got it wrong fails, and its transaction
/// with it, rather than writing a history the rules do not allow.
pub(super) async fn record_event<C: ConnectionTrait>(
    db: &C,
    order_id: i32,
    from: Option<Status>,
    to: Status,
    actor: &str,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    match from {
        Some(from) => check_move(from, to, actor)?,
        // Only a shopper's checkout creates an order, and it starts pending.
        None if to == Status::Pending && actor == "customer" => {}
        None => return Err(ServerError::Internal(format!("an order cannot start as {to:?} by {actor}"))),
    }
    if let Some(from) = from.filter(|f| *f != to) {
        // The change's events, in the same transaction.
        let o = order::Entity::find_by_id(order_id).one(db).await?.ok_or(ServerError::NotFound)?;
        let number = o.number.clone();
        outbox::record(db, StoreEvent::OrderStatusChanged { number, from: from.into(), to: to.into() }, now).await?;
        if to == Status::Paid {
            let total = Money::new(o.total_minor, Currency::parse(&o.currency).unwrap_or(CATALOG_CURRENCY));
            outbox::record(db, StoreEvent::OrderPaid { number: o.number, total }, now).await?;
        }
    }
    order_event::ActiveModel {
        order_id: Set(order_id),
        from_status: Set(from),
        to_status: Set(to),
        actor: Set(actor.to_owned()),
        note: Set(note),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The movements that take (`sign` = -1) or give back (`sign` = 1) the
/// quantities of order `order_id`, for the stock ledger.
pub(super) async fn order_movements<C: ConnectionTrait>(
    db: &C,
    order_id: i32,
    sign: i64,
    actor: &str,
) -> Result<Vec<Movement>, ServerError> {
    Ok(order_quantities(db, order_id)
        .await?
        .into_iter()
        .map(|(product_id, q)| Movement::for_order(order_id, product_id, sign * q, actor))
        .collect())
}

/// The quantities of an order, by product.
pub(super) async fn order_quantities<C: ConnectionTrait>(
    db: &C,
    order_id: i32,
) -> Result<BTreeMap<i32, i64>, ServerError> {
    let mut out = BTreeMap::new();
    for l in order_line::Entity::find().filter(order_line::Column::OrderId.eq(order_id)).all(db).await? {
        *out.entry(l.product_id).or_insert(0) += i64::from(l.quantity);
    }
    Ok(out)
}

/// Marks `order_id` cancelled if it is still `from` and holds stock: true
/// for exactly one of any number of racing callers (the update is
/// conditional), who then owes the order's stock back.
async fn cancel_holding<C: ConnectionTrait>(
    db: &C,
    order_id: i32,
    from: Status,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, ServerError> {
    Ok(order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(Status::Cancelled))
        .col_expr(order::Column::StockHeld, Expr::value(false))
        .col_expr(order::Column::CancelReason, Expr::value(reason))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.eq(order_id))
        .filter(order::Column::Status.eq(from))
        .filter(order::Column::StockHeld.eq(true))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Cancels `order_id` if it is still `from` and holds stock, and returns
/// its stock: exactly once, however many callers race. Runs inside the
/// caller's transaction.
async fn cancel_and_release<C: ConnectionTrait>(
    db: &C,
    order_id: i32,
    from: Status,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<bool, ServerError> {
    let done = cancel_holding(db, order_id, from, reason, now).await?;
    if done {
        let back = order_movements(db, order_id, 1, actor).await?;
        if let Some(id) = move_stock(db, &back, now).await? {
            return Err(ServerError::Internal(format!("stock of product {id} could not be returned")));
        }
        record_event(db, order_id, Some(from), Status::Cancelled, actor, Some(reason.to_owned()), now).await?;
    }
    Ok(done)
}

/// Places an order: one transaction that writes the order, snapshots every
/// line at today's prices, and takes the stock (all of it or none).
///
/// The same `checkout_key` always answers with the order it placed first.
/// The shopper's earlier unpaid order (same account or e-mail) is cancelled
/// and its hold released: one shopper holds stock with one order at a time.
#[tracing::instrument(skip_all, fields(provider = %req.provider))]
pub async fn place(
    db: &DatabaseConnection,
    rules: &CheckoutConfig,
    link_secret: &[u8; 32],
    req: &PlaceOrder,
    now: DateTime<Utc>,
) -> Result<Placed, ServerError> {
    let wanted = normalise(&req.lines).map_err(ServerError::Checkout)?;
    let key = access_key(link_secret, &req.checkout_key);
    let txn = db.begin().await?;
    advisory_lock(&txn, ORDER_LOCK_SHOPPER, &req.party.email).await?;
    if let Some(ip) = &req.client_ip {
        advisory_lock(&txn, ORDER_LOCK_IP, ip).await?;
    }
    let hold_expires_at = now + Duration::from_std(rules.hold).unwrap_or(Duration::minutes(15));
    let a = &req.address;
    // The first statement writes, so on SQLite this transaction holds the
    // write lock from here on (no reader can turn writer under it).
    let inserted = order::ActiveModel {
        number: Set(new_order_number()),
        access_key_hash: Set(access_key_hash(&key)),
        user_id: Set(req.party.user_id),
        email: Set(req.party.email.clone()),
        status: Set(Status::Pending),
        currency: Set(CATALOG_CURRENCY.code().to_owned()),
        subtotal_minor: Set(0),
        shipping_minor: Set(0),
        total_minor: Set(0),
        shipping_method: Set(req.shipping.id().to_owned()),
        ship_name: Set(a.name.clone()),
        ship_line1: Set(a.line1.clone()),
        ship_line2: Set(a.line2.clone()),
        ship_city: Set(a.city.clone()),
        ship_region: Set(a.region.clone()),
        ship_postcode: Set(a.postcode.clone()),
        ship_country: Set(a.country.clone()),
        ship_phone: Set(a.phone.clone()),
        provider: Set(req.provider.clone()),
        provider_ref: Set(None),
        checkout_key: Set(req.checkout_key.clone()),
        client_ip: Set(req.client_ip.clone()),
        stock_held: Set(true),
        hold_expires_at: Set(hold_expires_at),
        review_reason: Set(None),
        cancel_reason: Set(None),
        paid_at: Set(None),
        fulfilled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let order = match inserted {
        Ok(o) => o,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            return replay(db, req, key).await;
        }
        Err(e) => return Err(e.into()),
    };

    // The shopper's earlier unpaid orders give their stock back first.
    let mine = match req.party.user_id {
        Some(uid) => order::Column::UserId.eq(uid),
        None => order::Column::Email.eq(req.party.email.clone()).and(order::Column::UserId.is_null()),
    };
    let earlier: Vec<i32> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .filter(mine)
        .filter(order::Column::Status.eq(Status::Pending))
        .filter(order::Column::StockHeld.eq(true))
        .filter(order::Column::Id.ne(order.id))
        .into_tuple()
        .all(&txn)
        .await?;
    let mut movements: Vec<Movement> = Vec::new();
    for id in &earlier {
        // Their stock is given back below, in the same pass as this order takes its own.
        if cancel_holding(&txn, *id, Status::Pending, "replaced by a newer order", now).await? {
            movements.extend(order_movements(&txn, *id, 1, "customer").await?);
            let note = Some(format!("Replaced by order {}.", order.number));
            record_event(&txn, *id, Some(Status::Pending), Status::Cancelled, "customer", note, now).await?;
        }
    }

    if let Some(ip) = &req.client_ip {
        let holding = order::Entity::find()
            .filter(order::Column::ClientIp.eq(ip.clone()))
            .filter(order::Column::Status.eq(Status::Pending))
            .filter(order::Column::StockHeld.eq(true))
            .filter(order::Column::Id.ne(order.id))
            .count(&txn)
            .await?;
        if holding >= u64::from(rules.max_pending_per_ip) {
            txn.rollback().await?;
            return Err(ServerError::Checkout(CheckoutProblem::TooManyPending { limit: rules.max_pending_per_ip }));
        }
    }

    // Prices and names as they are now, inside the transaction.
    let ids: Vec<i32> = wanted.keys().copied().collect();
    let products: BTreeMap<i32, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(ids.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let images: BTreeMap<i32, String> = product_image::Entity::find()
        .filter(product_image::Column::ProductId.is_in(ids))
        .filter(product_image::Column::Position.eq(0))
        .all(&txn)
        .await?
        .into_iter()
        .map(|i| (i.product_id, i.url))
        .collect();
    let mut lines = Vec::with_capacity(wanted.len());
    for (&id, &q) in &wanted {
        let Some(p) = products.get(&id).filter(|p| p.active) else {
            txn.rollback().await?;
            let name = products.get(&id).map_or_else(|| "A product".to_owned(), |p| p.name.clone());
            return Err(ServerError::Checkout(CheckoutProblem::Unavailable { product_id: id, name }));
        };
        let unit = Money::new(p.price_cents, CATALOG_CURRENCY);
        let total = unit.times(q).ok_or_else(|| ServerError::Internal("line total overflows".into()))?;
        lines.push((p, q, unit, total));
    }
    let subtotal = Money::sum(CATALOG_CURRENCY, lines.iter().map(|l| l.3))
        .ok_or_else(|| ServerError::Internal("subtotal overflows".into()))?;
    let shipping = shipping_price(rules, req.shipping, subtotal);
    let total = subtotal.checked_add(shipping).ok_or_else(|| ServerError::Internal("total overflows".into()))?;
    if let Some(seen) = req.expected_subtotal
        && seen != subtotal
    {
        txn.rollback().await?;
        return Err(ServerError::Checkout(CheckoutProblem::TotalChanged { now: subtotal }));
    }

    // One pass over every product touched: what the replaced orders give
    // back, minus what this one takes.
    for (&id, &q) in &wanted {
        movements.push(Movement::for_order(order.id, id, -i64::from(q), "customer"));
    }
    if let Some(short) = move_stock(&txn, &movements, now).await? {
        txn.rollback().await?;
        return Err(ServerError::Checkout(stock_problem(db, short, &products).await?));
    }

    for (p, q, unit, line_total) in &lines {
        order_line::ActiveModel {
            order_id: Set(order.id),
            product_id: Set(p.id),
            sku: Set(p.sku.clone()),
            name: Set(p.name.clone()),
            slug: Set(p.slug.clone()),
            image: Set(images.get(&p.id).cloned()),
            unit_price_minor: Set(unit.minor()),
            quantity: Set(*q as i32),
            line_total_minor: Set(line_total.minor()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    order::Entity::update_many()
        .col_expr(order::Column::SubtotalMinor, Expr::value(subtotal.minor()))
        .col_expr(order::Column::ShippingMinor, Expr::value(shipping.minor()))
        .col_expr(order::Column::TotalMinor, Expr::value(total.minor()))
        .filter(order::Column::Id.eq(order.id))
        .exec(&txn)
        .await?;
    record_event(&txn, order.id, None, Status::Pending, "customer", None, now).await?;
    let placed = StoreEvent::OrderPlaced { number: order.number.clone(), total, email: req.party.email.clone() };
    outbox::record(&txn, placed, now).await?;
    txn.commit().await?;
    tracing::info!(order = %order.number, total = total.minor(), "order placed");
    Ok(Placed {
        id: order.id,
        number: order.number,
        access_key: key,
        total,
        provider: order.provider,
        provider_ref: None,
        status: Status::Pending,
        hold_expires_at,
        is_new: true,
    })
}

/// Tells the shopper which line could not be reserved (read after the
/// rollback, so the number is what is there now).
async fn stock_problem(
    db: &DatabaseConnection,
    id: i32,
    products: &BTreeMap<i32, product::Model>,
) -> Result<CheckoutProblem, ServerError> {
    let name = products.get(&id).map_or_else(|| "A product".to_owned(), |p| p.name.clone());
    let now = product::Entity::find_by_id(id).one(db).await?;
    Ok(match now {
        Some(p) if !p.active => CheckoutProblem::Unavailable { product_id: id, name },
        Some(p) if p.stock > 0 => CheckoutProblem::OutOfStock { product_id: id, name, available: p.stock as u32 },
        _ => CheckoutProblem::SoldOut { product_id: id, name },
    })
}

/// The order an earlier submission of the same checkout attempt placed.
async fn replay(db: &DatabaseConnection, req: &PlaceOrder, key: String) -> Result<Placed, ServerError> {
    let existing = order::Entity::find()
        .filter(order::Column::CheckoutKey.eq(req.checkout_key.clone()))
        .one(db)
        .await?
        // Not the checkout key: the (random) order number collided. Vanishingly rare; try again.
        .ok_or(ServerError::Conflict)?;
    if existing.user_id != req.party.user_id || existing.email != req.party.email {
        // Someone else's checkout key: tell nothing about that order.
        return Err(ServerError::Conflict);
    }
    let currency = Currency::parse(&existing.currency).ok_or_else(|| {
        ServerError::Internal(format!("order {} has currency {}", existing.number, existing.currency))
    })?;
    Ok(Placed {
        id: existing.id,
        number: existing.number,
        access_key: key,
        total: Money::new(existing.total_minor, currency),
        provider: existing.provider,
        provider_ref: existing.provider_ref,
        status: existing.status,
        hold_expires_at: existing.hold_expires_at,
        is_new: false,
    })
}

/// Remembers the provider's id of the order's current hosted payment. Only
/// while the order awaits payment: a retried creation with the same
/// idempotency key gets the same payment back, and a new attempt (after the
/// provider reported the last one failed, see [`failed_attempts`]) replaces
/// a payment that can no longer succeed.
pub async fn set_provider_ref<C: ConnectionTrait>(db: &C, order_id: i32, reference: &str) -> Result<(), ServerError> {
    order::Entity::update_many()
        .col_expr(order::Column::ProviderRef, Expr::value(reference))
        .filter(order::Column::Id.eq(order_id))
        .filter(order::Column::Status.eq(Status::Pending))
        .exec(db)
        .await?;
    Ok(())
}

/// How many payment attempts of order `order_id` its provider reported
/// failed (a declined capture, a failed bank debit): each starts a new
/// hosted payment with a new idempotency key, as a failed one cannot be
/// paid again.
pub async fn failed_attempts<C: ConnectionTrait>(db: &C, order_id: i32) -> Result<u64, ServerError> {
    Ok(order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(order_id))
        .filter(order_event::Column::FromStatus.eq(Status::Pending))
        .filter(order_event::Column::ToStatus.eq(Status::Pending))
        .filter(order_event::Column::Actor.starts_with(PROVIDER_ACTOR))
        .count(db)
        .await?)
}

/// The actor of every change a provider's event made: `provider:{id}`.
const PROVIDER_ACTOR: &str = "provider:";
/// The actor of every change made in the back office: `admin:{user id}`.
pub(super) const ADMIN_ACTOR: &str = "admin:";

/// Cancels every unpaid order whose hold ended before `now` and returns its
/// stock. Safe to run on every app server at once: each order is released
/// by exactly one of them. Returns how many this call released.
pub async fn expire_holds(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u32, ServerError> {
    let due: Vec<i32> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .filter(order::Column::Status.eq(Status::Pending))
        .filter(order::Column::StockHeld.eq(true))
        .filter(order::Column::HoldExpiresAt.lt(now))
        .order_by_asc(order::Column::HoldExpiresAt)
        .limit(500)
        .into_tuple()
        .all(db)
        .await?;
    let mut released = 0;
    for id in due {
        let txn = db.begin().await?;
        if cancel_and_release(&txn, id, Status::Pending, "The payment did not arrive in time.", "system", now).await? {
            released += 1;
        }
        txn.commit().await?;
    }
    if released > 0 {
        tracing::info!(released, "expired stock holds released");
    }
    Ok(released)
}

/// Every `every`, until the process ends: releases expired holds, and asks
/// again for refunds a provider could not be reached for. Each app server
/// may run one: [`expire_holds`] releases every order once, and a refund's
/// idempotency key makes it once at the provider.
pub async fn run_sweeper(
    db: DatabaseConnection,
    payments: crate::payments::Payments,
    events: crate::events::bus::EventBus,
    every: std::time::Duration,
) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match expire_holds(&db, Utc::now()).await {
            // Stock came back: its events may go out, and the catalog shows it.
            Ok(released) if released > 0 => events.nudge(),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "releasing expired holds failed; trying again later"),
        }
        if let Err(e) = super::fulfilment::retry_refunds(&db, &payments, Utc::now()).await {
            tracing::warn!(error = %e, "retrying refunds failed; trying again later");
        }
    }
}

/// What applying a provider event did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventResult {
    /// The inbox already had this event: nothing happened a second time.
    Duplicate,
    /// Recorded, nothing moved (an older event, an unknown payment).
    Ignored,
    /// The order moved.
    Applied,
    /// The order is held for a person to review.
    Held,
    /// The order became paid by this event: its one-time effects (clear the
    /// cart, mail the confirmation) are the caller's to run, once.
    Paid(Fulfilment),
}

/// Who to tell, and whose cart to clear, once an order is paid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fulfilment {
    pub order_id: i32,
    pub number: String,
    pub user_id: Option<i32>,
    pub email: String,
}

/// Applies a verified provider event: inbox row and order change in one
/// transaction. A redelivered event is a [`EventResult::Duplicate`]; events
/// that would move an order backwards (failed after paid, expired after
/// paid) change nothing; an amount or currency other than the order's
/// snapshot holds the order for review; a payment after the hold ended
/// takes the stock again when it is there, else holds the order for a refund.
#[tracing::instrument(skip_all, fields(provider, event = %event.id))]
pub async fn apply_event(
    db: &DatabaseConnection,
    provider: &str,
    event: &ProviderEvent,
    now: DateTime<Utc>,
) -> Result<EventResult, ServerError> {
    let txn = db.begin().await?;
    // First statement a write (SQLite lock), and the idempotency key.
    let inbox = payment_event::ActiveModel {
        provider: Set(provider.to_owned()),
        event_id: Set(event.id.clone()),
        event_type: Set(event.kind.chars().take(64).collect()),
        order_id: Set(None),
        outcome: Set(EventOutcome::Ignored),
        detail: Set(None),
        received_at: Set(now),
        deliveries: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let inbox = match inbox {
        Ok(row) => row,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            // Counted for the inbox page; applied once only.
            payment_event::Entity::update_many()
                .col_expr(payment_event::Column::Deliveries, Expr::col(payment_event::Column::Deliveries).add(1))
                .filter(payment_event::Column::Provider.eq(provider))
                .filter(payment_event::Column::EventId.eq(event.id.clone()))
                .exec(db)
                .await?;
            return Ok(EventResult::Duplicate);
        }
        Err(e) => return Err(e.into()),
    };
    let found = order::Entity::find()
        .filter(order::Column::Provider.eq(provider))
        .filter(order::Column::ProviderRef.eq(event.reference.clone()))
        .one(&txn)
        .await?;
    let (result, detail, order_id) = match found {
        None => (EventResult::Ignored, Some("no order has this payment".to_owned()), None),
        Some(o) => {
            let (r, d) = apply_to_order(&txn, provider, &o, &event.outcome, now).await?;
            (r, d, Some(o.id))
        }
    };
    let outcome = match result {
        EventResult::Applied | EventResult::Paid(_) => EventOutcome::Applied,
        EventResult::Held => EventOutcome::Held,
        EventResult::Ignored | EventResult::Duplicate => EventOutcome::Ignored,
    };
    payment_event::ActiveModel {
        id: Set(inbox.id),
        order_id: Set(order_id),
        outcome: Set(outcome),
        detail: Set(detail),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    txn.commit().await?;
    Ok(result)
}

/// The most refused deliveries recorded per provider and minute: past it,
/// a flood of forged webhooks is only logged, not stored.
const REFUSALS_PER_MINUTE: u64 = 60;

/// Records a delivery whose signature did not verify (`why`), for the
/// inbox page. Nothing of its body is kept: it is not the provider's word.
pub async fn record_refused(
    db: &DatabaseConnection,
    provider: &str,
    why: &str,
    now: DateTime<Utc>,
) -> Result<bool, ServerError> {
    let recent = payment_event::Entity::find()
        .filter(payment_event::Column::Provider.eq(provider))
        .filter(payment_event::Column::Outcome.eq(EventOutcome::Refused))
        .filter(payment_event::Column::ReceivedAt.gt(now - Duration::minutes(1)))
        .count(db)
        .await?;
    if recent >= REFUSALS_PER_MINUTE {
        return Ok(false);
    }
    payment_event::ActiveModel {
        provider: Set(provider.to_owned()),
        event_id: Set(format!("refused-{}", crate::media::new_stem())),
        event_type: Set(String::new()),
        order_id: Set(None),
        outcome: Set(EventOutcome::Refused),
        detail: Set(Some(why.chars().take(200).collect())),
        received_at: Set(now),
        deliveries: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(true)
}

async fn apply_to_order(
    db: &DatabaseTransaction,
    provider: &str,
    o: &order::Model,
    outcome: &PaymentOutcome,
    now: DateTime<Utc>,
) -> Result<(EventResult, Option<String>), ServerError> {
    let actor = format!("{PROVIDER_ACTOR}{provider}");
    match outcome {
        PaymentOutcome::Paid { amount } => {
            let expected = Currency::parse(&o.currency).map(|c| Money::new(o.total_minor, c));
            if expected != Some(*amount) {
                let ordered = expected.map_or_else(|| format!("{} {}", o.total_minor, o.currency), |m| m.to_string());
                let reason = format!(
                    "The provider reported {amount} but the order is for {ordered}: check before fulfilling or refund."
                );
                return hold(db, o, &reason, &actor, now).await;
            }
            match o.status {
                Status::Pending => {
                    if transition_paid(db, o, Status::Pending, &actor, None, now).await? {
                        Ok((EventResult::Paid(fulfilment(o)), None))
                    } else {
                        Ok((EventResult::Ignored, Some("the order moved meanwhile".into())))
                    }
                }
                Status::Cancelled if !o.stock_held => {
                    // Paid after the hold ended: take the stock again if it is there.
                    let take = order_movements(db, o.id, -1, &actor).await?;
                    // A savepoint: if one product is short, none is taken.
                    let attempt = db.begin().await?;
                    match move_stock(&attempt, &take, now).await? {
                        None => {
                            attempt.commit().await?;
                            let note = Some("Paid after the hold ended; the stock was still there.".to_owned());
                            if transition_paid(db, o, Status::Cancelled, &actor, note, now).await? {
                                Ok((EventResult::Paid(fulfilment(o)), None))
                            } else {
                                Err(ServerError::Conflict)
                            }
                        }
                        Some(short) => {
                            attempt.rollback().await?;
                            let line = order_line::Entity::find()
                                .filter(order_line::Column::OrderId.eq(o.id))
                                .filter(order_line::Column::ProductId.eq(short))
                                .one(db)
                                .await?;
                            let what = line
                                .map_or_else(|| format!("product {short}"), |l| format!("{} (SKU {})", l.name, l.sku));
                            let reason = format!(
                                "Paid after the hold ended, and {what} is no longer in stock: refund the shopper or restock."
                            );
                            hold(db, o, &reason, &actor, now).await
                        }
                    }
                }
                _ => Ok((EventResult::Ignored, Some(format!("already {:?}", o.status).to_lowercase()))),
            }
        }
        PaymentOutcome::PaidForeign { said } => {
            let reason = format!(
                "The provider reported a payment of {said}, a currency the store does not sell in: check before fulfilling or refund."
            );
            hold(db, o, &reason, &actor, now).await
        }
        PaymentOutcome::Failed { reason } => {
            // The order stays pending: the shopper may try again until the hold ends.
            if o.status == Status::Pending {
                record_event(db, o.id, Some(Status::Pending), Status::Pending, &actor, Some(reason.clone()), now)
                    .await?;
                Ok((EventResult::Applied, Some(reason.clone())))
            } else {
                Ok((EventResult::Ignored, Some(format!("failure after {:?}", o.status).to_lowercase())))
            }
        }
        PaymentOutcome::Expired => {
            if cancel_and_release(db, o.id, Status::Pending, "The payment session expired.", &actor, now).await? {
                Ok((EventResult::Applied, None))
            } else {
                Ok((EventResult::Ignored, Some(format!("expiry after {:?}", o.status).to_lowercase())))
            }
        }
        PaymentOutcome::Other => Ok((EventResult::Ignored, None)),
    }
}

pub(super) fn fulfilment(o: &order::Model) -> Fulfilment {
    Fulfilment { order_id: o.id, number: o.number.clone(), user_id: o.user_id, email: o.email.clone() }
}

/// `from` → paid, claiming the one-time effects in the same update.
async fn transition_paid<C: ConnectionTrait>(
    db: &C,
    o: &order::Model,
    from: Status,
    actor: &str,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, ServerError> {
    let done = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(Status::Paid))
        .col_expr(order::Column::StockHeld, Expr::value(true))
        .col_expr(order::Column::PaidAt, Expr::value(now))
        .col_expr(order::Column::FulfilledAt, Expr::value(now))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.eq(o.id))
        .filter(order::Column::Status.eq(from))
        .filter(order::Column::FulfilledAt.is_null())
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if done {
        record_event(db, o.id, Some(from), Status::Paid, actor, note, now).await?;
    }
    Ok(done)
}

/// Holds an order for review, keeping whatever stock it holds.
async fn hold<C: ConnectionTrait>(
    db: &C,
    o: &order::Model,
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(EventResult, Option<String>), ServerError> {
    if matches!(o.status, Status::Held | Status::Paid | Status::Processing | Status::Shipped | Status::Delivered) {
        // Never backwards; the inbox row keeps the evidence.
        return Ok((EventResult::Ignored, Some(reason.to_owned())));
    }
    let done = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(Status::Held))
        .col_expr(order::Column::ReviewReason, Expr::value(reason))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.eq(o.id))
        .filter(order::Column::Status.eq(o.status))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if done {
        record_event(db, o.id, Some(o.status), Status::Held, actor, Some(reason.to_owned()), now).await?;
        tracing::warn!(order = %o.number, "order held for review");
        Ok((EventResult::Held, Some(reason.to_owned())))
    } else {
        Err(ServerError::Conflict)
    }
}

/// Asks the provider where the order's payment stands and applies a
/// payment it reports, as the return page does when the shopper comes back
/// before the webhook. Goes through the inbox like a webhook (one event per
/// payment reference), and the conditional transition makes the webhook
/// and this call fulfil once between them.
pub async fn refresh_from_provider(
    db: &DatabaseConnection,
    provider: &dyn crate::payments::PaymentProvider,
    order_id: i32,
    now: DateTime<Utc>,
) -> Result<EventResult, ServerError> {
    use crate::payments::PaymentStatus;
    let Some(o) = order::Entity::find_by_id(order_id).one(db).await? else { return Err(ServerError::NotFound) };
    let Some(reference) = o.provider_ref.clone() else { return Ok(EventResult::Ignored) };
    if o.status != Status::Pending {
        return Ok(EventResult::Ignored);
    }
    let outcome = match provider.fetch_payment(&reference).await? {
        PaymentStatus::Paid { amount } => PaymentOutcome::Paid { amount },
        PaymentStatus::PaidForeign { said } => PaymentOutcome::PaidForeign { said },
        // Failures and expiry arrive by webhook or the sweeper; the return
        // page only speeds up the good news.
        PaymentStatus::Open | PaymentStatus::Failed | PaymentStatus::Expired => return Ok(EventResult::Ignored),
    };
    let event = ProviderEvent {
        id: format!("status:{reference}:paid"),
        kind: "status.paid".into(),
        reference,
        order_number: Some(o.number.clone()),
        outcome,
    };
    apply_event(db, provider.id(), &event, now).await
}

/// Who is asking to see an order.
#[derive(Clone, Debug)]
pub enum Viewer {
    /// A signed-in shopper: only their own orders.
    User(i32),
    /// Anyone holding the order's private link secret.
    Key(String),
}

/// The order `number` if any of `viewers` may see it (one query for all);
/// otherwise (someone else's, guessed, malformed) [`ServerError::NotFound`],
/// the same answer in every case.
pub async fn find_for<C: ConnectionTrait>(
    db: &C,
    number: &str,
    viewers: &[Viewer],
) -> Result<order::Model, ServerError> {
    if !is_order_number(number) || viewers.is_empty() {
        return Err(ServerError::NotFound);
    }
    let o =
        order::Entity::find().filter(order::Column::Number.eq(number)).one(db).await?.ok_or(ServerError::NotFound)?;
    let allowed = viewers.iter().any(|viewer| match viewer {
        Viewer::User(id) => o.user_id == Some(*id),
        Viewer::Key(key) => {
            // Constant-time compare of the hashes.
            let given = access_key_hash(key);
            given.len() == o.access_key_hash.len()
                && given.bytes().zip(o.access_key_hash.bytes()).fold(0_u8, |acc, (a, b)| acc | (a ^ b)) == 0
        }
    });
    if allowed { Ok(o) } else { Err(ServerError::NotFound) }
}

/// The order `number` as `viewers` see it, with lines and history.
pub async fn view_for<C: ConnectionTrait>(
    db: &C,
    number: &str,
    viewers: &[Viewer],
    payments: &crate::payments::Payments,
) -> Result<crate::orders::domain::OrderView, ServerError> {
    let o = find_for(db, number, viewers).await?;
    view_of(db, o, payments).await
}

/// `o` as its owner sees it, with lines and history.
pub async fn view_of<C: ConnectionTrait>(
    db: &C,
    o: order::Model,
    payments: &crate::payments::Payments,
) -> Result<crate::orders::domain::OrderView, ServerError> {
    use crate::orders::domain::{OrderEventView, OrderLineView, OrderView};
    let currency =
        Currency::parse(&o.currency).ok_or_else(|| ServerError::Internal(format!("currency {}", o.currency)))?;
    let money = |m: i64| Money::new(m, currency);
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(o.id))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|l| OrderLineView {
            product_id: l.product_id,
            name: l.name,
            sku: l.sku,
            slug: l.slug,
            image: l.image,
            unit_price: money(l.unit_price_minor),
            quantity: u32::try_from(l.quantity).unwrap_or(0),
            line_total: money(l.line_total_minor),
        })
        .collect();
    let events = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(o.id))
        .order_by_asc(order_event::Column::Id)
        .all(db)
        .await?;
    // A provider's failure leaves the order pending, recorded as pending → pending.
    let payment_failed = o.status == Status::Pending
        && events.last().is_some_and(|e| {
            e.from_status == Some(Status::Pending)
                && e.to_status == Status::Pending
                && e.actor.starts_with(PROVIDER_ACTOR)
        });
    // Staff notes stay in the back office; the shopper sees the step itself.
    let history = events
        .into_iter()
        .map(|e| OrderEventView {
            status: e.to_status.into(),
            note: if e.actor.starts_with(ADMIN_ACTOR) { None } else { e.note },
            at: e.created_at.to_rfc3339(),
        })
        .collect();
    let refund =
        o.refund_status.map(|s| crate::orders::domain::RefundView { state: s.into(), amount: money(o.total_minor) });
    let shipping = ShippingMethod::parse(&o.shipping_method)
        .ok_or_else(|| ServerError::Internal(format!("shipping method {}", o.shipping_method)))?;
    Ok(OrderView {
        number: o.number,
        status: o.status.into(),
        email: o.email,
        lines,
        subtotal: money(o.subtotal_minor),
        shipping: money(o.shipping_minor),
        total: money(o.total_minor),
        shipping_label: shipping.label().to_owned(),
        address: Address {
            name: o.ship_name,
            line1: o.ship_line1,
            line2: o.ship_line2,
            city: o.ship_city,
            region: o.ship_region,
            postcode: o.ship_postcode,
            country: o.ship_country,
            phone: o.ship_phone,
        },
        provider_label: payments.get(&o.provider).map_or_else(|| o.provider.clone(), |p| p.label().to_owned()),
        pay_by: (o.status == Status::Pending).then(|| o.hold_expires_at.to_rfc3339()),
        payment_failed,
        placed_at: o.created_at.to_rfc3339(),
        history,
        tracking: o.tracking_number,
        refund,
    })
}

/// The signed-in shopper's orders, newest first.
pub async fn list_for_user<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Vec<crate::orders::domain::OrderSummary>, ServerError> {
    use crate::orders::domain::OrderSummary;
    let orders = order::Entity::find()
        .filter(order::Column::UserId.eq(user_id))
        .order_by_desc(order::Column::CreatedAt)
        .order_by_desc(order::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let ids: Vec<i32> = orders.iter().map(|o| o.id).collect();
    let mut items: BTreeMap<i32, u32> = BTreeMap::new();
    for l in order_line::Entity::find().filter(order_line::Column::OrderId.is_in(ids)).all(db).await? {
        *items.entry(l.order_id).or_insert(0) += u32::try_from(l.quantity).unwrap_or(0);
    }
    orders
        .into_iter()
        .map(|o| {
            let currency = Currency::parse(&o.currency)
                .ok_or_else(|| ServerError::Internal(format!("currency {}", o.currency)))?;
            Ok(OrderSummary {
                items: items.get(&o.id).copied().unwrap_or(0),
                number: o.number,
                status: o.status.into(),
                total: Money::new(o.total_minor, currency),
                placed_at: o.created_at.to_rfc3339(),
            })
        })
        .collect()
}
