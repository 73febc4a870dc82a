//! The back office's moves of an order (ssr only): preparing, shipping,
//! delivering, accepting a held payment, cancelling with its stock and its
//! refund. Every move is checked by the status machine
//! ([`OrderStatus::may_become`](crate::orders::domain::OrderStatus::may_become)),
//! made conditional on the status the admin saw (two admins clicking at
//! once move it once), and recorded in the order's history in the same
//! transaction.

use chrono::{DateTime, Utc};
use entity::order::{self, OrderStatus as Status, RefundStatus};
use entity::order_line;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};

use super::server::{ADMIN_ACTOR, Fulfilment, fulfilment, order_movements, record_event};
use crate::catalog::stock::move_stock;
use crate::error::ServerError;
use crate::money::{Currency, Money};
use crate::orders::domain::{Mover, OrderStatus as DomainStatus};
use crate::payments::{PaymentError, Payments};

/// What an admin asks for: move the order from the status they saw to `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    /// The status the admin's page showed: if the order moved since, nothing happens.
    pub from: Status,
    pub to: Status,
    /// For the order's history (staff only).
    pub note: Option<String>,
    /// Required for shipped.
    pub tracking: Option<String>,
}

/// What a move did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    pub order_id: i32,
    pub number: String,
    pub to: Status,
    /// The order's stock went back on the shelf (a cancel of an order that held it).
    pub returned_stock: bool,
    /// Where the refund a cancel owes stands after asking the provider once.
    pub refund: Option<RefundStatus>,
    /// A held payment was accepted: its one-time effects (cart, mail) are due.
    pub paid: Option<Fulfilment>,
}

/// The longest note kept with a move.
pub const MAX_NOTE: usize = 500;

/// A carrier's tracking number: 4 to 40 letters, digits, spaces or dashes,
/// kept in capitals without the spaces.
pub fn parse_tracking(raw: &str) -> Result<String, ServerError> {
    let cleaned: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let bad = || ServerError::Validation {
        field: "tracking",
        message: "Enter the carrier's tracking number: 4 to 40 letters, digits or dashes.".into(),
    };
    if !(4..=40).contains(&cleaned.len()) || !cleaned.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(bad());
    }
    Ok(cleaned)
}

fn parse_note(note: Option<&str>) -> Result<Option<String>, ServerError> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    match note {
        Some(n) if n.chars().count() > MAX_NOTE => {
            Err(ServerError::Validation { field: "note", message: format!("Keep the note to {MAX_NOTE} characters.") })
        }
        Some(n) if n.chars().any(|c| c.is_control() && c != '\n') => {
            Err(ServerError::Validation { field: "note", message: "The note has characters it cannot keep.".into() })
        }
        n => Ok(n.map(str::to_owned)),
    }
}

