//! Back-office queries (ssr only): the dashboard's counts, the orders
//! list with its filters, and one order as staff see it. Each takes any
//! connection; the server functions in `api` check the role and call them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use entity::order::{self, OrderStatus as Status, RefundStatus};
use entity::stock_movement::StockReason;
use entity::{order_event, order_line, product, user};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use super::domain::{
    AdminOrder, AlertFilter, AlertPage, AlertRow, AlertState, Dashboard, INBOX_PER_PAGE, InboxFilter, InboxOutcome,
    InboxPage, InboxRow, MovementView, ORDERS_PER_PAGE, OrderFilter, OrderPage, OrderRow, OrderSort, ProductStock,
    STOCK_PER_PAGE, StockFilter, StockLevel, StockPage, StockRow, TimelineEntry,
};
use crate::error::ServerError;
use crate::money::{CATALOG_CURRENCY, Currency, Money};
use crate::orders::domain::OrderStatus;
use crate::payments::Payments;

/// The statuses of an order whose payment the store keeps.
const PAID_OR_LATER: [Status; 4] = [Status::Paid, Status::Processing, Status::Shipped, Status::Delivered];

fn low_stock() -> Condition {
    Condition::all()
        .add(product::Column::Active.eq(true))
        .add(product::Column::Stock.gt(0))
        .add(Expr::col(product::Column::Stock).lte(Expr::col(product::Column::LowStockThreshold)))
}

/// The dashboard, at `now`.
pub async fn dashboard<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<Dashboard, ServerError> {
    let midnight = now.date_naive().and_time(NaiveTime::MIN).and_utc();
    let today = order::Entity::find()
        .filter(order::Column::CreatedAt.gte(midnight))
        .filter(order::Column::Status.is_in(PAID_OR_LATER));
    let orders_today = today.clone().count(db).await?;
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back to read it as i64.
    let revenue: Option<i64> = today
        .select_only()
        .column_as(Expr::cust("CAST(COALESCE(SUM(total_minor), 0) AS BIGINT)"), "revenue")
        .into_tuple()
        .one(db)
        .await?;
    let count_status = |s: Vec<Status>| order::Entity::find().filter(order::Column::Status.is_in(s)).count(db);
    let to_ship = count_status(vec![Status::Paid, Status::Processing]).await?;
    let held = count_status(vec![Status::Held]).await?;
    let refunds_open = order::Entity::find()
        .filter(order::Column::RefundStatus.is_in([RefundStatus::Requested, RefundStatus::Manual]))
        .count(db)
        .await?;
    let active = product::Entity::find().filter(product::Column::Active.eq(true));
    let active_products = active.clone().count(db).await?;
    let sold_out = active.filter(product::Column::Stock.lte(0)).count(db).await?;
    let low_stock_count = product::Entity::find().filter(low_stock()).count(db).await?;
    let open = list_alerts(db, &AlertFilter::default(), Dashboard::LIST).await?;
    Ok(Dashboard {
        orders_today,
        revenue_today: Money::new(revenue.unwrap_or(0), CATALOG_CURRENCY),
        to_ship,
        held,
        refunds_open,
        active_products,
        low_stock: low_stock_count,
        sold_out,
        alerts_open: open.total,
        alerts: open.rows,
    })
}

fn parse_day(field: &'static str, value: Option<&String>) -> Result<Option<NaiveDate>, ServerError> {
    value
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| ServerError::Validation { field, message: "Enter the date as YYYY-MM-DD.".into() })
        })
        .transpose()
}

