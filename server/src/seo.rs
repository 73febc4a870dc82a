//! What crawlers ask for besides pages: `robots.txt` (naming the sitemap),
//! `sitemap.xml` (absolute URLs from `PUBLIC_URL`) and `/favicon.ico`.

use app::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Crawlers may read an hour-old copy.
const CRAWLER_CACHE: &str = "public, max-age=3600";

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /api/\nDisallow: /search\nDisallow: /cart\nDisallow: /account\nDisallow: /admin\n\
         Sitemap: {}/sitemap.xml\n",
        state.config.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, CRAWLER_CACHE)], body)
        .into_response()
}

fn xml_escape(s: &str) -> String {
    app::app::escape_html(s)
}

pub async fn sitemap(State(state): State<AppState>) -> Response {
    let (categories, products) = match app::catalog::server::sitemap_entries(&state.db).await {
        Ok(entries) => entries,
        Err(e) => {
            tracing::error!(error = %e, "sitemap: catalog unavailable");
            return (StatusCode::SERVICE_UNAVAILABLE, [(header::CACHE_CONTROL, "no-store")], "try again later")
                .into_response();
        }
    };
    let base = &state.config.public_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: &str, lastmod: Option<String>| {
        xml.push_str("  <url><loc>");
        xml.push_str(&xml_escape(&format!("{base}{path}")));
        xml.push_str("</loc>");
        if let Some(m) = lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(&m);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    };
    for path in ["/", "/products", "/categories"] {
        url(path, None);
    }
    for slug in &categories {
        url(&format!("/categories/{slug}"), None);
    }
    for (slug, updated) in &products {
        url(&format!("/products/{slug}"), Some(updated.format("%Y-%m-%d").to_string()));
    }
    xml.push_str("</urlset>\n");
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8"), (header::CACHE_CONTROL, CRAWLER_CACHE)], xml)
        .into_response()
}

/// Browsers ask for `/favicon.ico` whatever the page says: the SVG icon.
pub async fn favicon() -> Response {
    let mut res = Redirect::permanent("/favicon.svg").into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("public, max-age=86400"));
    res
}
