//! The low-stock alert list, kept by its own background subscriber: one
//! open alert per product at or under its threshold (or sold out), which
//! staff may dismiss; it closes itself when the product is restocked. Closed
//! alerts stay as the product's history. The list starts with the products
//! that are low at the time of this migration.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StockAlerts {
    Table,
    Id,
    ProductId,
    Level,
    Stock,
    Threshold,
    RaisedAt,
    UpdatedAt,
    DismissedAt,
    DismissedBy,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Stock,
    LowStockThreshold,
    Active,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StockAlerts::Table)
                .if_not_exists()
                .col(ColumnDef::new(StockAlerts::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(StockAlerts::ProductId).integer().not_null())
                .col(
                    ColumnDef::new(StockAlerts::Level)
                        .string_len(8)
                        .not_null()
                        .check(Expr::cust("level IN ('low', 'out')")),
                )
                .col(ColumnDef::new(StockAlerts::Stock).integer().not_null())
                .col(ColumnDef::new(StockAlerts::Threshold).integer().not_null())
                .col(ColumnDef::new(StockAlerts::RaisedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(StockAlerts::UpdatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(StockAlerts::DismissedAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(StockAlerts::DismissedBy).integer().null())
                .col(ColumnDef::new(StockAlerts::ResolvedAt).timestamp_with_time_zone().null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_stock_alerts_product")
                        .from(StockAlerts::Table, StockAlerts::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_stock_alerts_dismissed_by")
                        .from(StockAlerts::Table, StockAlerts::DismissedBy)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        // At most one open alert per product, whoever raises it.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_stock_alerts_open ON stock_alerts (product_id) WHERE resolved_at IS NULL",
            )
            .await?;
        m.create_index(
            Index::create()
                .name("idx_stock_alerts_raised")
                .table(StockAlerts::Table)
                .col(StockAlerts::RaisedAt)
                .to_owned(),
        )
        .await?;
        let now = chrono::Utc::now();
        let low = Query::select()
            .column(Products::Id)
            .expr(Expr::cust("CASE WHEN stock <= 0 THEN 'out' ELSE 'low' END"))
            .column(Products::Stock)
            .column(Products::LowStockThreshold)
            .expr(Expr::val(now))
            .expr(Expr::val(now))
            .from(Products::Table)
            .and_where(Expr::col(Products::Active).eq(true))
            .and_where(Expr::col(Products::Stock).lte(Expr::col(Products::LowStockThreshold)))
            .to_owned();
        let insert = Query::insert()
            .into_table(StockAlerts::Table)
            .columns([
                StockAlerts::ProductId,
                StockAlerts::Level,
                StockAlerts::Stock,
                StockAlerts::Threshold,
                StockAlerts::RaisedAt,
                StockAlerts::UpdatedAt,
            ])
            .select_from(low)
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        m.exec_stmt(insert).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(StockAlerts::Table).to_owned()).await
    }
}
