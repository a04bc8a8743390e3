//! The review page's two keyed hashes, both HMAC-SHA256 with the server's
//! review secret (32 random bytes made once, kept in `server_meta`):
//!
//! - the form token, `<issued_at>.<mac>`, embedded in the page and checked
//!   on submit: proves the form came from this server for this post, and
//!   when ([`check_form_token`] refuses it too soon — a bot — or too late);
//! - the client key, standing for "this client reviewed this post today"
//!   without storing the client's address ([`client_key`]).

use std::net::IpAddr;

use crate::store::{devices, Store};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::{Date, Duration, OffsetDateTime};
use xianfeng_core::ids::PostId;

type HmacSha256 = Hmac<Sha256>;

/// The server's review secret.
#[derive(Clone)]
pub struct Secret([u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

const META_KEY: &str = "review_secret";

impl Secret {
    /// Reads the secret, making it on first use (a write only then).
    pub async fn load_or_create(store: &Store) -> anyhow::Result<Secret> {
        let stored = store.read(|sql| devices::meta(sql, META_KEY)).await?;
        let hex = match stored {
            Some(hex) => hex,
            None => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes)
                    .map_err(|e| anyhow::anyhow!("random generator: {e}"))?;
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                store
                    .write(move |sql| {
                        devices::set_meta_once(sql, META_KEY, &hex)?;
                        devices::meta(sql, META_KEY)
                    })
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("review secret not stored"))?
            }
        };
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = hex
                .get(2 * i..2 * i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| anyhow::anyhow!("malformed review secret in server_meta"))?;
        }
        Ok(Secret(bytes))
    }

    fn mac(&self, parts: &[&[u8]]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        for part in parts {
            // Length-prefixed, so no two different part lists hash alike.
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac
    }
}

/// A fresh form token for `post`, issued at `now`.
pub fn form_token(secret: &Secret, post: PostId, now: OffsetDateTime) -> String {
    let issued = now.unix_timestamp();
    let mac = secret
        .mac(&[b"form", post.to_string().as_bytes(), &issued.to_be_bytes()])
        .finalize()
        .into_bytes();
    format!("{issued}.{}", URL_SAFE_NO_PAD.encode(mac))
}

/// Why a form token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Missing, malformed, for another post, or not made by this server.
    Invalid,
    /// Older than the allowed age.
    Expired,
    /// Sent sooner than a person could have filled in the form.
    TooFresh,
}

/// Checks a token from the form: made by this server for `post`, issued
/// between `max_age` and `min_age` before `now`.
pub fn check_form_token(
    secret: &Secret,
    post: PostId,
    token: &str,
    now: OffsetDateTime,
    min_age: Duration,
    max_age: Duration,
) -> Result<(), TokenError> {
    let (issued, mac) = token.trim().split_once('.').ok_or(TokenError::Invalid)?;
    let issued: i64 = issued.parse().map_err(|_| TokenError::Invalid)?;
    let mac = URL_SAFE_NO_PAD
        .decode(mac)
        .map_err(|_| TokenError::Invalid)?;
    secret
        .mac(&[b"form", post.to_string().as_bytes(), &issued.to_be_bytes()])
        .verify_slice(&mac)
        .map_err(|_| TokenError::Invalid)?;
    let age = Duration::seconds(now.unix_timestamp().saturating_sub(issued));
    if age < Duration::ZERO {
        Err(TokenError::Invalid)
    } else if age > max_age {
        Err(TokenError::Expired)
    } else if age < min_age {
        Err(TokenError::TooFresh)
    } else {
        Ok(())
    }
}

/// The key of "this client reviewed this post on this day". IPv6 clients
/// are keyed by their /64 network (one subscriber's usual allocation), so
/// hopping between addresses of one phone does not make a new client.
pub fn client_key(secret: &Secret, ip: IpAddr, post: PostId, day: Date) -> [u8; 32] {
    let network = match ip.to_canonical() {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets()[..8].to_vec(),
    };
    secret
        .mac(&[
            b"client",
            &network,
            post.to_string().as_bytes(),
            day.to_string().as_bytes(),
        ])
        .finalize()
        .into_bytes()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn secret() -> Secret {
        Secret([7; 32])
    }

    #[test]
    fn tokens_check_post_signature_and_age() {
        let (s, post) = (secret(), PostId::from_u128(1));
        let at = datetime!(2026-11-20 10:00:00 UTC);
        let token = form_token(&s, post, at);
        let (min, max) = (Duration::seconds(3), Duration::days(1));
        let check = |token: &str, post, now| check_form_token(&s, post, token, now, min, max);
        assert_eq!(check(&token, post, at + Duration::seconds(3)), Ok(()));
        assert_eq!(check(&token, post, at + Duration::days(1)), Ok(()));
        assert_eq!(
            check(&token, post, at + Duration::seconds(2)),
            Err(TokenError::TooFresh)
        );
        assert_eq!(
            check(&token, post, at + Duration::days(1) + Duration::seconds(1)),
            Err(TokenError::Expired)
        );
        let later = at + Duration::seconds(10);
        assert_eq!(
            check(&token, PostId::from_u128(2), later),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            check(&token, post, at - Duration::seconds(10)),
            Err(TokenError::Invalid),
            "issued in the future"
        );
        let (issued, mac) = token.split_once('.').unwrap();
        let forged = format!("{}.{mac}", issued.parse::<i64>().unwrap() - 3600);
        for bad in ["", "x", "1.2", &forged, &format!("{token}x")] {
            assert_eq!(check(bad, post, later), Err(TokenError::Invalid), "{bad}");
        }
        let other = Secret([8; 32]);
        assert_eq!(
            check_form_token(&other, post, &token, later, min, max),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn client_keys_depend_on_network_post_and_day() {
        let (s, post, day) = (secret(), PostId::from_u128(1), date!(2026 - 11 - 20));
        let ip = |t: &str| t.parse::<IpAddr>().unwrap();
        let key = client_key(&s, ip("10.1.2.3"), post, day);
        assert_eq!(key, client_key(&s, ip("::ffff:10.1.2.3"), post, day));
        assert_ne!(key, client_key(&s, ip("10.1.2.4"), post, day));
        assert_ne!(
            key,
            client_key(&s, ip("10.1.2.3"), PostId::from_u128(2), day)
        );
        assert_ne!(
            key,
            client_key(&s, ip("10.1.2.3"), post, day.next_day().unwrap())
        );
        assert_eq!(
            client_key(&s, ip("2001:db8:1:2::1"), post, day),
            client_key(&s, ip("2001:db8:1:2:ffff::9"), post, day),
            "one /64"
        );
        assert_ne!(
            client_key(&s, ip("2001:db8:1:2::1"), post, day),
            client_key(&s, ip("2001:db8:1:3::1"), post, day)
        );
    }
}
