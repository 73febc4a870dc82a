//! Webhook signatures in Stripe's scheme, used by the development stub and
//! (next) Stripe itself: a header `t=<unix seconds>,v1=<hex HMAC-SHA256>`
//! over `"{t}.{raw body}"`, refused when the timestamp is more than
//! [`TOLERANCE_SECS`] from now in either direction.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::WebhookError;

/// How far a signature's timestamp may be from now, either way.
pub const TOLERANCE_SECS: i64 = 300;

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value that signs `body` at `timestamp`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let tag = mac(secret, timestamp, body).finalize().into_bytes();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

/// Checks `header` against `body` at `now`. Any `v1` entry may match
/// (several appear while a secret is being rolled); other schemes (`v0`)
/// are ignored, so a header with only those is refused.
pub fn verify(secret: &[u8], header: Option<&str>, body: &[u8], now: i64) -> Result<(), WebhookError> {
    let header = header.filter(|h| !h.trim().is_empty()).ok_or(WebhookError::MissingSignature)?;
    let mut timestamp = None;
    let mut tags = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => timestamp = v.parse::<i64>().ok(),
            Some(("v1", v)) => tags.extend(unhex(v)),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(WebhookError::BadSignature)?;
    if tags.is_empty() {
        return Err(WebhookError::BadSignature);
    }
    // Constant-time comparison of each candidate.
    if !tags.iter().any(|tag| mac(secret, timestamp, body).verify_slice(tag).is_ok()) {
        return Err(WebhookError::BadSignature);
    }
    if (now - timestamp).abs() > TOLERANCE_SECS {
        return Err(WebhookError::Stale);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test";
    const BODY: &[u8] = br#"{"id":"evt_1"}"#;

    #[test]
    fn accepts_its_own_signature_within_tolerance() {
        let now = 1_700_000_000;
        for skew in [-299, 0, 299, 300, -300] {
            let header = sign(SECRET, now + skew, BODY);
            assert_eq!(verify(SECRET, Some(&header), BODY, now), Ok(()), "skew {skew}");
        }
    }

    #[test]
    fn refuses_stale_future_forged_and_missing() {
        let now = 1_700_000_000;
        assert_eq!(verify(SECRET, Some(&sign(SECRET, now - 301, BODY)), BODY, now), Err(WebhookError::Stale));
        assert_eq!(verify(SECRET, Some(&sign(SECRET, now + 301, BODY)), BODY, now), Err(WebhookError::Stale));
        let header = sign(b"other", now, BODY);
        assert_eq!(verify(SECRET, Some(&header), BODY, now), Err(WebhookError::BadSignature));
        let mut flipped = BODY.to_vec();
        flipped[3] ^= 1;
        assert_eq!(verify(SECRET, Some(&sign(SECRET, now, BODY)), &flipped, now), Err(WebhookError::BadSignature));
        assert_eq!(verify(SECRET, None, BODY, now), Err(WebhookError::MissingSignature));
        let v0 = sign(SECRET, now, BODY).replace("v1=", "v0=");
        assert_eq!(verify(SECRET, Some(&v0), BODY, now), Err(WebhookError::BadSignature));
        assert_eq!(verify(SECRET, Some("t=abc,v1=zz"), BODY, now), Err(WebhookError::BadSignature));
    }

    #[test]
    fn any_of_several_v1_tags_may_match() {
        let now = 1_700_000_000;
        let good = sign(SECRET, now, BODY);
        let tag = good.split_once("v1=").unwrap().1;
        let header = format!("t={now},v1={},v1={tag}", "00".repeat(32));
        assert_eq!(verify(SECRET, Some(&header), BODY, now), Ok(()));
    }
}
