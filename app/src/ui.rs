//! Page parts every feature shares: the page's head metadata and the
//! store's public address. Features import from here, never from each
//! other's pages.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::error::AppError;

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

/// Whether the page has finished hydrating, a lazy page's chunks included
/// (tracked: an effect that reads it runs again when it turns true). Until
/// then nothing may change what the server rendered, or the part of the
/// page still hydrating would not match it. The browser's entry point
/// (`frontend`) calls [`mark_hydrated`] once hydration has resolved.
/// Always false on the server, where nothing hydrates.
pub fn hydrated() -> bool {
    #[cfg(feature = "hydrate")]
    {
        HYDRATED.with(|h| h.get())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

// One page per wasm instance, one thread: a flag for the page's lifetime.
#[cfg(feature = "hydrate")]
thread_local! {
    static HYDRATED: ArcRwSignal<bool> = ArcRwSignal::new(false);
}

/// Marks the page hydrated ([`hydrated`]).
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    HYDRATED.with(|h| h.set(true));
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

/// A friendly panel for a failed load.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    view! {
        <section class="panel panel--error" role="alert">
            <h1>"Sorry, that did not work"</h1>
            <p>{error.to_string()}</p>
            <p><a class="button" href="/">"Back to the home page"</a></p>
        </section>
    }
}

/// 403: signed in, but not allowed here. Answers with status 403 when
/// rendered on the server.
#[component]
pub fn Forbidden() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <PageMeta title="Not allowed" robots="noindex" />
        <section class="not-found">
            <h1>"You do not have access to this page"</h1>
            <p>"This area is for OctaBlitz staff. If you think you should have access, sign in with your staff account."</p>
            <p><a class="button" href="/">"Back to the store"</a></p>
        </section>
    }
}

/// 404 inside a page: what was asked for does not exist, and where to look
/// instead. Answers with status 404 when rendered on the server.
#[component]
pub fn Missing(
    #[prop(into)] title: String,
    /// Where to find the real thing: (path, link text).
    back: (&'static str, &'static str),
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! { <h1>{title}</h1> <p><a href=back.0>{back.1}</a></p> }
}

/// An RFC 3339 UTC time as pages show it: "2026-12-02 10:15 UTC".
pub fn when(rfc3339: &str) -> String {
    let (date, time) = rfc3339.split_once('T').unwrap_or((rfc3339, ""));
    format!("{date} {} UTC", time.get(..5).unwrap_or(""))
}

/// The error of `action`: from its last in-page run, or from the `__err`
/// parameter a no-JavaScript post came back with.
pub fn form_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let from_url = crate::error::form_error_from_url(|path| path == S::PATH);
    Signal::derive(move || action.value().get().and_then(Result::err).or_else(from_url))
}

#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.get().map(|e| view! { <p class="form-error" role="alert">{crate::error::message(&e)}</p> })
}
