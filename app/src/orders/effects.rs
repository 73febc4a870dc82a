//! The one-time effects of a paid order (ssr only): the shopper's cart is
//! cleared and the confirmation is mailed. The transition to paid claims
//! them in the database (`orders.fulfilled_at`), so whichever of the
//! webhook, a redelivery or the return page got there first runs them, and
//! nobody runs them twice. If the process dies between the commit and the
//! mail, the mail is not sent (at most once, never twice).

use entity::{order, order_line};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::server::{EventResult, Fulfilment, access_key};
use crate::checkout::domain::country_name;
use crate::error::ServerError;
use crate::mail::Mail;
use crate::money::{Currency, Money};
use crate::state::AppState;

/// Runs the effects of `result` when it made an order paid. Failures are
/// logged: the payment itself is already recorded.
pub async fn after_event(state: &AppState, result: &EventResult) {
    // Whatever the event changed is committed: its store events may go out now.
    state.events.nudge();
    if let EventResult::Paid(f) = result
        && let Err(e) = fulfil(state, f).await
    {
        tracing::error!(order = %f.number, error = %e, "paid order: clearing the cart or mailing failed");
    }
}

async fn fulfil(state: &AppState, f: &Fulfilment) -> Result<(), ServerError> {
    if let Some(user) = f.user_id {
        state.carts.clear(user).await?;
    }
    let mail = confirmation(state, f).await?;
    state.mailer.send(&mail).await?;
    tracing::info!(order = %f.number, "order paid: cart cleared, confirmation queued");
    Ok(())
}

/// The private link of an order, for its owner.
pub fn order_link(public_url: &str, number: &str, key: &str) -> String {
    format!("{public_url}/orders/{number}?key={key}")
}

async fn confirmation(state: &AppState, f: &Fulfilment) -> Result<Mail, ServerError> {
    let o = order::Entity::find_by_id(f.order_id).one(&state.db).await?.ok_or(ServerError::NotFound)?;
    let lines = order_line::Entity::find().filter(order_line::Column::OrderId.eq(o.id)).all(&state.db).await?;
    let currency = Currency::parse(&o.currency).ok_or_else(|| ServerError::Internal("order currency".into()))?;
    let money = |m: i64| Money::new(m, currency).to_string();
    let key = access_key(&state.order_link_secret(), &o.checkout_key);
    let mut body = format!("Thank you for your order {}.\n\nWe received your payment.\n\n", o.number);
    for l in &lines {
        body.push_str(&format!(
            "{} x {} ({}) at {}: {}\n",
            l.quantity,
            l.name,
            l.sku,
            money(l.unit_price_minor),
            money(l.line_total_minor)
        ));
    }
    body.push_str(&format!(
        "\nSubtotal: {}\nShipping: {}\nTotal: {}\n\nShipping to:\n{}\n{}\n{}{} {}\n{}\n\n",
        money(o.subtotal_minor),
        money(o.shipping_minor),
        money(o.total_minor),
        o.ship_name,
        o.ship_line1,
        o.ship_line2.as_ref().map(|l| format!("{l}\n")).unwrap_or_default(),
        o.ship_postcode,
        o.ship_city,
        country_name(&o.ship_country).unwrap_or(&o.ship_country),
    ));
    body.push_str(&format!(
        "Follow your order here (keep this link to yourself):\n{}\n",
        order_link(&state.config.public_url, &o.number, &key)
    ));
    Ok(Mail { to: o.email, subject: format!("Your OctaBlitz order {}", o.number), body })
}
