//! Requests through the real router, as a browser or a form would send them.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// `name=value` of every cookie this reply sets.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect()
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap().to_owned())
    }

    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).map(|v| v.to_str().unwrap()).unwrap_or("")
    }
}

/// Longest a single request may take, body included, before the test fails
/// naming it (a hang is a bug, and must say where it is).
const REQUEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

pub async fn send(app: &axum::Router, req: Request<Body>) -> Reply {
    let what = format!("{} {}", req.method(), req.uri());
    let exchange = async {
        let res = app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
        Reply { status, headers, body }
    };
    match tokio::time::timeout(REQUEST_LIMIT, exchange).await {
        Ok(reply) => reply,
        Err(_) => panic!("{what} did not finish within {REQUEST_LIMIT:?}"),
    }
}

pub async fn page(app: &axum::Router, uri: &str, cookies: &[&str]) -> Reply {
    let mut req = Request::get(uri).header(header::ACCEPT, "text/html");
    if !cookies.is_empty() {
        req = req.header(header::COOKIE, cookies.join("; "));
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

pub async fn post_form(app: &axum::Router, uri: &str, form: &str, cookies: &[&str]) -> Reply {
    let mut req = Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if !cookies.is_empty() {
        req = req.header(header::COOKIE, cookies.join("; "));
    }
    send(app, req.body(Body::from(form.to_owned())).unwrap()).await
}

pub struct Signed {
    pub access: String,
    pub refresh: String,
}

pub async fn sign_in(app: &axum::Router, email: &str, password: &str) -> Signed {
    let res =
        post_form(app, "/api/auth/sign-in", &format!("email={email}&password={password}&next=%2Faccount"), &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let all = res.set_cookies();
    let access_cookie = all.iter().find(|c| c.starts_with("ob_at=")).expect("access cookie");
    let refresh_cookie = all.iter().find(|c| c.starts_with("ob_rt=")).expect("refresh cookie");
    assert!(access_cookie.contains("HttpOnly") && access_cookie.contains("SameSite=Lax"));
    assert!(refresh_cookie.contains("HttpOnly") && refresh_cookie.contains("Path=/api/auth"));
    Signed { access: res.cookie("ob_at").unwrap(), refresh: res.cookie("ob_rt").unwrap() }
}

/// A raw POST (a provider's webhook): these bytes, these headers.
pub async fn post_raw(app: &axum::Router, uri: &str, body: &[u8], headers: &[(&str, &str)]) -> Reply {
    let mut req = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    send(app, req.body(Body::from(body.to_vec())).unwrap()).await
}
