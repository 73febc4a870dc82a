//! `/admin/orders`: every order, filtered by status, dates, customer e-mail
//! and number, sorted by date or total, a page at a time with the true
//! count. The filters are a GET form: they work without JavaScript, and the
//! URL of a filtered list can be bookmarked or shared with a colleague.
//! Selected orders can be moved together (paid → processing, shipped →
//! delivered), each through the status machine.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::{BulkOrderStatus, admin_orders};
use super::domain::{BulkOrderMove, OrderFilter, OrderPage, OrderSort};
use super::layout::Pager;
use crate::error::{AppError, message};
use crate::orders::domain::OrderStatus;
use crate::ui::{Forbidden, FormError, PageMeta, form_error, when};

#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        OrderFilter::from_query(|k| q.get(k))
    });
    let bulk = ServerAction::<BulkOrderStatus>::new();
    let orders = Resource::new(move || (filter.get(), bulk.version().get()), |(f, _)| admin_orders(f));
    view! {
        <PageMeta title="Orders · Admin" robots="noindex" />
        <h1>"Orders"</h1>
        {move || view! { <Filters filter=filter.get() /> }}
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading orders…"</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(page) => view! { <OrderTable page filter=filter.get_untracked() bulk /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message(&e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Filters(filter: OrderFilter) -> impl IntoView {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    view! {
        <Form method="GET" action="/admin/orders" attr:class="admin-filters" attr:aria-label="Filter orders">
            <div class="field">
                <label for="f-status">"Status"</label>
                <select id="f-status" name="status">
                    <option value="" selected=filter.status.is_none()>"Any"</option>
                    {OrderStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.id() selected=filter.status == Some(s)>{s.admin_label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-from">"Placed from"</label>
                <input id="f-from" name="from" type="date" value=text(&filter.from) />
            </div>
            <div class="field">
                <label for="f-to">"Placed to"</label>
                <input id="f-to" name="to" type="date" value=text(&filter.to) />
            </div>
            <div class="field">
                <label for="f-email">"Customer e-mail"</label>
                <input id="f-email" name="email" type="search" maxlength="254" value=text(&filter.email) />
            </div>
            <div class="field">
                <label for="f-number">"Order number"</label>
                <input id="f-number" name="number" type="search" maxlength="17" value=text(&filter.number) />
            </div>
            <div class="field">
                <label for="f-sort">"Sort"</label>
                <select id="f-sort" name="sort">
                    {OrderSort::ALL.into_iter().map(|s| view! {
                        <option value=s.id() selected=filter.sort == s>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="admin-filters__actions">
                <button class="button" type="submit">"Filter"</button>
                <a href="/admin/orders">"Clear"</a>
            </div>
        </Form>
    }
}

#[component]
fn OrderTable(page: OrderPage, filter: OrderFilter, bulk: ServerAction<BulkOrderStatus>) -> impl IntoView {
    let first = (page.page - 1) * super::domain::ORDERS_PER_PAGE + 1;
    let last = first + page.rows.len() as u64 - 1;
    let summary = match page.total {
        0 => "No orders match.".to_owned(),
        1 => "1 order".to_owned(),
        n => format!("{first}–{last} of {n} orders"),
    };
    // A column header sorts by it; a second click reverses.
    let sort_link = |label: &'static str, down: OrderSort, up: OrderSort| {
        let next = if filter.sort == down { up } else { down };
        let state = if filter.sort == down {
            Some("descending")
        } else if filter.sort == up {
            Some("ascending")
        } else {
            None
        };
        let href = format!("/admin/orders{}", OrderFilter { sort: next, ..filter.clone() }.query(1));
        view! { <th scope="col" aria-sort=state><a href=href>{label}</a></th> }
    };
    let placed_header = sort_link("Placed", OrderSort::Newest, OrderSort::Oldest);
    let total_header = sort_link("Total", OrderSort::TotalDesc, OrderSort::TotalAsc);
    let back = format!("/admin/orders{}", filter.query(page.page));
    let paged = filter.clone();
    let pager = move |n: u64| format!("/admin/orders{}", paged.query(n));
    let error = form_error(bulk);
    let done = move || match bulk.value().get() {
        Some(Ok(report)) => Some(report.summary()),
        _ => None,
    };
    // Only orders a bulk move could take get a box.
    let movable = |s: OrderStatus| BulkOrderMove::ALL.iter().any(|m| m.moves().0 == s);
    view! {
        <p role="status" data-testid="order-count">{summary}</p>
        <p role="status" data-testid="bulk-result">{done}</p>
        <FormError error />
        {(!page.rows.is_empty()).then(|| view! {
            <ActionForm action=bulk attr:aria-label="Selected orders">
            <input type="hidden" name="back" value=back />
            <div class="bulk-actions">
                <span>"With the selected orders:"</span>
                {BulkOrderMove::ALL.into_iter().map(|m| view! {
                    <button class="button button--small" type="submit" name="action" value=m.id()>{m.label()}</button>
                }).collect_view()}
            </div>
            <div class="table-wrap">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col"><span class="visually-hidden">"Select"</span></th>
                            <th scope="col">"Order"</th>
                            {placed_header}
                            <th scope="col">"Customer"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col" class="num">"Items"</th>
                            {total_header}
                            <th scope="col">"Payment"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.rows.into_iter().map(|o| view! {
                            <tr>
                                <td class="select">{movable(o.status).then(|| view! {
                                    <input type="checkbox" name="numbers[]" value=o.number.clone() aria-label=format!("Select {}", o.number) />
                                })}</td>
                                <td><a href=format!("/admin/orders/{}", o.number)>{o.number.clone()}</a></td>
                                <td>{when(&o.placed_at)}</td>
                                <td>{o.email}</td>
                                <td><span class=format!("status-pill status-pill--{}", o.status.id())>{o.status.admin_label()}</span></td>
                                <td class="num">{o.items}</td>
                                <td class="num">{o.total.to_string()}</td>
                                <td>{o.provider}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            </ActionForm>
        })}
        <Pager page=page.page pages=page.pages href=pager />
    }
}
