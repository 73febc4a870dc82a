//! The cart in the browser: one context, [`Cart`], that knows whether the
//! shopper is a guest (cart in `localStorage`) or signed in (cart on the
//! server), reconciles with the server after hydration and merges the guest
//! cart into the server cart at sign-in.
//!
//! Nothing here runs during server rendering: until the browser has
//! reconciled, [`Cart::view`] is `None` and the page shows an honest
//! placeholder, so neither a stale cart nor a hydration mismatch can appear.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::api::{add_to_cart, get_cart, merge_cart, price_cart, remove_from_cart, set_cart_quantity};
use super::domain::{CartNotice, CartView, GuestLine, LineRequest, MAX_LINES};
use crate::account::auth::Auth;
use crate::error::AppError;

/// Where the guest cart lives in `localStorage`.
pub const STORAGE_KEY: &str = "octablitz.cart.v1";

/// The guest cart as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCart {
    /// Sent with the merge at sign-in so that a retried merge adds nothing twice.
    pub merge_id: String,
    pub lines: Vec<GuestLine>,
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The guest cart in this browser (empty if none, or unreadable).
pub fn load() -> StoredCart {
    #[cfg(feature = "hydrate")]
    if let Some(raw) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
        match serde_json::from_str::<StoredCart>(&raw) {
            Ok(mut cart) => {
                cart.lines.retain(|l| l.product_id > 0 && l.quantity > 0);
                let id_ok = !cart.merge_id.is_empty()
                    && cart.merge_id.len() <= 64
                    && cart.merge_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                if !id_ok {
                    cart.merge_id = new_merge_id();
                }
                return cart;
            }
            Err(e) => leptos::logging::warn!("ignoring an unreadable stored cart: {e}"),
        }
    }
    StoredCart::default()
}

fn save(cart: &StoredCart) {
    #[cfg(feature = "hydrate")]
    if let (Some(s), Ok(raw)) = (storage(), serde_json::to_string(cart)) {
        let _ = s.set_item(STORAGE_KEY, &raw);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = cart;
}

fn clear() {
    #[cfg(feature = "hydrate")]
    if let Some(s) = storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
}

/// A fresh id for a guest cart's next merge: 128 random bits in hex.
/// (`getRandomValues`, unlike `randomUUID`, also exists on plain-HTTP pages.)
fn new_merge_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        let mut bytes = [0u8; 16];
        if window().crypto().and_then(|c| c.get_random_values_with_u8_array(&mut bytes)).is_ok() {
            return bytes.iter().map(|b| format!("{b:02x}")).collect();
        }
        format!("m-{}-{}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e15) as u64)
    }
    #[cfg(not(feature = "hydrate"))]
    String::from("m-server")
}

/// Provided once by `App`.
#[derive(Clone, Copy)]
pub struct Cart {
    /// The cart as the server last confirmed it; `None` until this browser
    /// has reconciled (and always during server rendering).
    pub view: RwSignal<Option<CartView>>,
    /// What the server had to change, to tell the shopper.
    pub notices: RwSignal<Vec<CartNotice>>,
    /// The last thing that went wrong.
    pub error: RwSignal<Option<AppError>>,
    /// A request is under way.
    pub busy: RwSignal<bool>,
    signed_in: RwSignal<Option<bool>>,
}

/// Who the cart belongs to: a guest, or a signed-in user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CartOwner {
    Guest,
    User(i32),
}

impl Cart {
    pub fn provide(auth: Auth) -> Self {
        let cart = Self {
            view: RwSignal::new(None),
            notices: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            signed_in: RwSignal::new(None),
        };
        provide_context(cart);
        // Effects run only in the browser: reconcile whenever who is signed in
        // becomes known or changes (sign-in merges, sign-out leaves a guest cart).
        // Not before the page has hydrated: a lazy page (the cart, the
        // checkout) still hydrating must find the state the server rendered.
        Effect::new(move |previous: Option<Option<CartOwner>>| {
            if !crate::ui::hydrated() {
                return None;
            }
            let now = match auth.user.get() {
                Some(Ok(Some(session))) => Some(CartOwner::User(session.user.id)),
                Some(Ok(None)) => Some(CartOwner::Guest),
                _ => None,
            };
            if now.is_some() && now != previous.flatten() {
                // Another owner: nothing of the previous cart may show meanwhile.
                cart.view.set(None);
                cart.notices.set(Vec::new());
                cart.signed_in.set(now.map(|o| o != CartOwner::Guest));
                cart.run(cart.sync());
            }
            now
        });
        // Another tab changed the guest cart: show the same cart here.
        #[cfg(feature = "hydrate")]
        {
            let handle = window_event_listener(leptos::ev::storage, move |ev| {
                if ev.key().as_deref() == Some(STORAGE_KEY) && cart.signed_in.get_untracked() == Some(false) {
                    cart.run(cart.sync());
                }
            });
            on_cleanup(move || handle.remove());
        }
        cart
    }

    /// A guest's cart lines once this browser has reconciled them; `None`
    /// while unknown and for signed-in shoppers (the server has their cart).
    pub fn guest_lines(self) -> Option<Vec<LineRequest>> {
        if self.signed_in.get() != Some(false) {
            return None;
        }
        self.view.with(|v| {
            v.as_ref().map(|v| {
                v.lines.iter().map(|l| LineRequest { product_id: l.product_id, quantity: l.quantity }).collect()
            })
        })
    }