/// Moves order `number` as admin `admin_id` asks. An illegal move is
/// [`ServerError::IllegalTransition`]; an order that moved since the admin
/// looked is [`ServerError::Conflict`]; either way nothing changes.
///
/// - Cancelled: the stock it holds goes back exactly once; a paid (or held)
///   order owes its payment back: the refund is asked of its provider at
///   once (and again by the sweeper while the provider cannot be reached),
///   or marked for a manual refund when the provider is not enabled or
///   refuses.
/// - Held → paid: the stock is taken again if the hold had ended; if it is
///   gone, the move is refused with the product's name.
/// - Shipped: needs the tracking number, which the shopper then sees.
#[tracing::instrument(skip(db, payments, change), fields(to = ?change.to))]
pub async fn change_status(
    db: &DatabaseConnection,
    payments: &Payments,
    number: &str,
    change: &StatusChange,
    admin_id: i32,
    now: DateTime<Utc>,
) -> Result<Changed, ServerError> {
    let (from, to) = (change.from, change.to);
    if !DomainStatus::from(from).may_become(to.into(), Mover::Admin) {
        return Err(ServerError::IllegalTransition { from: from.into(), to: to.into() });
    }
    let note = parse_note(change.note.as_deref())?;
    let tracking = match to {
        Status::Shipped => Some(parse_tracking(change.tracking.as_deref().unwrap_or_default())?),
        _ => None,
    };
    // Read before the transaction: on SQLite a transaction that reads first
    // and writes later can be refused the write lock ("database is locked").
    let o =
        order::Entity::find().filter(order::Column::Number.eq(number)).one(db).await?.ok_or(ServerError::NotFound)?;
    if o.status != from {
        return Err(ServerError::Conflict);
    }
    let owes_refund = to == Status::Cancelled && matches!(from, Status::Paid | Status::Processing | Status::Held);
    let refund = owes_refund.then(|| match (payments.get(&o.provider), &o.provider_ref) {
        (Some(_), Some(_)) => (RefundStatus::Requested, None),
        (None, _) => (
            RefundStatus::Manual,
            Some(format!("The payment provider “{}” is not enabled: refund the shopper by hand.", o.provider)),
        ),
        (Some(_), None) => (RefundStatus::Manual, Some("The order has no payment reference: refund by hand.".into())),
    });

    let txn = db.begin().await?;
    let mut update = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(to))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.eq(o.id))
        .filter(order::Column::Status.eq(from));
    if let Some(t) = &tracking {
        update = update.col_expr(order::Column::TrackingNumber, Expr::value(t.clone()));
    }
    if to == Status::Cancelled {
        let reason = note.clone().unwrap_or_else(|| "Cancelled by the store.".to_owned());
        update = update.col_expr(order::Column::CancelReason, Expr::value(reason));
    }
    if let Some((status, reference)) = &refund {
        update = update
            .col_expr(order::Column::RefundStatus, Expr::value(*status))
            .col_expr(order::Column::RefundReference, Expr::value(reference.clone()));
    }
    if to == Status::Paid && o.paid_at.is_none() {
        update = update.col_expr(order::Column::PaidAt, Expr::value(now));
    }
    if update.exec(&txn).await?.rows_affected != 1 {
        txn.rollback().await?;
        return Err(ServerError::Conflict);
    }

    let actor = format!("{ADMIN_ACTOR}{admin_id}");
    let mut returned_stock = false;
    let mut paid = None;
    match to {
        Status::Cancelled if set_stock_held(&txn, o.id, false, now).await? => {
            if let Some(id) = move_stock(&txn, &order_movements(&txn, o.id, 1, &actor).await?, now).await? {
                return Err(ServerError::Internal(format!("stock of product {id} could not be returned")));
            }
            returned_stock = true;
        }
        Status::Paid => {
            if set_stock_held(&txn, o.id, true, now).await? {
                let take = order_movements(&txn, o.id, -1, &actor).await?;
                if let Some(short) = move_stock(&txn, &take, now).await? {
                    txn.rollback().await?;
                    return Err(out_of_stock(db, o.id, short).await?);
                }
            }
            let claimed = order::Entity::update_many()
                .col_expr(order::Column::FulfilledAt, Expr::value(now))
                .filter(order::Column::Id.eq(o.id))
                .filter(order::Column::FulfilledAt.is_null())
                .exec(&txn)
                .await?
                .rows_affected
                == 1;
            paid = claimed.then(|| fulfilment(&o));
        }
        _ => {}
    }
    record_event(&txn, o.id, Some(from), to, &actor, note, now).await?;
    txn.commit().await?;
    tracing::info!(order = %o.number, ?from, ?to, admin = admin_id, returned_stock, "order moved in the back office");

    let refund = match refund {
        Some((RefundStatus::Requested, _)) => Some(refund_order(db, payments, o.id, now).await?),
        other => other.map(|(status, _)| status),
    };
    Ok(Changed { order_id: o.id, number: o.number, to, returned_stock, refund, paid })
}

