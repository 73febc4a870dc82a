//! Accounts: registration, sign-in, sessions (JWT access + rotating refresh
//! tokens) and roles.

pub mod domain;

#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod tokens;
