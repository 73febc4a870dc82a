//! The storefront catalog: home, listings, product pages and search.

pub mod api;
pub mod categories;
pub mod components;
pub mod gallery;
pub mod home;
pub mod listing;
pub mod product;
pub mod products;
pub mod query;
pub mod search;
pub mod types;

#[cfg(feature = "ssr")]
pub mod images;
#[cfg(feature = "ssr")]
pub mod read_model;
#[cfg(feature = "ssr")]
pub mod search_index;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod stock;
#[cfg(feature = "ssr")]
pub mod stock_alerts;
