//! The embedded cart store, used when no `REDIS_URL` is set: one row per
//! cart line, plus the merges already applied (so a retried merge of a
//! guest cart never adds twice).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CartLines {
    Table,
    UserId,
    ProductId,
    Quantity,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CartMerges {
    Table,
    UserId,
    MergeId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CartLines::Table)
                .if_not_exists()
                .col(ColumnDef::new(CartLines::UserId).integer().not_null())
                .col(ColumnDef::new(CartLines::ProductId).integer().not_null())
                .col(ColumnDef::new(CartLines::Quantity).integer().not_null())
                .col(ColumnDef::new(CartLines::UpdatedAt).timestamp_with_time_zone().not_null())
                .primary_key(Index::create().col(CartLines::UserId).col(CartLines::ProductId))
                .check(Expr::col(CartLines::Quantity).gt(0))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_cart_lines_user")
                        .from(CartLines::Table, CartLines::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_cart_lines_product")
                        .from(CartLines::Table, CartLines::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CartMerges::Table)
                .if_not_exists()
                .col(ColumnDef::new(CartMerges::UserId).integer().not_null())
                .col(ColumnDef::new(CartMerges::MergeId).string_len(64).not_null())
                .col(ColumnDef::new(CartMerges::CreatedAt).timestamp_with_time_zone().not_null())
                .primary_key(Index::create().col(CartMerges::UserId).col(CartMerges::MergeId))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_cart_merges_user")
                        .from(CartMerges::Table, CartMerges::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CartMerges::Table).if_exists().to_owned()).await?;
        m.drop_table(Table::drop().table(CartLines::Table).if_exists().to_owned()).await
    }
}
