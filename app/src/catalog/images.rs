//! Product images (ssr only): what an upload becomes, and the gallery's
//! order.
//!
//! An upload is never stored as sent. Its type is sniffed from its first
//! bytes (the file name and the declared type are ignored), only JPEG, PNG,
//! WebP and GIF are decoded, with limits on pixels and memory that refuse a
//! decompression bomb before it is unpacked, and the pixels are encoded
//! again as a baseline JPEG (alpha laid on white) in two sizes: the image,
//! at most [`FULL_EDGE`] pixels a side, and a thumbnail of [`THUMB_EDGE`].
//! Whatever rode along (HTML after the image data, EXIF, a script in a
//! comment) is gone, the name is random, and `/media` serves it as
//! `image/jpeg` only.
//!
//! The gallery's order is `product_images.position` (0 is the primary
//! image, the one listing cards show). Every change rewrites the product's
//! positions in one transaction, in two steps past the unique
//! `(product_id, position)` index.

use std::io::Cursor;

use chrono::{DateTime, Utc};
use entity::{product, product_image};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

pub use super::gallery::{GalleryMove as Move, Refusal};
use crate::error::ServerError;
use crate::events::domain::StoreEvent;
use crate::media::{self, MediaStore};

/// The largest upload accepted, in bytes.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;
/// The longest side of a stored image.
pub const FULL_EDGE: u32 = 1600;
/// The longest side of a thumbnail.
pub const THUMB_EDGE: u32 = 400;
/// The most pixels a side an upload may have.
pub const MAX_EDGE: u32 = 10_000;
/// The most pixels an upload may have in all (40 megapixels).
pub const MAX_PIXELS: u64 = 40_000_000;
/// The most images one product may have.
pub const MAX_IMAGES: usize = 12;
const QUALITY: u8 = 85;
/// Uploads decoded at once (per app server).
static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// An upload, encoded again.
#[derive(Debug)]
pub struct Encoded {
    pub full: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

fn jpeg(image: &DynamicImage) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(image)
        .map_err(|_| Refusal::Broken)?;
    Ok(out)
}

/// Checks and encodes an upload again (CPU-bound: run it off the async
/// threads, see [`add`]).
pub fn encode(bytes: &[u8]) -> Result<Encoded, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_UPLOAD {
        return Err(Refusal::TooLarge);
    }
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif)) => f,
        _ => return Err(Refusal::NotAnImage),
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_EDGE);
    limits.max_image_height = Some(MAX_EDGE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    let reader = |limits: Limits| {
        let mut r = ImageReader::with_format(Cursor::new(bytes), format);
        r.limits(limits);
        r
    };
    // The header first: a bomb is refused by its stated size, unpacked never.
    let (w, h) = reader(limits.clone()).into_dimensions().map_err(|e| match e {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::Broken,
    })?;
    if w == 0 || h == 0 || w > MAX_EDGE || h > MAX_EDGE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Refusal::TooManyPixels);
    }
    let too_big_or_broken = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::Broken,
    };
    let mut decoder = reader(limits).into_decoder().map_err(too_big_or_broken)?;
    // A phone's photo says how it was held (EXIF): turned upright here,
    // since the tag does not survive the new encoding.
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut decoded = DynamicImage::from_decoder(decoder).map_err(too_big_or_broken)?;
    decoded.apply_orientation(orientation);
    // Alpha laid on white: product shots sit on white pages.
    let rgba = decoded.to_rgba8();
    let mut flat = image::RgbImage::new(rgba.width(), rgba.height());
    for (out, px) in flat.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = px.0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        *out = image::Rgb([over(r), over(g), over(b)]);
    }
    let flat = DynamicImage::ImageRgb8(flat);
    let fit = |edge: u32| {
        if flat.width() <= edge && flat.height() <= edge {
            flat.clone()
        } else {
            flat.resize(edge, edge, image::imageops::FilterType::Triangle)
        }
    };
    let full = fit(FULL_EDGE);
    let thumb = fit(THUMB_EDGE);
    Ok(Encoded { full: jpeg(&full)?, thumb: jpeg(&thumb)?, width: full.width(), height: full.height() })
}

/// What adding an image did.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    Added { image_id: i32 },
    Refused(Refusal),
}

/// The thumbnail's URL of an image stored at `url` (ours only).
pub fn thumb_url(url: &str) -> Option<String> {
    media::name_of_url(url).filter(|n| !n.contains("-thumb")).map(|n| {
        let stem = n.trim_end_matches(".jpg");
        format!("{}{stem}-thumb.jpg", media::URL_PREFIX)
    })
}

