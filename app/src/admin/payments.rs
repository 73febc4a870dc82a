//! `/admin/payments`: the webhook inbox. Every delivery a payment provider
//! made, newest first: refused ones (the signature did not verify) and
//! verified events with what they did (applied, held for review, changed
//! nothing) and how often they came (a redelivery is counted, never applied
//! twice). A held event can be accepted after review, which moves its order
//! through the status machine (held → paid, taking the stock again).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::{ReplayPaymentEvent, admin_payment_events};
use super::domain::{InboxFilter, InboxOutcome, InboxPage};
use super::layout::Pager;
use crate::error::{AppError, message};
use crate::ui::{Forbidden, FormError, PageMeta, form_error, when};

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        InboxFilter::from_query(|k| q.get(k))
    });
    let replay = ServerAction::<ReplayPaymentEvent>::new();
    let inbox = Resource::new(move || (filter.get(), replay.version().get()), |(f, _)| admin_payment_events(f));
    let error = form_error(replay);
    view! {
        <PageMeta title="Payment events · Admin" robots="noindex" />
        <h1>"Payment events"</h1>
        {move || {
            let f = filter.get();
            view! {
                <Form method="GET" action="/admin/payments" attr:class="admin-filters" attr:aria-label="Filter payment events">
                    <div class="field">
                        <label for="pe-provider">"Provider"</label>
                        <select id="pe-provider" name="provider">
                            <option value="" selected=f.provider.is_none()>"Every provider"</option>
                            {["stripe", "paypal", "stub"].into_iter().map(|p| view! {
                                <option value=p selected=f.provider.as_deref() == Some(p)>{p}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="pe-outcome">"Outcome"</label>
                        <select id="pe-outcome" name="outcome">
                            <option value="" selected=f.outcome.is_none()>"Every outcome"</option>
                            {InboxOutcome::ALL.into_iter().map(|o| view! {
                                <option value=o.id() selected=f.outcome == Some(o)>{o.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="admin-filters__actions">
                        <button class="button" type="submit">"Filter"</button>
                        <a href="/admin/payments">"Clear"</a>
                    </div>
                </Form>
            }
        }}
        <FormError error />
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading payment events…"</p> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Ok(page) => view! { <Table page filter=filter.get_untracked() replay /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message(&e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Table(page: InboxPage, filter: InboxFilter, replay: ServerAction<ReplayPaymentEvent>) -> impl IntoView {
    let summary = match page.total {
        0 => "No payment events match.".to_owned(),
        1 => "1 payment event".to_owned(),
        n => format!("{n} payment events"),
    };
    let pager = move |n: u64| format!("/admin/payments{}", filter.query(n));
    view! {
        <p role="status" data-testid="payment-event-count">{summary}</p>
        {(!page.rows.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        <th scope="col" aria-sort="descending">"Received"</th><th scope="col">"Provider"</th>
                        <th scope="col">"Event"</th><th scope="col">"Order"</th><th scope="col">"Signature"</th>
                        <th scope="col">"Outcome"</th><th scope="col" class="num">"Deliveries"</th>
                        <th scope="col">"Detail"</th><th scope="col">"Review"</th>
                    </tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|r| {
                            let review = if r.replayable {
                                view! {
                                    <ActionForm action=replay>
                                        <input type="hidden" name="id" value=r.id />
                                        <button class="button button--small" type="submit">"Accept payment"</button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! { <span>{r.replayed.clone().unwrap_or_default()}</span> }.into_any()
                            };
                            view! {
                                <tr>
                                    <td>{when(&r.received_at)}</td>
                                    <td>{r.provider}</td>
                                    <td><span class="mono">{r.event_type}</span><br /><span class="mono muted">{r.event_id}</span></td>
                                    <td>{r.order.map(|n| view! { <a href=format!("/admin/orders/{n}")>{n.clone()}</a> })}</td>
                                    <td>{if r.outcome == InboxOutcome::Refused { "Refused" } else { "Verified" }}</td>
                                    <td><span class=format!("status-pill status-pill--{}", r.outcome.id())>{r.outcome.label()}</span></td>
                                    <td class="num">{r.deliveries}</td>
                                    <td>{r.detail.unwrap_or_default()}</td>
                                    <td>{review}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        <Pager page=page.page pages=page.pages href=pager />
    }
}
