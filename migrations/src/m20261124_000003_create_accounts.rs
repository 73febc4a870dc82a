use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    Family,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .if_not_exists()
                .col(ColumnDef::new(Users::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Users::Email).string_len(254).not_null().unique_key())
                .col(ColumnDef::new(Users::PasswordHash).string_len(255).not_null())
                .col(ColumnDef::new(Users::Role).string_len(16).not_null().default("customer"))
                .col(ColumnDef::new(Users::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Users::UpdatedAt).timestamp_with_time_zone().not_null())
                .check(Expr::col(Users::Role).is_in(["customer", "admin"]))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RefreshTokens::Table)
                .if_not_exists()
                .col(ColumnDef::new(RefreshTokens::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(RefreshTokens::UserId).integer().not_null())
                .col(ColumnDef::new(RefreshTokens::Family).string_len(64).not_null())
                .col(ColumnDef::new(RefreshTokens::TokenHash).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(RefreshTokens::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(RefreshTokens::ExpiresAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(RefreshTokens::UsedAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(RefreshTokens::RevokedAt).timestamp_with_time_zone().null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_refresh_tokens_user")
                        .from(RefreshTokens::Table, RefreshTokens::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("idx_refresh_tokens_family")
                .table(RefreshTokens::Table)
                .col(RefreshTokens::Family)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("idx_refresh_tokens_user")
                .table(RefreshTokens::Table)
                .col(RefreshTokens::UserId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RefreshTokens::Table).if_exists().to_owned()).await?;
        m.drop_table(Table::drop().table(Users::Table).if_exists().to_owned()).await
    }
}
