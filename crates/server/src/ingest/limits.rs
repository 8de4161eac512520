//! Per-key rate limits, counted in events: a batch of 500 costs 500. Publishable
//! keys sit in web pages where anyone can copy them, so they always have a limit;
//! secret keys have one only when configured.

use crate::error::ApiError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use uuid::Uuid;

pub struct KeyLimits {
    publishable: DefaultKeyedRateLimiter<Uuid>,
    secret: Option<DefaultKeyedRateLimiter<Uuid>>,
}

/// A limiter allowing `per_second` events, with room for one full batch at once.
fn limiter(per_second: NonZeroU32) -> DefaultKeyedRateLimiter<Uuid> {
    let burst =
        per_second.max(NonZeroU32::new(super::batch::MAX_EVENTS as u32).unwrap_or(NonZeroU32::MIN));
    RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst))
}

impl KeyLimits {
    pub fn new(publishable_per_second: NonZeroU32, secret_per_second: Option<NonZeroU32>) -> Self {
        KeyLimits {
            publishable: limiter(publishable_per_second),
            secret: secret_per_second.map(limiter),
        }
    }

    /// Takes `events` from the key's allowance, or says when to come back.
    pub fn take(&self, key: Uuid, publishable: bool, events: usize) -> Result<(), ApiError> {
        let limiter = if publishable {
            Some(&self.publishable)
        } else {
            self.secret.as_ref()
        };
        let Some(limiter) = limiter else {
            return Ok(());
        };
        let n =
            NonZeroU32::new(u32::try_from(events).unwrap_or(u32::MAX)).unwrap_or(NonZeroU32::MIN);
        match limiter.check_key_n(&key, n) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Err(ApiError::RateLimited(wait.as_secs().max(1)))
            }
            Err(_) => Err(ApiError::RateLimited(1)),
        }
    }

    /// Forgets keys that have been quiet long enough to be back at full allowance.
    pub fn tidy(&self) {
        self.publishable.retain_recent();
        if let Some(s) = &self.secret {
            s.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_over_its_allowance_is_told_when_to_return() {
        let limits = KeyLimits::new(NonZeroU32::new(10).unwrap(), None);
        let key = Uuid::now_v7();
        assert!(
            limits.take(key, true, 2000).is_ok(),
            "one full batch fits the burst"
        );
        assert!(matches!(limits.take(key, true, 50), Err(ApiError::RateLimited(s)) if s >= 1));
        assert!(
            limits.take(Uuid::now_v7(), true, 10).is_ok(),
            "keys are limited one by one"
        );
        assert!(
            limits.take(key, false, 1_000_000).is_ok(),
            "secret keys have no limit unless set"
        );
    }
}
