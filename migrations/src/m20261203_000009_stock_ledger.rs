//! The stock ledger: one row per change of a product's stock (orders'
//! reservations and releases, staff adjustments with their reason), so a
//! product's stock always equals the sum of its rows. The ledger starts
//! with each product's stock at the time of this migration.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    Id,
    ProductId,
    Delta,
    Reason,
    OrderId,
    Actor,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Stock,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

/// Every value of `entity::stock_movement::StockReason`.
const REASONS: &str = "'initial', 'received', 'correction', 'damaged', 'returned', 'reserved', 'released'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StockMovements::Table)
                .if_not_exists()
                .col(ColumnDef::new(StockMovements::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(StockMovements::ProductId).integer().not_null())
                .col(ColumnDef::new(StockMovements::Delta).integer().not_null())
                .col(
                    ColumnDef::new(StockMovements::Reason)
                        .string_len(16)
                        .not_null()
                        .check(Expr::cust(format!("reason IN ({REASONS})"))),
                )
                .col(ColumnDef::new(StockMovements::OrderId).integer().null())
                .col(ColumnDef::new(StockMovements::Actor).string_len(40).not_null())
                .col(ColumnDef::new(StockMovements::Note).text().null())
                .col(ColumnDef::new(StockMovements::CreatedAt).timestamp_with_time_zone().not_null())
                .check(Expr::col(StockMovements::Delta).ne(0))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_stock_movements_product")
                        .from(StockMovements::Table, StockMovements::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_stock_movements_order")
                        .from(StockMovements::Table, StockMovements::OrderId)
                        .to(Orders::Table, Orders::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_stock_movements_product")
                .table(StockMovements::Table)
                .col(StockMovements::ProductId)
                .col(StockMovements::Id)
                .to_owned(),
        )
        .await?;
        let opening = Query::select()
            .column(Products::Id)
            .column(Products::Stock)
            .expr(Expr::val("initial"))
            .expr(Expr::val("system"))
            .expr(Expr::val(chrono::Utc::now()))
            .from(Products::Table)
            .and_where(Expr::col(Products::Stock).ne(0))
            .to_owned();
        let insert = Query::insert()
            .into_table(StockMovements::Table)
            .columns([
                StockMovements::ProductId,
                StockMovements::Delta,
                StockMovements::Reason,
                StockMovements::Actor,
                StockMovements::CreatedAt,
            ])
            .select_from(opening)
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        m.exec_stmt(insert).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(StockMovements::Table).to_owned()).await
    }
}
