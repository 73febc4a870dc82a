//! Account services against real SQLite and PostgreSQL databases.

mod common;

use std::time::Duration;

use app::account::domain::{Email, Password, Role};
use app::account::server as accounts;
use app::account::tokens::TokenService;
use app::error::ServerError;
use common::{Backend, TestDb};

fn tokens(refresh_ttl: Duration) -> TokenService {
    TokenService::new(b"integration-test-secret-0123456789abcdef", Duration::from_secs(900), refresh_ttl)
}

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

fn password(s: &str) -> Password {
    Password::parse(s).unwrap()
}

async fn register_and_sign_in(backend: Backend) {
    let t = TestDb::new(backend).await;
    let user = accounts::register(&t.db, &email("Shopper@Example.com"), &password("Secret123")).await.unwrap();
    assert_eq!((user.email.as_str(), user.role), ("shopper@example.com", Role::Customer));
    let again = accounts::authenticate(&t.db, " SHOPPER@example.com", "Secret123").await.unwrap();
    assert_eq!(again.id, user.id);
    for (who, pw) in [("shopper@example.com", "Secret124"), ("nobody@example.com", "Secret123"), ("not an email", "x")]
    {
        assert!(matches!(accounts::authenticate(&t.db, who, pw).await, Err(ServerError::InvalidCredentials)), "{who}");
    }
    let dup = accounts::register(&t.db, &email("shopper@example.com"), &password("Other1234")).await;
    assert!(matches!(dup, Err(ServerError::EmailTaken)));
    // The duplicate changed nothing.
    accounts::authenticate(&t.db, "shopper@example.com", "Secret123").await.unwrap();
}

async fn refresh_rotates_and_reuse_revokes_the_family(backend: Backend) {
    let t = TestDb::new(backend).await;
    let svc = tokens(Duration::from_secs(3600));
    let user = accounts::register(&t.db, &email("a@example.com"), &password("Secret123")).await.unwrap();
    let first = accounts::start_session(&t.db, &svc, user.clone()).await.unwrap();
    assert_eq!(svc.verify_access(&first.access_token).unwrap(), user);

    let second = accounts::refresh(&t.db, &svc, &first.refresh_token).await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.user, user);
    let third = accounts::refresh(&t.db, &svc, &second.refresh_token).await.unwrap();

    // A second use within seconds is two tabs racing: refused, nothing revoked.
    assert!(matches!(accounts::refresh(&t.db, &svc, &second.refresh_token).await, Err(ServerError::RefreshRace)));

    // Later, someone replays the first (already rotated) token: the family
    // dies, including the newest token the rightful owner holds.
    let later = chrono::Utc::now() + chrono::Duration::seconds(accounts::REUSE_GRACE_SECS + 1);
    let replay = accounts::refresh_at(&t.db, &svc, &first.refresh_token, later).await;
    assert!(matches!(replay, Err(ServerError::SessionExpired)));
    assert!(matches!(accounts::refresh(&t.db, &svc, &third.refresh_token).await, Err(ServerError::SessionExpired)));

    // Another sign-in (another family) is unaffected.
    let other = accounts::start_session(&t.db, &svc, user.clone()).await.unwrap();
    accounts::refresh(&t.db, &svc, &other.refresh_token).await.unwrap();
    assert!(matches!(accounts::refresh(&t.db, &svc, "not-a-token").await, Err(ServerError::SessionExpired)));
}

async fn sign_out_and_expiry_end_sessions(backend: Backend) {
    let t = TestDb::new(backend).await;
    let svc = tokens(Duration::from_secs(3600));
    let user = accounts::register(&t.db, &email("b@example.com"), &password("Secret123")).await.unwrap();
    let s = accounts::start_session(&t.db, &svc, user.clone()).await.unwrap();
    accounts::sign_out(&t.db, &s.refresh_token).await.unwrap();
    assert!(matches!(accounts::refresh(&t.db, &svc, &s.refresh_token).await, Err(ServerError::SessionExpired)));

    let short = tokens(Duration::ZERO);
    let s = accounts::start_session(&t.db, &short, user).await.unwrap();
    assert!(matches!(accounts::refresh(&t.db, &short, &s.refresh_token).await, Err(ServerError::SessionExpired)));
}

async fn password_change_revokes_every_session(backend: Backend) {
    let t = TestDb::new(backend).await;
    let svc = tokens(Duration::from_secs(3600));
    let user = accounts::register(&t.db, &email("c@example.com"), &password("Secret123")).await.unwrap();
    let phone = accounts::start_session(&t.db, &svc, user.clone()).await.unwrap();
    let laptop = accounts::start_session(&t.db, &svc, user.clone()).await.unwrap();
    let wrong = accounts::change_password(&t.db, user.id, "Nope12345", &password("Newer1234")).await;
    assert!(matches!(wrong, Err(ServerError::Validation { field: "current_password", .. })));
    accounts::refresh(&t.db, &svc, &phone.refresh_token).await.expect("a failed change keeps sessions");
    let laptop = accounts::refresh(&t.db, &svc, &laptop.refresh_token).await.unwrap();

    accounts::change_password(&t.db, user.id, "Secret123", &password("Newer1234")).await.unwrap();
    assert!(matches!(accounts::refresh(&t.db, &svc, &laptop.refresh_token).await, Err(ServerError::SessionExpired)));
    assert!(accounts::authenticate(&t.db, "c@example.com", "Secret123").await.is_err());
    accounts::authenticate(&t.db, "c@example.com", "Newer1234").await.unwrap();
}

async fn demo_accounts_are_created_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    accounts::ensure_demo_accounts(&t.db).await.unwrap();
    accounts::ensure_demo_accounts(&t.db).await.unwrap();
    let customer = accounts::authenticate(&t.db, "test-customer@octablitz.local", "TestPass123").await.unwrap();
    assert_eq!(customer.role, Role::Customer);
    let admin = accounts::authenticate(&t.db, "admin@octablitz.local", "AdminPass123").await.unwrap();
    assert!(admin.is_admin());
}

on_both_backends!(
    register_and_sign_in,
    refresh_rotates_and_reuse_revokes_the_family,
    sign_out_and_expiry_end_sessions,
    password_change_revokes_every_session,
    demo_accounts_are_created_once,
);
