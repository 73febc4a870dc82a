//! Product image uploads through the app, on SQLite and PostgreSQL: what is
//! uploaded is never served as sent (re-encoded JPEG, random name, fixed
//! type), what is not an image is refused (an SVG with a script, PHP named
//! `.jpg`, a decompression bomb, an oversized file), a `../` file name goes
//! nowhere, only admins upload; and the gallery's order (moved, dragged,
//! primary, deleted) is what the storefront shows, at once.

mod common;

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::http::{Reply, page, post_form, send, sign_in};
use common::{Backend, TestDb};
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tower::ServiceExt;

const BOUNDARY: &str = "----octablitz-test-boundary";

/// A multipart body with `file` (as `filename`, declared `content_type`) and `alt`.
fn multipart(file: &[u8], filename: &str, content_type: &str, alt: &str) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n{alt}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &axum::Router, product: i32, body: Vec<u8>, cookie: Option<&str>, html: bool) -> Reply {
    let mut req = Request::post(format!("/admin/products/{product}/images/upload"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"));
    if html {
        req = req.header(header::ACCEPT, "text/html");
    }
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

/// GET `uri` as raw bytes, with the response headers.
async fn fetch(app: &axum::Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.into_body().collect().await.unwrap().to_bytes().to_vec())
}

fn png(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb(rgb));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg).unwrap();
    out
}

/// A PNG whose header says `w` × `h` pixels, with one tiny data chunk: a
/// decompression bomb as far as any decoder that trusts the header knows.
fn bomb(w: u32, h: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.finalize().to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    // zlib of a few zero bytes: the rest of the pixels would be zeros too.
    chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]);
    chunk(&mut out, b"IEND", &[]);
    out
}

async fn image_rows(t: &TestDb, product: i32) -> Vec<entity::product_image::Model> {
    entity::product_image::Entity::find()
        .filter(entity::product_image::Column::ProductId.eq(product))
        .order_by_asc(entity::product_image::Column::Position)
        .all(&t.db)
        .await
        .unwrap()
}