/// `%text%` for LIKE, with the text's own `%`, `_` and `\` taken literally.
pub(super) fn contains(text: &str) -> LikeExpr {
    let escaped: String =
        text.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

fn filtered(f: &OrderFilter) -> Result<Select<order::Entity>, ServerError> {
    let mut q = order::Entity::find();
    if let Some(s) = f.status {
        q = q.filter(order::Column::Status.eq(Status::from(s)));
    }
    let (from, to) = (parse_day("from", f.from.as_ref())?, parse_day("to", f.to.as_ref())?);
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        return Err(ServerError::Validation { field: "to", message: "The end date is before the start date.".into() });
    }
    if let Some(day) = from {
        q = q.filter(order::Column::CreatedAt.gte(day.and_time(NaiveTime::MIN).and_utc()));
    }
    if let Some(day) = to.and_then(|d| d.succ_opt()) {
        q = q.filter(order::Column::CreatedAt.lt(day.and_time(NaiveTime::MIN).and_utc()));
    }
    // E-mail addresses are kept in lower case, order numbers in upper case.
    let texts = [
        ("email", f.email.as_ref().map(|v| v.to_lowercase()), order::Column::Email, 254),
        ("number", f.number.as_ref().map(|v| v.to_uppercase()), order::Column::Number, 17),
    ];
    for (field, value, column, max) in texts {
        if let Some(v) = value {
            if v.chars().count() > max {
                return Err(ServerError::Validation { field, message: "That is longer than any we keep.".into() });
            }
            q = q.filter(Expr::col((order::Entity, column)).like(contains(&v)));
        }
    }
    Ok(q)
}

/// One page of the orders matching `f`, and how many match in all.
pub async fn list_orders<C: ConnectionTrait>(
    db: &C,
    payments: &Payments,
    f: &OrderFilter,
) -> Result<OrderPage, ServerError> {
    let q = filtered(f)?;
    let total = q.clone().count(db).await?;
    let pages = std::cmp::max(total.div_ceil(ORDERS_PER_PAGE), 1);
    let page = f.page.clamp(1, pages);
    let q = match f.sort {
        OrderSort::Newest => q.order_by_desc(order::Column::CreatedAt).order_by_desc(order::Column::Id),
        OrderSort::Oldest => q.order_by_asc(order::Column::CreatedAt).order_by_asc(order::Column::Id),
        OrderSort::TotalDesc => q.order_by_desc(order::Column::TotalMinor).order_by_desc(order::Column::Id),
        OrderSort::TotalAsc => q.order_by_asc(order::Column::TotalMinor).order_by_asc(order::Column::Id),
    };
    let orders = q.offset((page - 1) * ORDERS_PER_PAGE).limit(ORDERS_PER_PAGE).all(db).await?;
    let ids: Vec<i32> = orders.iter().map(|o| o.id).collect();
    let mut items: BTreeMap<i32, u32> = BTreeMap::new();
    for l in order_line::Entity::find().filter(order_line::Column::OrderId.is_in(ids)).all(db).await? {
        *items.entry(l.order_id).or_insert(0) += u32::try_from(l.quantity).unwrap_or(0);
    }
    let rows = orders
        .into_iter()
        .map(|o| {
            let currency = Currency::parse(&o.currency)
                .ok_or_else(|| ServerError::Internal(format!("currency {}", o.currency)))?;
            Ok(OrderRow {
                items: items.get(&o.id).copied().unwrap_or(0),
                placed_at: o.created_at.to_rfc3339(),
                total: Money::new(o.total_minor, currency),
                status: o.status.into(),
                provider: payments.get(&o.provider).map_or_else(|| o.provider.clone(), |p| p.label().to_owned()),
                number: o.number,
                email: o.email,
            })
        })
        .collect::<Result<Vec<_>, ServerError>>()?;
    Ok(OrderPage { rows, total, page, pages })
}

/// The e-mail addresses of the staff among `actors` (`admin:<id>`).
async fn staff_names<'a, C: ConnectionTrait>(
    db: &C,
    actors: impl Iterator<Item = &'a str>,
) -> Result<BTreeMap<i32, String>, ServerError> {
    let ids: Vec<i32> = actors.filter_map(|a| a.strip_prefix("admin:").and_then(|id| id.parse().ok())).collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect())
}

/// Who made a step, in staff words.
fn actor_name(actor: &str, admins: &BTreeMap<i32, String>, payments: &Payments) -> String {
    if let Some(id) = actor.strip_prefix("admin:") {
        return id.parse().ok().and_then(|id| admins.get(&id).cloned()).unwrap_or_else(|| format!("Staff #{id}"));
    }
    if let Some(p) = actor.strip_prefix("provider:") {
        return payments.get(p).map_or_else(|| p.to_owned(), |p| p.label().to_owned());
    }
    match actor {
        "customer" => "Shopper".to_owned(),
        "system" => "Store (automatic)".to_owned(),
        other => other.to_owned(),
    }
}

