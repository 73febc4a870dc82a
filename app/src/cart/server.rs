//! Cart services (ssr only): prices and stock always come from the
//! database; the store only remembers product ids and quantities.

use std::collections::HashMap;

use entity::{product, product_image};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::domain::{CartLine, CartNotice, CartView, GuestLine, LineRequest, MAX_LINES, MAX_PER_LINE, Quantity};
use super::store::{Applied, CartStore, LineChange, Merged};
use crate::catalog::types::Money;
use crate::error::ServerError;

/// What the cart needs to know of a product.
#[derive(Debug, Clone)]
struct Item {
    slug: String,
    name: String,
    image: Option<String>,
    price: Money,
    stock: u32,
}

impl Item {
    fn cap(&self) -> u32 {
        self.stock.min(MAX_PER_LINE)
    }
}

/// The active products among `ids` (inactive or unknown ones are absent).
async fn items<C: ConnectionTrait>(db: &C, ids: &[i32]) -> Result<HashMap<i32, Item>, ServerError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let products = product::Entity::find()
        .filter(product::Column::Id.is_in(ids.to_vec()))
        .filter(product::Column::Active.eq(true))
        .all(db)
        .await?;
    let images: HashMap<i32, String> = product_image::Entity::find()
        .filter(product_image::Column::ProductId.is_in(ids.to_vec()))
        .filter(product_image::Column::Position.eq(0))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.product_id, i.url))
        .collect();
    Ok(products
        .into_iter()
        .map(|p| {
            let item = Item {
                image: images.get(&p.id).cloned(),
                slug: p.slug,
                name: p.name,
                price: Money::new(p.price_cents, crate::money::CATALOG_CURRENCY),
                stock: p.stock.max(0) as u32,
            };
            (p.id, item)
        })
        .collect())
}

/// The one active product `id`, or a clear error.
async fn item<C: ConnectionTrait>(db: &C, id: i32) -> Result<Item, ServerError> {
    items(db, &[id]).await?.remove(&id).ok_or_else(|| ServerError::Validation {
        field: "product_id",
        message: "That product is not sold here (any more).".into(),
    })
}

/// Prices `lines` (in this order) and checks them against stock. Lines that
/// cannot stay as they are come back corrected in `fixes`, each explained.
fn reconcile(lines: &[(i32, u32)], items: &HashMap<i32, Item>) -> (CartView, Vec<(i32, u32)>) {
    let mut view = CartView::default();
    let mut fixes = Vec::new();
    for &(id, quantity) in lines {
        // Nothing of a product is no line at all (a stored guest cart can
        // say 0): dropped quietly, never raised to 1.
        if quantity == 0 {
            fixes.push((id, 0));
            continue;
        }
        let Some(item) = items.get(&id) else {
            view.notices.push(CartNotice::Unavailable { product_id: id });
            fixes.push((id, 0));
            continue;
        };
        if item.stock == 0 {
            view.notices.push(CartNotice::SoldOut { name: item.name.clone() });
            fixes.push((id, 0));
            continue;
        }
        let kept = quantity.min(item.cap());
        if kept != quantity {
            view.notices.push(CartNotice::Reduced {
                name: item.name.clone(),
                from: quantity,
                to: kept,
                stock: item.stock,
            });
            fixes.push((id, kept));
        }
        view.lines.push(CartLine {
            product_id: id,
            slug: item.slug.clone(),
            name: item.name.clone(),
            image: item.image.clone(),
            unit_price: item.price,
            quantity: kept,
            stock: item.stock,
        });
    }
    (view, fixes)
}

/// A stored cart's lines in a stable order (Redis hashes have none).
fn sorted(mut lines: Vec<(i32, u32)>) -> Vec<(i32, u32)> {
    lines.sort_unstable_by_key(|(id, _)| *id);
    lines
}

/// The signed-in user's cart, corrected against current stock (and the
/// corrections written back, so the store and the page agree).
#[tracing::instrument(skip(db, store))]
pub async fn view<C: ConnectionTrait>(db: &C, store: &CartStore, user: i32) -> Result<CartView, ServerError> {
    let lines = sorted(store.lines(user).await?);
    let ids: Vec<i32> = lines.iter().map(|(id, _)| *id).collect();
    let (view, fixes) = reconcile(&lines, &items(db, &ids).await?);
    for (id, quantity) in fixes {
        let fixed = if quantity == 0 { store.remove(user, id).await } else { store.lower(user, id, quantity).await };
        // A correction is the store's own, redone on the next read whether
        // or not this one landed: the shopper changed nothing.
        fixed.map_err(|e| match e {
            ServerError::CartUncertain(e) => ServerError::CartStore(e),
            other => other,
        })?;
    }
    Ok(view)
}

