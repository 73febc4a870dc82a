//! SeaORM entities for the OctaBlitz schema.
//!
//! These mirror the tables created by the `migration` crate. They carry no
//! database driver so that they can be shared by the migration crate, the
//! server and tests; the browser never sees them (wire types live in `app`).

pub mod address;
pub mod brand;
pub mod category;
pub mod email_token;
pub mod order;
pub mod order_event;
pub mod order_line;
pub mod outbox_event;
pub mod payment_event;
pub mod processed_event;
pub mod product;
pub mod product_draft;
pub mod product_image;
pub mod product_spec;
pub mod refresh_token;
pub mod spec_definition;
pub mod stock_alert;
pub mod stock_movement;
pub mod user;

pub mod prelude {
    pub use super::address::Entity as Address;
    pub use super::brand::Entity as Brand;
    pub use super::category::Entity as Category;
    pub use super::email_token::Entity as EmailToken;
    pub use super::order::Entity as Order;
    pub use super::order_event::Entity as OrderEvent;
    pub use super::order_line::Entity as OrderLine;
    pub use super::outbox_event::Entity as OutboxEvent;
    pub use super::payment_event::Entity as PaymentEvent;
    pub use super::processed_event::Entity as ProcessedEvent;
    pub use super::product::Entity as Product;
    pub use super::product_draft::Entity as ProductDraft;
    pub use super::product_image::Entity as ProductImage;
    pub use super::product_spec::Entity as ProductSpec;
    pub use super::refresh_token::Entity as RefreshToken;
    pub use super::spec_definition::Entity as SpecDefinition;
    pub use super::stock_alert::Entity as StockAlert;
    pub use super::stock_movement::Entity as StockMovement;
    pub use super::user::Entity as User;
}
