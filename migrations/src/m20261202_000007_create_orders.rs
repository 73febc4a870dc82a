//! Checkout: saved addresses, orders with their snapshot lines and status
//! history, and the inbox of payment-provider events (one row per provider
//! event id, so a redelivered webhook has no second effect).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Addresses {
    Table,
    Id,
    UserId,
    Name,
    Line1,
    Line2,
    City,
    Region,
    Postcode,
    Country,
    Phone,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    Number,
    AccessKeyHash,
    UserId,
    Email,
    Status,
    Currency,
    SubtotalMinor,
    ShippingMinor,
    TotalMinor,
    ShippingMethod,
    ShipName,
    ShipLine1,
    ShipLine2,
    ShipCity,
    ShipRegion,
    ShipPostcode,
    ShipCountry,
    ShipPhone,
    Provider,
    ProviderRef,
    CheckoutKey,
    ClientIp,
    StockHeld,
    HoldExpiresAt,
    ReviewReason,
    CancelReason,
    PaidAt,
    FulfilledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    OrderId,
    ProductId,
    Sku,
    Name,
    Slug,
    Image,
    UnitPriceMinor,
    Quantity,
    LineTotalMinor,
}

#[derive(DeriveIden)]
enum OrderEvents {
    Table,
    Id,
    OrderId,
    FromStatus,
    ToStatus,
    Actor,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PaymentEvents {
    Table,
    Id,
    Provider,
    EventId,
    EventType,
    OrderId,
    Outcome,
    Detail,
    ReceivedAt,
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

/// Every status an order can have; the column refuses anything else.
const STATUSES: &str = "'pending','paid','processing','shipped','delivered','cancelled','held'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Addresses::Table)
                .if_not_exists()
                .col(ColumnDef::new(Addresses::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Addresses::UserId).integer().not_null())
                .col(ColumnDef::new(Addresses::Name).string_len(100).not_null())
                .col(ColumnDef::new(Addresses::Line1).string_len(100).not_null())
                .col(ColumnDef::new(Addresses::Line2).string_len(100).null())
                .col(ColumnDef::new(Addresses::City).string_len(60).not_null())
                .col(ColumnDef::new(Addresses::Region).string_len(60).null())
                .col(ColumnDef::new(Addresses::Postcode).string_len(12).not_null())
                .col(ColumnDef::new(Addresses::Country).string_len(2).not_null())
                .col(ColumnDef::new(Addresses::Phone).string_len(20).null())
                .col(ColumnDef::new(Addresses::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_addresses_user")
                        .from(Addresses::Table, Addresses::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_addresses_user").table(Addresses::Table).col(Addresses::UserId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Orders::Table)
                .if_not_exists()
                .col(ColumnDef::new(Orders::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Orders::Number).string_len(20).not_null().unique_key())
                .col(ColumnDef::new(Orders::AccessKeyHash).string_len(64).not_null())
                .col(ColumnDef::new(Orders::UserId).integer().null())
                .col(ColumnDef::new(Orders::Email).string_len(254).not_null())
                .col(
                    ColumnDef::new(Orders::Status)
                        .string_len(16)
                        .not_null()
                        .check(Expr::cust(format!("status IN ({STATUSES})"))),
                )
                .col(ColumnDef::new(Orders::Currency).string_len(3).not_null())
                .col(ColumnDef::new(Orders::SubtotalMinor).big_integer().not_null())
                .col(ColumnDef::new(Orders::ShippingMinor).big_integer().not_null())
                .col(ColumnDef::new(Orders::TotalMinor).big_integer().not_null())
                .col(ColumnDef::new(Orders::ShippingMethod).string_len(16).not_null())
                .col(ColumnDef::new(Orders::ShipName).string_len(100).not_null())
                .col(ColumnDef::new(Orders::ShipLine1).string_len(100).not_null())
                .col(ColumnDef::new(Orders::ShipLine2).string_len(100).null())
                .col(ColumnDef::new(Orders::ShipCity).string_len(60).not_null())
                .col(ColumnDef::new(Orders::ShipRegion).string_len(60).null())
                .col(ColumnDef::new(Orders::ShipPostcode).string_len(12).not_null())
                .col(ColumnDef::new(Orders::ShipCountry).string_len(2).not_null())
                .col(ColumnDef::new(Orders::ShipPhone).string_len(20).null())
                .col(ColumnDef::new(Orders::Provider).string_len(16).not_null())
                .col(ColumnDef::new(Orders::ProviderRef).string_len(255).null())
                .col(ColumnDef::new(Orders::CheckoutKey).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(Orders::ClientIp).string_len(64).null())
                .col(ColumnDef::new(Orders::StockHeld).boolean().not_null())
                .col(ColumnDef::new(Orders::HoldExpiresAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Orders::ReviewReason).text().null())
                .col(ColumnDef::new(Orders::CancelReason).text().null())
                .col(ColumnDef::new(Orders::PaidAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(Orders::FulfilledAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(Orders::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Orders::UpdatedAt).timestamp_with_time_zone().not_null())
                .check(Expr::col(Orders::TotalMinor).gte(0))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_orders_user")
                        .from(Orders::Table, Orders::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("idx_orders_user", vec![Orders::UserId, Orders::CreatedAt]),
            ("idx_orders_email", vec![Orders::Email]),
            ("idx_orders_hold", vec![Orders::StockHeld, Orders::HoldExpiresAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Orders::Table);
            for c in cols {
                index.col(c);
            }
            m.create_index(index.to_owned()).await?;
        }
        m.create_index(
            Index::create()
                .name("idx_orders_provider_ref")
                .table(Orders::Table)
                .col(Orders::Provider)
                .col(Orders::ProviderRef)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OrderLines::Table)
                .if_not_exists()
                .col(ColumnDef::new(OrderLines::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(OrderLines::OrderId).integer().not_null())
                .col(ColumnDef::new(OrderLines::ProductId).integer().not_null())
                .col(ColumnDef::new(OrderLines::Sku).string_len(64).not_null())
                .col(ColumnDef::new(OrderLines::Name).string_len(200).not_null())
                .col(ColumnDef::new(OrderLines::Slug).string_len(200).not_null())
                .col(ColumnDef::new(OrderLines::Image).string_len(500).null())
                .col(ColumnDef::new(OrderLines::UnitPriceMinor).big_integer().not_null())
                .col(ColumnDef::new(OrderLines::Quantity).integer().not_null())
                .col(ColumnDef::new(OrderLines::LineTotalMinor).big_integer().not_null())
                .check(Expr::col(OrderLines::Quantity).gt(0))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_order_lines_order")
                        .from(OrderLines::Table, OrderLines::OrderId)
                        .to(Orders::Table, Orders::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_order_lines_product")
                        .from(OrderLines::Table, OrderLines::ProductId)
                        .to(Products::Table, Products::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_order_lines_order").table(OrderLines::Table).col(OrderLines::OrderId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OrderEvents::Table)
                .if_not_exists()
                .col(ColumnDef::new(OrderEvents::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(OrderEvents::OrderId).integer().not_null())
                .col(ColumnDef::new(OrderEvents::FromStatus).string_len(16).null())
                .col(ColumnDef::new(OrderEvents::ToStatus).string_len(16).not_null())
                .col(ColumnDef::new(OrderEvents::Actor).string_len(32).not_null())
                .col(ColumnDef::new(OrderEvents::Note).text().null())
                .col(ColumnDef::new(OrderEvents::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_order_events_order")
                        .from(OrderEvents::Table, OrderEvents::OrderId)
                        .to(Orders::Table, Orders::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_order_events_order")
                .table(OrderEvents::Table)
                .col(OrderEvents::OrderId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PaymentEvents::Table)
                .if_not_exists()
                .col(ColumnDef::new(PaymentEvents::Id).integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(PaymentEvents::Provider).string_len(16).not_null())
                .col(ColumnDef::new(PaymentEvents::EventId).string_len(255).not_null())
                .col(ColumnDef::new(PaymentEvents::EventType).string_len(64).not_null())
                .col(ColumnDef::new(PaymentEvents::OrderId).integer().null())
                .col(ColumnDef::new(PaymentEvents::Outcome).string_len(16).not_null())
                .col(ColumnDef::new(PaymentEvents::Detail).text().null())
                .col(ColumnDef::new(PaymentEvents::ReceivedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_payment_events_order")
                        .from(PaymentEvents::Table, PaymentEvents::OrderId)
                        .to(Orders::Table, Orders::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_payment_events_unique")
                .table(PaymentEvents::Table)
                .col(PaymentEvents::Provider)
                .col(PaymentEvents::EventId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PaymentEvents::Table.into_iden(),
            OrderEvents::Table.into_iden(),
            OrderLines::Table.into_iden(),
            Orders::Table.into_iden(),
            Addresses::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
