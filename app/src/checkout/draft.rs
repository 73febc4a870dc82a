//! The checkout form's typed values, kept for one failed no-JavaScript post
//! (ssr only).
//!
//! Without JavaScript a failed post comes back as a redirect to a fresh
//! page, which would be empty. So a failed form post leaves what the shopper
//! typed in a short-lived cookie (`ob_checkout`: HttpOnly, `Path=/checkout`,
//! 10 minutes, signed by this server so nobody else can plant one), and the
//! checkout page fills the form from it. A placed order clears it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::domain::CheckoutDraft;

pub const DRAFT_COOKIE: &str = "ob_checkout";
/// How long a draft is kept.
pub const DRAFT_TTL_SECS: i64 = 600;
/// Browsers keep cookies up to about 4 KiB; a bigger draft is not kept.
const MAX_COOKIE: usize = 3_800;

fn mac(key: &[u8; 32], expires: i64, payload: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(expires.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    mac
}

/// The cookie value for `draft`, valid until `now + DRAFT_TTL_SECS`; `None`
/// when it would be too big for a cookie.
pub fn seal(key: &[u8; 32], draft: &CheckoutDraft, now: i64) -> Option<String> {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(draft).ok()?);
    let expires = now + DRAFT_TTL_SECS;
    let tag = URL_SAFE_NO_PAD.encode(mac(key, expires, &payload).finalize().into_bytes());
    let value = format!("{expires}.{payload}.{tag}");
    (value.len() <= MAX_COOKIE).then_some(value)
}

/// The draft in `value`, if this server sealed it and it has not expired.
pub fn open(key: &[u8; 32], value: &str, now: i64) -> Option<CheckoutDraft> {
    let mut parts = value.split('.');
    let (expires, payload, tag) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let expires: i64 = expires.parse().ok()?;
    if expires < now || expires > now + DRAFT_TTL_SECS {
        return None;
    }
    mac(key, expires, payload).verify_slice(&URL_SAFE_NO_PAD.decode(tag).ok()?).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// `Set-Cookie` for `value`, or (with `None`) one that removes the draft.
pub fn cookie(value: Option<String>, secure: bool) -> String {
    let remove = value.is_none();
    let mut c = cookie::Cookie::build((DRAFT_COOKIE, value.unwrap_or_default()))
        .path("/checkout")
        .http_only(true)
        .secure(secure)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(if remove { 0 } else { DRAFT_TTL_SECS }))
        .build();
    if remove {
        c.make_removal();
    }
    c.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkout::domain::AddressInput;

    const KEY: [u8; 32] = [3; 32];

    fn draft() -> CheckoutDraft {
        CheckoutDraft {
            address: AddressInput { name: "Zoë <b>".into(), city: "Springfield".into(), ..AddressInput::default() },
            shipping: "express".into(),
            ..CheckoutDraft::default()
        }
    }

    #[test]
    fn only_this_servers_fresh_drafts_open() {
        let now = 1_000_000;
        let sealed = seal(&KEY, &draft(), now).unwrap();
        assert_eq!(open(&KEY, &sealed, now + 1), Some(draft()));
        assert_eq!(open(&KEY, &sealed, now + DRAFT_TTL_SECS + 1), None, "expired");
        assert_eq!(open(&[4; 32], &sealed, now), None, "another key");
        let (head, tag) = sealed.rsplit_once('.').unwrap();
        let other = seal(&KEY, &CheckoutDraft::default(), now).unwrap();
        let other_payload = other.split('.').nth(1).unwrap();
        let expires = head.split('.').next().unwrap();
        assert_eq!(open(&KEY, &format!("{expires}.{other_payload}.{tag}"), now), None, "payload swapped");
        assert_eq!(open(&KEY, "garbage", now), None);
        assert_eq!(open(&KEY, &format!("{sealed}.x"), now), None);
    }

    #[test]
    fn a_huge_draft_is_not_kept() {
        let mut big = draft();
        big.address.line2 = "x".repeat(4_000);
        assert_eq!(seal(&KEY, &big, 0), None);
    }

    #[test]
    fn cookies_are_scoped_to_checkout() {
        let set = cookie(Some("v".into()), true);
        assert!(set.contains("Path=/checkout") && set.contains("HttpOnly") && set.contains("Secure"), "{set}");
        assert!(cookie(None, false).contains("Max-Age=0"));
    }
}
