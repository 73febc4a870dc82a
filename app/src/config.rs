//! Typed configuration, read once from the environment at boot (ssr only).
//! Every setting has a development default so `make run` needs no set-up.

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};

use crate::error::ServerError;

/// Brotli quality for dynamic responses unless `COMPRESSION_QUALITY` says
/// otherwise: 4 compresses a page about as well as the maximum (11, the
/// brotli crate's default) for a small part of its CPU (see the README's
/// Benchmark section).
pub const DEFAULT_COMPRESSION_QUALITY: u32 = 4;

/// Server settings. The listen address comes from Leptos (`LEPTOS_SITE_ADDR`).
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the embedded SQLite database lives (`DATA_DIR`, default `var`).
    pub data_dir: PathBuf,
    /// Where uploaded product images are kept (`MEDIA_DIR`, default
    /// `DATA_DIR/media`): one directory every app server shares.
    pub media_dir: PathBuf,
    /// `DATABASE_URL`; may carry a password, so it never prints.
    pub database_url: SecretString,
    /// Pool size (`DB_MAX_CONNECTIONS`, default 10).
    pub db_max_connections: u32,
    /// `JWT_SECRET` (at least 32 bytes). Unset: a random secret kept in
    /// `DATA_DIR/jwt-secret`, so restarts keep everyone signed in.
    pub jwt_secret: Option<SecretString>,
    /// Access token lifetime (`ACCESS_TOKEN_TTL_SECS`, default 900).
    pub access_ttl: std::time::Duration,
    /// Refresh token lifetime (`REFRESH_TOKEN_TTL_SECS`, default 30 days).
    pub refresh_ttl: std::time::Duration,
    /// Create the README's demo accounts at start (`DEMO_ACCOUNTS`; default
    /// true for local use, false once `COOKIE_SECURE` says this is a real deployment).
    pub demo_accounts: bool,
    /// Mark session cookies `Secure` (`COOKIE_SECURE`; set it when served over HTTPS).
    pub cookie_secure: bool,
    /// Take the client address from `X-Forwarded-For` (`TRUST_PROXY`; only
    /// behind a proxy that sets it, or clients could pick their own).
    pub trust_proxy: bool,
    /// The address shoppers reach the store at (`PUBLIC_URL`, default
    /// `http://` + `LEPTOS_SITE_ADDR`), for links in e-mails. No trailing slash.
    pub public_url: String,
    /// Where outgoing mail is written, one `.eml` file per message
    /// (`MAIL_DIR`, default `DATA_DIR/mail`), unless `smtp_url` is set.
    pub mail_dir: PathBuf,
    /// Send mail over SMTP instead (`SMTP_URL`, lettre's form:
    /// `smtp://user:pass@host:587?tls=required`, `smtps://host:465`, or
    /// `smtp://127.0.0.1:25` in plain text for a local relay). May carry a
    /// password: never prints.
    pub smtp_url: Option<SecretString>,
    /// The sender of every mail (`MAIL_FROM`, default
    /// `OctaBlitz <no-reply@octablitz.local>`).
    pub mail_from: String,
    /// Where the shop's own notices go (`SHOP_EMAIL`, default
    /// `orders@octablitz.local`): a mail for every order placed.
    pub shop_email: String,
    /// Signed-in carts live in Redis at `REDIS_URL` (`redis://host:6379/0`);
    /// unset, in the embedded database. May carry a password: never prints.
    pub redis_url: Option<SecretString>,
    /// Prefix of every Redis key (`REDIS_PREFIX`, default `octablitz:`), so
    /// several stores (or tests) can share one Redis.
    pub redis_prefix: String,
    /// A signed-in cart is forgotten this long after its last change
    /// (`CART_TTL_SECS`, default 30 days).
    pub cart_ttl: std::time::Duration,
    /// Sign-in and registration attempts allowed per client address in five
    /// minutes (`AUTH_ATTEMPTS_PER_IP`, default 30). The browser tests, all
    /// from 127.0.0.1, raise it; the per-account limit is fixed.
    pub auth_attempts_per_ip: u32,
    /// How long this process reuses the database's answer to "is this access
    /// token's session still alive?" (`SESSION_CHECK_SECS`, default 5, 0 to
    /// ask every time). Revocations made by this process apply at once;
    /// those made by another app server of the same store apply within this.
    pub session_check: std::time::Duration,
    /// The store's in-process caches (`CACHES`, `on` by default, or `off`):
    /// the catalog's read model (pages answered from memory) and the session
    /// check above. Off, every page asks the database, as a baseline for
    /// measuring them (`bench/run.sh`); nothing else changes.
    pub caches: bool,
    /// A connection must send each request head within this
    /// (`HEADER_READ_TIMEOUT_SECS`, default 15), idle keep-alive included.
    pub header_read_timeout: std::time::Duration,
    /// Brotli quality (gzip level, clamped to 9) for responses compressed
    /// as they are sent: pages, server functions, the SVGs under `/images`
    /// (`COMPRESSION_QUALITY`, 1–11, default 4). `/pkg` is precompressed
    /// at the highest level at build time.
    pub compression_quality: u32,
    /// Production mode (`APP_ENV=production`; default `development`). In
    /// production the development payment stub is off (its pages are 404)
    /// and nothing may fall back to a development default for money.
    pub production: bool,
    /// The development stub payment provider (`STUB_PAYMENTS`; on by
    /// default in development, never in production mode).
    pub stub_payments: bool,
    /// Secret that signs the stub's webhooks (`STUB_WEBHOOK_SECRET`; unset:
    /// derived from the token secret, so it survives restarts).
    pub stub_webhook_secret: Option<SecretString>,
    /// Stripe, when `PAYMENT_PROVIDERS` lists `stripe` (its settings are
    /// then required: the store refuses to start without them).
    pub stripe: Option<crate::payments::stripe::StripeConfig>,
    /// PayPal, when `PAYMENT_PROVIDERS` lists `paypal` (likewise required).
    pub paypal: Option<crate::payments::paypal::PayPalConfig>,
    /// Checkout's money and hold rules.
    pub checkout: CheckoutConfig,
}

