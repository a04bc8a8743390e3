//! Rate limits: enrollment attempts per client IP (guessing codes), and
//! sync requests per device (a phone stuck in a retry loop must not starve
//! the others). In memory: a restart forgets them, which is harmless.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use xianfeng_core::ids::DeviceId;

use crate::error::AppError;

/// Past this many keys a limiter drops the ones that are back to full burst.
const RETAIN_AT: usize = 10_000;

/// The quotas; [`Default`] is what the server runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitConfig {
    /// Enrollment attempts per client IP per minute (also the burst).
    pub enroll_per_minute: u32,
    /// Sync requests per device per second, sustained.
    pub sync_per_second: u32,
    /// Sync requests a device may send at once after being idle.
    pub sync_burst: u32,
}

impl Default for LimitConfig {
    fn default() -> Self {
        LimitConfig {
            enroll_per_minute: 10,
            sync_per_second: 20,
            sync_burst: 60,
        }
    }
}

/// The live limiters, shared by every request. Cheap to clone.
#[derive(Clone)]
pub struct Limits {
    enroll: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    sync: Arc<DefaultKeyedRateLimiter<DeviceId>>,
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits").finish_non_exhaustive()
    }
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).expect("at least 1")
}

impl Limits {
    pub fn new(config: LimitConfig) -> Limits {
        let enroll = Quota::per_minute(nonzero(config.enroll_per_minute));
        let sync = Quota::per_second(nonzero(config.sync_per_second))
            .allow_burst(nonzero(config.sync_burst));
        Limits {
            enroll: Arc::new(DefaultKeyedRateLimiter::keyed(enroll)),
            sync: Arc::new(DefaultKeyedRateLimiter::keyed(sync)),
        }
    }

    /// One enrollment attempt from `ip`; 429 `rate_limited` over the quota.
    pub fn check_enroll(&self, ip: IpAddr) -> Result<(), AppError> {
        check(
            &self.enroll,
            &ip,
            "too many enrollment attempts; wait a minute",
        )
    }

    /// One sync request from `device`; 429 `rate_limited` over the quota.
    pub fn check_sync(&self, device: DeviceId) -> Result<(), AppError> {
        check(
            &self.sync,
            &device,
            "too many sync requests from this device",
        )
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(LimitConfig::default())
    }
}

fn check<K: Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
    message: &str,
) -> Result<(), AppError> {
    if limiter.len() > RETAIN_AT {
        limiter.retain_recent();
    }
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(limiter.clock().now());
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        AppError::RateLimited {
            message: message.to_owned(),
            retry_after_secs: Some(secs.max(1)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enroll_limit_is_per_ip() {
        let limits = Limits::new(LimitConfig {
            enroll_per_minute: 3,
            ..LimitConfig::default()
        });
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        for _ in 0..3 {
            limits.check_enroll(a).unwrap();
        }
        let err = limits.check_enroll(a).unwrap_err();
        assert_eq!(err.code(), "rate_limited");
        match err {
            AppError::RateLimited {
                retry_after_secs: Some(s),
                ..
            } => assert!((1..=60).contains(&s), "{s}"),
            other => panic!("{other:?}"),
        }
        limits.check_enroll(b).unwrap();
    }

    #[test]
    fn sync_limit_allows_a_burst_per_device() {
        let limits = Limits::new(LimitConfig {
            sync_per_second: 1,
            sync_burst: 5,
            ..LimitConfig::default()
        });
        let d1 = DeviceId::from_u128(1);
        for _ in 0..5 {
            limits.check_sync(d1).unwrap();
        }
        assert!(limits.check_sync(d1).is_err());
        limits.check_sync(DeviceId::from_u128(2)).unwrap();
    }
}