fn refund_words(status: RefundStatus, reference: Option<&str>) -> String {
    match status {
        RefundStatus::Requested => {
            "Requested: the provider could not be reached yet; the store asks again at every sweep (30 s by default)."
                .to_owned()
        }
        RefundStatus::Pending => {
            format!("Accepted by the provider ({}), the money is under way.", reference.unwrap_or("no id"))
        }
        RefundStatus::Refunded => format!("Refunded ({}).", reference.unwrap_or("no id")),
        RefundStatus::Manual => format!("Refund by hand. {}", reference.unwrap_or_default()),
    }
}

/// Order `number` as staff see it.
pub async fn order_for_admin<C: ConnectionTrait>(
    db: &C,
    payments: &Payments,
    number: &str,
) -> Result<AdminOrder, ServerError> {
    if !crate::orders::server::is_order_number(number) {
        return Err(ServerError::NotFound);
    }
    let o =
        order::Entity::find().filter(order::Column::Number.eq(number)).one(db).await?.ok_or(ServerError::NotFound)?;
    let events = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(o.id))
        .order_by_asc(order_event::Column::Id)
        .all(db)
        .await?;
    let admin_ids: Vec<i32> =
        events.iter().filter_map(|e| e.actor.strip_prefix("admin:").and_then(|id| id.parse().ok())).collect();
    let admins: BTreeMap<i32, String> = if admin_ids.is_empty() {
        BTreeMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(admin_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect()
    };
    let timeline = events
        .iter()
        .map(|e| TimelineEntry {
            at: e.created_at.to_rfc3339(),
            from: e.from_status.map(Into::into),
            to: e.to_status.into(),
            by: actor_name(&e.actor, &admins, payments),
            note: e.note.clone(),
        })
        .collect();
    let next = OrderStatus::from(o.status).admin_next();
    let (provider_ref, paid_at) = (o.provider_ref.clone(), o.paid_at.map(|t| t.to_rfc3339()));
    let (review_reason, cancel_reason, stock_held) = (o.review_reason.clone(), o.cancel_reason.clone(), o.stock_held);
    let refund = o.refund_status.map(|s| refund_words(s, o.refund_reference.as_deref()));
    let refund_manual = o.refund_status == Some(RefundStatus::Manual);
    let order = crate::orders::server::view_of(db, o, payments).await?;
    Ok(AdminOrder {
        order,
        provider_ref,
        paid_at,
        review_reason,
        cancel_reason,
        refund,
        refund_manual,
        stock_held,
        timeline,
        next,
    })
}

fn stock_row(p: product::Model) -> StockRow {
    StockRow {
        id: p.id,
        name: p.name,
        sku: p.sku,
        slug: p.slug,
        stock: p.stock,
        threshold: p.low_stock_threshold,
        active: p.active,
    }
}

