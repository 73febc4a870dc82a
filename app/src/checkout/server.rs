//! Checkout services (ssr only): the quote, saved addresses, and placing
//! an order then opening its hosted payment.

use chrono::Utc;
use entity::address;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::domain::{
    Address, CheckoutQuote, FieldError, PlaceInput, ProviderChoice, SavedAddress, ShippingMethod, ShippingQuote,
    parse_lines,
};
use crate::account::domain::{Email, SessionUser};
use crate::cart::domain::CartView;
use crate::error::ServerError;
use crate::money::Money;
use crate::orders::server::{self as orders, Party, PlaceOrder};
use crate::payments::PaymentRequest;
use crate::state::AppState;

/// At most this many saved addresses per account.
pub const MAX_ADDRESSES: usize = 10;

pub fn quote(
    state: &AppState,
    cart: CartView,
    email: Option<String>,
    addresses: Vec<SavedAddress>,
    checkout_key: String,
) -> CheckoutQuote {
    let rules = &state.config.checkout;
    let subtotal = cart.subtotal();
    CheckoutQuote {
        shipping: ShippingMethod::ALL
            .into_iter()
            .map(|method| ShippingQuote { method, price: orders::shipping_price(rules, method, subtotal) })
            .collect(),
        providers: state.payments.choices().into_iter().map(|(id, label)| ProviderChoice { id, label }).collect(),
        cart,
        email,
        addresses,
        checkout_key,
        hold_minutes: (rules.hold.as_secs() / 60).max(1) as u32,
        draft: None,
    }
}

fn to_address(a: address::Model) -> SavedAddress {
    SavedAddress {
        id: a.id,
        address: Address {
            name: a.name,
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postcode: a.postcode,
            country: a.country,
            phone: a.phone,
        },
    }
}

pub async fn saved_addresses<C: ConnectionTrait>(db: &C, user: i32) -> Result<Vec<SavedAddress>, ServerError> {
    Ok(address::Entity::find()
        .filter(address::Column::UserId.eq(user))
        .order_by_desc(address::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_address)
        .collect())
}

/// One of `user`'s saved addresses; anyone else's (or none) is a 404.
pub async fn saved_address<C: ConnectionTrait>(db: &C, user: i32, id: i32) -> Result<Address, ServerError> {
    address::Entity::find_by_id(id)
        .filter(address::Column::UserId.eq(user))
        .one(db)
        .await?
        .map(|a| to_address(a).address)
        .ok_or(ServerError::NotFound)
}

