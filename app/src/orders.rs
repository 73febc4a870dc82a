//! Orders: what shoppers bought, placing them with their stock hold, and
//! what payment events do to them.

pub mod api;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod effects;
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
