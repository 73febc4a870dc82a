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
    stock_events(db, net.into_iter().filter(|(_, d)| *d != 0).collect(), now).await?;
    Ok(None)
}

/// The event a stock change of `delta` that left `stock` calls for, if any:
/// `StockOut` when it takes the last unit, `StockLow` when it falls to or
/// under the threshold (or climbs back from none to still under it),
/// `StockRestored` when it climbs back over the threshold.
pub fn stock_event(p: &product::Model, delta: i64) -> Option<crate::events::domain::StoreEvent> {
    use crate::events::domain::StoreEvent;
    let (after, threshold) = (i64::from(p.stock), i64::from(p.low_stock_threshold));
    let before = after - delta;
    let low = |s: i64| s <= threshold;
    let (product_id, name) = (p.id, p.name.clone());
    let low_event =
        || StoreEvent::StockLow { product_id, name: name.clone(), stock: p.stock, threshold: p.low_stock_threshold };
    match delta {
        d if d < 0 && after <= 0 => Some(StoreEvent::StockOut { product_id, name }),
        d if d < 0 && low(after) => Some(low_event()),
        d if d > 0 && low(before) && !low(after) => {
            Some(StoreEvent::StockRestored { product_id, name, stock: p.stock, threshold: p.low_stock_threshold })
        }
        d if d > 0 && before <= 0 && after > 0 && low(after) => Some(low_event()),
        _ => None,
    }
}

/// The events of each product's net stock change (see [`stock_event`]),
/// in the caller's transaction.
async fn stock_events<C: ConnectionTrait>(
    db: &C,
    changes: BTreeMap<i32, i64>,
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    if changes.is_empty() {
        return Ok(());
    }
    let ids: Vec<i32> = changes.keys().copied().collect();
    for p in product::Entity::find().filter(product::Column::Id.is_in(ids)).all(db).await? {
        // Every change is announced (the other app servers' catalogs follow
        // stock); the threshold events say more where one was crossed.
        let event = stock_event(&p, changes[&p.id])
            .unwrap_or(crate::events::domain::StoreEvent::StockChanged { product_id: p.id, stock: p.stock });
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
    stock_events(&txn, BTreeMap::from([(product_id, delta)]), now).await?;
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::events::domain::StoreEvent;

    /// A product with 10 in stock and a threshold of 5.
    pub(crate) fn sample() -> product::Model {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        product::Model {
            id: 7,
            slug: "x".into(),
            sku: "X-1".into(),
            name: "X".into(),
            brand_id: 1,
            category_id: 1,
            short_description: String::new(),
            description: String::new(),
            price_cents: 100,
            compare_at_cents: None,
            stock: 10,
            low_stock_threshold: 5,
            rating_x10: 0,
            review_count: 0,
            featured: false,
            active: true,
            created_at: at,
            updated_at: at,
            version: 1,
            deleted_at: None,
        }
    }

    /// The event's kind after a change of `delta` left `stock` (threshold 5).
    fn after(stock: i32, delta: i64) -> Option<&'static str> {
        stock_event(&product::Model { stock, ..sample() }, delta).map(|e| e.kind())
    }

    #[test]
    fn falls_raise_low_then_out() {
        assert_eq!(after(8, -2), None, "still over the threshold");
        assert_eq!(after(5, -1), Some("stock_low"), "at the threshold");
        assert_eq!(after(3, -2), Some("stock_low"), "already low and lower");
        assert_eq!(after(0, -3), Some("stock_out"));
    }

    #[test]
    fn climbs_restore_or_leave_it_low() {
        assert_eq!(after(6, 1), Some("stock_restored"), "from the threshold to over it");
        assert_eq!(after(20, 20), Some("stock_restored"), "from none to plenty");
        assert_eq!(after(12, 2), None, "over it all along");
        assert_eq!(after(2, 2), Some("stock_low"), "from none to some, still low");
        assert_eq!(after(4, 2), None, "low all along");
        assert_eq!(after(10, 0), None);
        let Some(StoreEvent::StockRestored { stock, threshold, .. }) =
            stock_event(&product::Model { stock: 9, ..sample() }, 9)
        else {
            panic!("restored")
        };
        assert_eq!((stock, threshold), (9, 5));
    }
}
