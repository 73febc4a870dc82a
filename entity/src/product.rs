use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    #[sea_orm(unique)]
    pub sku: String,
    pub name: String,
    pub brand_id: i32,
    pub category_id: i32,
    pub short_description: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Price in minor units (cents).
    pub price_cents: i64,
    /// Former price in minor units when the product is discounted.
    pub compare_at_cents: Option<i64>,
    pub stock: i32,
    pub low_stock_threshold: i32,
    /// Average rating times ten (48 = 4.8 stars), kept integral so sorting is exact.
    pub rating_x10: i16,
    pub review_count: i32,
    pub featured: bool,
    pub active: bool,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    /// Raised by one on every edit: an edit names the version it started
    /// from and is refused if the product moved on (optimistic concurrency).
    pub version: i32,
    /// When staff deleted the product (soft delete: it leaves the store and
    /// the admin lists, orders that name it keep working).
    pub deleted_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::brand::Entity", from = "Column::BrandId", to = "super::brand::Column::Id")]
    Brand,
    #[sea_orm(belongs_to = "super::category::Entity", from = "Column::CategoryId", to = "super::category::Column::Id")]
    Category,
    #[sea_orm(has_many = "super::product_image::Entity")]
    ProductImage,
    #[sea_orm(has_many = "super::product_spec::Entity")]
    ProductSpec,
}

impl Related<super::brand::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Brand.def()
    }
}

impl Related<super::category::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Category.def()
    }
}

impl Related<super::product_image::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProductImage.def()
    }
}

impl Related<super::product_spec::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProductSpec.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
