//! The back office under `/admin` (admins only): one parent route with
//! its own layout and guard ([`layout`]), one file per page, paths
//! mirroring URLs.

pub mod api;
pub mod dashboard;
pub mod domain;
pub mod layout;
pub mod order;
pub mod orders;
pub mod product_stock;
#[cfg(feature = "ssr")]
pub mod server;
pub mod stock;
