//! Page parts every feature shares: the page's head metadata and the
//! store's public address. Features import from here, never from each
//! other's pages.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// The address shoppers reach the store at (`PUBLIC_URL`, no trailing
/// slash), for absolute canonical links. Provided once by `App`: on the
/// server from the configuration, in the browser from the
/// `<meta name="octablitz:public-url">` the server wrote into the shell, so
/// both render the same links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteUrl(pub String);

/// The `<meta>` name the shell carries [`SiteUrl`] in.
pub const SITE_URL_META: &str = "octablitz:public-url";

impl SiteUrl {
    /// Provides the store's address to the whole app.
    pub fn provide() {
        #[cfg(feature = "ssr")]
        let url = use_context::<crate::state::AppState>().map(|s| s.config.public_url.clone());
        #[cfg(not(feature = "ssr"))]
        let url = document()
            .query_selector(&format!("meta[name=\"{SITE_URL_META}\"]"))
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"));
        provide_context(Self(url.unwrap_or_default()));
    }

    /// `path` (starting with `/`) as an absolute URL of this store.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

/// A page's title, description, canonical link and robots directive, in
/// one place. `canonical` is a path; it is written as an absolute URL.
#[component]
pub fn PageMeta(
    #[prop(into)] title: String,
    #[prop(into, optional)] description: Option<String>,
    #[prop(into, optional)] canonical: Option<String>,
    /// For example `noindex` or `noindex, follow`.
    #[prop(into, default = None)]
    robots: Option<&'static str>,
) -> impl IntoView {
    let site = use_context::<SiteUrl>().unwrap_or(SiteUrl(String::new()));
    view! {
        <Title text=title />
        {description.map(|d| view! { <Meta name="description" content=d /> })}
        {canonical.map(|path| view! { <Link rel="canonical" href=site.absolute(&path) /> })}
        {robots.map(|r| view! { <Meta name="robots" content=r /> })}
    }
}
