//! Account services (ssr only): registration, password checks, sessions with
//! rotating refresh tokens. Each takes any SeaORM connection.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Utc};
use entity::{email_token, refresh_token, user};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, SqlErr, TransactionSession,
    TransactionTrait,
};

use super::domain::{Email, Password, Role, SessionUser};
use super::tokens::{SessionRef, TokenService, hash_refresh_token, new_refresh_token};
use crate::error::ServerError;

/// Argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params"))
}

/// At most this many Argon2 computations at once (each takes 19 MiB and a
/// core for a while); the rest wait their turn instead of flooding the
/// blocking pool.
fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get() * 2)))
}

/// Hashes on the blocking pool: Argon2 is deliberately slow.
pub async fn hash_password(password: String) -> Result<String, ServerError> {
    let _permit = hashing_permits().acquire().await.map_err(|e| ServerError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| ServerError::Internal(format!("hashing task: {e}")))?
    .map_err(|e| ServerError::Internal(format!("argon2: {e}")))
}

/// Checks a password against a stored hash on the blocking pool.
pub async fn verify_password(password: String, hash: String) -> bool {
    let Ok(_permit) = hashing_permits().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// How long after a refresh token was used a second use counts as a race
/// between tabs rather than a replay.
pub const REUSE_GRACE_SECS: i64 = 10;

/// Not a PHC string: no password matches it (unconfirmed and locked accounts).
const UNUSABLE_HASH: &str = "!unusable";

/// A hash of no one's password, checked when the e-mail is unknown so that
/// "no such account" takes as long as "wrong password".
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Hh8ZtpeAc6lAEKaJhbCu1xu1qKmTyGV6Ca5CsNvmmU";

fn session_user(u: &user::Model) -> SessionUser {
    SessionUser { id: u.id, email: u.email.clone(), role: u.role.into() }
}

/// What a registration did. The caller answers both alike, so the answer
/// never tells whether the address already had an account.
#[derive(Debug)]
pub enum Registration {
    /// A new account, or one still waiting for its owner: mail this
    /// confirmation token to the address.
    Pending { token: String },
    /// The address belongs to a confirmed account.
    Exists,
}

/// How long a confirmation link works.
pub const CONFIRM_TTL_HOURS: i64 = 48;

/// Registers a customer account that can sign in once its owner confirms
/// the address (see [`confirm_email`]). The password is hashed in every
/// case, so an existing address answers as slowly as a new one.
// The address stays out of the logs: with the outcome beside it, they
// would tell who has an account.
#[tracing::instrument(skip_all)]
pub async fn register<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    email: &Email,
    password: &Password,
) -> Result<Registration, ServerError> {
    let hash = hash_password(password.expose().to_owned()).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    // Write first: on SQLite the transaction then waits for the write lock,
    // where one that read first would fail when it came to write. The
    // password waits with the link (`email_tokens`): until confirmed, the
    // account has none, so signing in to it looks like an unknown address.
    user::Entity::insert(user::ActiveModel {
        id: NotSet,
        email: Set(email.as_str().to_owned()),
        password_hash: Set(UNUSABLE_HASH.into()),
        role: Set(Role::Customer.into()),
        created_at: Set(now),
        updated_at: Set(now),
        email_verified_at: Set(None),
        session_version: Set(0),
    })
    .on_conflict(sea_orm::sea_query::OnConflict::column(user::Column::Email).do_nothing().to_owned())
    .exec_without_returning(&txn)
    .await?;
    let Some(u) = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&txn).await? else {
        return Err(ServerError::Internal("registered user not found".into()));
    };
    if u.email_verified_at.is_some() {
        return Ok(Registration::Exists);
    }
    // New, or never confirmed: whoever owns the mailbox decides with the link they open.
    let user_id = u.id;
    let token = new_refresh_token();
    email_token::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        token_hash: Set(hash_refresh_token(&token)),
        password_hash: Set(hash),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::hours(CONFIRM_TTL_HOURS)),
        used_at: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Registration::Pending { token })
}

