//! `/checkout`: one server-rendered form (address, delivery, payment) over
//! the cart as the server checks it now. Works without JavaScript for a
//! signed-in shopper; a guest's cart lives in the browser, so a guest
//! checks out with JavaScript (or signs in, which merges the cart).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::api::{PlaceOrder, get_checkout};
use super::domain::{COUNTRIES, CheckoutQuote};
use crate::cart::state::Cart;
use crate::error::{AppError, message};
use crate::ui::PageMeta;

/// Fields whose messages are shown next to them rather than at the top.
const FIELD_NAMES: &[&str] =
    &["email", "name", "line1", "line2", "city", "region", "postcode", "country", "phone", "shipping", "provider"];

/// The error of the last placement: in-page, or from a no-JavaScript post.
fn place_error(action: ServerAction<PlaceOrder>) -> Signal<Option<AppError>> {
    let from_url = crate::error::form_error_from_url(|path| path == PlaceOrder::PATH);
    Signal::derive(move || action.value().get().and_then(Result::err).or_else(from_url))
}

/// The message for `field`, if the last error named it.
fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || match error.get()? {
        AppError::Fields { fields } => fields.into_iter().find(|f| f.field == field).map(|f| f.message),
        AppError::Validation { field: f, message } if f == field => Some(message),
        _ => None,
    }
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let cart = expect_context::<Cart>();
    let quote = Resource::new(move || cart.guest_lines().unwrap_or_default(), get_checkout);
    let place = ServerAction::<PlaceOrder>::new();
    let error = place_error(place);
    // Hydrated: the server answers with the payment page to go to.
    Effect::new(move |_| {
        if let Some(Ok(url)) = place.value().get() {
            #[cfg(feature = "hydrate")]
            let _ = window().location().set_href(&url);
            #[cfg(not(feature = "hydrate"))]
            let _ = url;
        }
    });
    view! {
        <PageMeta title="Checkout" robots="noindex" />
        <section class="checkout">
            <h1>"Checkout"</h1>
            <Suspense fallback=|| view! { <p class="muted" role="status">"Loading your order…"</p> }>
                {move || Suspend::new(async move {
                    match quote.await {
                        Err(e) => view! { <p class="form-error" role="alert">{message(&e)}</p> }.into_any(),
                        Ok(q) if q.email.is_none() && cart.guest_lines().is_none() => {
                            view! {
                                <p class="muted" role="status">"Loading your cart…"</p>
                                <noscript>
                                    <p>
                                        "A guest cart is kept by your browser and needs JavaScript. "
                                        <a href="/sign-in?next=/checkout">"Sign in"</a>
                                        " to check out without it."
                                    </p>
                                </noscript>
                            }
                                .into_any()
                        }
                        Ok(q) if q.cart.lines.is_empty() => {
                            view! {
                                <p>"Your cart is empty."</p>
                                <p><a class="button" href="/products">"Browse products"</a></p>
                            }
                                .into_any()
                        }
                        Ok(q) => view! { <CheckoutForm quote=q place error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FieldMessage(#[prop(into)] id: String, message: Option<String>) -> impl IntoView {
    message.map(|m| view! { <p class="field-error" id=id>{m}</p> })
}

#[component]
fn TextField(
    label: &'static str,
    name: &'static str,
    field: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    max: u32,
    error: Signal<Option<AppError>>,
    /// What the shopper typed before (after a failed no-JavaScript post).
    value: String,
) -> impl IntoView {
    let id = format!("checkout-{field}");
    let err_id = format!("err-{field}");
    let msg = field_error(error, field);
    view! {
        <div class="field">
            <label for=id.clone()>{label} {(!required).then_some(" (optional)")}</label>
            <input
                id=id
                name=name
                type="text"
                autocomplete=autocomplete
                required=required
                maxlength=max
                value=value
                aria-invalid=move || msg().is_some().then_some("true")
                aria-describedby={
                    let err_id = err_id.clone();
                    move || msg().is_some().then(|| err_id.clone())
                }
            />
            {move || view! { <FieldMessage id=err_id.clone() message=msg() /> }}
        </div>
    }
}

#[component]
fn CheckoutForm(
    quote: CheckoutQuote,
    place: ServerAction<PlaceOrder>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let subtotal = quote.cart.subtotal();
    let lines_value =
        quote.cart.lines.iter().map(|l| format!("{}:{}", l.product_id, l.quantity)).collect::<Vec<_>>().join(",");
    let general = move || match error.get()? {
        AppError::Fields { .. } => Some("Please correct the fields marked below.".to_owned()),
        AppError::Validation { field, .. } if FIELD_NAMES.contains(&field.as_str()) => None,
        AppError::Unauthorized => Some(
            "Your sign-in had expired, so nothing was placed. Please check your details and place the order again."
                .to_owned(),
        ),
        other => Some(message(&other)),
    };
    let signed_in = quote.email.is_some();
    let has_saved = !quote.addresses.is_empty();
    let notices = quote.cart.notices.clone();
    // After a failed no-JavaScript post: what the shopper had typed and chosen.
    let has_draft = quote.draft.is_some();
    let draft = quote.draft.clone().unwrap_or_default();
    let typed = draft.address.clone();
    let chosen_shipping = if quote.shipping.iter().any(|s| s.method.id() == draft.shipping) {
        draft.shipping.clone()
    } else {
        quote.shipping.first().map(|s| s.method.id().to_owned()).unwrap_or_default()
    };
    let chosen_provider = if quote.providers.iter().any(|p| p.id == draft.provider) {
        draft.provider.clone()
    } else {
        quote.providers.first().map(|p| p.id.clone()).unwrap_or_default()
    };
    view! {
        {(!notices.is_empty()).then(|| view! {
            <div role="status">
                <ul class="notices">{notices.iter().map(|n| view! { <li>{n.message()}</li> }).collect_view()}</ul>
            </div>
        })}
        {move || general().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        <div class="checkout__grid">
            <section class="checkout__summary" aria-labelledby="summary-heading">
                <h2 id="summary-heading">"Your order"</h2>
                <ul class="checkout__lines">
                    {quote.cart.lines.iter().map(|l| view! {
                        <li>
                            <span>{format!("{} × {}", l.quantity, l.name)}</span>
                            <span>{l.total().to_string()}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <p class="checkout__subtotal"><span>"Items"</span> <strong data-testid="checkout-subtotal">{subtotal.to_string()}</strong></p>
                <p class="muted small">{format!("Prices in {}. Placing the order holds your items for {} minutes while you pay.", subtotal.currency().name(), quote.hold_minutes)}</p>
                <p><a href="/cart">"Change your cart"</a></p>
            </section>
            <ActionForm action=place attr:class="stack checkout__form">
                <input type="hidden" name="input[checkout_key]" value=quote.checkout_key.clone() />
                <input type="hidden" name="input[expected_subtotal]" value=subtotal.minor() />
                {if signed_in {
                    view! { <input type="hidden" name="input[account]" value="1" /> }.into_any()
                } else {
                    view! { <input type="hidden" name="input[lines]" value=lines_value.clone() /> }.into_any()
                }}
                <fieldset>
                    <legend>"Contact"</legend>
                    {match quote.email.clone() {
                        Some(email) => view! { <p>"Order confirmation goes to " <strong>{email}</strong></p> }.into_any(),
                        None => {
                            let msg = field_error(error, "email");
                            view! {
                                <div class="field">
                                    <label for="checkout-email">"E-mail"</label>
                                    <input id="checkout-email" name="input[email]" type="email" autocomplete="email" required maxlength="254" value=draft.email.clone()
                                        aria-invalid=move || msg().is_some().then_some("true")
                                        aria-describedby=move || msg().is_some().then_some("err-email") />
                                    {move || view! { <FieldMessage id="err-email" message=msg() /> }}
                                </div>
                                <p class="muted small">"Have an account? " <a href="/sign-in?next=/checkout">"Sign in"</a> " and your cart comes with you."</p>
                            }.into_any()
                        }
                    }}
                </fieldset>
                <fieldset>
                    <legend>"Delivery address"</legend>
                    {has_saved.then(|| view! {
                        <div class="choices">
                            {quote.addresses.iter().enumerate().map(|(i, a)| {
                                let id = format!("address-{}", a.id);
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=id.clone() name="input[address_id]" value=a.id
                                            checked=if has_draft { draft.address_id == a.id.to_string() } else { i == 0 } />
                                        <label for=id>{a.address.lines().join(", ")}</label>
                                    </div>
                                }
                            }).collect_view()}
                            <div class="choice">
                                <input type="radio" id="address-new" name="input[address_id]" value=""
                                    checked=has_draft && draft.address_id.trim().is_empty() />
                                <label for="address-new">"A new address (below)"</label>
                            </div>
                        </div>
                    })}
                    <TextField label="Full name" name="input[address][name]" field="name" autocomplete="name" required=!has_saved max=100 error value=typed.name.clone() />
                    <TextField label="Address line 1" name="input[address][line1]" field="line1" autocomplete="address-line1" required=!has_saved max=100 error value=typed.line1.clone() />
                    <TextField label="Address line 2" name="input[address][line2]" field="line2" autocomplete="address-line2" max=100 error value=typed.line2.clone() />
                    <TextField label="Town or city" name="input[address][city]" field="city" autocomplete="address-level2" required=!has_saved max=60 error value=typed.city.clone() />
                    <TextField label="State, province or county" name="input[address][region]" field="region" autocomplete="address-level1" max=60 error value=typed.region.clone() />
                    <TextField label="Postcode" name="input[address][postcode]" field="postcode" autocomplete="postal-code" required=!has_saved max=12 error value=typed.postcode.clone() />
                    {
                        let msg = field_error(error, "country");
                        view! {
                            <div class="field">
                                <label for="checkout-country">"Country"</label>
                                <select id="checkout-country" name="input[address][country]" autocomplete="country" required=!has_saved
                                    aria-invalid=move || msg().is_some().then_some("true")
                                    aria-describedby=move || msg().is_some().then_some("err-country")>
                                    <option value="">"Choose a country"</option>
                                    {COUNTRIES.iter().map(|(code, name)| {
                                        let selected = code.eq_ignore_ascii_case(typed.country.trim());
                                        view! { <option value=*code selected=selected>{*name}</option> }
                                    }).collect_view()}
                                </select>
                                {move || view! { <FieldMessage id="err-country" message=msg() /> }}
                            </div>
                        }
                    }
                    <TextField label="Phone" name="input[address][phone]" field="phone" autocomplete="tel" max=20 error value=typed.phone.clone() />
                    {signed_in.then(|| view! {
                        <div class="choice">
                            <input type="checkbox" id="save-address" name="input[save_address]" checked=draft.save_address />
                            <label for="save-address">"Save this address for next time"</label>
                        </div>
                    })}
                </fieldset>
                <fieldset>
                    <legend>"Delivery"</legend>
                    {quote.shipping.iter().map(|s| {
                        let id = format!("shipping-{}", s.method.id());
                        let price = if s.price.minor() == 0 { "Free".to_owned() } else { s.price.to_string() };
                        let total = subtotal.checked_add(s.price).map(|t| t.to_string()).unwrap_or_default();
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="input[shipping]" value=s.method.id() checked=s.method.id() == chosen_shipping required />
                                <label for=id>{format!("{}: {price} (total {total})", s.method.label())}</label>
                            </div>
                        }
                    }).collect_view()}
                    {move || view! { <FieldMessage id="err-shipping" message=field_error(error, "shipping")() /> }}
                </fieldset>
                <fieldset>
                    <legend>"Payment"</legend>
                    {quote.providers.iter().map(|p| {
                        let id = format!("provider-{}", p.id);
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="input[provider]" value=p.id.clone() checked=p.id == chosen_provider required />
                                <label for=id>{p.label.clone()}</label>
                            </div>
                        }
                    }).collect_view()}
                    {quote.providers.is_empty().then(|| view! { <p class="form-error">"No payment method is available right now."</p> })}
                    {move || view! { <FieldMessage id="err-provider" message=field_error(error, "provider")() /> }}
                </fieldset>
                <button class="button button--wide" type="submit" disabled=move || place.pending().get()>
                    "Place order and pay"
                </button>
            </ActionForm>
        </div>
    }
}