/// The cart after a change that was saved: if it cannot be read back, the
/// shopper must not be told that nothing changed.
async fn view_after_change<C: ConnectionTrait>(db: &C, store: &CartStore, user: i32) -> Result<CartView, ServerError> {
    view(db, store, user).await.map_err(|e| match e {
        ServerError::CartStore(e) => ServerError::CartUncertain(e),
        other => other,
    })
}

/// A guest cart (from the browser's storage) priced and checked. Nothing is
/// stored; the browser keeps the corrected lines. Notices also tell of
/// prices that changed since the shopper last saw them.
#[tracing::instrument(skip_all, fields(lines = lines.len()))]
pub async fn price_guest<C: ConnectionTrait>(db: &C, lines: &[GuestLine]) -> Result<CartView, ServerError> {
    // Lines of nothing go without a word; repeated products add up; the
    // cap counts distinct products, and so does the "dropped" notice. One
    // pass with an index, as the request may hold many lines.
    let mut merged: Vec<(i32, u32)> = Vec::new();
    let mut at: std::collections::HashMap<i32, usize> = std::collections::HashMap::new();
    let mut dropped: std::collections::HashSet<i32> = std::collections::HashSet::new();
    for l in lines.iter().filter(|l| l.quantity > 0) {
        match at.get(&l.product_id) {
            Some(&i) => merged[i].1 = merged[i].1.saturating_add(l.quantity),
            None if merged.len() < MAX_LINES => {
                at.insert(l.product_id, merged.len());
                merged.push((l.product_id, l.quantity));
            }
            None => {
                dropped.insert(l.product_id);
            }
        }
    }
    let ids: Vec<i32> = merged.iter().map(|(id, _)| *id).collect();
    let (mut view, _) = reconcile(&merged, &items(db, &ids).await?);
    for line in &view.lines.clone() {
        if let Some(seen) = lines.iter().find(|l| l.product_id == line.product_id).and_then(|l| l.seen_price)
            && seen != line.unit_price
        {
            view.notices.push(CartNotice::PriceChanged { name: line.name.clone(), from: seen, to: line.unit_price });
        }
    }
    if !dropped.is_empty() {
        view.notices.push(CartNotice::CartFull { dropped: u32::try_from(dropped.len()).unwrap_or(u32::MAX) });
    }
    Ok(view)
}

fn sold_out(item: &Item) -> ServerError {
    ServerError::Validation { field: "quantity", message: format!("{} is sold out.", item.name) }
}

fn cart_full() -> ServerError {
    ServerError::Validation {
        field: "product_id",
        message: format!("Your cart is full ({MAX_LINES} different products). Remove something first."),
    }
}

/// Adds `quantity` of a product, capped at stock and the per-line maximum
/// (the shopper is told when it was capped).
#[tracing::instrument(skip(db, store))]
pub async fn add<C: ConnectionTrait>(
    db: &C,
    store: &CartStore,
    user: i32,
    product_id: i32,
    quantity: Quantity,
) -> Result<CartView, ServerError> {
    change_line(db, store, user, product_id, quantity, true).await
}

/// Sets a line's quantity, capped like [`add`].
#[tracing::instrument(skip(db, store))]
pub async fn set_quantity<C: ConnectionTrait>(
    db: &C,
    store: &CartStore,
    user: i32,
    product_id: i32,
    quantity: Quantity,
) -> Result<CartView, ServerError> {
    change_line(db, store, user, product_id, quantity, false).await
}

/// Adds to (`adding`) or sets one line, then returns the whole cart with a
/// notice if the line was capped.
async fn change_line<C: ConnectionTrait>(
    db: &C,
    store: &CartStore,
    user: i32,
    product_id: i32,
    quantity: Quantity,
    adding: bool,
) -> Result<CartView, ServerError> {
    let item = item(db, product_id).await?;
    if item.stock == 0 {
        if !adding {
            store.remove(user, product_id).await?;
        }
        return Err(sold_out(&item));
    }
    let change = LineChange { product_id, quantity: quantity.get(), cap: item.cap() };
    let applied = if adding { store.add(user, change).await? } else { store.set(user, change).await? };
    let notice = match applied {
        Applied::CartFull => return Err(cart_full()),
        Applied::Quantity { before, after } => {
            let asked = if adding { before.saturating_add(quantity.get()) } else { quantity.get() };
            (after < asked).then_some(CartNotice::Reduced {
                name: item.name,
                from: asked,
                to: after,
                stock: item.stock,
            })
        }
    };
    let mut cart = view_after_change(db, store, user).await?;
    cart.notices.extend(notice);
    Ok(cart)
}

