//! Stock and its ledger (ssr only). Every change of `products.stock` goes
//! through [`move_stock`], which writes one ledger row per movement in the
//! caller's transaction: a product's stock always equals the sum of its
//! ledger rows.
//!
//! Stock only moves through conditional updates (`stock = stock + d WHERE
//! stock + d >= 0`), one per product in ascending id order, so two
//! transactions never wait on each other in a circle and stock never goes
//! below zero.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::stock_movement::{self, StockReason};
use entity::{product, stock_movement as ledger};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::error::ServerError;

/// One change of one product's stock, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    pub product_id: i32,
    /// Units added (> 0) or taken (< 0).
    pub delta: i64,
    pub reason: StockReason,
    pub order_id: Option<i32>,
    /// "system", "customer", "provider:…", "admin:<id>".
    pub actor: String,
    pub note: Option<String>,
}

impl Movement {
    /// An order taking (`delta` < 0: reserved) or giving back (> 0: released) stock.
    pub fn for_order(order_id: i32, product_id: i32, delta: i64, actor: &str) -> Self {
        let reason = if delta < 0 { StockReason::Reserved } else { StockReason::Released };
        Self { product_id, delta, reason, order_id: Some(order_id), actor: actor.to_owned(), note: None }
    }
}

/// Applies `movements` in one pass: the net change of each product in
/// ascending id order (takes only from an active product that has enough),
/// then one ledger row per movement. Returns the first product that could
/// not give what was asked, with nothing of this call applied once the
/// caller rolls back.
pub async fn move_stock<C: ConnectionTrait>(
    db: &C,
    movements: &[Movement],
    now: DateTime<Utc>,
) -> Result<Option<i32>, ServerError> {
    let mut net: BTreeMap<i32, i64> = BTreeMap::new();
    for m in movements {
        *net.entry(m.product_id).or_insert(0) += m.delta;
    }
    for (&id, &delta) in &net {
        if delta == 0 {
            continue;
        }
        let mut update = product::Entity::update_many()
            .col_expr(product::Column::Stock, Expr::col(product::Column::Stock).add(delta))
            .col_expr(product::Column::UpdatedAt, Expr::value(now))
            .filter(product::Column::Id.eq(id));
        if delta < 0 {
            update = update.filter(product::Column::Stock.gte(-delta)).filter(product::Column::Active.eq(true));
        }
        if update.exec(db).await?.rows_affected != 1 {
            return Ok(Some(id));
        }
    }
    let rows: Vec<ledger::ActiveModel> = movements
        .iter()
        .filter(|m| m.delta != 0)
        .map(|m| {
            Ok(ledger::ActiveModel {
                product_id: Set(m.product_id),
                delta: Set(i32::try_from(m.delta).map_err(|_| ServerError::Internal("stock delta overflows".into()))?),
                reason: Set(m.reason),
                order_id: Set(m.order_id),
                actor: Set(m.actor.clone()),
                note: Set(m.note.clone()),
                created_at: Set(now),
                ..Default::default()
            })
        })
        .collect::<Result<_, ServerError>>()?;
    if !rows.is_empty() {
        ledger::Entity::insert_many(rows).exec(db).await?;
    }
    let taken: Vec<i32> = net.iter().filter(|(_, d)| **d < 0).map(|(id, _)| *id).collect();
    stock_events(db, taken, now).await?;
    Ok(None)
}

/// `StockLow` or `StockOut` for each of `products` (whose stock just fell)
/// that is now at or under its threshold, in the caller's transaction.
async fn stock_events<C: ConnectionTrait>(db: &C, products: Vec<i32>, now: DateTime<Utc>) -> Result<(), ServerError> {
    use crate::events::domain::StoreEvent;
    if products.is_empty() {
        return Ok(());
    }
    for p in product::Entity::find().filter(product::Column::Id.is_in(products)).all(db).await? {
        let event = if p.stock <= 0 {
            StoreEvent::StockOut { product_id: p.id, name: p.name }
        } else if p.stock <= p.low_stock_threshold {
            StoreEvent::StockLow { product_id: p.id, name: p.name, stock: p.stock, threshold: p.low_stock_threshold }
        } else {
            continue;
        };
        crate::events::outbox::record(db, event, now).await?;
    }
    Ok(())
}

