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
    exp: i64,
    iss: String,
    aud: String,
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

impl TokenService {
    pub fn new(secret: &[u8], access_ttl: Duration, refresh_ttl: Duration) -> Self {
        // Only HS256 is accepted, whatever a token's header claims ("alg": "none" included).
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl,
            refresh_ttl,
        }
    }

    /// A signed access token for `user`, valid for `access_ttl` from `now` (unix seconds).
    pub fn issue_access(&self, user: &SessionUser, now: i64) -> String {
        let claims = Claims {
            sub: user.id.to_string(),
            email: user.email.clone(),
            role: user.role.as_str().to_owned(),
            iat: now,
            exp: now + self.access_ttl.as_secs() as i64,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing with an in-memory key cannot fail")
    }

    /// The user an access token speaks for, if it is genuine and current.
    pub fn verify_access(&self, token: &str) -> Result<SessionUser, TokenError> {
        self.verify_access_until(token).map(|(user, _)| user)
    }

    /// Like [`Self::verify_access`], with the token's expiry (unix seconds).
    pub fn verify_access_until(&self, token: &str) -> Result<(SessionUser, i64), TokenError> {
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
        Ok((user, c.exp))
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

    fn now() -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
    }

    #[test]
    fn round_trips_and_expires() {
        let s = service();
        let token = s.issue_access(&user(), now());
        assert_eq!(s.verify_access(&token).unwrap(), user());
        let old = s.issue_access(&user(), now() - 1000);
        assert_eq!(s.verify_access(&old), Err(TokenError::Expired));
    }

    #[test]
    fn rejects_forged_and_unsigned_tokens() {
        let s = service();
        let other = TokenService::new(b"another-secret-another-secret-000", Duration::from_secs(900), Duration::ZERO);
        assert_eq!(s.verify_access(&other.issue_access(&user(), now())), Err(TokenError::Invalid));
        // "alg": "none" with a valid-looking payload and no signature.
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"sub":"7","email":"a@b.co","role":"admin","iat":{n},"exp":{e},"iss":"octablitz","aud":"octablitz-web"}}"#,
            n = now(),
            e = now() + 600
        ));
        assert_eq!(s.verify_access(&format!("{header}.{payload}.")), Err(TokenError::Invalid));
        // Tampered payload under a genuine signature.
        let token = s.issue_access(&SessionUser { role: Role::Customer, ..user() }, now());
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
    fn refresh_tokens_are_random_and_hashed() {
        let a = new_refresh_token();
        assert_ne!(a, new_refresh_token());
        assert_eq!(a.len(), 43);
        assert_eq!(hash_refresh_token(&a).len(), 64);
        assert_ne!(hash_refresh_token(&a), a);
    }
}
