//! Checkout: shipping address, shipping method, payment choice, placing the order.

pub mod domain;
