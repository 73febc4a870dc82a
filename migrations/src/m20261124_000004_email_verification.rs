//! E-mail verification: an account can sign in once its owner has opened the
//! link sent to its address. Accounts made before this existed count as verified.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    CreatedAt,
    EmailVerifiedAt,
}

#[derive(DeriveIden)]
enum EmailTokens {
    Table,
    Id,
    UserId,
    TokenHash,
    PasswordHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(ColumnDef::new(Users::EmailVerifiedAt).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(Users::Table)
                .value(Users::EmailVerifiedAt, Expr::col(Users::CreatedAt))
                .and_where(Expr::col(Users::EmailVerifiedAt).is_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EmailTokens::Table)
                .if_not_exists()
                .col(ColumnDef::new(EmailTokens::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(EmailTokens::UserId).integer().not_null())
                .col(ColumnDef::new(EmailTokens::TokenHash).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(EmailTokens::PasswordHash).string_len(255).not_null())
                .col(ColumnDef::new(EmailTokens::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(EmailTokens::ExpiresAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(EmailTokens::UsedAt).timestamp_with_time_zone().null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_email_tokens_user")
                        .from(EmailTokens::Table, EmailTokens::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("idx_email_tokens_user")
                .table(EmailTokens::Table)
                .col(EmailTokens::UserId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(EmailTokens::Table).if_exists().to_owned()).await?;
        m.alter_table(Table::alter().table(Users::Table).drop_column(Users::EmailVerifiedAt).to_owned()).await
    }
}