    /// Empties a guest's cart in this browser (its order was paid; a signed-in
    /// cart is cleared on the server by the payment itself).
    pub fn forget_guest_cart(self) {
        clear();
        if self.signed_in.get_untracked() != Some(true) {
            self.view.set(Some(CartView::default()));
        }
    }

    /// Whether the cart (once known) holds this product.
    pub fn contains(self, product_id: i32) -> bool {
        self.view.with(|v| v.as_ref().is_some_and(|v| v.lines.iter().any(|l| l.product_id == product_id)))
    }

    /// Items in the cart, once known.
    pub fn count(self) -> Option<u32> {
        self.view.with(|v| v.as_ref().map(CartView::count))
    }

    fn show(self, result: Result<CartView, AppError>) {
        match result {
            Ok(mut view) => {
                // Notices stay until dismissed or replaced by newer ones: a quiet
                // answer (nothing to correct) does not hide what was said before.
                let notices = std::mem::take(&mut view.notices);
                if !notices.is_empty() {
                    self.notices.set(notices);
                }
                self.view.set(Some(view));
                self.error.set(None);
            }
            Err(e) => self.error.set(Some(e)),
        }
    }

    /// Brings this browser's cart in line with the server.
    async fn sync(self) {
        let stored = load();
        match self.signed_in.get_untracked() {
            Some(true) if !stored.lines.is_empty() => {
                let lines = stored.lines.iter().map(|l| LineRequest { product_id: l.product_id, quantity: l.quantity });
                match merge_cart(stored.merge_id.clone(), lines.collect()).await {
                    Ok(view) => {
                        // Only now is the guest copy no longer needed (unless it
                        // changed meanwhile, in another tab: then that is a new merge).
                        if load().merge_id == stored.merge_id {
                            clear();
                        }
                        self.show(Ok(view));
                    }
                    Err(e) => {
                        // The guest cart stays in this browser; it merges on the next try.
                        self.error.set(Some(e));
                        if let Ok(Some(view)) = get_cart().await {
                            self.view.set(Some(view));
                        }
                    }
                }
            }
            Some(true) => self.show(get_cart().await.map(Option::unwrap_or_default)),
            _ if stored.lines.is_empty() => self.show(Ok(CartView::default())),
            _ => {
                let result = price_cart(stored.lines.clone()).await;
                // Changed meanwhile (emptied by a paid order, or by another
                // tab, whose storage event syncs again): what is stored now wins.
                if load() != stored {
                    if load().lines.is_empty() {
                        self.show(Ok(CartView::default()));
                    }
                    return;
                }
                if let Ok(view) = &result {
                    save(&StoredCart { merge_id: stored.merge_id, lines: view.to_guest_lines() });
                }
                self.show(result);
            }
        }
    }

    /// A guest change: applied to the stored cart, checked by the server, and
    /// saved as the server corrected it. If the server cannot be asked,
    /// nothing is saved.
    async fn change_guest(self, change: impl FnOnce(&mut Vec<GuestLine>)) {
        let mut stored = load();
        change(&mut stored.lines);
        stored.lines.retain(|l| l.quantity > 0);
        let result = price_cart(stored.lines).await;
        if let Ok(view) = &result {
            // A changed guest cart is a new merge.
            save(&StoredCart { merge_id: new_merge_id(), lines: view.to_guest_lines() });
        }
        self.show(result);
    }

    /// Runs one cart task; the cart's buttons stay disabled until it ends,
    /// so changes never overlap (each starts from the last one's result).
    fn run(self, task: impl std::future::Future<Output = ()> + 'static) {
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            task.await;
            self.busy.set(false);
        });
    }

    /// Adds `quantity` of a product.
    pub fn add(self, product_id: i32, quantity: u32) {
        self.run(async move {
            if self.signed_in.get_untracked() == Some(true) {
                self.show(add_to_cart(product_id.to_string(), quantity.to_string(), None).await);
                return;
            }
            self.change_guest(move |lines| {
                if let Some(line) = lines.iter_mut().find(|l| l.product_id == product_id) {
                    line.quantity = line.quantity.saturating_add(quantity);
                } else if lines.len() < MAX_LINES {
                    lines.push(GuestLine { product_id, quantity, seen_price: None });
                }
            })
            .await;
            if load().lines.len() >= MAX_LINES && !self.contains(product_id) {
                self.error.set(Some(AppError::validation(
                    "product_id",
                    format!("Your cart is full ({MAX_LINES} different products). Remove something first."),
                )));
            }
        });
    }

    /// Sets the quantity of a line.
    pub fn set(self, product_id: i32, quantity: u32) {
        self.run(async move {
            if self.signed_in.get_untracked() == Some(true) {
                self.show(set_cart_quantity(product_id.to_string(), quantity.to_string()).await);
                return;
            }
            if !(1..=super::domain::MAX_PER_LINE).contains(&quantity) {
                self.error.set(Some(AppError::validation("quantity", "Choose a quantity from 1 to 10.")));
                return;
            }
            self.change_guest(move |lines| {
                if let Some(line) = lines.iter_mut().find(|l| l.product_id == product_id) {
                    line.quantity = quantity;
                }
            })
            .await;
        });
    }

    /// Removes a line.
    pub fn remove(self, product_id: i32) {
        self.run(async move {
            if self.signed_in.get_untracked() == Some(true) {
                self.show(remove_from_cart(product_id.to_string()).await);
                return;
            }
            self.change_guest(move |lines| lines.retain(|l| l.product_id != product_id)).await;
        });
    }
}
