//! The low-stock alert list (ssr only), kept by its own background
//! subscriber. Each stock event (and each product change, which may move a
//! threshold or take a product off sale) makes the subscriber look at the
//! product as it is now and bring its one open alert in line: raise it,
//! update it, or close it. Reading the product rather than trusting the
//! event's numbers makes the list right whatever order events arrive in.

use chrono::{DateTime, Utc};
use entity::product;
use entity::stock_alert::{self, AlertLevel};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait};

use crate::error::ServerError;
use crate::events::domain::{Envelope, StoreEvent};
use crate::events::subscribers::Subscriber;

/// How bad `p`'s stock is, if it needs an alert at all: products off sale
/// (deleted ones too) need none.
pub fn level_of(p: &product::Model) -> Option<AlertLevel> {
    match p.stock {
        _ if !p.active => None,
        s if s <= 0 => Some(AlertLevel::Out),
        s if s <= p.low_stock_threshold => Some(AlertLevel::Low),
        _ => None,
    }
}

/// Brings product `product_id`'s open alert in line with the product, in
/// one transaction that holds the product's row (so two of these for one
/// product, or one beside a stock change, take turns). `at` is when the
/// change happened: a new alert is raised then.
pub async fn reconcile(
    db: &DatabaseConnection,
    product_id: i32,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    use stock_alert::Column as A;
    let tx = db.begin().await?;
    // A write first: PostgreSQL locks the row, SQLite takes its write lock.
    product::Entity::update_many()
        .col_expr(product::Column::Version, Expr::col(product::Column::Version))
        .filter(product::Column::Id.eq(product_id))
        .exec(&tx)
        .await?;
    let product = product::Entity::find_by_id(product_id).one(&tx).await?;
    let open = stock_alert::Entity::find()
        .filter(A::ProductId.eq(product_id))
        .filter(A::ResolvedAt.is_null())
        .one(&tx)
        .await?;
    let due = product.as_ref().and_then(|p| level_of(p).map(|level| (p, level)));
    match (open, due) {
        (None, Some((p, level))) => {
            stock_alert::ActiveModel {
                product_id: Set(product_id),
                level: Set(level),
                stock: Set(p.stock),
                threshold: Set(p.low_stock_threshold),
                raised_at: Set(at),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        (Some(alert), Some((p, level))) => {
            let unchanged = alert.level == level && alert.stock == p.stock && alert.threshold == p.low_stock_threshold;
            if !unchanged {
                // A dismissed alert comes back when the product sells out.
                let back = alert.dismissed_at.is_some() && alert.level == AlertLevel::Low && level == AlertLevel::Out;
                let mut row: stock_alert::ActiveModel = alert.into();
                row.level = Set(level);
                row.stock = Set(p.stock);
                row.threshold = Set(p.low_stock_threshold);
                row.updated_at = Set(now);
                if back {
                    row.dismissed_at = Set(None);
                    row.dismissed_by = Set(None);
                }
                row.update(&tx).await?;
            }
        }
        (Some(alert), None) => {
            let mut row: stock_alert::ActiveModel = alert.into();
            if let Some(p) = &product {
                row.stock = Set(p.stock);
                row.threshold = Set(p.low_stock_threshold);
            }
            row.resolved_at = Set(Some(now));
            row.updated_at = Set(now);
            row.update(&tx).await?;
        }
        (None, None) => {}
    }
    tx.commit().await?;
    Ok(())
}

/// Reconciles every product whose alert may be out of line: low products
/// without an open alert and open alerts of products no longer low. Run at
/// start and when the subscriber missed events (a lagging receiver, or
/// events published while no server listened). Returns how many it looked at.
pub async fn sweep(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, ServerError> {
    use sea_orm::QuerySelect;
    let open: std::collections::BTreeSet<i32> = stock_alert::Entity::find()
        .select_only()
        .column(stock_alert::Column::ProductId)
        .filter(stock_alert::Column::ResolvedAt.is_null())
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let low: std::collections::BTreeSet<i32> = product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .filter(product::Column::Active.eq(true))
        .filter(Expr::col(product::Column::Stock).lte(Expr::col(product::Column::LowStockThreshold)))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    // Open alerts of low products are reconciled too: their numbers may be old.
    let all: std::collections::BTreeSet<i32> = open.union(&low).copied().collect();
    for &id in &all {
        reconcile(db, id, now, now).await?;
    }
    Ok(all.len())
}

/// Staff dismiss an open alert (`dismissed`) or bring a dismissed one back.
/// An alert that closed meanwhile stays closed: nothing to do.
pub async fn set_dismissed(
    db: &DatabaseConnection,
    alert_id: i32,
    dismissed: bool,
    admin_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    use stock_alert::Column as A;
    let (at, by) = if dismissed { (Some(now), Some(admin_id)) } else { (None, None) };
    let done = stock_alert::Entity::update_many()
        .col_expr(A::DismissedAt, Expr::value(at))
        .col_expr(A::DismissedBy, Expr::value(by))
        .filter(A::Id.eq(alert_id))
        .filter(A::ResolvedAt.is_null())
        .filter(if dismissed { A::DismissedAt.is_null() } else { A::DismissedAt.is_not_null() })
        .exec(db)
        .await?;
    if done.rows_affected == 0 && stock_alert::Entity::find_by_id(alert_id).one(db).await?.is_none() {
        return Err(ServerError::NotFound);
    }
    Ok(())
}

/// The subscriber that keeps the alert list.
pub struct StockAlerts {
    pub db: DatabaseConnection,
}

impl StockAlerts {
    /// The product an event may change the alert of.
    fn product_of(event: &StoreEvent) -> Option<i32> {
        match event {
            StoreEvent::StockLow { product_id, .. }
            | StoreEvent::StockOut { product_id, .. }
            | StoreEvent::StockRestored { product_id, .. }
            | StoreEvent::ProductChanged { product_id, .. } => Some(*product_id),
            // Stock that moved within its bounds leaves the alert's level as it was.
            StoreEvent::StockChanged { .. }
            | StoreEvent::OrderPlaced { .. }
            | StoreEvent::OrderPaid { .. }
            | StoreEvent::OrderStatusChanged { .. } => None,
        }
    }
}

#[async_trait::async_trait]
impl Subscriber for StockAlerts {
    fn name(&self) -> &'static str {
        "stock-alerts"
    }

    fn wants(&self, event: &StoreEvent) -> bool {
        Self::product_of(event).is_some()
    }

    async fn missed(&self) -> Result<(), ServerError> {
        sweep(&self.db, Utc::now()).await.map(|_| ())
    }

    async fn handle(&self, envelope: &Envelope) -> Result<(), ServerError> {
        let Some(product_id) = Self::product_of(&envelope.event) else { return Ok(()) };
        let now = Utc::now();
        let at = DateTime::parse_from_rfc3339(&envelope.at).map(|t| t.with_timezone(&Utc)).unwrap_or(now);
        reconcile(&self.db, product_id, at, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(stock: i32, threshold: i32, active: bool) -> product::Model {
        product::Model { stock, low_stock_threshold: threshold, active, ..crate::catalog::stock::tests::sample() }
    }

    #[test]
    fn levels() {
        assert_eq!(level_of(&product(10, 5, true)), None);
        assert_eq!(level_of(&product(5, 5, true)), Some(AlertLevel::Low));
        assert_eq!(level_of(&product(1, 5, true)), Some(AlertLevel::Low));
        assert_eq!(level_of(&product(0, 5, true)), Some(AlertLevel::Out));
        assert_eq!(level_of(&product(0, 0, true)), Some(AlertLevel::Out));
        assert_eq!(level_of(&product(0, 5, false)), None, "off sale: no alert");
        assert_eq!(level_of(&product(3, 5, false)), None);
    }
}