/// Why staff change a product's stock by hand.
pub fn staff_reason_fits(reason: StockReason, delta: i64) -> Result<(), &'static str> {
    match reason {
        StockReason::Received | StockReason::Returned if delta > 0 => Ok(()),
        StockReason::Received | StockReason::Returned => Err("Received and returned units add to the stock."),
        StockReason::Damaged if delta < 0 => Ok(()),
        StockReason::Damaged => Err("Damaged units come off the stock."),
        StockReason::Correction if delta != 0 => Ok(()),
        StockReason::Correction => Err("A correction changes the stock by at least one unit."),
        StockReason::Initial | StockReason::Reserved | StockReason::Released => {
            Err("Orders reserve and release stock themselves.")
        }
    }
}

/// The most one adjustment may move.
pub const MAX_ADJUSTMENT: i64 = 100_000;

/// Staff change product `product_id`'s stock by `delta` for `reason`, in one
/// transaction with its ledger row. Taking more than there is is refused
/// with the number there is; nothing changes.
pub async fn adjust(
    db: &DatabaseConnection,
    product_id: i32,
    delta: i64,
    reason: StockReason,
    note: Option<String>,
    admin_id: i32,
    now: DateTime<Utc>,
) -> Result<i32, ServerError> {
    if delta.abs() > MAX_ADJUSTMENT {
        return Err(ServerError::Validation {
            field: "delta",
            message: format!("Adjust by at most {MAX_ADJUSTMENT} units at a time."),
        });
    }
    staff_reason_fits(reason, delta).map_err(|m| ServerError::Validation { field: "delta", message: m.into() })?;
    let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 500 || n.chars().any(char::is_control)) {
        return Err(ServerError::Validation {
            field: "note",
            message: "Keep the note to one line of at most 500 characters.".into(),
        });
    }
    let txn = db.begin().await?;
    // Staff may take stock from an inactive product too (a write-off).
    let update = product::Entity::update_many()
        .col_expr(product::Column::Stock, Expr::col(product::Column::Stock).add(delta))
        .col_expr(product::Column::UpdatedAt, Expr::value(now))
        .filter(product::Column::Id.eq(product_id))
        .filter(Expr::col(product::Column::Stock).add(delta).gte(0));
    if update.exec(&txn).await?.rows_affected != 1 {
        txn.rollback().await?;
        let p = product::Entity::find_by_id(product_id).one(db).await?.ok_or(ServerError::NotFound)?;
        return Err(ServerError::Validation {
            field: "delta",
            message: format!("Only {} in stock: that would take it below zero.", p.stock),
        });
    }
    ledger::ActiveModel {
        product_id: Set(product_id),
        delta: Set(i32::try_from(delta).map_err(|_| ServerError::Internal("stock delta overflows".into()))?),
        reason: Set(reason),
        order_id: Set(None),
        actor: Set(format!("admin:{admin_id}")),
        note: Set(note),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if delta < 0 {
        stock_events(&txn, vec![product_id], now).await?;
    }
    let stock = product::Entity::find_by_id(product_id)
        .select_only()
        .column(product::Column::Stock)
        .into_tuple::<i32>()
        .one(&txn)
        .await?
        .ok_or(ServerError::NotFound)?;
    txn.commit().await?;
    tracing::info!(product = product_id, delta, ?reason, admin = admin_id, stock, "stock adjusted");
    Ok(stock)
}

/// The newest `limit` ledger rows of a product, and how many it has.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    product_id: i32,
    limit: u64,
) -> Result<(Vec<stock_movement::Model>, u64), ServerError> {
    let q = ledger::Entity::find().filter(ledger::Column::ProductId.eq(product_id));
    let total = q.clone().count(db).await?;
    let rows = q.order_by_desc(ledger::Column::Id).limit(limit).all(db).await?;
    Ok((rows, total))
}

/// The sum of a product's ledger (what its stock must be).
pub async fn ledger_sum<C: ConnectionTrait>(db: &C, product_id: i32) -> Result<i64, ServerError> {
    let sum: Option<i64> = ledger::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COALESCE(SUM(delta), 0) AS BIGINT)"), "total")
        .filter(ledger::Column::ProductId.eq(product_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(sum.unwrap_or(0))
}
