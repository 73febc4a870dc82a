//! Orders: what shoppers bought, placing them with their stock hold, and
//! what payment events do to them.

pub mod domain;
#[cfg(feature = "ssr")]
pub mod effects;
#[cfg(feature = "ssr")]
pub mod server;
