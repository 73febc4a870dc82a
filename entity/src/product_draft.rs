use sea_orm::entity::prelude::*;

/// A product edit that could not be saved (someone else saved first, or a
/// field needs fixing after a post without JavaScript), kept so the admin
/// who typed it loses nothing: their page shows it again from here.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product_drafts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `None` for a new product that was never saved.
    pub product_id: Option<i32>,
    /// Only this user may see the draft.
    pub user_id: i32,
    /// The product version the edit started from.
    pub base_version: i32,
    /// The submitted form and why it was not saved, as JSON.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