/// One page of the low-stock alerts `f` asks for, `per_page` at a time:
/// open ones most urgent first (sold out, then the fewest left, then the
/// oldest), the others newest first.
pub async fn list_alerts<C: ConnectionTrait>(db: &C, f: &AlertFilter, per_page: u64) -> Result<AlertPage, ServerError> {
    use entity::stock_alert::{self as alert, AlertLevel};
    use sea_orm::Order;
    let q = alert::Entity::find();
    let q = match f.state {
        AlertState::Open => q
            .filter(alert::Column::ResolvedAt.is_null())
            .filter(alert::Column::DismissedAt.is_null())
            .order_by(alert::Column::Level, Order::Desc)
            .order_by(alert::Column::Stock, Order::Asc)
            .order_by(alert::Column::RaisedAt, Order::Asc),
        AlertState::Dismissed => q
            .filter(alert::Column::ResolvedAt.is_null())
            .filter(alert::Column::DismissedAt.is_not_null())
            .order_by(alert::Column::DismissedAt, Order::Desc),
        AlertState::Closed => {
            q.filter(alert::Column::ResolvedAt.is_not_null()).order_by(alert::Column::ResolvedAt, Order::Desc)
        }
    };
    let total = q.clone().count(db).await?;
    let pages = std::cmp::max(total.div_ceil(per_page), 1);
    let page = f.page.clamp(1, pages);
    let rows = q.order_by_asc(alert::Column::Id).offset((page - 1) * per_page).limit(per_page).all(db).await?;
    let products: BTreeMap<i32, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(rows.iter().map(|a| a.product_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let actors: Vec<String> = rows.iter().filter_map(|a| a.dismissed_by.map(|id| format!("admin:{id}"))).collect();
    let admins = staff_names(db, actors.iter().map(String::as_str)).await?;
    let rows = rows
        .into_iter()
        .map(|a| {
            let p = products.get(&a.product_id);
            AlertRow {
                id: a.id,
                product_id: a.product_id,
                name: p.map(|p| p.name.clone()).unwrap_or_default(),
                sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
                out: a.level == AlertLevel::Out,
                stock: a.stock,
                threshold: a.threshold,
                raised_at: a.raised_at.to_rfc3339(),
                dismissed: a.dismissed_at.map(|at| {
                    let by = a.dismissed_by.and_then(|id| admins.get(&id).cloned()).unwrap_or_else(|| "staff".into());
                    format!("Dismissed {} by {by}", crate::ui::when(&at.to_rfc3339()))
                }),
                resolved_at: a.resolved_at.map(|t| t.to_rfc3339()),
            }
        })
        .collect();
    Ok(AlertPage { rows, total, page, pages })
}

/// One page of products for the stock list: lowest stock first.
pub async fn list_stock<C: ConnectionTrait>(db: &C, f: &StockFilter) -> Result<StockPage, ServerError> {
    // Deleted products stay out (the products list shows them).
    let mut q = product::Entity::find().filter(product::Column::DeletedAt.is_null());
    match f.level {
        StockLevel::All => {}
        StockLevel::Low => q = q.filter(low_stock()),
        StockLevel::Out => q = q.filter(product::Column::Active.eq(true)).filter(product::Column::Stock.lte(0)),
    }
    if let Some(text) = &f.q {
        if text.chars().count() > 100 {
            return Err(ServerError::Validation { field: "q", message: "Search with at most 100 characters.".into() });
        }
        let like = |col: product::Column, v: String| {
            Expr::expr(Func::lower(Expr::col((product::Entity, col)))).like(contains(&v))
        };
        q = q.filter(
            Condition::any()
                .add(like(product::Column::Name, text.to_lowercase()))
                .add(like(product::Column::Sku, text.to_lowercase())),
        );
    }
    let total = q.clone().count(db).await?;
    let pages = std::cmp::max(total.div_ceil(STOCK_PER_PAGE), 1);
    let page = f.page.clamp(1, pages);
    let rows = q
        .order_by_asc(product::Column::Stock)
        .order_by_asc(product::Column::Id)
        .offset((page - 1) * STOCK_PER_PAGE)
        .limit(STOCK_PER_PAGE)
        .all(db)
        .await?
        .into_iter()
        .map(stock_row)
        .collect();
    Ok(StockPage { rows, total, page, pages })
}

fn reason_words(r: StockReason) -> &'static str {
    match r {
        StockReason::Initial => "Opening stock",
        StockReason::Received => "Received",
        StockReason::Correction => "Correction",
        StockReason::Damaged => "Damaged",
        StockReason::Returned => "Returned",
        StockReason::Reserved => "Reserved by an order",
        StockReason::Released => "Released by an order",
    }
}

/// One page of the payment-events inbox.
pub async fn payment_events<C: ConnectionTrait>(db: &C, f: &InboxFilter) -> Result<InboxPage, ServerError> {
    use entity::payment_event::{self as inbox, EventOutcome};
    let mut q = inbox::Entity::find();
    if let Some(p) = &f.provider {
        q = q.filter(inbox::Column::Provider.eq(p.as_str()));
    }
    if let Some(o) = f.outcome {
        q = q.filter(inbox::Column::Outcome.eq(match o {
            InboxOutcome::Applied => EventOutcome::Applied,
            InboxOutcome::Held => EventOutcome::Held,
            InboxOutcome::Ignored => EventOutcome::Ignored,
            InboxOutcome::Refused => EventOutcome::Refused,
        }));
    }
    let total = q.clone().count(db).await?;
    let pages = std::cmp::max(total.div_ceil(INBOX_PER_PAGE), 1);
    let page = f.page.clamp(1, pages);
    let rows = q
        .order_by_desc(inbox::Column::ReceivedAt)
        .order_by_desc(inbox::Column::Id)
        .offset((page - 1) * INBOX_PER_PAGE)
        .limit(INBOX_PER_PAGE)
        .all(db)
        .await?;
    let order_ids: Vec<i32> = rows.iter().filter_map(|r| r.order_id).collect();
    let orders: BTreeMap<i32, (String, Status)> = order::Entity::find()
        .filter(order::Column::Id.is_in(order_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, (o.number, o.status)))
        .collect();
    let actors: Vec<String> = rows.iter().filter_map(|r| r.replayed_by.map(|id| format!("admin:{id}"))).collect();
    let admins = staff_names(db, actors.iter().map(String::as_str)).await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let order = r.order_id.and_then(|id| orders.get(&id));
            let outcome = match r.outcome {
                EventOutcome::Applied => InboxOutcome::Applied,
                EventOutcome::Held => InboxOutcome::Held,
                EventOutcome::Ignored => InboxOutcome::Ignored,
                EventOutcome::Refused => InboxOutcome::Refused,
            };
            InboxRow {
                id: r.id,
                replayable: outcome == InboxOutcome::Held
                    && r.replayed_at.is_none()
                    && order.is_some_and(|(_, s)| *s == Status::Held),
                replayed: r.replayed_at.map(|at| {
                    let by = r.replayed_by.and_then(|id| admins.get(&id).cloned()).unwrap_or_else(|| "staff".into());
                    format!("Accepted {} by {by}", crate::ui::when(&at.to_rfc3339()))
                }),
                order: order.map(|(n, _)| n.clone()),
                provider: r.provider,
                event_id: r.event_id,
                event_type: r.event_type,
                outcome,
                deliveries: r.deliveries,
                detail: r.detail,
                received_at: r.received_at.to_rfc3339(),
            }
        })
        .collect();
    Ok(InboxPage { rows, total, page, pages })
}

