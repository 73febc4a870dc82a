//! Carts: a guest cart in the browser's `localStorage`, a signed-in cart on
//! the server (Redis through `fred`, or the embedded database without
//! `REDIS_URL`), and the merge of one into the other at sign-in.

pub mod domain;

#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;
