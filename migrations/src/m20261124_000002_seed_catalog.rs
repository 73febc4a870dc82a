use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{EntityTrait, PaginatorTrait, QuerySelect};

use crate::seed;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // A database restored from elsewhere may already hold a catalog: never double it.
        // Only the id: later migrations add columns this one runs before.
        let existing =
            entity::product::Entity::find().select_only().column(entity::product::Column::Id).count(db).await?;
        if existing > 0 {
            return Ok(());
        }
        seed::load(db, &seed::catalog()?).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        entity::product_spec::Entity::delete_many().exec(db).await?;
        entity::product_image::Entity::delete_many().exec(db).await?;
        entity::product::Entity::delete_many().exec(db).await?;
        entity::brand::Entity::delete_many().exec(db).await?;
        entity::spec_definition::Entity::delete_many().exec(db).await?;
        entity::category::Entity::delete_many().exec(db).await?;
        Ok(())
    }
}
