//! Whether the session behind an access token still lives (ssr only).
//!
//! An access token is a signed promise that lasts 15 minutes; revocation
//! must not wait that long. Every request that carries one asks here:
//! is its refresh-token family still alive (sign-out and reuse detection
//! revoke families), and does it carry the account's current session
//! version and role (a password change, a role change or a lock bumps the
//! version)? The answer comes from one small query, cached for
//! [`Config::session_check`](crate::config::Config) so the hot path is a
//! map lookup. This process forgets its cached answers for an account the
//! moment it revokes something of it; other app servers notice within the
//! cache lifetime.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sea_orm::sea_query::{Alias, Expr, ExprTrait as _, Query};
use sea_orm::{ConnectionTrait, DbErr};

use super::domain::Role;
use super::tokens::AccessClaims;

/// What the database says of a token's session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Liveness {
    /// Family alive, version and role current.
    Live,
    /// The family is alive but the token predates a version or role change:
    /// a refresh issues a current one.
    Stale,
    /// Signed out, revoked, or the account is gone: a guest.
    Revoked,
}

#[derive(Clone, Copy, Debug)]
struct Row {
    version: i32,
    role: Option<Role>,
    family_alive: bool,
}

#[derive(Clone, Copy, Debug)]
struct Cached {
    at: Instant,
    row: Option<Row>,
}

/// Entries beyond this are dropped wholesale (a crude but bounded cache:
/// refilling costs one query per active session).
const MAX_ENTRIES: usize = 100_000;

/// The per-request session check with its cache. One per process, in `AppState`.
#[derive(Debug)]
pub struct SessionCheck {
    ttl: Duration,
    cache: Mutex<HashMap<(i32, String), Cached>>,
}

impl SessionCheck {
    /// Answers are reused for `ttl` (zero: ask the database every time).
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, cache: Mutex::new(HashMap::new()) }
    }

    /// Whether `claims` (already verified as genuine and unexpired) still
    /// speak for a live session.
    pub async fn check<C: ConnectionTrait>(&self, db: &C, claims: &AccessClaims) -> Result<Liveness, DbErr> {
        let key = (claims.user.id, claims.session.family.clone());
        let cached = self.cache.lock().ok().and_then(|c| c.get(&key).copied());
        let row = match cached {
            Some(c) if c.at.elapsed() < self.ttl => c.row,
            _ => {
                let row = fetch(db, claims.user.id, &claims.session.family).await?;
                if let Ok(mut cache) = self.cache.lock() {
                    if cache.len() >= MAX_ENTRIES {
                        cache.clear();
                    }
                    cache.insert(key, Cached { at: Instant::now(), row });
                }
                row
            }
        };
        Ok(judge(row, claims))
    }

    /// Forgets every cached answer for `user_id`: called right after this
    /// process revokes one of its sessions or changes its version.
    pub fn forget(&self, user_id: i32) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|(id, _), _| *id != user_id);
        }
    }
}

fn judge(row: Option<Row>, claims: &AccessClaims) -> Liveness {
    match row {
        // A token from before sessions had ids: its refresh token decides.
        Some(_) if claims.session.family.is_empty() => Liveness::Stale,
        Some(r) if r.family_alive => {
            if r.version == claims.session.version && r.role == Some(claims.user.role) {
                Liveness::Live
            } else {
                Liveness::Stale
            }
        }
        _ => Liveness::Revoked,
    }
}

/// One query: the account's version and role, and whether the family has
/// a live (unrevoked, unexpired) refresh token.
async fn fetch<C: ConnectionTrait>(db: &C, user_id: i32, family: &str) -> Result<Option<Row>, DbErr> {
    let alive = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("refresh_tokens"))
        .and_where(Expr::col((Alias::new("refresh_tokens"), Alias::new("family"))).eq(family))
        .and_where(Expr::col((Alias::new("refresh_tokens"), Alias::new("user_id"))).eq(user_id))
        .and_where(Expr::col((Alias::new("refresh_tokens"), Alias::new("revoked_at"))).is_null())
        .and_where(Expr::col((Alias::new("refresh_tokens"), Alias::new("expires_at"))).gt(chrono::Utc::now()))
        .to_owned();
    let stmt = Query::select()
        .column((Alias::new("users"), Alias::new("session_version")))
        .column((Alias::new("users"), Alias::new("role")))
        // 1 or 0 rather than a boolean: the same integer on both backends.
        .expr_as(Expr::case(Expr::exists(alive), 1).finally(0), Alias::new("family_alive"))
        .from(Alias::new("users"))
        .and_where(Expr::col((Alias::new("users"), Alias::new("id"))).eq(user_id))
        .to_owned();
    let Some(row) = db.query_one(&stmt).await? else {
        return Ok(None);
    };
    let role: String = row.try_get("", "role")?;
    Ok(Some(Row {
        version: row.try_get("", "session_version")?,
        role: Role::parse(&role),
        family_alive: row.try_get::<i32>("", "family_alive")? == 1,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::domain::SessionUser;
    use crate::account::tokens::SessionRef;

    fn claims(version: i32, role: Role, family: &str) -> AccessClaims {
        AccessClaims {
            user: SessionUser { id: 1, email: "a@b.co".into(), role },
            expires_at: 0,
            session: SessionRef { family: family.into(), version },
        }
    }

    #[test]
    fn judges_every_case() {
        let live = Row { version: 2, role: Some(Role::Admin), family_alive: true };
        let row = Some(live);
        assert_eq!(judge(row, &claims(2, Role::Admin, "f")), Liveness::Live);
        assert_eq!(judge(row, &claims(1, Role::Admin, "f")), Liveness::Stale, "password changed since");
        assert_eq!(judge(row, &claims(2, Role::Customer, "f")), Liveness::Stale, "role changed since");
        let demoted = Some(Row { role: Some(Role::Customer), ..live });
        assert_eq!(judge(demoted, &claims(2, Role::Admin, "f")), Liveness::Stale, "demoted by hand in the database");
        let signed_out = Some(Row { family_alive: false, ..live });
        assert_eq!(judge(signed_out, &claims(2, Role::Admin, "f")), Liveness::Revoked);
        assert_eq!(judge(None, &claims(2, Role::Admin, "f")), Liveness::Revoked, "account deleted");
        assert_eq!(judge(row, &claims(2, Role::Admin, "")), Liveness::Stale, "token from before sessions had ids");
    }
}
