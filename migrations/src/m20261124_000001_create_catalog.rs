use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    Slug,
    Name,
    Description,
    Image,
    Position,
}

#[derive(DeriveIden)]
enum Brands {
    Table,
    Id,
    Slug,
    Name,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Slug,
    Sku,
    Name,
    BrandId,
    CategoryId,
    ShortDescription,
    Description,
    PriceCents,
    CompareAtCents,
    Stock,
    LowStockThreshold,
    RatingX10,
    ReviewCount,
    Featured,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProductImages {
    Table,
    Id,
    ProductId,
    Position,
    Url,
    Alt,
    Width,
    Height,
}

#[derive(DeriveIden)]
enum SpecDefinitions {
    Table,
    Id,
    CategoryId,
    Key,
    Label,
    Kind,
    Unit,
    Facet,
    Position,
}

#[derive(DeriveIden)]
enum ProductSpecs {
    Table,
    ProductId,
    Key,
    Value,
    ValueNum,
}

fn id_col<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().auto_increment().primary_key().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Categories::Table)
                .if_not_exists()
                .col(id_col(Categories::Id))
                .col(ColumnDef::new(Categories::Slug).string_len(80).not_null().unique_key())
                .col(ColumnDef::new(Categories::Name).string_len(120).not_null())
                .col(ColumnDef::new(Categories::Description).text().not_null())
                .col(ColumnDef::new(Categories::Image).string_len(200).not_null())
                .col(ColumnDef::new(Categories::Position).integer().not_null().default(0))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Brands::Table)
                .if_not_exists()
                .col(id_col(Brands::Id))
                .col(ColumnDef::new(Brands::Slug).string_len(80).not_null().unique_key())
                .col(ColumnDef::new(Brands::Name).string_len(120).not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Products::Table)
                .if_not_exists()
                .col(id_col(Products::Id))
                .col(ColumnDef::new(Products::Slug).string_len(160).not_null().unique_key())
                .col(ColumnDef::new(Products::Sku).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(Products::Name).string_len(200).not_null())
                .col(ColumnDef::new(Products::BrandId).integer().not_null())
                .col(ColumnDef::new(Products::CategoryId).integer().not_null())
                .col(ColumnDef::new(Products::ShortDescription).string_len(300).not_null())
                .col(ColumnDef::new(Products::Description).text().not_null())
                .col(ColumnDef::new(Products::PriceCents).big_integer().not_null())
                .col(ColumnDef::new(Products::CompareAtCents).big_integer().null())
                .col(ColumnDef::new(Products::Stock).integer().not_null().default(0))
                .col(ColumnDef::new(Products::LowStockThreshold).integer().not_null().default(5))
                .col(ColumnDef::new(Products::RatingX10).small_integer().not_null().default(0))
                .col(ColumnDef::new(Products::ReviewCount).integer().not_null().default(0))
                .col(ColumnDef::new(Products::Featured).boolean().not_null().default(false))
                .col(ColumnDef::new(Products::Active).boolean().not_null().default(true))
                .col(ColumnDef::new(Products::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Products::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_products_brand")
                        .from(Products::Table, Products::BrandId)
                        .to(Brands::Table, Brands::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_products_category")
                        .from(Products::Table, Products::CategoryId)
                        .to(Categories::Table, Categories::Id),
                )
                .check(Expr::col(Products::PriceCents).gte(0))
                .check(Expr::col(Products::Stock).gte(0))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ProductImages::Table)
                .if_not_exists()
                .col(id_col(ProductImages::Id))
                .col(ColumnDef::new(ProductImages::ProductId).integer().not_null())
                .col(ColumnDef::new(ProductImages::Position).integer().not_null())
                .col(ColumnDef::new(ProductImages::Url).string_len(300).not_null())
                .col(ColumnDef::new(ProductImages::Alt).string_len(300).not_null())
                .col(ColumnDef::new(ProductImages::Width).integer().not_null())
                .col(ColumnDef::new(ProductImages::Height).integer().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_product_images_product")
                        .from(ProductImages::Table, ProductImages::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SpecDefinitions::Table)
                .if_not_exists()
                .col(id_col(SpecDefinitions::Id))
                .col(ColumnDef::new(SpecDefinitions::CategoryId).integer().not_null())
                .col(ColumnDef::new(SpecDefinitions::Key).string_len(64).not_null())
                .col(ColumnDef::new(SpecDefinitions::Label).string_len(120).not_null())
                .col(ColumnDef::new(SpecDefinitions::Kind).string_len(16).not_null())
                .col(ColumnDef::new(SpecDefinitions::Unit).string_len(16).null())
                .col(ColumnDef::new(SpecDefinitions::Facet).boolean().not_null().default(false))
                .col(ColumnDef::new(SpecDefinitions::Position).integer().not_null().default(0))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_spec_definitions_category")
                        .from(SpecDefinitions::Table, SpecDefinitions::CategoryId)
                        .to(Categories::Table, Categories::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ProductSpecs::Table)
                .if_not_exists()
                .col(ColumnDef::new(ProductSpecs::ProductId).integer().not_null())
                .col(ColumnDef::new(ProductSpecs::Key).string_len(64).not_null())
                .col(ColumnDef::new(ProductSpecs::Value).string_len(200).not_null())
                .col(ColumnDef::new(ProductSpecs::ValueNum).double().null())
                .primary_key(Index::create().col(ProductSpecs::ProductId).col(ProductSpecs::Key))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_product_specs_product")
                        .from(ProductSpecs::Table, ProductSpecs::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        let indexes = [
            Index::create()
                .if_not_exists()
                .name("idx_products_category")
                .table(Products::Table)
                .col(Products::CategoryId)
                .col(Products::PriceCents)
                .to_owned(),
            Index::create()
                .if_not_exists()
                .name("idx_products_brand")
                .table(Products::Table)
                .col(Products::BrandId)
                .to_owned(),
            Index::create()
                .if_not_exists()
                .name("idx_products_price")
                .table(Products::Table)
                .col(Products::PriceCents)
                .to_owned(),
            Index::create()
                .if_not_exists()
                .name("idx_products_created")
                .table(Products::Table)
                .col(Products::CreatedAt)
                .to_owned(),
            Index::create()
                .if_not_exists()
                .name("idx_product_images_product")
                .table(ProductImages::Table)
                .col(ProductImages::ProductId)
                .col(ProductImages::Position)
                .unique()
                .to_owned(),
            Index::create()
                .if_not_exists()
                .name("idx_product_specs_facet")
                .table(ProductSpecs::Table)
                .col(ProductSpecs::Key)
                .col(ProductSpecs::Value)
                .to_owned(),
            Index::create()
                .if_not_exists()
                .name("idx_spec_definitions_category_key")
                .table(SpecDefinitions::Table)
                .col(SpecDefinitions::CategoryId)
                .col(SpecDefinitions::Key)
                .unique()
                .to_owned(),
        ];
        for index in indexes {
            m.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ProductSpecs::Table.into_iden(),
            SpecDefinitions::Table.into_iden(),
            ProductImages::Table.into_iden(),
            Products::Table.into_iden(),
            Brands::Table.into_iden(),
            Categories::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
