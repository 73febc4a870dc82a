//! Access tokens (JWT, HS256, fixed server-side) and opaque refresh tokens.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::domain::{Role, SessionUser};

pub const ISSUER: &str = "octablitz";
pub const AUDIENCE: &str = "octablitz-web";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    email: String,
    role: String,
    iat: i64,
    /// Not valid before (unix seconds); checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nbf: Option<i64>,
    exp: i64,
    iss: String,
    aud: String,
    /// The refresh-token family this token was issued with: signing out
    /// revokes the family, and with it every access token it issued.
    /// Absent in tokens from before revocation existed: those count as stale.
    #[serde(default)]
    sid: String,
    /// The account's session version when issued: a password or role change
    /// bumps it, so older tokens stop working at once.
    #[serde(default)]
    ver: i32,
}

/// Which session an access token belongs to: checked against the database
/// (through a short cache) on every request, so revocation reaches tokens
/// that have not expired yet.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SessionRef {
    /// The refresh-token family.
    pub family: String,
    /// The account's `session_version` when the token was issued.
    pub version: i32,
}

/// What a genuine, current access token says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessClaims {
    pub user: SessionUser,
    /// Expiry, unix seconds.
    pub expires_at: i64,
    pub session: SessionRef,
}

/// Why an access token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("access token expired")]
    Expired,
    #[error("access token invalid")]
    Invalid,
}

/// Signs and verifies access tokens; knows the token lifetimes.
pub struct TokenService {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Root of the keys derived for other signatures (see [`Self::derived_key`]).
    derivation: [u8; 32],
    /// Lifetime of an access token (default 15 minutes).
    pub access_ttl: Duration,
    /// Lifetime of a refresh token (default 30 days).
    pub refresh_ttl: Duration,
}

impl std::fmt::Debug for TokenService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenService").field("access_ttl", &self.access_ttl).finish_non_exhaustive()
    }
}

/// How far behind the issuing server's clock another app server's may be
/// for a token to be valid there at once (`nbf` is set back by this much;
/// `exp` is checked with no leeway).
const CLOCK_SKEW_SECS: i64 = 30;

impl TokenService {
    pub fn new(secret: &[u8], access_ttl: Duration, refresh_ttl: Duration) -> Self {
        // Only HS256 is accepted, whatever a token's header claims ("alg": "none" included).
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 0;
        let mut root = Sha256::new();
        root.update(b"octablitz key derivation v1\n");
        root.update(secret);
        Self {
            derivation: root.finalize().into(),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl,
            refresh_ttl,
        }
    }

    /// A key for `purpose` (signed form errors, say), derived from the token
    /// secret: one secret to manage, and no key serves two purposes.
    pub fn derived_key(&self, purpose: &str) -> [u8; 32] {
        let mut key = Sha256::new();
        key.update(self.derivation);
        key.update(purpose.as_bytes());
        key.finalize().into()
    }

    /// A signed access token for `user` in `session`, valid for `access_ttl`
    /// from `now` (unix seconds).
    pub fn issue_access(&self, user: &SessionUser, session: &SessionRef, now: i64) -> String {
        let claims = Claims {
            sub: user.id.to_string(),
            email: user.email.clone(),
            role: user.role.as_str().to_owned(),
            iat: now,
            // Another app server's clock may lag this one's: the token is
            // good there too, not refused as "not yet valid" for a second.
            nbf: Some(now - CLOCK_SKEW_SECS),
            exp: now + self.access_ttl.as_secs() as i64,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sid: session.family.clone(),
            ver: session.version,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing with an in-memory key cannot fail")
    }

    /// The user an access token speaks for, if it is genuine and current
    /// (its signature and times; whether its session still lives is
    /// [`crate::account::revocation::SessionCheck`]'s question).
    pub fn verify_access(&self, token: &str) -> Result<SessionUser, TokenError> {
        self.verify_access_claims(token).map(|c| c.user)
    }

    /// Like [`Self::verify_access`], with the token's expiry and session.
    pub fn verify_access_claims(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })?;
        let c = data.claims;
        let user = SessionUser {
            id: c.sub.parse().map_err(|_| TokenError::Invalid)?,
            email: c.email,
            role: Role::parse(&c.role).ok_or(TokenError::Invalid)?,
        };
        Ok(AccessClaims { user, expires_at: c.exp, session: SessionRef { family: c.sid, version: c.ver } })
    }
}