/// Rewrites the positions of `product_id`'s images to `order` (every
/// image id of the product, each once), inside `db`'s transaction.
async fn write_order<C: ConnectionTrait>(db: &C, product_id: i32, order: &[i32]) -> Result<(), ServerError> {
    // Out of the way first: the unique (product_id, position) index allows
    // no swap in place.
    product_image::Entity::update_many()
        .col_expr(product_image::Column::Position, Expr::col(product_image::Column::Position).add(10_000))
        .filter(product_image::Column::ProductId.eq(product_id))
        .exec(db)
        .await?;
    for (position, id) in order.iter().enumerate() {
        product_image::Entity::update_many()
            .col_expr(product_image::Column::Position, Expr::value(position as i32))
            .filter(product_image::Column::Id.eq(*id))
            .filter(product_image::Column::ProductId.eq(product_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Takes the product's row for this transaction (PostgreSQL waits here for
/// another gallery change of the same product; SQLite has one writer) and
/// sets its change time, with a `ProductChanged` event. The version stays:
/// it guards the product form, which a gallery change does not touch, so
/// an admin editing the text meanwhile gets no false conflict.
async fn lock_product<C: ConnectionTrait>(db: &C, product_id: i32, now: DateTime<Utc>) -> Result<(), ServerError> {
    let touched = product::Entity::update_many()
        .col_expr(product::Column::UpdatedAt, Expr::value(now))
        .filter(product::Column::Id.eq(product_id))
        .filter(product::Column::DeletedAt.is_null())
        .exec(db)
        .await?;
    if touched.rows_affected == 0 {
        return Err(ServerError::NotFound);
    }
    let name = product::Entity::find_by_id(product_id).one(db).await?.map(|p| p.name).unwrap_or_default();
    crate::events::outbox::record(db, StoreEvent::ProductChanged { product_id, name }, now).await
}

async fn ids_in_order<C: ConnectionTrait>(db: &C, product_id: i32) -> Result<Vec<i32>, ServerError> {
    Ok(product_image::Entity::find()
        .filter(product_image::Column::ProductId.eq(product_id))
        .order_by_asc(product_image::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect())
}

/// Adds an upload to the end of product `product_id`'s gallery: encoded
/// again, stored under a random name, then recorded. A refusal changes
/// nothing.
pub async fn add(
    db: &DatabaseConnection,
    store: &dyn MediaStore,
    product_id: i32,
    bytes: Vec<u8>,
    alt: &str,
    now: DateTime<Utc>,
) -> Result<Added, ServerError> {
    let product = product::Entity::find_by_id(product_id)
        .filter(product::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(ServerError::NotFound)?;
    // One decode at a time: a 40-megapixel upload takes about half a
    // gigabyte while it is turned into pixels.
    let _turn = DECODES.acquire().await.map_err(|e| ServerError::Internal(format!("decode queue: {e}")))?;
    let encoded = match tokio::task::spawn_blocking(move || encode(&bytes)).await {
        Ok(Ok(e)) => e,
        Ok(Err(refusal)) => return Ok(Added::Refused(refusal)),
        Err(e) => return Err(ServerError::Internal(format!("image encoding: {e}"))),
    };
    let alt = match alt.trim() {
        "" => format!("{}, product photo", product.name),
        a => a.chars().take(200).collect(),
    };
    let stem = media::new_stem();
    let (full, thumb) = (format!("{stem}.jpg"), format!("{stem}-thumb.jpg"));
    store.put(&full, encoded.full).await?;
    store.put(&thumb, encoded.thumb).await?;
    let recorded = async {
        let tx = db.begin().await?;
        lock_product(&tx, product_id, now).await?;
        let ids = ids_in_order(&tx, product_id).await?;
        if ids.len() >= MAX_IMAGES {
            return Ok(Added::Refused(Refusal::TooMany));
        }
        let position = ids.len() as i32;
        write_order(&tx, product_id, &ids).await?;
        let row = product_image::ActiveModel {
            id: NotSet,
            product_id: Set(product_id),
            position: Set(position),
            url: Set(format!("{}{full}", media::URL_PREFIX)),
            alt: Set(alt),
            width: Set(encoded.width as i32),
            height: Set(encoded.height as i32),
        }
        .insert(&tx)
        .await?;
        tx.commit().await?;
        Ok::<_, ServerError>(Added::Added { image_id: row.id })
    }
    .await;
    if !matches!(recorded, Ok(Added::Added { .. })) {
        // Nothing refers to the files: take them back.
        let _ = store.delete(&full).await;
        let _ = store.delete(&thumb).await;
    }
    recorded
}

/// Moves image `image_id` of product `product_id` one place up or down, or
/// to the front (the primary image).
pub async fn move_image(
    db: &DatabaseConnection,
    product_id: i32,
    image_id: i32,
    to: Move,
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    let tx = db.begin().await?;
    lock_product(&tx, product_id, now).await?;
    let mut ids = ids_in_order(&tx, product_id).await?;
    let at = ids.iter().position(|i| *i == image_id).ok_or(ServerError::NotFound)?;
    match to {
        Move::Up if at > 0 => ids.swap(at, at - 1),
        Move::Down if at + 1 < ids.len() => ids.swap(at, at + 1),
        Move::First => {
            let id = ids.remove(at);
            ids.insert(0, id);
        }
        // Already first or last: nothing to move.
        _ => return Ok(()),
    }
    write_order(&tx, product_id, &ids).await?;
    tx.commit().await?;
    Ok(())
}

/// Puts product `product_id`'s gallery in `order` (dragged in the page). It
/// must name every image of the product once: a gallery someone changed
/// meanwhile is a conflict, and nothing moves.
pub async fn reorder(
    db: &DatabaseConnection,
    product_id: i32,
    order: &[i32],
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    let tx = db.begin().await?;
    lock_product(&tx, product_id, now).await?;
    let mut current = ids_in_order(&tx, product_id).await?;
    let mut asked = order.to_vec();
    current.sort_unstable();
    asked.sort_unstable();
    if current != asked {
        return Err(ServerError::Conflict);
    }
    write_order(&tx, product_id, order).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes image `image_id` of product `product_id`; the rest close ranks
/// (the next becomes primary if it was). Our own files are removed after
/// the commit; the catalog's shipped images are left on disk.
pub async fn delete(
    db: &DatabaseConnection,
    store: &dyn MediaStore,
    product_id: i32,
    image_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    let tx = db.begin().await?;
    lock_product(&tx, product_id, now).await?;
    let row = product_image::Entity::find_by_id(image_id)
        .filter(product_image::Column::ProductId.eq(product_id))
        .one(&tx)
        .await?
        .ok_or(ServerError::NotFound)?;
    product_image::Entity::delete_by_id(image_id).exec(&tx).await?;
    let ids = ids_in_order(&tx, product_id).await?;
    write_order(&tx, product_id, &ids).await?;
    tx.commit().await?;
    if let Some(name) = media::name_of_url(&row.url) {
        store.delete(name).await?;
        if let Some(thumb) = thumb_url(&row.url) {
            store.delete(thumb.trim_start_matches(media::URL_PREFIX)).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(w, h, image::Rgba([10, 200, 30, 128])));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn an_image_is_encoded_again_as_jpeg_in_two_sizes() {
        let e = encode(&png(2400, 1200)).unwrap();
        assert_eq!((e.width, e.height), (1600, 800));
        assert_eq!(&e.full[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
        let thumb = image::load_from_memory(&e.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (400, 200));
        // A small image keeps its size.
        let small = encode(&png(300, 200)).unwrap();
        assert_eq!((small.width, small.height), (300, 200));
    }

    #[test]
    fn a_photo_taken_sideways_is_turned_upright() {
        // A 40 × 20 JPEG whose EXIF says "rotate 90° clockwise to view" (6).
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(40, 20, image::Rgb([200, 100, 50])));
        let mut plain = Vec::new();
        img.write_to(&mut Cursor::new(&mut plain), ImageFormat::Jpeg).unwrap();
        let tiff: [u8; 26] = [
            b'M', b'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF, first IFD at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, // Orientation, SHORT, 1 value: 6
            0, 0, 0, 0, // no next IFD
        ];
        let mut app1 = vec![0xFF, 0xE1];
        app1.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
        app1.extend_from_slice(b"Exif\0\0");
        app1.extend_from_slice(&tiff);
        let mut turned = plain[..2].to_vec();
        turned.extend_from_slice(&app1);
        turned.extend_from_slice(&plain[2..]);
        let e = encode(&turned).unwrap();
        assert_eq!((e.width, e.height), (20, 40));
        assert_eq!((encode(&plain).unwrap().width, encode(&plain).unwrap().height), (40, 20));
    }

    #[test]
    fn what_is_not_an_image_is_refused() {
        assert_eq!(encode(b"").unwrap_err(), Refusal::Empty);
        assert_eq!(encode(b"<?php system($_GET['c']); ?>").unwrap_err(), Refusal::NotAnImage);
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert_eq!(encode(svg).unwrap_err(), Refusal::NotAnImage);
        let mut cut = png(50, 50);
        cut.truncate(cut.len() / 2);
        assert_eq!(encode(&cut).unwrap_err(), Refusal::Broken);
        assert_eq!(encode(&vec![0xFF; MAX_UPLOAD + 1]).unwrap_err(), Refusal::TooLarge);
    }

    #[test]
    fn thumbnails_are_named_after_their_image() {
        let stem = media::new_stem();
        assert_eq!(thumb_url(&format!("/media/{stem}.jpg")), Some(format!("/media/{stem}-thumb.jpg")));
        assert_eq!(thumb_url("/images/products/a-1.svg"), None);
    }
}
