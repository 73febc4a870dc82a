//! The back office under `/admin` (admins only).

pub mod api;
pub mod dashboard;
