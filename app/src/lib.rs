//! OctaBlitz: shared Leptos components, routes and server functions.
//!
//! Compiled twice: with `ssr` into the Axum server, with `hydrate` into the
//! wasm bundle. Server-only modules (`state`, `config`, `*::server`) exist only
//! under `ssr`.

// Leptos view types nest deeply; the hydrate build needs the headroom.
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod app;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod error;
pub mod events;
pub mod layout;
pub mod money;
pub mod orders;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod media;
#[cfg(feature = "ssr")]
pub mod payments;
#[cfg(feature = "ssr")]
pub mod state;

pub use app::{App, shell};