/// Saves `a` for `user` unless they have it already (or have too many).
async fn save_address<C: ConnectionTrait>(db: &C, user: i32, a: &Address) -> Result<(), ServerError> {
    let existing = saved_addresses(db, user).await?;
    if existing.len() >= MAX_ADDRESSES || existing.iter().any(|s| s.address == *a) {
        return Ok(());
    }
    address::ActiveModel {
        user_id: Set(user),
        name: Set(a.name.clone()),
        line1: Set(a.line1.clone()),
        line2: Set(a.line2.clone()),
        city: Set(a.city.clone()),
        region: Set(a.region.clone()),
        postcode: Set(a.postcode.clone()),
        country: Set(a.country.clone()),
        phone: Set(a.phone.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A placed order and where the shopper goes next.
pub struct Placed {
    pub number: String,
    /// The order's private link secret.
    pub key: String,
    /// The provider's hosted payment page (or the order page, when the
    /// order is no longer waiting for a payment).
    pub go_to: String,
}

fn field(field: &str, message: &str) -> FieldError {
    FieldError { field: field.to_owned(), message: message.to_owned() }
}

/// Checks the whole form (every problem at once), places the order, opens
/// its hosted payment.
pub async fn place(
    state: &AppState,
    user: Option<&SessionUser>,
    client_ip: Option<String>,
    input: &PlaceInput,
) -> Result<Placed, ServerError> {
    if user.is_none() && !input.account.is_empty() {
        // Signed in when the form was shown, not now (the session ended or its
        // token lapsed): never place that order as a guest's.
        return Err(ServerError::SessionExpired);
    }
    let mut errors = Vec::new();
    let key = input.checkout_key.trim();
    if key.len() < 16 || key.len() > 64 || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ServerError::Validation {
            field: "checkout_key",
            message: "This checkout form is out of date: reload the page and try again.".into(),
        });
    }
    let email = match user {
        Some(u) => Some(u.email.clone()),
        None => match Email::parse(&input.email) {
            Ok(e) => Some(e.as_str().to_owned()),
            Err(m) => {
                errors.push(field("email", m));
                None
            }
        },
    };
    let address = match (user, input.address_id.trim()) {
        (Some(u), id) if !id.is_empty() => {
            let id: i32 = id.parse().map_err(|_| ServerError::NotFound)?;
            Some(saved_address(&state.db, u.id, id).await?)
        }
        _ => match Address::parse(&input.address) {
            Ok(a) => Some(a),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
    };
    let shipping = ShippingMethod::parse(&input.shipping);
    if shipping.is_none() {
        errors.push(field("shipping", "Choose a delivery option."));
    }
    let provider = state.payments.get(input.provider.trim()).cloned();
    if provider.is_none() {
        errors.push(field("provider", "Choose a payment method."));
    }
    let expected_subtotal =
        input.expected_subtotal.trim().parse::<i64>().ok().map(|m| Money::new(m, crate::money::CATALOG_CURRENCY));
    if expected_subtotal.is_none() {
        return Err(ServerError::Validation {
            field: "expected_subtotal",
            message: "This checkout form is out of date: reload the page and try again.".into(),
        });
    }
    let lines = match user {
        Some(u) => state
            .carts
            .lines(u.id)
            .await?
            .into_iter()
            .map(|(product_id, quantity)| crate::cart::domain::LineRequest { product_id, quantity })
            .collect(),
        None => parse_lines(&input.lines).ok_or_else(|| ServerError::Validation {
            field: "lines",
            message: "Your cart could not be read: reload the page and try again.".into(),
        })?,
    };
    let (Some(email), Some(address), Some(shipping), Some(provider)) = (email, address, shipping, provider) else {
        return Err(ServerError::Fields(errors));
    };
    if !errors.is_empty() {
        return Err(ServerError::Fields(errors));
    }
    let request = PlaceOrder {
        party: Party { user_id: user.map(|u| u.id), email: email.clone() },
        lines,
        address: address.clone(),
        shipping,
        provider: provider.id().to_owned(),
        checkout_key: key.to_owned(),
        expected_subtotal,
        client_ip,
    };
    let now = Utc::now();
    let placed = orders::place(&state.db, &state.config.checkout, &state.order_link_secret(), &request, now).await?;
    state.events.nudge();
    if let Some(u) = user
        && input.save_address.is_some()
        && input.address_id.trim().is_empty()
        && let Err(e) = save_address(&state.db, u.id, &address).await
    {
        tracing::warn!(error = %e, "saving the address failed; the order is placed");
    }
    let order_page = format!("/orders/{}", placed.number);
    if placed.status != entity::order::OrderStatus::Pending {
        return Ok(Placed { number: placed.number, key: placed.access_key, go_to: order_page });
    }
    let order = entity::order::Entity::find_by_id(placed.id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ServerError::Internal(format!("order {} vanished after placing", placed.number)))?;
    let go_to = open_payment(state, provider.as_ref(), &order).await?;
    Ok(Placed { number: placed.number, key: placed.access_key, go_to })
}

/// Goes back to the order's hosted payment while it is open (see
/// `PaymentProvider::resume`), or creates it (or finds it again: the order
/// number, and the attempt after a failed one, make the idempotency key),
/// and returns its page. Every amount sent comes
/// from the order's snapshot.
pub async fn open_payment(
    state: &AppState,
    provider: &dyn crate::payments::PaymentProvider,
    order: &entity::order::Model,
) -> Result<String, ServerError> {
    if let Some(reference) = &order.provider_ref {
        match provider.resume(reference).await {
            Ok(Some(page)) => return Ok(page),
            Ok(None) => {}
            Err(e) => tracing::warn!(order = %order.number, error = %e, "could not look at the last payment"),
        }
    }
    let request = payment_request(&state.db, &state.config.public_url, order).await?;
    let hosted = provider.create_payment(&request).await?;
    orders::set_provider_ref(&state.db, order.id, &hosted.reference).await?;
    Ok(hosted.redirect_url)
}

/// What the provider is asked to collect for `order`: its snapshot lines,
/// then shipping, adding up to its total.
pub async fn payment_request<C: ConnectionTrait>(
    db: &C,
    base: &str,
    order: &entity::order::Model,
) -> Result<PaymentRequest, ServerError> {
    use crate::payments::{LineKind, PaymentLine};
    use entity::order_line;
    let currency = crate::money::Currency::parse(&order.currency)
        .ok_or_else(|| ServerError::Internal(format!("order currency {}", order.currency)))?;
    let money = |minor| Money::new(minor, currency);
    let mut lines: Vec<PaymentLine> = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|l| PaymentLine {
            kind: LineKind::Product,
            name: format!("{} ({})", l.name, l.sku),
            unit_amount: money(l.unit_price_minor),
            quantity: u32::try_from(l.quantity).unwrap_or(0),
        })
        .collect();
    if order.shipping_minor > 0 {
        let method = super::domain::ShippingMethod::parse(&order.shipping_method)
            .map_or_else(|| order.shipping_method.clone(), |m| m.label().to_owned());
        lines.push(PaymentLine {
            kind: LineKind::Shipping,
            name: format!("Shipping: {method}"),
            unit_amount: money(order.shipping_minor),
            quantity: 1,
        });
    }
    let number = &order.number;
    // One key per attempt: retries of an attempt find its payment again,
    // and an attempt the provider failed is followed by a new payment.
    let idempotency_key = match orders::failed_attempts(db, order.id).await? {
        0 => number.clone(),
        failed => format!("{number}-{}", failed + 1),
    };
    let request = PaymentRequest {
        idempotency_key,
        order_number: number.clone(),
        amount: money(order.total_minor),
        lines,
        description: format!("OctaBlitz order {number}"),
        email: order.email.clone(),
        success_url: format!("{base}/orders/{number}?payment=done"),
        cancel_url: format!("{base}/orders/{number}?payment=cancelled"),
        expires_at: order.hold_expires_at.timestamp(),
    };
    if !request.lines_add_up() {
        return Err(ServerError::Internal(format!("order {number}: lines do not add up to its total")));
    }
    Ok(request)
}