/// Shipping prices and stock-hold limits, from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutConfig {
    /// How long a placed, unpaid order holds its stock (`ORDER_HOLD_SECS`, default 900).
    pub hold: std::time::Duration,
    /// Standard delivery in cents (`SHIPPING_STANDARD_CENTS`, default 999).
    pub standard_cents: i64,
    /// Express delivery in cents (`SHIPPING_EXPRESS_CENTS`, default 2499).
    pub express_cents: i64,
    /// Standard delivery is free from this subtotal in cents
    /// (`FREE_SHIPPING_FROM_CENTS`, default 10000; 0 turns it off).
    pub free_from_cents: i64,
    /// Unpaid orders holding stock at once per client address
    /// (`MAX_PENDING_PER_IP`, default 5). Per shopper (account or e-mail) it
    /// is always one: a new order replaces the shopper's unpaid one.
    pub max_pending_per_ip: u32,
    /// How often the sweeper cancels expired holds (`HOLD_SWEEP_SECS`, default 30).
    pub sweep_every: std::time::Duration,
}

impl Default for CheckoutConfig {
    fn default() -> Self {
        Self {
            hold: std::time::Duration::from_secs(900),
            standard_cents: 999,
            express_cents: 2499,
            free_from_cents: 10_000,
            max_pending_per_ip: 5,
            sweep_every: std::time::Duration::from_secs(30),
        }
    }
}

/// A provider address setting (`default` when unset), without a trailing `/`.
fn provider_url(get: &impl Fn(&str) -> Option<String>, key: &str, default: &str) -> Result<String, ServerError> {
    let v = get(key).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_owned());
    if (v.starts_with("https://") || v.starts_with("http://")) && !v.chars().any(char::is_whitespace) {
        Ok(v.trim_end_matches('/').to_owned())
    } else {
        Err(ServerError::Config(format!("{key} must be an http:// or https:// address")))
    }
}

