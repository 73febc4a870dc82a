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

/// A confirmed customer account.
async fn customer(t: &TestDb, address: &str) -> app::account::domain::SessionUser {
    accounts::create_user(&t.db, &email(address), &password("Secret123"), Role::Customer).await.unwrap()
}

fn pending(r: accounts::Registration) -> String {
    match r {
        accounts::Registration::Pending { token } => token,
        other => panic!("expected a pending registration, got {other:?}"),
    }
}

async fn register_confirm_and_sign_in(backend: Backend) {
    let t = TestDb::new(backend).await;
    let token =
        pending(accounts::register(&t.db, &email("Shopper@Example.com"), &password("Secret123")).await.unwrap());
    // Not confirmed yet: it has no password, so it answers like an unknown
    // address (registering someone's address and signing in tells nothing).
    let early = accounts::authenticate(&t.db, "shopper@example.com", "Secret123").await;
    assert!(matches!(early, Err(ServerError::InvalidCredentials)), "{early:?}");
    let wrong = accounts::authenticate(&t.db, "shopper@example.com", "Secret124").await;
    assert!(matches!(wrong, Err(ServerError::InvalidCredentials)));

    // The link alone confirms nothing; with the wrong password neither.
    let bad = accounts::confirm_email(&t.db, &token, "Secret124").await;
    assert!(matches!(bad, Err(ServerError::Validation { field: "password", .. })), "{bad:?}");
    assert!(matches!(
        accounts::confirm_email(&t.db, "no-such-token", "Secret123").await,
        Err(ServerError::LinkExpired)
    ));
    let user = accounts::confirm_email(&t.db, &token, "Secret123").await.unwrap();
    assert_eq!((user.email.as_str(), user.role), ("shopper@example.com", Role::Customer));
    assert!(
        matches!(accounts::confirm_email(&t.db, &token, "Secret123").await, Err(ServerError::LinkExpired)),
        "single use"
    );

    let again = accounts::authenticate(&t.db, " SHOPPER@example.com", "Secret123").await.unwrap();
    assert_eq!(again.id, user.id);
    for (who, pw) in [("shopper@example.com", "Secret124"), ("nobody@example.com", "Secret123"), ("not an email", "x")]
    {
        assert!(matches!(accounts::authenticate(&t.db, who, pw).await, Err(ServerError::InvalidCredentials)), "{who}");
    }
    // Registering a confirmed address again changes nothing (the caller mails a note instead).
    let dup = accounts::register(&t.db, &email("shopper@example.com"), &password("Other1234")).await.unwrap();
    assert!(matches!(dup, accounts::Registration::Exists));
    accounts::authenticate(&t.db, "shopper@example.com", "Secret123").await.unwrap();
}

/// Someone registers a victim's address first: they cannot confirm it (the
/// link goes to the victim), and the link the victim opens confirms the
/// victim's own password only.
async fn an_unconfirmed_address_stays_with_its_mailbox(backend: Backend) {
    let t = TestDb::new(backend).await;
    let squatter =
        pending(accounts::register(&t.db, &email("victim@example.com"), &password("Attacker1")).await.unwrap());
    let own = pending(accounts::register(&t.db, &email("victim@example.com"), &password("Victim123")).await.unwrap());
    let wrong = accounts::confirm_email(&t.db, &own, "Attacker1").await;
    assert!(
        matches!(wrong, Err(ServerError::Validation { .. })),
        "a link confirms its own registration's password only"
    );
    accounts::confirm_email(&t.db, &own, "Victim123").await.unwrap();
    // Every other pending link of the account is dead now.
    assert!(matches!(accounts::confirm_email(&t.db, &squatter, "Attacker1").await, Err(ServerError::LinkExpired)));
    assert!(accounts::authenticate(&t.db, "victim@example.com", "Attacker1").await.is_err());
    accounts::authenticate(&t.db, "victim@example.com", "Victim123").await.unwrap();
}

/// Sign-ups at the same moment all succeed (SQLite allows one writer: a
/// transaction that reads first and writes later would fail instead of wait).
async fn concurrent_registrations_all_succeed(backend: Backend) {
    let t = TestDb::new(backend).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let db = t.db.clone();
        tasks.spawn(async move {
            let address = if i % 2 == 0 { format!("rush{i}@example.com") } else { "same@example.com".to_owned() };
            accounts::register(&db, &email(&address), &password("Secret123")).await
        });
    }
    while let Some(r) = tasks.join_next().await {
        let outcome = r.unwrap();
        assert!(outcome.is_ok(), "{outcome:?}");
    }
}

/// Tabs renewing at the same moment: one rotation wins, the others are told
/// it was a race (never a database error), and nothing is revoked.
async fn concurrent_refreshes_race_cleanly(backend: Backend) {
    let t = TestDb::new(backend).await;
    let svc = std::sync::Arc::new(tokens(Duration::from_secs(3600)));
    let user = customer(&t, "tabs@example.com").await;
    for round in 0..3 {
        let s = accounts::start_session(&t.db, &svc, user.clone()).await.unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let (db, svc, token) = (t.db.clone(), svc.clone(), s.refresh_token.clone());
            tasks.spawn(async move { accounts::refresh(&db, &svc, &token).await });
        }
        let (mut won, mut raced) = (Vec::new(), 0);
        while let Some(r) = tasks.join_next().await {
            match r.unwrap() {
                Ok(next) => won.push(next),
                Err(ServerError::RefreshRace) => raced += 1,
                Err(e) => panic!("round {round}: {e:?}"),
            }
        }
        assert_eq!((won.len(), raced), (1, 3), "round {round}");
        accounts::refresh(&t.db, &svc, &won[0].refresh_token).await.expect("the winner's family lives on");
    }
}