/// Confirms a registration: `token` from the e-mailed link and the password
/// chosen with that registration. The account is confirmed with that
/// password and every other pending link of it stops working. A link
/// opened by someone who does not know the password confirms nothing.
#[tracing::instrument(skip_all)]
pub async fn confirm_email<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    password: &str,
) -> Result<SessionUser, ServerError> {
    let now = Utc::now();
    let Some(row) = email_token::Entity::find()
        .filter(email_token::Column::TokenHash.eq(hash_refresh_token(token)))
        .one(db)
        .await?
    else {
        return Err(ServerError::LinkExpired);
    };
    if row.used_at.is_some() || row.expires_at <= now {
        return Err(ServerError::LinkExpired);
    }
    if !verify_password(password.to_owned(), row.password_hash.clone()).await {
        return Err(ServerError::Validation {
            field: "password",
            message: "That is not the password you chose when you registered.".into(),
        });
    }
    let txn = db.begin().await?;
    // Only one use wins, even if the link is opened twice at once.
    let used = email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(email_token::Column::UserId.eq(row.user_id))
        .filter(email_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let Some(u) = user::Entity::find_by_id(row.user_id).one(&txn).await? else {
        return Err(ServerError::LinkExpired);
    };
    if used.rows_affected == 0 || u.email_verified_at.is_some() {
        return Err(ServerError::LinkExpired);
    }
    let mut active: user::ActiveModel = u.into();
    active.password_hash = Set(row.password_hash);
    active.email_verified_at = Set(Some(now));
    active.updated_at = Set(now);
    let u = active.update(&txn).await?;
    txn.commit().await?;
    Ok(session_user(&u))
}

async fn insert_user<C: ConnectionTrait>(
    db: &C,
    email: &Email,
    password_hash: String,
    role: Role,
    verified_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<user::Model, sea_orm::DbErr> {
    user::ActiveModel {
        id: NotSet,
        email: Set(email.as_str().to_owned()),
        password_hash: Set(password_hash),
        role: Set(role.into()),
        created_at: Set(now),
        updated_at: Set(now),
        email_verified_at: Set(verified_at),
        session_version: Set(0),
    }
    .insert(db)
    .await
}

/// Creates a confirmed account (demo accounts, operators' tooling).
pub async fn create_user<C: ConnectionTrait>(
    db: &C,
    email: &Email,
    password: &Password,
    role: Role,
) -> Result<SessionUser, ServerError> {
    let hash = hash_password(password.expose().to_owned()).await?;
    let now = Utc::now();
    match insert_user(db, email, hash, role, Some(now), now).await {
        Ok(u) => Ok(session_user(&u)),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Err(ServerError::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

/// The account for `email` if `password` is right. Unknown e-mail, wrong
/// password, an account not yet confirmed and a locked one are the same
/// error and cost the same: whenever there is no usable stored hash, the
/// password is checked against a dummy one, so no path skips Argon2.
#[tracing::instrument(skip_all)]
pub async fn authenticate<C: ConnectionTrait>(db: &C, email: &str, password: &str) -> Result<SessionUser, ServerError> {
    let found = match Email::parse(email) {
        Ok(email) => user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await?,
        Err(_) => None,
    };
    let usable = found.filter(|u| PasswordHash::new(&u.password_hash).is_ok());
    let hash = usable.as_ref().map_or(DUMMY_HASH.to_owned(), |u| u.password_hash.clone());
    let ok = verify_password(password.to_owned(), hash).await;
    match usable {
        Some(u) if ok => Ok(session_user(&u)),
        _ => Err(ServerError::InvalidCredentials),
    }
}

/// A signed-in session: the access token, the refresh token (its value is
/// only ever in the cookie) and who it is for.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: SessionUser,
    pub access_token: String,
    pub refresh_token: String,
}

fn unix(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

async fn store_refresh<C: ConnectionTrait>(
    db: &C,
    tokens: &TokenService,
    user_id: i32,
    family: String,
    now: DateTime<Utc>,
) -> Result<String, ServerError> {
    let value = new_refresh_token();
    refresh_token::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        family: Set(family),
        token_hash: Set(hash_refresh_token(&value)),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::from_std(tokens.refresh_ttl).unwrap_or(chrono::Duration::days(30))),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(value)
}

/// Starts a new token family for `user`.
pub async fn start_session<C: ConnectionTrait>(
    db: &C,
    tokens: &TokenService,
    user: SessionUser,
) -> Result<Session, ServerError> {
    let now = Utc::now();
    let Some(account) = user::Entity::find_by_id(user.id).one(db).await? else {
        return Err(ServerError::SessionExpired);
    };
    // Housekeeping: this user's expired tokens are of no use to anyone.
    refresh_token::Entity::delete_many()
        .filter(refresh_token::Column::UserId.eq(user.id))
        .filter(refresh_token::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let family = new_refresh_token();
    let refresh_token = store_refresh(db, tokens, user.id, family.clone(), now).await?;
    let session = SessionRef { family, version: account.session_version };
    let access_token = tokens.issue_access(&user, &session, unix(now));
    Ok(Session { user, access_token, refresh_token })
}

/// Exchanges a refresh token for a new session, rotating it. Presenting a
/// token that was already used revokes its whole family (someone holds a
/// stolen copy) and fails.
#[tracing::instrument(skip_all)]
pub async fn refresh<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    tokens: &TokenService,
    presented: &str,
) -> Result<Session, ServerError> {
    refresh_at(db, tokens, presented, Utc::now()).await
}

/// [`refresh`] as of `now` (tests step past the reuse grace window with it).
pub async fn refresh_at<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    tokens: &TokenService,
    presented: &str,
    now: DateTime<Utc>,
) -> Result<Session, ServerError> {
    let txn = db.begin().await?;
    let hash = hash_refresh_token(presented);
    // Claim the token first, and only if still unused: of two concurrent
    // refreshes one wins. Writing first also makes a SQLite transaction wait
    // for the write lock instead of failing when it upgrades from a read.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(refresh_token::Column::TokenHash.eq(hash.as_str()))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    let Some(row) = refresh_token::Entity::find().filter(refresh_token::Column::TokenHash.eq(hash)).one(&txn).await?
    else {
        return Err(ServerError::SessionExpired);
    };
    // (Returning early drops the transaction: the claim is rolled back.)
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Err(ServerError::SessionExpired);
    }
    if claimed.rows_affected != 1 {
        let used = row.used_at.unwrap_or(now);
        // Two tabs renewing with the same cookie at the same moment is not theft:
        // the loser just keeps the winner's cookies.
        if now - used < chrono::Duration::seconds(REUSE_GRACE_SECS) {
            return Err(ServerError::RefreshRace);
        }
        revoke_family(&txn, &row.family, now).await?;
        txn.commit().await?;
        tracing::warn!(user_id = row.user_id, family = %&row.family[..8], "refresh token reuse: family revoked");
        return Err(ServerError::SessionExpired);
    }
    let Some(u) = user::Entity::find_by_id(row.user_id).one(&txn).await? else {
        return Err(ServerError::SessionExpired);
    };
    let user = session_user(&u);
    let session = SessionRef { family: row.family.clone(), version: u.session_version };
    let refresh_token = store_refresh(&txn, tokens, user.id, row.family, now).await?;
    txn.commit().await?;
    let access_token = tokens.issue_access(&user, &session, unix(now));
    Ok(Session { user, access_token, refresh_token })
}

/// Revokes every live refresh token matching `which` (a family, or a user).
async fn revoke<C: ConnectionTrait>(db: &C, which: sea_orm::Condition, now: DateTime<Utc>) -> Result<(), ServerError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
        .filter(which)
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn revoke_family<C: ConnectionTrait>(db: &C, family: &str, now: DateTime<Utc>) -> Result<(), ServerError> {
    revoke(db, sea_orm::Condition::all().add(refresh_token::Column::Family.eq(family)), now).await
}

/// Sign-out: revokes the family of the presented refresh token, if any.
pub async fn sign_out<C: ConnectionTrait>(db: &C, presented: &str) -> Result<(), ServerError> {
    if let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_refresh_token(presented)))
        .one(db)
        .await?
    {
        revoke_family(db, &row.family, Utc::now()).await?;
    }
    Ok(())
}

