//! `/admin/stock`: every product's stock, lowest first, searchable by name
//! or SKU and filtered to low or sold-out products, a page at a time with
//! the true count. Each product links to its ledger and adjustment form.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::admin_stock;
use super::domain::{StockFilter, StockLevel, StockPage};
use super::layout::Pager;
use crate::error::{AppError, message};
use crate::ui::{Forbidden, PageMeta};

#[component]
pub fn StockPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        StockFilter::from_query(|k| q.get(k))
    });
    let stock = Resource::new(move || filter.get(), admin_stock);
    view! {
        <PageMeta title="Stock · Admin" robots="noindex" />
        <h1>"Stock"</h1>
        {move || {
            let f = filter.get();
            view! {
                <Form method="GET" action="/admin/stock" attr:class="admin-filters" attr:aria-label="Filter products">
                    <div class="field">
                        <label for="s-q">"Name or SKU"</label>
                        <input id="s-q" name="q" type="search" maxlength="100" value=f.q.clone().unwrap_or_default() />
                    </div>
                    <div class="field">
                        <label for="s-level">"Show"</label>
                        <select id="s-level" name="level">
                            {StockLevel::ALL.into_iter().map(|l| view! {
                                <option value=l.id() selected=f.level == l>{l.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="admin-filters__actions">
                        <button class="button" type="submit">"Filter"</button>
                        <a href="/admin/stock">"Clear"</a>
                    </div>
                </Form>
            }
        }}
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading stock…"</p> }>
            {move || Suspend::new(async move {
                match stock.await {
                    Ok(page) => view! { <StockTable page filter=filter.get_untracked() /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message(&e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StockTable(page: StockPage, filter: StockFilter) -> impl IntoView {
    let summary = match page.total {
        0 => "No products match.".to_owned(),
        1 => "1 product".to_owned(),
        n => format!("{n} products"),
    };
    let pager = move |n: u64| format!("/admin/stock{}", filter.query(n));
    view! {
        <p role="status" data-testid="stock-count">{summary}</p>
        {(!page.rows.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        <th scope="col">"Product"</th><th scope="col">"SKU"</th>
                        <th scope="col" class="num" aria-sort="ascending">"Stock"</th><th scope="col" class="num">"Threshold"</th>
                        <th scope="col">"Status"</th>
                    </tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|p| view! {
                            <tr>
                                <td><a href=format!("/admin/stock/{}", p.id)>{p.name}</a></td>
                                <td>{p.sku}</td>
                                <td class="num">{p.stock}</td>
                                <td class="num">{p.threshold}</td>
                                <td>{if p.active { "Active" } else { "Inactive" }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        <Pager page=page.page pages=page.pages href=pager />
    }
}