async fn confirmation_links_expire(backend: Backend) {
    use sea_orm::ConnectionTrait;
    let t = TestDb::new(backend).await;
    let token = pending(accounts::register(&t.db, &email("late@example.com"), &password("Secret123")).await.unwrap());
    t.db.execute_unprepared("UPDATE email_tokens SET expires_at = '2000-01-01 00:00:00+00:00'").await.unwrap();
    assert!(matches!(accounts::confirm_email(&t.db, &token, "Secret123").await, Err(ServerError::LinkExpired)));
    // Registering again sends a fresh link that works.
    let fresh = pending(accounts::register(&t.db, &email("late@example.com"), &password("Secret123")).await.unwrap());
    accounts::confirm_email(&t.db, &fresh, "Secret123").await.unwrap();
}

async fn refresh_rotates_and_reuse_revokes_the_family(backend: Backend) {
    let t = TestDb::new(backend).await;
    let svc = tokens(Duration::from_secs(3600));
    let user = customer(&t, "a@example.com").await;
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
    let user = customer(&t, "b@example.com").await;
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
    let user = customer(&t, "c@example.com").await;
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

    // A role the store does not know never gets in (and would not read
    // back as a customer: the column is an enum in the entity).
    use sea_orm::ConnectionTrait;
    let bad = "UPDATE users SET role = 'superuser' WHERE email = 'test-customer@octablitz.local'";
    assert!(t.db.execute_unprepared(bad).await.is_err(), "the database refuses an unknown role");
}

async fn demo_accounts_are_locked_when_switched_off(backend: Backend) {
    let t = TestDb::new(backend).await;
    let svc = tokens(Duration::from_secs(3600));
    accounts::ensure_demo_accounts(&t.db).await.unwrap();
    let admin = accounts::authenticate(&t.db, "admin@octablitz.local", "AdminPass123").await.unwrap();
    let session = accounts::start_session(&t.db, &svc, admin.clone()).await.unwrap();
    // The customer demo account got a real password: it is someone's now.
    let customer = accounts::authenticate(&t.db, "test-customer@octablitz.local", "TestPass123").await.unwrap();
    accounts::change_password(&t.db, customer.id, "TestPass123", &password("Private123")).await.unwrap();

    assert_eq!(accounts::lock_demo_accounts(&t.db).await.unwrap(), 1);
    assert!(accounts::authenticate(&t.db, "admin@octablitz.local", "AdminPass123").await.is_err());
    assert!(matches!(accounts::refresh(&t.db, &svc, &session.refresh_token).await, Err(ServerError::SessionExpired)));
    accounts::authenticate(&t.db, "test-customer@octablitz.local", "Private123").await.unwrap();
    assert_eq!(accounts::lock_demo_accounts(&t.db).await.unwrap(), 0, "idempotent");
}

/// Every sign-in path pays for one Argon2 verification: known address with
/// a wrong password, unknown address, registered but unconfirmed, locked.
/// The cases take turns (so load from other tests hits them alike) and
/// their medians must be close; skipping Argon2 made one path ~30x faster.
async fn sign_in_costs_the_same_on_every_path(backend: Backend) {
    let t = TestDb::new(backend).await;
    customer(&t, "known@example.com").await;
    pending(accounts::register(&t.db, &email("unconfirmed@example.com"), &password("Secret123")).await.unwrap());
    accounts::ensure_demo_accounts(&t.db).await.unwrap();
    assert_eq!(accounts::lock_demo_accounts(&t.db).await.unwrap(), 2);
    let cases = ["known@example.com", "nobody@example.com", "unconfirmed@example.com", "admin@octablitz.local"];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    for _ in 0..15 {
        for (i, address) in cases.iter().enumerate() {
            let start = std::time::Instant::now();
            let r = accounts::authenticate(&t.db, address, "Wrong1234").await;
            times[i].push(start.elapsed());
            assert!(matches!(r, Err(ServerError::InvalidCredentials)), "{address}: {r:?}");
        }
    }
    let medians: Vec<Duration> = times
        .iter_mut()
        .map(|t| {
            t.sort();
            t[t.len() / 2]
        })
        .collect();
    let slowest = *medians.iter().max().unwrap();
    for (address, median) in cases.iter().zip(&medians) {
        assert!(
            median.as_secs_f64() >= slowest.as_secs_f64() * 0.6,
            "{address} answers in {median:?}, the slowest path in {slowest:?}: {medians:?}"
        );
    }
}

on_both_backends!(
    sign_in_costs_the_same_on_every_path,
    register_confirm_and_sign_in,
    an_unconfirmed_address_stays_with_its_mailbox,
    confirmation_links_expire,
    concurrent_registrations_all_succeed,
    concurrent_refreshes_race_cleanly,
    demo_accounts_are_locked_when_switched_off,
    refresh_rotates_and_reuse_revokes_the_family,
    sign_out_and_expiry_end_sessions,
    password_change_revokes_every_session,
    demo_accounts_are_created_once,
);
