//! In-process rate limits for sign-in and registration (ssr only).
//!
//! Two kinds of key, so guessing is slow but no one can lock a victim out:
//! - per client IP: every attempt counts;
//! - per account *and* IP: only failures count, and a success clears them.
//!   An attacker elsewhere burns their own budget, not the victim's.
//!
//! Fixed windows in one mutex-guarded map: plenty for one server process.
//! Several processes would each keep their own counts (documented).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys kept at most (about 300 bytes each).
const MAX_KEYS: usize = 100_000;

/// A limit: at most `max` events per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

/// The client address the session middleware saw (peer, or the first
/// `X-Forwarded-For` hop when `TRUST_PROXY` is set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

#[derive(Debug)]
pub struct RateLimiter {
    per_ip: Limit,
    per_account: Limit,
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new(
            Limit { max: 30, window: Duration::from_secs(300) },
            Limit { max: 5, window: Duration::from_secs(900) },
        )
    }
}

impl RateLimiter {
    /// The default limits, with the per-IP allowance from the config.
    pub fn for_config(config: &crate::config::Config) -> Self {
        let default = Self::default();
        Self::new(Limit { max: config.auth_attempts_per_ip, ..default.per_ip }, default.per_account)
    }

    pub fn new(per_ip: Limit, per_account: Limit) -> Self {
        Self { per_ip, per_account, counts: Mutex::new(HashMap::new()) }
    }

    /// Counts one event under `key`; `false` when the limit is already reached.
    fn hit(&self, key: String, limit: Limit) -> bool {
        let now = Instant::now();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() >= MAX_KEYS {
            let longest = self.per_ip.window.max(self.per_account.window);
            counts.retain(|_, (start, _)| now.duration_since(*start) < longest);
            if counts.len() >= MAX_KEYS {
                // Fail open rather than lock everyone out; each key is small and bounded.
                tracing::warn!("rate limiter full: forgetting all counts");
                counts.clear();
            }
        }
        let entry = counts.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= limit.window {
            *entry = (now, 0);
        }
        if entry.1 >= limit.max {
            return false;
        }
        entry.1 += 1;
        true
    }

    /// Whether `key` is below `limit`, without counting or storing anything.
    fn below(&self, key: &str, limit: Limit) -> bool {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.get(key).is_none_or(|(start, n)| start.elapsed() >= limit.window || *n < limit.max)
    }

    /// IPv4 addresses count alone; IPv6 by /64, the block one host usually holds.
    fn ip_key(ip: ClientIp) -> String {
        match ip.0.map(|ip| ip.to_canonical()) {
            None => "ip:unknown".to_owned(),
            Some(IpAddr::V4(v4)) => format!("ip:{v4}"),
            Some(IpAddr::V6(v6)) => {
                let s = v6.segments();
                format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        }
    }

    fn account_key(ip: ClientIp, account: &str) -> String {
        // Bounded: the key never grows with what a client sends.
        let account: String = account.trim().to_lowercase().chars().take(254).collect();
        format!("acct:{account}:{}", Self::ip_key(ip))
    }

    /// Counts one attempt from `ip` against `account`; `false` means refuse (429).
    pub fn attempt(&self, ip: ClientIp, account: &str) -> bool {
        // The per-IP budget counts every attempt; the account budget only failures.
        self.hit(Self::ip_key(ip), self.per_ip) && self.below(&Self::account_key(ip, account), self.per_account)
    }

    /// Records a failed attempt (wrong password) for `account` from `ip`.
    pub fn failed(&self, ip: ClientIp, account: &str) {
        self.hit(Self::account_key(ip, account), self.per_account);
    }

    /// Forgets failures after a successful sign-in.
    pub fn succeeded(&self, ip: ClientIp, account: &str) {
        self.counts.lock().unwrap_or_else(|e| e.into_inner()).remove(&Self::account_key(ip, account));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> ClientIp {
        ClientIp(Some(IpAddr::from([10, 0, 0, n])))
    }

    #[test]
    fn failures_lock_one_account_from_one_ip_only() {
        let l = RateLimiter::new(
            Limit { max: 100, window: Duration::from_secs(60) },
            Limit { max: 3, window: Duration::from_secs(60) },
        );
        for _ in 0..3 {
            assert!(l.attempt(ip(1), "victim@x.com"));
            l.failed(ip(1), "victim@x.com");
        }
        assert!(!l.attempt(ip(1), "victim@x.com"), "attacker is slowed");
        assert!(l.attempt(ip(2), "Victim@X.com"), "the victim elsewhere is not locked out");
        assert!(l.attempt(ip(1), "other@x.com"));
    }

    #[test]
    fn per_ip_limit_counts_every_attempt_and_success_clears_failures() {
        let l = RateLimiter::new(
            Limit { max: 4, window: Duration::from_secs(60) },
            Limit { max: 2, window: Duration::from_secs(60) },
        );
        assert!(l.attempt(ip(1), "a@x.com"));
        l.failed(ip(1), "a@x.com");
        l.succeeded(ip(1), "a@x.com");
        assert!(l.attempt(ip(1), "a@x.com"));
        assert!(l.attempt(ip(1), "b@x.com"));
        assert!(l.attempt(ip(1), "c@x.com"));
        assert!(!l.attempt(ip(1), "d@x.com"), "fifth attempt from one IP");
        assert!(l.attempt(ip(3), "d@x.com"));
    }

    #[test]
    fn ipv6_counts_per_64_and_keys_stay_small() {
        let a = ClientIp(Some("2001:db8:1:2:aaaa::1".parse().unwrap()));
        let b = ClientIp(Some("2001:db8:1:2:bbbb::9".parse().unwrap()));
        assert_eq!(RateLimiter::ip_key(a), RateLimiter::ip_key(b));
        let mapped = ClientIp(Some("::ffff:10.0.0.1".parse().unwrap()));
        assert_eq!(RateLimiter::ip_key(mapped), RateLimiter::ip_key(ip(1)));
        assert!(RateLimiter::account_key(a, &"x".repeat(1_000_000)).len() < 400);
    }
}
