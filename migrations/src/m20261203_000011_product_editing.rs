//! Product editing in the back office: a version per product (an edit
//! based on an older version is a conflict, not a silent overwrite), soft
//! deletion, and the drafts that keep an edit which could not be saved.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Products {
    Table,
    Version,
    DeletedAt,
}

#[derive(DeriveIden)]
enum ProductDrafts {
    Table,
    Id,
    ProductId,
    UserId,
    BaseVersion,
    Body,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let columns = [
            ColumnDef::new(Products::Version).integer().not_null().default(1).to_owned(),
            ColumnDef::new(Products::DeletedAt).timestamp_with_time_zone().null().to_owned(),
        ];
        for mut column in columns {
            m.alter_table(Table::alter().table(Products::Table).add_column(&mut column).to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(ProductDrafts::Table)
                .if_not_exists()
                .col(ColumnDef::new(ProductDrafts::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ProductDrafts::ProductId).integer().null())
                .col(ColumnDef::new(ProductDrafts::UserId).integer().not_null())
                .col(ColumnDef::new(ProductDrafts::BaseVersion).integer().not_null())
                .col(ColumnDef::new(ProductDrafts::Body).text().not_null())
                .col(ColumnDef::new(ProductDrafts::CreatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_product_drafts_user")
                .table(ProductDrafts::Table)
                .col(ProductDrafts::UserId)
                .col(ProductDrafts::CreatedAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProductDrafts::Table).to_owned()).await?;
        for column in [Products::Version, Products::DeletedAt] {
            m.alter_table(Table::alter().table(Products::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