/// Sign-out by the family named in an access token (whose refresh cookie
/// may be missing): only that user's family.
pub async fn sign_out_family<C: ConnectionTrait>(db: &C, user_id: i32, family: &str) -> Result<(), ServerError> {
    let which = sea_orm::Condition::all()
        .add(refresh_token::Column::Family.eq(family))
        .add(refresh_token::Column::UserId.eq(user_id));
    revoke(db, which, Utc::now()).await
}

/// Bumps the account's session version: every access token issued before
/// stops working (refresh tokens are revoked separately where needed).
async fn bump_session_version<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<(), ServerError> {
    user::Entity::update_many()
        .col_expr(
            user::Column::SessionVersion,
            sea_orm::sea_query::ExprTrait::add(sea_orm::sea_query::Expr::col(user::Column::SessionVersion), 1),
        )
        .col_expr(user::Column::UpdatedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives the account `role`. Its access tokens stop working at once (the
/// next page load renews them with the new role); its refresh tokens stay,
/// so the person stays signed in as what they now are.
pub async fn set_role<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    sessions: &super::revocation::SessionCheck,
    user_id: i32,
    role: Role,
) -> Result<(), ServerError> {
    let txn = db.begin().await?;
    let changed = user::Entity::update_many()
        .col_expr(user::Column::Role, sea_orm::sea_query::Expr::value(user::UserRole::from(role)))
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(ServerError::NotFound);
    }
    bump_session_version(&txn, user_id).await?;
    txn.commit().await?;
    // This process's cached "still an admin" answers go at once; other app
    // servers notice within the session-check cache lifetime.
    sessions.forget(user_id);
    Ok(())
}

/// Changes the password after checking the current one, and signs out every
/// session of the account.
pub async fn change_password<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user_id: i32,
    current: &str,
    new: &Password,
) -> Result<(), ServerError> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Err(ServerError::NotFound);
    };
    if !verify_password(current.to_owned(), u.password_hash.clone()).await {
        return Err(ServerError::Validation {
            field: "current_password",
            message: "That is not your current password.".into(),
        });
    }
    if new.expose() == current {
        return Err(ServerError::Validation {
            field: "password",
            message: "Your new password must differ from your current one.".into(),
        });
    }
    let hash = hash_password(new.expose().to_owned()).await?;
    let now = Utc::now();
    // Both or neither: a new password with old sessions still alive would be worse than an error.
    let txn = db.begin().await?;
    let mut active: user::ActiveModel = u.into();
    active.password_hash = Set(hash);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    revoke(&txn, sea_orm::Condition::all().add(refresh_token::Column::UserId.eq(user_id)), now).await?;
    bump_session_version(&txn, user_id).await?;
    txn.commit().await?;
    Ok(())
}

