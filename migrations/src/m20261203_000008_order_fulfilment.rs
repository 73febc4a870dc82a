//! Fulfilment and cancellation of orders in the back office: the tracking
//! number of a shipped order, the refund a cancelled paid order owes, and
//! the indexes the orders list filters and sorts by.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Status,
    CreatedAt,
    TrackingNumber,
    RefundStatus,
    RefundReference,
    RefundedAt,
}

/// Every value of `entity::order::RefundStatus`.
const REFUND_STATUSES: &str = "'requested', 'pending', 'refunded', 'manual'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let columns = [
            ColumnDef::new(Orders::TrackingNumber).string_len(40).null().to_owned(),
            ColumnDef::new(Orders::RefundStatus)
                .string_len(16)
                .null()
                .check(Expr::cust(format!("refund_status IS NULL OR refund_status IN ({REFUND_STATUSES})")))
                .to_owned(),
            ColumnDef::new(Orders::RefundReference).text().null().to_owned(),
            ColumnDef::new(Orders::RefundedAt).timestamp_with_time_zone().null().to_owned(),
        ];
        for mut column in columns {
            m.alter_table(Table::alter().table(Orders::Table).add_column(&mut column).to_owned()).await?;
        }
        for (name, cols) in [
            ("idx_orders_created", vec![Orders::CreatedAt]),
            ("idx_orders_status_created", vec![Orders::Status, Orders::CreatedAt]),
            ("idx_orders_refund", vec![Orders::RefundStatus]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Orders::Table);
            for c in cols {
                index.col(c);
            }
            m.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_orders_created", "idx_orders_status_created", "idx_orders_refund"] {
            m.drop_index(Index::drop().name(name).table(Orders::Table).to_owned()).await?;
        }
        for column in [Orders::TrackingNumber, Orders::RefundStatus, Orders::RefundReference, Orders::RefundedAt] {
            m.alter_table(Table::alter().table(Orders::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