/// A fresh opaque refresh token (256 random bits, URL-safe).
pub fn new_refresh_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores of a refresh token.
pub fn hash_refresh_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> TokenService {
        TokenService::new(
            b"test-secret-of-enough-length-0123456789",
            Duration::from_secs(900),
            Duration::from_secs(86400),
        )
    }

    fn user() -> SessionUser {
        SessionUser { id: 7, email: "a@b.co".into(), role: Role::Admin }
    }

    fn sref() -> SessionRef {
        SessionRef { family: "fam".into(), version: 3 }
    }

    fn now() -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
    }

    #[test]
    fn round_trips_and_expires() {
        let s = service();
        let token = s.issue_access(&user(), &sref(), now());
        assert_eq!(s.verify_access(&token).unwrap(), user());
        let old = s.issue_access(&user(), &sref(), now() - 1000);
        assert_eq!(s.verify_access(&old), Err(TokenError::Expired));
    }

    #[test]
    fn rejects_forged_and_unsigned_tokens() {
        let s = service();
        let other = TokenService::new(b"another-secret-another-secret-000", Duration::from_secs(900), Duration::ZERO);
        assert_eq!(s.verify_access(&other.issue_access(&user(), &sref(), now())), Err(TokenError::Invalid));
        // "alg": "none" with a valid-looking payload and no signature.
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"sub":"7","email":"a@b.co","role":"admin","iat":{n},"exp":{e},"iss":"octablitz","aud":"octablitz-web"}}"#,
            n = now(),
            e = now() + 600
        ));
        assert_eq!(s.verify_access(&format!("{header}.{payload}.")), Err(TokenError::Invalid));
        // Tampered payload under a genuine signature.
        let token = s.issue_access(&SessionUser { role: Role::Customer, ..user() }, &sref(), now());
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"sub":"7","email":"a@b.co","role":"admin","iat":{n},"exp":{e},"iss":"octablitz","aud":"octablitz-web"}}"#,
            n = now(),
            e = now() + 600
        ));
        parts[1] = &forged;
        assert_eq!(s.verify_access(&parts.join(".")), Err(TokenError::Invalid));
        assert_eq!(s.verify_access("garbage"), Err(TokenError::Invalid));
    }

    #[test]
    fn carries_its_session_and_checks_not_before() {
        let s = service();
        let claims = s.verify_access_claims(&s.issue_access(&user(), &sref(), now())).unwrap();
        assert_eq!(claims.session, sref());
        // Genuinely signed, but not valid for another hour.
        let early = Claims {
            sub: "7".into(),
            email: "a@b.co".into(),
            role: "admin".into(),
            iat: now(),
            nbf: Some(now() + 3600),
            exp: now() + 7200,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sid: "fam".into(),
            ver: 3,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &early, &s.encoding).unwrap();
        assert_eq!(s.verify_access(&token), Err(TokenError::Invalid));
        let now_valid = Claims { nbf: Some(now() - 1), ..early };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &now_valid, &s.encoding).unwrap();
        assert!(s.verify_access(&token).is_ok());
    }

    #[test]
    fn a_token_from_a_server_whose_clock_runs_ahead_is_valid_at_once() {
        let s = service();
        assert!(s.verify_access(&s.issue_access(&user(), &sref(), now() + 20)).is_ok(), "20 s of skew");
        assert_eq!(s.verify_access(&s.issue_access(&user(), &sref(), now() + 3600)), Err(TokenError::Invalid));
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let a = new_refresh_token();
        assert_ne!(a, new_refresh_token());
        assert_eq!(a.len(), 43);
        assert_eq!(hash_refresh_token(&a).len(), 64);
        assert_ne!(hash_refresh_token(&a), a);
    }
}
