//! Accounts: registration, sign-in, sessions (JWT access + rotating refresh
//! tokens) and roles.

pub mod api;
pub mod auth;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod revocation;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod tokens;
