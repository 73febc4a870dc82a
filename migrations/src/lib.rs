//! Schema migrations for OctaBlitz.
//!
//! The server runs [`Migrator::up`] on every start; it is idempotent. The
//! second migration loads the catalog shipped in `seed/catalog.json` so a new
//! database (SQLite or PostgreSQL) starts with the full store.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_catalog;
mod m20261124_000002_seed_catalog;
mod m20261124_000003_create_accounts;
mod m20261124_000004_email_verification;
mod m20261124_000005_create_carts;
mod m20261201_000006_session_version;
mod m20261202_000007_create_orders;
mod m20261203_000008_order_fulfilment;
mod m20261203_000009_stock_ledger;
mod m20261203_000010_outbox;
mod m20261203_000011_product_editing;
mod m20261203_000012_payment_inbox;
mod m20261203_000013_stock_alerts;
pub mod seed;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_catalog::Migration),
            Box::new(m20261124_000002_seed_catalog::Migration),
            Box::new(m20261124_000003_create_accounts::Migration),
            Box::new(m20261124_000004_email_verification::Migration),
            Box::new(m20261124_000005_create_carts::Migration),
            Box::new(m20261201_000006_session_version::Migration),
            Box::new(m20261202_000007_create_orders::Migration),
            Box::new(m20261203_000008_order_fulfilment::Migration),
            Box::new(m20261203_000009_stock_ledger::Migration),
            Box::new(m20261203_000010_outbox::Migration),
            Box::new(m20261203_000011_product_editing::Migration),
            Box::new(m20261203_000012_payment_inbox::Migration),
            Box::new(m20261203_000013_stock_alerts::Migration),
        ]
    }
}
