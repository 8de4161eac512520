//! What slows password guessing at the sign-in form: a limit of attempts per client
//! address, a delay per e-mail address that grows with its failures, and a bound on
//! how many password hashes are checked at once.
//!
//! The delay never refuses: the right password still signs in, only later, so an
//! attacker cannot lock a person out by failing on purpose. It is kept per e-mail
//! as typed, whether or not an account has it, so it tells nothing about which
//! addresses have accounts.

use crate::auth::sha256;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Sign-in attempts one client address may make per minute (also its burst).
pub const ATTEMPTS_PER_MINUTE: u32 = 10;
/// One-time codes one identifier may be sent per hour (also its burst).
pub const CODES_PER_HOUR: u32 = 5;
/// Failures of an e-mail address answered without delay.
const FREE_FAILURES: u32 = 3;
/// The first delay, doubled with each further failure up to `MAX_DELAY`.
const FIRST_DELAY: Duration = Duration::from_millis(250);
const MAX_DELAY: Duration = Duration::from_secs(10);
/// Failures older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);

pub struct SignInGuard {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    /// One-time codes sent per identifier, by its SHA-256: a person's inbox or phone
    /// is not to be flooded by whoever types their address.
    codes: DefaultKeyedRateLimiter<[u8; 32]>,
    /// Failures by SHA-256 of the normalised e-mail (no addresses kept in memory).
    failures: Mutex<HashMap<[u8; 32], Failures>>,
    /// Argon2 runs on blocking threads, at most this many at once, so guessing
    /// cannot take every core from the other pages.
    pub hashing: Arc<Semaphore>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// The wait before the password of an address with `failures` failures is checked.
pub fn delay(failures: u32) -> Duration {
    match failures.checked_sub(FREE_FAILURES) {
        None => Duration::ZERO,
        Some(beyond) => FIRST_DELAY
            .saturating_mul(1u32.checked_shl(beyond).unwrap_or(u32::MAX))
            .min(MAX_DELAY),
    }
}

fn account_key(email: &str) -> [u8; 32] {
    sha256(&email.trim().to_lowercase())
}

impl Default for SignInGuard {
    fn default() -> Self {
        let per_minute = NonZeroU32::new(ATTEMPTS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let per_hour = NonZeroU32::new(CODES_PER_HOUR).unwrap_or(NonZeroU32::MIN);
        SignInGuard {
            per_address: RateLimiter::keyed(Quota::per_minute(per_minute)),
            codes: RateLimiter::keyed(Quota::per_hour(per_hour)),
            failures: Mutex::default(),
            hashing: Arc::new(Semaphore::new(cores)),
        }
    }
}

impl SignInGuard {
    /// Counts an attempt from `ip`; over the limit, how long until the next is allowed.
    pub fn attempt_from(&self, ip: IpAddr) -> Result<(), Duration> {
        self.per_address
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Counts a code sent to the identifier written `identifier`; over the limit, how
    /// long until the next may be sent.
    pub fn code_to(&self, identifier: &str) -> Result<(), Duration> {
        self.codes
            .check_key(&sha256(identifier))
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// How long to hold an attempt for `email` before checking its password.
    pub fn delay_for(&self, email: &str) -> Duration {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures
            .get(&account_key(email))
            .filter(|f| f.last.elapsed() < FORGET_AFTER)
            .map_or(Duration::ZERO, |f| delay(f.count))
    }

    pub fn failed(&self, email: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let entry = failures.entry(account_key(email)).or_insert(Failures {
            count: 0,
            last: Instant::now(),
        });
        if entry.last.elapsed() >= FORGET_AFTER {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = Instant::now();
    }

    pub fn succeeded(&self, email: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(&account_key(email));
    }

    /// Forgets old failures and addresses back at their full allowance.
    pub fn tidy(&self) {
        self.per_address.retain_recent();
        self.codes.retain_recent();
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.retain(|_, f| f.last.elapsed() < FORGET_AFTER);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_starts_after_three_failures_doubles_and_stops_growing() {
        let waits: Vec<u128> = (0..12).map(|n| delay(n).as_millis()).collect();
        assert_eq!(
            waits,
            [
                0, 0, 0, 250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000
            ]
        );
        assert_eq!(delay(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn failures_count_per_address_as_typed_and_success_clears_them() {
        let guard = SignInGuard::default();
        for _ in 0..5 {
            guard.failed("Anna@Kafe.example ");
        }
        assert_eq!(guard.delay_for("anna@kafe.example"), delay(5));
        assert_eq!(guard.delay_for("bo@kafe.example"), Duration::ZERO);
        guard.succeeded("anna@kafe.example");
        assert_eq!(guard.delay_for("anna@kafe.example"), Duration::ZERO);
    }

    #[test]
    fn each_address_has_its_own_allowance() {
        let guard = SignInGuard::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..ATTEMPTS_PER_MINUTE {
            assert!(guard.attempt_from(a).is_ok());
        }
        let wait = guard.attempt_from(a).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(6));
        assert!(guard.attempt_from("192.0.2.2".parse().unwrap()).is_ok());
    }
}