/// Stripe's settings, every one named when it is missing or malformed.
fn stripe_config(get: &impl Fn(&str) -> Option<String>) -> Result<crate::payments::stripe::StripeConfig, ServerError> {
    let required = |key: &str, prefixes: &[&str]| match get(key).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    {
        None => Err(ServerError::Config(format!("PAYMENT_PROVIDERS lists stripe, but {key} is not set"))),
        Some(v) if !prefixes.iter().any(|p| v.starts_with(p)) => {
            Err(ServerError::Config(format!("{key} must start with {}", prefixes.join(" or "))))
        }
        Some(v) => Ok(SecretString::from(v)),
    };
    let url = |key: &str, default: &str| provider_url(get, key, default);
    // async-stripe joins paths onto the base as it is.
    let api_base = format!("{}/", url("STRIPE_API_BASE", "https://api.stripe.com")?);
    Ok(crate::payments::stripe::StripeConfig {
        secret_key: required("STRIPE_SECRET_KEY", &["sk_", "rk_"])?,
        webhook_secret: required("STRIPE_WEBHOOK_SECRET", &["whsec_"])?,
        api_base,
        checkout_origin: url("STRIPE_CHECKOUT_ORIGIN", "https://checkout.stripe.com")?,
        timeout: std::time::Duration::from_secs(10),
    })
}

/// PayPal's settings, every one named when it is missing or malformed.
fn paypal_config(get: &impl Fn(&str) -> Option<String>) -> Result<crate::payments::paypal::PayPalConfig, ServerError> {
    let required = |key: &str| {
        get(key)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ServerError::Config(format!("PAYMENT_PROVIDERS lists paypal, but {key} is not set")))
    };
    let url = |key: &str, default: &str| provider_url(get, key, default);
    Ok(crate::payments::paypal::PayPalConfig {
        client_id: SecretString::from(required("PAYPAL_CLIENT_ID")?),
        client_secret: SecretString::from(required("PAYPAL_CLIENT_SECRET")?),
        webhook_id: required("PAYPAL_WEBHOOK_ID")?,
        api_base: url("PAYPAL_API_BASE", "https://api-m.paypal.com")?,
        approval_origin: url("PAYPAL_APPROVAL_ORIGIN", "https://www.paypal.com")?,
        timeout: std::time::Duration::from_secs(10),
    })
}

