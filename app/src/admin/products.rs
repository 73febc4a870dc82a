//! `/admin/products`: every product, searchable by name, SKU or address,
//! filtered by category and state (on sale, not on sale, deleted), sorted,
//! a page at a time with the true count. Each links to its edit page;
//! selected products can be put on sale or taken off together.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::{BulkProducts, admin_products};
use super::catalog::{ProductFilter, ProductList, ProductSort, ProductState};
use super::layout::Pager;
use crate::error::{AppError, message};
use crate::ui::{Forbidden, FormError, PageMeta, form_error, when};

#[component]
pub fn ProductsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        ProductFilter::from_query(|k| q.get(k))
    });
    let bulk = ServerAction::<BulkProducts>::new();
    let list = Resource::new(move || (filter.get(), bulk.version().get()), |(f, _)| admin_products(f));
    view! {
        <PageMeta title="Products · Admin" robots="noindex" />
        <div class="admin-heading">
            <h1>"Products"</h1>
            <a class="button" href="/admin/products/new">"New product"</a>
        </div>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading products…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(page) => view! { <Filters filter=filter.get_untracked() categories=page.categories.clone() /> <Table page filter=filter.get_untracked() bulk /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Forbidden /> }.into_any(),
                    Err(e) => view! {
                        <Filters filter=filter.get_untracked() categories=Vec::new() />
                        <p class="form-error" role="alert">{message(&e)}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Filters(filter: ProductFilter, categories: Vec<super::catalog::CategoryChoice>) -> impl IntoView {
    let f = filter;
    view! {
        <Form method="GET" action="/admin/products" attr:class="admin-filters" attr:aria-label="Filter products">
            <div class="field">
                <label for="p-q">"Name, SKU or address"</label>
                <input id="p-q" name="q" type="search" maxlength="100" value=f.q.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="p-category">"Category"</label>
                <select id="p-category" name="category">
                    <option value="" selected=f.category.is_none()>"Every category"</option>
                    {categories.into_iter().map(|c| {
                        let selected = f.category.as_deref() == Some(c.slug.as_str());
                        view! { <option value=c.slug selected=selected>{c.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="p-state">"Show"</label>
                <select id="p-state" name="state">
                    {ProductState::ALL.into_iter().map(|s| view! {
                        <option value=s.id() selected=f.state == s>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="p-sort">"Sort by"</label>
                <select id="p-sort" name="sort">
                    {ProductSort::ALL.into_iter().map(|s| view! {
                        <option value=s.id() selected=f.sort == s>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="admin-filters__actions">
                <button class="button" type="submit">"Filter"</button>
                <a href="/admin/products">"Clear"</a>
            </div>
        </Form>
    }
}

#[component]
fn Table(page: ProductList, filter: ProductFilter, bulk: ServerAction<BulkProducts>) -> impl IntoView {
    let summary = match page.total {
        0 => "No products match.".to_owned(),
        1 => "1 product".to_owned(),
        n => format!("{n} products"),
    };
    let sort = filter.sort;
    let sorted =
        move |s: ProductSort| (sort == s).then_some(if s == ProductSort::Updated { "descending" } else { "ascending" });
    let back = format!("/admin/products{}", filter.query(page.page));
    let pager = move |n: u64| format!("/admin/products{}", filter.query(n));
    let error = form_error(bulk);
    let done = move || match bulk.value().get() {
        Some(Ok(0)) => Some("No product changed: those selected were so already, or deleted.".to_owned()),
        Some(Ok(1)) => Some("1 product changed.".to_owned()),
        Some(Ok(n)) => Some(format!("{n} products changed.")),
        _ => None,
    };
    view! {
        <p role="status" data-testid="product-count">{summary}</p>
        <p role="status" data-testid="bulk-result">{done}</p>
        <FormError error />
        {(!page.rows.is_empty()).then(|| view! {
            <ActionForm action=bulk attr:aria-label="Selected products">
            <input type="hidden" name="back" value=back />
            <div class="bulk-actions">
                <span>"With the selected products:"</span>
                <button class="button button--small" type="submit" name="on_sale" value="true">"Put on sale"</button>
                <button class="button button--small" type="submit" name="on_sale" value="false">"Take off sale"</button>
            </div>
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        <th scope="col"><span class="visually-hidden">"Select"</span></th>
                        <th scope="col" aria-sort=sorted(ProductSort::Name)>"Product"</th><th scope="col">"SKU"</th>
                        <th scope="col">"Category"</th><th scope="col">"Brand"</th>
                        <th scope="col" class="num" aria-sort=sorted(ProductSort::Price)>"Price"</th>
                        <th scope="col" class="num" aria-sort=sorted(ProductSort::Stock)>"Stock"</th>
                        <th scope="col">"Status"</th><th scope="col" aria-sort=sorted(ProductSort::Updated)>"Changed"</th>
                    </tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|p| {
                            let status = if p.deleted { "Deleted" } else if p.active { "On sale" } else { "Not on sale" };
                            view! {
                                <tr>
                                    <td class="select">{(!p.deleted).then(|| view! {
                                        <input type="checkbox" name="ids[]" value=p.id aria-label=format!("Select {}", p.name) />
                                    })}</td>
                                    <td><a href=format!("/admin/products/{}", p.id)>{p.name}</a></td>
                                    <td>{p.sku}</td>
                                    <td>{p.category}</td>
                                    <td>{p.brand}</td>
                                    <td class="num">{p.price.to_string()}</td>
                                    <td class="num"><a href=format!("/admin/stock/{}", p.id) aria-label=format!("{} in stock: ledger", p.stock)>{p.stock}</a></td>
                                    <td>{status}</td>
                                    <td>{when(&p.updated_at)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            </ActionForm>
        })}
        <Pager page=page.page pages=page.pages href=pager />
    }
}
