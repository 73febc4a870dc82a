//! The back office under `/admin` (admins only): one parent route with
//! its own layout and guard ([`layout`]), one file per page, paths
//! mirroring URLs.

pub mod alert_table;
pub mod alerts;
pub mod api;
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod catalog_server;
pub mod dashboard;
pub mod domain;
pub mod layout;
pub mod new_product;
pub mod order;
pub mod orders;
pub mod payments;
pub mod product;
pub mod product_form;
pub mod product_images;
pub mod product_stock;
pub mod products;
#[cfg(feature = "ssr")]
pub mod server;
pub mod stock;