/// Accepts held payment event `id` after review: its order moves held →
/// paid through the status machine (taking the stock again, refused while
/// it is not there), and the event is marked accepted, once.
pub async fn replay_held_event(
    db: &sea_orm::DatabaseConnection,
    payments: &Payments,
    id: i32,
    admin_id: i32,
    now: DateTime<Utc>,
) -> Result<crate::orders::fulfilment::Changed, ServerError> {
    use entity::payment_event::{self as inbox, EventOutcome};
    let row = inbox::Entity::find_by_id(id).one(db).await?.ok_or(ServerError::NotFound)?;
    let order_id = match (row.outcome, row.order_id, row.replayed_at) {
        (EventOutcome::Held, Some(order_id), None) => order_id,
        _ => {
            return Err(ServerError::Validation {
                field: "id",
                message: "Only a held event that was not accepted yet can be accepted.".into(),
            });
        }
    };
    let number = order::Entity::find_by_id(order_id).one(db).await?.ok_or(ServerError::NotFound)?.number;
    let change = crate::orders::fulfilment::StatusChange {
        from: Status::Held,
        to: Status::Paid,
        note: Some(format!("Accepted after review of {} event {}", row.provider, row.event_id)),
        tracking: None,
    };
    let changed = crate::orders::fulfilment::change_status(db, payments, &number, &change, admin_id, now).await?;
    inbox::Entity::update_many()
        .col_expr(inbox::Column::ReplayedAt, Expr::value(now))
        .col_expr(inbox::Column::ReplayedBy, Expr::value(admin_id))
        .filter(inbox::Column::Id.eq(id))
        .filter(inbox::Column::ReplayedAt.is_null())
        .exec(db)
        .await?;
    Ok(changed)
}