fn media_files(t: &TestDb) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(&t.config.media_dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

async fn shop(backend: Backend) -> (TestDb, axum::Router, String, String) {
    let t = TestDb::new(backend).await;
    app::account::server::ensure_demo_accounts(&t.db).await.unwrap();
    let state = t.state().await;
    let app = server::router(state);
    let admin = sign_in(&app, "admin%40octablitz.local", "AdminPass123").await;
    let customer = sign_in(&app, "test-customer%40octablitz.local", "TestPass123").await;
    (t, app, admin.access, customer.access)
}

async fn uploads_are_encoded_again_and_never_served_as_sent(backend: Backend) {
    let (t, app, admin, customer) = shop(backend).await;
    let product = 10;
    let before = image_rows(&t, product).await.len();

    // Only admins upload.
    let good = multipart(&png(800, 600, [200, 10, 10]), "photo.png", "image/png", "Red box, front");
    assert!(!upload(&app, product, good.clone(), None, false).await.status.is_success());
    assert_eq!(upload(&app, product, good.clone(), Some(&customer), false).await.status, StatusCode::FORBIDDEN);
    assert_eq!(image_rows(&t, product).await.len(), before);

    // A real image under a hostile name and a lying type: stored under a
    // random name, as JPEG, nowhere but the media directory.
    let sneaky = multipart(&png(800, 600, [200, 10, 10]), "../../../evil.php", "text/html", "Red box, front");
    let added = upload(&app, product, sneaky, Some(&admin), false).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let rows = image_rows(&t, product).await;
    assert_eq!(rows.len(), before + 1);
    let row = rows.last().unwrap();
    assert_eq!((row.width, row.height, row.alt.as_str()), (800, 600, "Red box, front"));
    let name = row.url.strip_prefix("/media/").expect("served from /media");
    assert!(app::media::valid_name(name), "{name}");
    assert!(!t.dir.path().join("evil.php").exists() && !t.config.media_dir.join("evil.php").exists());
    let stem = name.trim_end_matches(".jpg");
    assert_eq!(media_files(&t), [format!("{stem}-thumb.jpg"), format!("{stem}.jpg")]);
    let (status, headers, bytes) = fetch(&app, &row.url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(image::guess_format(&bytes).unwrap(), image::ImageFormat::Jpeg);
    let thumb = image::load_from_memory(&fetch(&app, &format!("/media/{stem}-thumb.jpg")).await.2).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (400, 300));

    // A JPEG with an HTML page after it: accepted as the image it also is,
    // served re-encoded, the HTML gone.
    let mut polyglot = jpeg(64, 48);
    polyglot.extend_from_slice(b"<html><body><script>alert(document.cookie)</script></body></html>");
    let added = upload(&app, product, multipart(&polyglot, "x.html", "text/html", ""), Some(&admin), false).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let row = image_rows(&t, product).await.pop().unwrap();
    let (_, headers, bytes) = fetch(&app, &row.url).await;
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    assert!(!String::from_utf8_lossy(&bytes).contains("<script"), "the HTML is not served");
    assert!(row.alt.ends_with("product photo"), "an empty description gets one: {}", row.alt);

    // Refused, and nothing stored.
    let count = image_rows(&t, product).await.len();
    let files = media_files(&t);
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#;
    let php = b"<?php system($_GET['cmd']); ?>";
    for (bytes, filename, ct, status, why) in [
        (svg.to_vec(), "logo.svg", "image/svg+xml", StatusCode::BAD_REQUEST, "not a JPEG, PNG, WebP or GIF"),
        (php.to_vec(), "shell.jpg", "image/jpeg", StatusCode::BAD_REQUEST, "not a JPEG, PNG, WebP or GIF"),
        (bomb(60_000, 60_000), "bomb.png", "image/png", StatusCode::BAD_REQUEST, "too many pixels"),
        (bomb(9_000, 9_000), "wide.png", "image/png", StatusCode::BAD_REQUEST, "too many pixels"),
        (Vec::new(), "empty.png", "image/png", StatusCode::BAD_REQUEST, "Choose an image file"),
    ] {
        let reply = upload(&app, product, multipart(&bytes, filename, ct, ""), Some(&admin), false).await;
        assert_eq!(reply.status, status, "{filename}: {}", reply.body);
        assert!(reply.body.contains(why), "{filename}: {}", reply.body);
    }
    let mut huge = jpeg(16, 16);
    huge.resize(11 * 1024 * 1024, 0);
    let reply = upload(&app, product, multipart(&huge, "huge.jpg", "image/jpeg", ""), Some(&admin), false).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", reply.body);
    assert_eq!(image_rows(&t, product).await.len(), count);
    assert_eq!(media_files(&t), files);

    // A browser's form post is sent back to the gallery, which says why in
    // its own words (the address carries a code, never text).
    let reply = upload(&app, product, multipart(php, "shell.jpg", "image/jpeg", ""), Some(&admin), true).await;
    assert!(reply.status.is_redirection());
    assert_eq!(reply.location(), format!("/admin/products/{product}/images?refused=not-an-image"));
    let gallery = page(&app, reply.location(), &[&admin]).await;
    assert_eq!(gallery.status, StatusCode::OK);
    assert!(gallery.body.contains("That file is not a JPEG, PNG, WebP or GIF image"));
    let forged = page(&app, &format!("/admin/products/{product}/images?refused=Call+us+now"), &[&admin]).await;
    assert!(!forged.body.contains("Call us now"));

    // Names the store never made are not served, whatever they point at.
    for uri in ["/media/..%2F..%2Fetc%2Fpasswd", "/media/evil.php", "/media/0123456789abcdef0123456789abcdef.png"] {
        assert_eq!(fetch(&app, uri).await.0, StatusCode::NOT_FOUND, "{uri}");
    }
}

/// The position of each of `urls` on the product page, in page order.
fn order_on_page(body: &str, urls: &[String]) -> Vec<String> {
    let mut found: Vec<(usize, String)> =
        urls.iter().filter_map(|u| body.find(u.as_str()).map(|at| (at, u.clone()))).collect();
    found.sort();
    found.into_iter().map(|(_, u)| u).collect()
}

async fn the_gallery_order_is_what_the_storefront_shows(backend: Backend) {
    let (t, app, admin, _) = shop(backend).await;
    let product = 11;
    let before = entity::product::Entity::find_by_id(product).one(&t.db).await.unwrap().unwrap();
    let slug = before.slug.clone();
    for (i, color) in [[250, 0, 0], [0, 0, 250]].into_iter().enumerate() {
        let body = multipart(&png(300, 300, color), "p.png", "image/png", &format!("Upload {i}"));
        assert_eq!(upload(&app, product, body, Some(&admin), false).await.status, StatusCode::CREATED);
    }
    let rows = image_rows(&t, product).await;
    let seeded = rows.len() - 2;
    let (red, blue) = (rows[seeded].clone(), rows[seeded + 1].clone());

    // Blue becomes primary: first in the store's gallery and on listing cards.
    let moved = post_form(
        &app,
        "/api/admin/move-image",
        &format!("product_id={product}&image_id={}&to=first", blue.id),
        &[&admin],
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let rows = image_rows(&t, product).await;
    assert_eq!(rows[0].id, blue.id);
    let urls: Vec<String> = rows.iter().map(|r| r.url.clone()).collect();
    let shown = page(&app, &format!("/products/{slug}"), &[]).await.body;
    assert_eq!(order_on_page(&shown, &urls)[0], blue.url, "the store's gallery starts with the primary image");
    let sku = entity::product::Entity::find_by_id(product).one(&t.db).await.unwrap().unwrap().sku;
    let listing = page(&app, &format!("/search?q={sku}"), &[]).await.body;
    assert!(listing.contains(&app::catalog::images::thumb_url(&blue.url).unwrap()), "cards show the thumbnail");

    // Dragged into a new order: exactly that order. A stale order (missing
    // an image, or naming another product's) is a conflict and moves nothing.
    let mut dragged: Vec<i32> = rows.iter().map(|r| r.id).collect();
    dragged.reverse();
    let form: Vec<String> = dragged.iter().enumerate().map(|(i, id)| format!("order%5B{i}%5D={id}")).collect();
    let reply =
        post_form(&app, "/api/admin/reorder-images", &format!("product_id={product}&{}", form.join("&")), &[&admin])
            .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let now: Vec<i32> = image_rows(&t, product).await.iter().map(|r| r.id).collect();
    assert_eq!(now, dragged);
    let stale = format!("product_id={product}&order%5B0%5D={}", dragged[0]);
    assert_eq!(post_form(&app, "/api/admin/reorder-images", &stale, &[&admin]).await.status, StatusCode::CONFLICT);
    assert_eq!(image_rows(&t, product).await.iter().map(|r| r.id).collect::<Vec<_>>(), dragged);

    // Moving up and down, without JavaScript: back to the gallery page.
    let req = Request::post("/api/admin/move-image")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, &admin)
        .body(Body::from(format!("product_id={product}&image_id={}&to=up", dragged[1])))
        .unwrap();
    let reply = send(&app, req).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    assert_eq!(reply.location(), format!("/admin/products/{product}/images"));
    let now: Vec<i32> = image_rows(&t, product).await.iter().map(|r| r.id).collect();
    assert_eq!(now[..2], [dragged[1], dragged[0]]);

    // Deleting the primary image: the next one is primary, the files go,
    // positions close ranks.
    let primary = image_rows(&t, product).await[0].clone();
    let files = media_files(&t).len();
    let reply =
        post_form(&app, "/api/admin/delete-image", &format!("product_id={product}&image_id={}", primary.id), &[&admin])
            .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let rows = image_rows(&t, product).await;
    assert_eq!(rows[0].id, dragged[0]);
    assert_eq!(rows.iter().map(|r| r.position).collect::<Vec<_>>(), (0..rows.len() as i32).collect::<Vec<_>>());
    let ours = primary.url.starts_with("/media/");
    assert_eq!(media_files(&t).len(), if ours { files - 2 } else { files });
    assert!(rows.iter().any(|r| r.id == red.id));
    // The gallery is not the product form: an admin editing the text
    // meanwhile must not get a conflict from it.
    let after = entity::product::Entity::find_by_id(product).one(&t.db).await.unwrap().unwrap();
    assert_eq!(after.version, before.version);
    assert!(after.updated_at > before.updated_at);
}

on_both_backends!(uploads_are_encoded_again_and_never_served_as_sent, the_gallery_order_is_what_the_storefront_shows);