/// Flips `stock_held` to `held` if it is not already: true for the one
/// caller who did, who then moves the stock.
async fn set_stock_held<C: sea_orm::ConnectionTrait>(
    db: &C,
    order_id: i32,
    held: bool,
    now: DateTime<Utc>,
) -> Result<bool, ServerError> {
    Ok(order::Entity::update_many()
        .col_expr(order::Column::StockHeld, Expr::value(held))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.eq(order_id))
        .filter(order::Column::StockHeld.eq(!held))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// The refusal of accepting a held payment whose stock is gone.
async fn out_of_stock(db: &DatabaseConnection, order_id: i32, product_id: i32) -> Result<ServerError, ServerError> {
    let line = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .filter(order_line::Column::ProductId.eq(product_id))
        .one(db)
        .await?;
    let what = line.map_or_else(|| format!("Product {product_id}"), |l| format!("{} (SKU {})", l.name, l.sku));
    Ok(ServerError::Validation {
        field: "status",
        message: format!("{what} is not in stock: restock it first, or cancel the order and refund it."),
    })
}

/// Asks the provider for the refund order `order_id` owes (once per order:
/// the idempotency key is `{number}-cancelled`, so asking again gets the
/// same refund back) and records the answer. Unreachable: stays
/// `requested` for the sweeper. Refused (an amount other than what was
/// paid, a payment the provider does not know): `manual`, with the reason.
pub async fn refund_order(
    db: &DatabaseConnection,
    payments: &Payments,
    order_id: i32,
    now: DateTime<Utc>,
) -> Result<RefundStatus, ServerError> {
    let o = order::Entity::find_by_id(order_id).one(db).await?.ok_or(ServerError::NotFound)?;
    let Some(status) = o.refund_status else { return Err(ServerError::Internal("no refund is owed".into())) };
    if status != RefundStatus::Requested {
        return Ok(status);
    }
    let currency = Currency::parse(&o.currency).ok_or_else(|| ServerError::Internal("order currency".into()))?;
    let amount = Money::new(o.total_minor, currency);
    let (Some(provider), Some(reference)) = (payments.get(&o.provider), o.provider_ref.as_deref()) else {
        return record_refund(db, &o, RefundStatus::Manual, Some("The payment provider is not enabled.".into()), now)
            .await;
    };
    let answer = provider.refund(reference, amount, &format!("{}-cancelled", o.number)).await;
    let (status, reference) = match answer {
        Ok(r) => match r.status {
            crate::payments::RefundStatus::Succeeded => (RefundStatus::Refunded, Some(r.id)),
            crate::payments::RefundStatus::Pending => (RefundStatus::Pending, Some(r.id)),
            crate::payments::RefundStatus::Failed => {
                (RefundStatus::Manual, Some(format!("The provider's refund {} failed: refund by hand.", r.id)))
            }
        },
        Err(PaymentError::Unreachable(e)) => {
            tracing::warn!(order = %o.number, error = %e, "refund: provider unreachable, the sweeper asks again");
            return Ok(RefundStatus::Requested);
        }
        Err(e @ (PaymentError::Refused(_) | PaymentError::UnknownPayment(_))) => {
            tracing::warn!(order = %o.number, error = %e, "refund refused: refund by hand");
            (RefundStatus::Manual, Some(format!("The provider refused the refund ({e}): refund by hand.")))
        }
    };
    record_refund(db, &o, status, reference, now).await
}

/// Writes where the refund stands, if no one else wrote it first.
async fn record_refund(
    db: &DatabaseConnection,
    o: &order::Model,
    status: RefundStatus,
    reference: Option<String>,
    now: DateTime<Utc>,
) -> Result<RefundStatus, ServerError> {
    let mut update = order::Entity::update_many()
        .col_expr(order::Column::RefundStatus, Expr::value(status))
        .col_expr(order::Column::RefundReference, Expr::value(reference))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.eq(o.id))
        .filter(order::Column::RefundStatus.eq(RefundStatus::Requested));
    if status == RefundStatus::Refunded {
        update = update.col_expr(order::Column::RefundedAt, Expr::value(now));
    }
    if update.exec(db).await?.rows_affected == 1 {
        tracing::info!(order = %o.number, ?status, "refund recorded");
        return Ok(status);
    }
    // Another server recorded it first: theirs stands.
    let now = order::Entity::find_by_id(o.id).one(db).await?.and_then(|o| o.refund_status);
    Ok(now.unwrap_or(status))
}

/// Records that staff refunded order `number` by hand (`how`: a bank
/// transfer's reference, a note), once, and only for a refund marked
/// `manual`: the dashboard stops counting it.
pub async fn mark_refunded(
    db: &DatabaseConnection,
    number: &str,
    how: &str,
    admin_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    let how = how.trim();
    if how.is_empty() || how.chars().count() > 200 {
        return Err(ServerError::Validation {
            field: "how",
            message: "Say how it was refunded (a transfer reference, a note), in up to 200 characters.".into(),
        });
    }
    let done = order::Entity::update_many()
        .col_expr(order::Column::RefundStatus, Expr::value(RefundStatus::Refunded))
        .col_expr(order::Column::RefundReference, Expr::value(format!("Refunded by hand (staff #{admin_id}): {how}")))
        .col_expr(order::Column::RefundedAt, Expr::value(now))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Number.eq(number))
        .filter(order::Column::RefundStatus.eq(RefundStatus::Manual))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(match order::Entity::find().filter(order::Column::Number.eq(number)).one(db).await? {
            None => ServerError::NotFound,
            Some(_) => ServerError::Validation {
                field: "how",
                message: "Only a refund waiting to be done by hand can be marked as refunded.".into(),
            },
        });
    }
    Ok(())
}

/// Asks again for every refund still `requested` (the provider could not
/// be reached). Returns how many are no longer waiting.
pub async fn retry_refunds(
    db: &DatabaseConnection,
    payments: &Payments,
    now: DateTime<Utc>,
) -> Result<u32, ServerError> {
    let due: Vec<i32> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .filter(order::Column::RefundStatus.eq(RefundStatus::Requested))
        .order_by_asc(order::Column::UpdatedAt)
        .limit(100)
        .into_tuple()
        .all(db)
        .await?;
    let mut settled = 0;
    for id in due {
        if refund_order(db, payments, id, now).await? != RefundStatus::Requested {
            settled += 1;
        }
    }
    Ok(settled)
}
