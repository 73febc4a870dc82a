//! Orders: what shoppers bought, placing them with their stock hold, and
//! what payment events do to them.

pub mod api;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod effects;
#[cfg(feature = "ssr")]
pub mod fulfilment;
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
