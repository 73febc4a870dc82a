//! Checkout: shipping address, shipping method, payment choice, placing the order.

pub mod api;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod draft;
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
