use sea_orm::entity::prelude::*;

/// What an account may do. Stored as lowercase text; reading any other
/// value fails loudly instead of passing for a customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum UserRole {
    #[sea_orm(string_value = "customer")]
    Customer,
    #[sea_orm(string_value = "admin")]
    Admin,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Lowercased, trimmed address.
    #[sea_orm(unique)]
    pub email: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub role: UserRole,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    /// When the owner opened the verification link; `None`: cannot sign in yet.
    pub email_verified_at: Option<ChronoDateTimeUtc>,
    /// Bumped by a password change, a role change or a lock: access tokens
    /// issued under an older version stop working at once.
    pub session_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::refresh_token::Entity")]
    RefreshToken,
}

impl Related<super::refresh_token::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RefreshToken.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