/// Removes a line (removing one that is not there is not an error).
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    store: &CartStore,
    user: i32,
    product_id: i32,
) -> Result<CartView, ServerError> {
    store.remove(user, product_id).await?;
    view_after_change(db, store, user).await
}

/// Merges a guest cart into the user's cart at sign-in: same product →
/// quantities add up, capped at stock and the per-line maximum; products no
/// longer sold are dropped; every change is explained. All or nothing, and
/// a retry with the same `merge_id` adds nothing twice.
#[tracing::instrument(skip(db, store, lines), fields(lines = lines.len()))]
pub async fn merge<C: ConnectionTrait>(
    db: &C,
    store: &CartStore,
    user: i32,
    merge_id: &str,
    lines: &[LineRequest],
) -> Result<CartView, ServerError> {
    // A guest cart holds at most 10 of a product per line; anything beyond
    // that (or zero, or a nonsense id) did not come from this store's browser code.
    const MAX_ASKED: u32 = 1_000;
    let mut wanted: Vec<(i32, u32)> = Vec::new();
    for l in lines.iter().filter(|l| l.product_id > 0 && l.quantity > 0).take(MAX_LINES) {
        match wanted.iter_mut().find(|(id, _)| *id == l.product_id) {
            Some((_, q)) => *q = q.saturating_add(l.quantity).min(MAX_ASKED),
            None => wanted.push((l.product_id, l.quantity.min(MAX_ASKED))),
        }
    }
    let ids: Vec<i32> = wanted.iter().map(|(id, _)| *id).collect();
    let known = items(db, &ids).await?;
    let mut notices = Vec::new();
    let mut changes = Vec::new();
    for &(id, quantity) in &wanted {
        match known.get(&id) {
            None => notices.push(CartNotice::Unavailable { product_id: id }),
            Some(item) if item.stock == 0 => notices.push(CartNotice::SoldOut { name: item.name.clone() }),
            Some(item) => changes.push(LineChange { product_id: id, quantity, cap: item.cap() }),
        }
    }
    if let Merged::Applied(results) = store.merge(user, merge_id, &changes).await? {
        let mut dropped = 0;
        for (id, applied) in results {
            let (item, asked) = (&known[&id], wanted.iter().find(|(w, _)| *w == id).map_or(0, |(_, q)| *q));
            match applied {
                Applied::CartFull => dropped += 1,
                Applied::Quantity { before, after } if after < before.saturating_add(asked) => {
                    notices.push(CartNotice::Reduced {
                        name: item.name.clone(),
                        from: before.saturating_add(asked),
                        to: after,
                        stock: item.stock,
                    })
                }
                Applied::Quantity { .. } => {}
            }
        }
        if dropped > 0 {
            notices.push(CartNotice::CartFull { dropped });
        }
    }
    let mut cart = view_after_change(db, store, user).await?;
    notices.append(&mut cart.notices);
    cart.notices = notices;
    Ok(cart)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, price: i64, stock: u32) -> Item {
        Item { slug: name.to_lowercase(), name: name.into(), image: None, price: Money::usd(price), stock }
    }

    #[test]
    fn reconcile_caps_drops_and_explains() {
        let items = HashMap::from([(1, item("GPU", 100, 1)), (2, item("Mouse", 5, 0)), (3, item("Pad", 2, 99))]);
        let (view, fixes) = reconcile(&[(1, 3), (2, 1), (3, 12), (4, 1)], &items);
        assert_eq!(view.lines.iter().map(|l| (l.product_id, l.quantity)).collect::<Vec<_>>(), vec![(1, 1), (3, 10)]);
        assert_eq!(fixes, vec![(1, 1), (2, 0), (3, 10), (4, 0)]);
        let messages: Vec<String> = view.notices.iter().map(CartNotice::message).collect();
        assert_eq!(
            messages,
            [
                "Reduced GPU from 3 to 1: only 1 left.",
                "Removed Mouse: it is sold out.",
                "Reduced Pad from 12 to 10: at most 10 per order.",
                "Removed a product that is no longer sold."
            ]
        );
        assert_eq!(view.subtotal(), Money::usd(100 + 20));
    }
}
