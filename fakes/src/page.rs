//! The fakes' hosted pages: plain HTML forms, legible at 320 px, no script.

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f8fb;color:#1a1f36}\
main{max-width:30rem;margin:0 auto;padding:1rem}table{width:100%;border-collapse:collapse}\
td,th{padding:.25rem 0;text-align:left}td:last-child,th:last-child{text-align:right}\
form{display:flex;flex-direction:column;gap:.75rem;margin-top:1rem}button{font:inherit;min-height:44px;\
border-radius:8px;border:1px solid #c0c8d8;background:#fff;color:#1a1f36;cursor:pointer}\
button[value=pay],button[value=approve]{background:#635bff;color:#fff;border-color:#635bff}\
[role=alert]{color:#a4002b;font-weight:600}a{color:#4b44d8}";

/// A whole page: `title`, then `body` (already HTML).
pub fn html(title: &str, body: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        t = escape(title),
    );
    ([("content-type", "text/html; charset=utf-8"), ("cache-control", "no-store")], page).into_response()
}

/// The lines of what is paid for, and the total, as a table.
pub fn lines_table(lines: &[(String, String, String)], total: &str) -> String {
    let mut rows = String::new();
    for (name, unit, quantity) in lines {
        rows.push_str(&format!("<tr><td>{} × {}</td><td>{}</td></tr>", escape(quantity), escape(name), escape(unit)));
    }
    format!(
        "<table><caption>What you pay for</caption><thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Price</th></tr></thead>\
         <tbody>{rows}</tbody><tfoot><tr><th scope=\"row\">Total</th><td>{}</td></tr></tfoot></table>",
        escape(total)
    )
}