impl Config {
    pub fn from_env() -> Result<Self, ServerError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Builds the config from any key lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ServerError> {
        let data_dir = PathBuf::from(get("DATA_DIR").filter(|s| !s.is_empty()).unwrap_or_else(|| "var".into()));
        let database_url = match get("DATABASE_URL").filter(|s| !s.is_empty()) {
            Some(url) => url,
            None => format!("sqlite://{}/octablitz.db?mode=rwc", data_dir.display()),
        };
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ServerError::Config("DATABASE_URL must start with sqlite: or postgres://".into()));
        }
        let db_max_connections = match get("DB_MAX_CONNECTIONS") {
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=500).contains(n))
                .ok_or_else(|| ServerError::Config("DB_MAX_CONNECTIONS must be a number from 1 to 500".into()))?,
            None => 10,
        };
        let seconds = |key: &str, default: u64, range: std::ops::RangeInclusive<u64>| match get(key) {
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| range.contains(n))
                .map(std::time::Duration::from_secs)
                .ok_or_else(|| ServerError::Config(format!("{key} must be a number of seconds in {range:?}"))),
            None => Ok(std::time::Duration::from_secs(default)),
        };
        let access_ttl = seconds("ACCESS_TOKEN_TTL_SECS", 900, 5..=86_400)?;
        let refresh_ttl = seconds("REFRESH_TOKEN_TTL_SECS", 30 * 86_400, 60..=365 * 86_400)?;
        let jwt_secret = match get("JWT_SECRET").filter(|s| !s.is_empty()) {
            Some(s) if s.len() < 32 => return Err(ServerError::Config("JWT_SECRET must be at least 32 bytes".into())),
            other => other.map(SecretString::from),
        };
        let flag = |key: &str| matches!(get(key).as_deref(), Some("1" | "true" | "yes" | "on"));
        let cookie_secure = flag("COOKIE_SECURE");
        let trust_proxy = flag("TRUST_PROXY");
        let demo_accounts = match get("DEMO_ACCOUNTS") {
            Some(_) => flag("DEMO_ACCOUNTS"),
            None => !cookie_secure,
        };
        let public_url = get("PUBLIC_URL").filter(|s| !s.is_empty()).unwrap_or_else(|| {
            format!(
                "http://{}",
                get("LEPTOS_SITE_ADDR").filter(|s| !s.is_empty()).as_deref().unwrap_or("127.0.0.1:3000")
            )
        });
        let public_url = public_url.trim_end_matches('/').to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://"))
            || public_url.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(ServerError::Config("PUBLIC_URL must be an http:// or https:// address".into()));
        }
        let media_dir =
            get("MEDIA_DIR").filter(|s| !s.is_empty()).map_or_else(|| data_dir.join("media"), PathBuf::from);
        let mail_dir = get("MAIL_DIR").filter(|s| !s.is_empty()).map_or_else(|| data_dir.join("mail"), PathBuf::from);
        let smtp_url = match get("SMTP_URL").filter(|s| !s.is_empty()) {
            Some(u) if !(u.starts_with("smtp://") || u.starts_with("smtps://")) => {
                return Err(ServerError::Config("SMTP_URL must start with smtp:// or smtps://".into()));
            }
            other => other.map(SecretString::from),
        };
        let mail_from =
            get("MAIL_FROM").filter(|s| !s.is_empty()).unwrap_or_else(|| "OctaBlitz <no-reply@octablitz.local>".into());
        let shop_email = get("SHOP_EMAIL").filter(|s| !s.is_empty()).unwrap_or_else(|| "orders@octablitz.local".into());
        let shop_email = crate::account::domain::Email::parse(&shop_email)
            .map_err(|_| ServerError::Config("SHOP_EMAIL is not an e-mail address".into()))?
            .as_str()
            .to_owned();
        let redis_url = match get("REDIS_URL").filter(|s| !s.is_empty()) {
            Some(u) if !(u.starts_with("redis://") || u.starts_with("rediss://")) => {
                return Err(ServerError::Config("REDIS_URL must start with redis://".into()));
            }
            other => other.map(SecretString::from),
        };
        let redis_prefix = get("REDIS_PREFIX").unwrap_or_else(|| "octablitz:".into());
        let cart_ttl = seconds("CART_TTL_SECS", 30 * 86_400, 60..=365 * 86_400)?;
        let caches = match get("CACHES").as_deref().map(str::trim) {
            None | Some("" | "on") => true,
            Some("off") => false,
            Some(_) => return Err(ServerError::Config("CACHES must be on or off".into())),
        };
        let session_check = if caches { seconds("SESSION_CHECK_SECS", 5, 0..=300)? } else { std::time::Duration::ZERO };
        let header_read_timeout = seconds("HEADER_READ_TIMEOUT_SECS", 15, 1..=300)?;
        let compression_quality = match get("COMPRESSION_QUALITY") {
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=11).contains(n))
                .ok_or_else(|| ServerError::Config("COMPRESSION_QUALITY must be a number from 1 to 11".into()))?,
            None => DEFAULT_COMPRESSION_QUALITY,
        };
        let auth_attempts_per_ip =
            match get("AUTH_ATTEMPTS_PER_IP") {
                Some(v) => v.parse::<u32>().ok().filter(|n| (1..=100_000).contains(n)).ok_or_else(|| {
                    ServerError::Config("AUTH_ATTEMPTS_PER_IP must be a number from 1 to 100000".into())
                })?,
                None => 30,
            };
        let production = match get("APP_ENV").as_deref().map(str::trim) {
            None | Some("" | "development") => false,
            Some("production") => true,
            Some(_) => return Err(ServerError::Config("APP_ENV must be development or production".into())),
        };
        let stub_payments = !production && get("STUB_PAYMENTS").is_none_or(|_| flag("STUB_PAYMENTS"));
        let stub_webhook_secret = get("STUB_WEBHOOK_SECRET").filter(|s| !s.is_empty()).map(SecretString::from);
        let (mut stripe, mut paypal) = (None, None);
        for provider in get("PAYMENT_PROVIDERS").unwrap_or_default().split(',').map(str::trim).filter(|p| !p.is_empty())
        {
            match provider {
                "stripe" => stripe = Some(stripe_config(&get)?),
                "paypal" => paypal = Some(paypal_config(&get)?),
                other => {
                    return Err(ServerError::Config(format!(
                        "PAYMENT_PROVIDERS: {other:?} is not a provider this store has (it has: stripe, paypal)"
                    )));
                }
            }
        }
        let cents = |key: &str, default: i64| match get(key) {
            Some(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=10_000_000).contains(n))
                .ok_or_else(|| ServerError::Config(format!("{key} must be a number of cents from 0 to 10000000"))),
            None => Ok(default),
        };
        let defaults = CheckoutConfig::default();
        let checkout =
            CheckoutConfig {
                hold: seconds("ORDER_HOLD_SECS", defaults.hold.as_secs(), 10..=86_400)?,
                standard_cents: cents("SHIPPING_STANDARD_CENTS", defaults.standard_cents)?,
                express_cents: cents("SHIPPING_EXPRESS_CENTS", defaults.express_cents)?,
                free_from_cents: cents("FREE_SHIPPING_FROM_CENTS", defaults.free_from_cents)?,
                max_pending_per_ip: match get("MAX_PENDING_PER_IP") {
                    Some(v) => v.parse::<u32>().ok().filter(|n| (1..=10_000).contains(n)).ok_or_else(|| {
                        ServerError::Config("MAX_PENDING_PER_IP must be a number from 1 to 10000".into())
                    })?,
                    None => defaults.max_pending_per_ip,
                },
                sweep_every: seconds("HOLD_SWEEP_SECS", defaults.sweep_every.as_secs(), 1..=3_600)?,
            };
        Ok(Self {
            production,
            stub_payments,
            stub_webhook_secret,
            stripe,
            paypal,
            checkout,
            header_read_timeout,
            compression_quality,
            session_check,
            caches,
            auth_attempts_per_ip,
            redis_url,
            redis_prefix,
            cart_ttl,
            public_url,
            mail_dir,
            smtp_url,
            mail_from,
            shop_email,
            media_dir,
            data_dir,
            database_url: SecretString::from(database_url),
            db_max_connections,
            jwt_secret,
            access_ttl,
            refresh_ttl,
            demo_accounts,
            cookie_secure,
            trust_proxy,
        })
    }

    /// Whether the development payment stub runs (never in production mode).
    pub fn stub_payments(&self) -> bool {
        self.stub_payments && !self.production
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose_secret().starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ServerError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_to_embedded_sqlite() {
        let c = config(&[]).unwrap();
        assert!(c.is_sqlite());
        assert_eq!(c.database_url.expose_secret(), "sqlite://var/octablitz.db?mode=rwc");
    }

    #[test]
    fn secrets_do_not_print() {
        let c = config(&[("DATABASE_URL", "postgres://u:hunter2@db/x")]).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
        assert!(!c.is_sqlite());
    }

    #[test]
    fn caches_turn_off_together() {
        let on = config(&[]).unwrap();
        assert!(on.caches);
        assert_eq!(on.session_check, std::time::Duration::from_secs(5));
        let off = config(&[("CACHES", "off"), ("SESSION_CHECK_SECS", "60")]).unwrap();
        assert!(!off.caches);
        assert_eq!(off.session_check, std::time::Duration::ZERO);
        assert!(config(&[("CACHES", "maybe")]).is_err());
    }

    #[test]
    fn compression_quality_is_a_brotli_quality() {
        assert_eq!(config(&[]).unwrap().compression_quality, DEFAULT_COMPRESSION_QUALITY);
        assert_eq!(config(&[("COMPRESSION_QUALITY", "11")]).unwrap().compression_quality, 11);
        for bad in ["0", "12", "best", "-1", ""] {
            assert!(config(&[("COMPRESSION_QUALITY", bad)]).is_err(), "{bad}");
        }
    }

    #[test]
    fn rejects_bad_values() {
        assert!(config(&[("DATABASE_URL", "mysql://x")]).is_err());
        assert!(config(&[("DB_MAX_CONNECTIONS", "0")]).is_err());
        assert!(config(&[("DB_MAX_CONNECTIONS", "many")]).is_err());
        assert!(config(&[("JWT_SECRET", "short")]).is_err());
        assert!(config(&[("ACCESS_TOKEN_TTL_SECS", "0")]).is_err());
        let c = config(&[("ACCESS_TOKEN_TTL_SECS", "10"), ("DEMO_ACCOUNTS", "false")]).unwrap();
        assert_eq!(c.access_ttl.as_secs(), 10);
        assert!(!c.demo_accounts);
        assert!(config(&[]).unwrap().demo_accounts, "on for local use");
        assert!(!config(&[("COOKIE_SECURE", "true")]).unwrap().demo_accounts, "off for HTTPS deployments");
        assert!(config(&[("PUBLIC_URL", "javascript:alert(1)")]).is_err());
        assert!(config(&[("REDIS_URL", "http://x")]).is_err());
        assert!(config(&[]).unwrap().redis_url.is_none(), "embedded carts by default");
        let c = config(&[("REDIS_URL", "redis://:hunter2@r:6379/1"), ("CART_TTL_SECS", "120")]).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
        assert_eq!(c.cart_ttl.as_secs(), 120);
        assert_eq!(config(&[("PUBLIC_URL", "https://shop.example/")]).unwrap().public_url, "https://shop.example");
        assert_eq!(config(&[("LEPTOS_SITE_ADDR", "0.0.0.0:8080")]).unwrap().public_url, "http://0.0.0.0:8080");
    }

    #[test]
    fn a_listed_provider_without_its_secrets_refuses_to_start_and_names_them() {
        let stripe = [("PAYMENT_PROVIDERS", "stripe"), ("APP_ENV", "production")];
        let missing = |pairs: &[(&str, &str)]| match config(pairs) {
            Err(ServerError::Config(message)) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        };
        assert!(missing(&stripe).contains("STRIPE_SECRET_KEY is not set"));
        let with_key = [stripe.as_slice(), &[("STRIPE_SECRET_KEY", "sk_live_x")]].concat();
        assert!(missing(&with_key).contains("STRIPE_WEBHOOK_SECRET is not set"));
        let wrong =
            [stripe.as_slice(), &[("STRIPE_SECRET_KEY", "pk_live_x"), ("STRIPE_WEBHOOK_SECRET", "whsec_x")]].concat();
        assert!(
            missing(&wrong).contains("STRIPE_SECRET_KEY must start with sk_ or rk_"),
            "a publishable key is not a secret"
        );
        let both = [
            ("PAYMENT_PROVIDERS", "stripe, paypal"),
            ("STRIPE_SECRET_KEY", "sk_x"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_x"),
        ];
        assert!(missing(&both).contains("PAYPAL_CLIENT_ID is not set"));
        let with_id = [both.as_slice(), &[("PAYPAL_CLIENT_ID", "id"), ("PAYPAL_CLIENT_SECRET", "hunter4")]].concat();
        assert!(missing(&with_id).contains("PAYPAL_WEBHOOK_ID is not set"));
        assert!(missing(&[("PAYMENT_PROVIDERS", "klarna")]).contains("\"klarna\""));
        let full = [
            stripe.as_slice(),
            &[("STRIPE_SECRET_KEY", "sk_live_hunter2"), ("STRIPE_WEBHOOK_SECRET", "whsec_hunter3")],
        ]
        .concat();
        let c = config(&full).unwrap();
        let s = c.stripe.as_ref().expect("stripe on");
        assert_eq!(
            (s.api_base.as_str(), s.checkout_origin.as_str()),
            ("https://api.stripe.com/", "https://checkout.stripe.com")
        );
        assert!(!format!("{c:?}").contains("hunter"), "secrets never print");
        assert!(config(&[]).unwrap().stripe.is_none(), "off unless listed");
    }

    #[test]
    fn production_mode_turns_the_stub_off() {
        assert!(config(&[]).unwrap().stub_payments(), "on in development");
        let c = config(&[("APP_ENV", "production"), ("STUB_PAYMENTS", "true")]).unwrap();
        assert!(c.production && !c.stub_payments(), "never in production");
        assert!(!config(&[("STUB_PAYMENTS", "off")]).unwrap().stub_payments());
        assert!(config(&[("APP_ENV", "prod")]).is_err(), "a typo is not silently development");
        let c = config(&[("ORDER_HOLD_SECS", "60"), ("SHIPPING_EXPRESS_CENTS", "0")]).unwrap();
        assert_eq!((c.checkout.hold.as_secs(), c.checkout.express_cents), (60, 0));
        assert!(config(&[("SHIPPING_STANDARD_CENTS", "-1")]).is_err());
        assert!(config(&[("ORDER_HOLD_SECS", "0")]).is_err());
    }
}
