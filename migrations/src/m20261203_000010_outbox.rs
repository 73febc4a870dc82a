//! Store events: the outbox (written with the change that causes an event,
//! kept until published) and what each subscriber has applied (so none
//! applies an event twice).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxEvents {
    Table,
    Id,
    EventId,
    Kind,
    Payload,
    CreatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum ProcessedEvents {
    Table,
    Id,
    Subscriber,
    EventId,
    ProcessedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OutboxEvents::Table)
                .if_not_exists()
                .col(ColumnDef::new(OutboxEvents::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(OutboxEvents::EventId).string_len(40).not_null().unique_key())
                .col(ColumnDef::new(OutboxEvents::Kind).string_len(32).not_null())
                .col(ColumnDef::new(OutboxEvents::Payload).text().not_null())
                .col(ColumnDef::new(OutboxEvents::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(OutboxEvents::PublishedAt).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_unpublished")
                .table(OutboxEvents::Table)
                .col(OutboxEvents::PublishedAt)
                .col(OutboxEvents::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProcessedEvents::Table)
                .if_not_exists()
                .col(ColumnDef::new(ProcessedEvents::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ProcessedEvents::Subscriber).string_len(40).not_null())
                .col(ColumnDef::new(ProcessedEvents::EventId).string_len(40).not_null())
                .col(ColumnDef::new(ProcessedEvents::ProcessedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_processed_events_unique")
                .table(ProcessedEvents::Table)
                .col(ProcessedEvents::Subscriber)
                .col(ProcessedEvents::EventId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProcessedEvents::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(OutboxEvents::Table).to_owned()).await
    }
}
