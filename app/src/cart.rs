//! Carts: a guest cart in the browser's `localStorage`, a signed-in cart on
//! the server (Redis through `fred`, or the embedded database without
//! `REDIS_URL`), and the merge of one into the other at sign-in.

pub mod api;
pub mod components;
pub mod domain;
pub mod page;
pub mod state;

#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;