/// The demo accounts documented in the README.
const DEMO_ACCOUNTS: [(&str, &str, Role); 2] = [
    ("test-customer@octablitz.local", "TestPass123", Role::Customer),
    ("admin@octablitz.local", "AdminPass123", Role::Admin),
];

/// The demo accounts documented in the README, created if missing.
pub async fn ensure_demo_accounts<C: ConnectionTrait>(db: &C) -> Result<(), ServerError> {
    for (email, password, role) in DEMO_ACCOUNTS {
        let email = Email::parse(email).map_err(|e| ServerError::Config(e.into()))?;
        let password = Password::parse(password).map_err(|e| ServerError::Config(e.into()))?;
        match create_user(db, &email, &password, role).await {
            Ok(_) | Err(ServerError::EmailTaken) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// With demo accounts switched off, a demo account that still has its
/// published password can no longer sign in, and its sessions end. One whose
/// password was changed is someone's real account and is left alone.
/// Returns how many were locked.
pub async fn lock_demo_accounts<C: ConnectionTrait>(db: &C) -> Result<usize, ServerError> {
    let mut locked = 0;
    for (email, password, _) in DEMO_ACCOUNTS {
        let Some(u) = user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await? else {
            continue;
        };
        if !verify_password(password.to_owned(), u.password_hash.clone()).await {
            continue;
        }
        let now = Utc::now();
        let id = u.id;
        let mut active: user::ActiveModel = u.into();
        // Not a PHC string: no password matches it.
        active.password_hash = Set(UNUSABLE_HASH.into());
        active.updated_at = Set(now);
        active.update(db).await?;
        revoke(db, sea_orm::Condition::all().add(refresh_token::Column::UserId.eq(id)), now).await?;
        bump_session_version(db, id).await?;
        tracing::warn!(email, "demo account locked: DEMO_ACCOUNTS is off and it still had the published password");
        locked += 1;
    }
    Ok(locked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn dummy_hash_is_a_valid_argon2id_hash() {
        // If this parsed badly, unknown e-mails would answer faster than wrong passwords.
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify_password("anything".into(), DUMMY_HASH.into()).await);
    }

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let a = hash_password("TestPass123".into()).await.unwrap();
        let b = hash_password("TestPass123".into()).await.unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("TestPass123".into(), a.clone()).await);
        assert!(!verify_password("TestPass124".into(), a).await);
    }
}
