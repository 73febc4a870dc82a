//! The payment-events inbox as a back-office page: how often a provider
//! delivered each event (a redelivery is counted, not applied), and when
//! and by whom a held event was accepted after review.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PaymentEvents {
    Table,
    Deliveries,
    ReplayedAt,
    ReplayedBy,
    ReceivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let columns = [
            ColumnDef::new(PaymentEvents::Deliveries).integer().not_null().default(1).to_owned(),
            ColumnDef::new(PaymentEvents::ReplayedAt).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(PaymentEvents::ReplayedBy).integer().null().to_owned(),
        ];
        for mut column in columns {
            m.alter_table(Table::alter().table(PaymentEvents::Table).add_column(&mut column).to_owned()).await?;
        }
        m.create_index(
            Index::create()
                .name("idx_payment_events_received")
                .table(PaymentEvents::Table)
                .col(PaymentEvents::ReceivedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_payment_events_received").table(PaymentEvents::Table).to_owned()).await?;
        for column in [PaymentEvents::Deliveries, PaymentEvents::ReplayedAt, PaymentEvents::ReplayedBy] {
            m.alter_table(Table::alter().table(PaymentEvents::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