/// How many ledger rows the product page shows.
pub const LEDGER_ROWS: u64 = 100;

/// Product `id`'s stock and the newest rows of its ledger.
pub async fn product_stock<C: ConnectionTrait>(
    db: &C,
    payments: &Payments,
    id: i32,
) -> Result<ProductStock, ServerError> {
    let p = product::Entity::find_by_id(id).one(db).await?.ok_or(ServerError::NotFound)?;
    let (rows, total_movements) = crate::catalog::stock::history(db, id, LEDGER_ROWS).await?;
    let ledger_sum = crate::catalog::stock::ledger_sum(db, id).await?;
    let order_ids: Vec<i32> = rows.iter().filter_map(|m| m.order_id).collect();
    let numbers: BTreeMap<i32, String> = if order_ids.is_empty() {
        BTreeMap::new()
    } else {
        order::Entity::find()
            .filter(order::Column::Id.is_in(order_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.number))
            .collect()
    };
    let admins = staff_names(db, rows.iter().map(|m| m.actor.as_str())).await?;
    let movements = rows
        .into_iter()
        .map(|m| MovementView {
            at: m.created_at.to_rfc3339(),
            delta: m.delta,
            reason: reason_words(m.reason).to_owned(),
            order: m.order_id.and_then(|id| numbers.get(&id).cloned()),
            by: actor_name(&m.actor, &admins, payments),
            note: m.note,
        })
        .collect();
    Ok(ProductStock { product: stock_row(p), movements, total_movements, ledger_sum })
}

/// The most orders one bulk move takes (two pages of the list).
pub const BULK_MAX: usize = 100;

/// Moves each of orders `numbers` the way `mv` says, each through the status
/// machine in its own transaction (one order's refusal leaves the others
/// moved). An order not in the status the move starts from is left as it
/// is, with why.
pub async fn bulk_move(
    db: &sea_orm::DatabaseConnection,
    payments: &Payments,
    numbers: &[String],
    mv: super::domain::BulkOrderMove,
    admin_id: i32,
    now: DateTime<Utc>,
) -> Result<(super::domain::BulkReport, Vec<crate::orders::fulfilment::Changed>), ServerError> {
    use crate::orders::fulfilment::{StatusChange, change_status};
    let mut numbers: Vec<String> = numbers.iter().map(|n| n.trim().to_uppercase()).filter(|n| !n.is_empty()).collect();
    numbers.sort();
    numbers.dedup();
    if numbers.is_empty() {
        return Err(ServerError::Validation { field: "numbers", message: "Select at least one order.".into() });
    }
    if numbers.len() > BULK_MAX {
        return Err(ServerError::Validation {
            field: "numbers",
            message: format!("Select at most {BULK_MAX} orders at a time."),
        });
    }
    let (from, to) = mv.moves();
    let change = StatusChange { from: from.into(), to: to.into(), note: None, tracking: None };
    let mut report = super::domain::BulkReport { to, done: Vec::new(), skipped: Vec::new() };
    let mut changed = Vec::new();
    for number in numbers {
        match change_status(db, payments, &number, &change, admin_id, now).await {
            Ok(c) => {
                report.done.push(number);
                changed.push(c);
            }
            Err(ServerError::NotFound) => report.skipped.push((number, "no such order".into())),
            Err(ServerError::Conflict | ServerError::IllegalTransition { .. }) => {
                let status = order::Entity::find().filter(order::Column::Number.eq(&number)).one(db).await?;
                let why = match status {
                    Some(o) => format!("{}, not {}", OrderStatus::from(o.status).admin_label(), from.admin_label()),
                    None => "no such order".into(),
                };
                report.skipped.push((number, why));
            }
            Err(e) => {
                // The orders moved so far stay moved; the report says which.
                tracing::error!(order = %number, error = %e, "bulk move failed for one order");
                report.skipped.push((number, "could not be moved: try it on its own page".into()));
            }
        }
    }
    Ok((report, changed))
}
