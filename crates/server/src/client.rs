//! Who is calling: the client's address and whether it came over HTTPS. Behind a
//! reverse proxy the connection comes from the proxy, so the forwarded headers are
//! believed only when the connection comes from an address the operator trusts.

use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The addresses of reverse proxies whose `X-Forwarded-For` and
/// `X-Forwarded-Proto` headers tell the client's address and scheme.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpAddr>);

impl TrustedProxies {
    pub fn new(addresses: Vec<IpAddr>) -> Self {
        TrustedProxies(addresses)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip.to_canonical())
    }

    /// The client behind `peer`, the address the connection came from.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> Client {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return Client {
                ip: peer,
                https: false,
            };
        }
        // Each proxy appends the address it was called from; read from the right and
        // stop at the first hop no trusted proxy vouches for. A hop that is no address
        // ends the walk there: what stands left of it was written by the client.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut ip = peer;
        for hop in hops.iter().rev() {
            let Ok(hop) = hop.parse::<IpAddr>() else {
                break;
            };
            ip = hop.to_canonical();
            if !self.trusts(ip) {
                break;
            }
        }
        // The proxy appends its own value last; earlier ones may come from the client.
        let https = headers
            .get_all("x-forwarded-proto")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
        Client { ip, https }
    }
}

/// The client of a request, as far as the trusted proxies let us know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    /// The client reached us over HTTPS (through a trusted proxy that terminates TLS).
    pub https: bool,
}

impl Client {
    /// The address limits count attempts by. One IPv6 subscriber is usually given a
    /// whole /64, so those count as one.
    pub fn limited_as(&self) -> IpAddr {
        match self.ip {
            IpAddr::V6(v6) => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(prefix.into())
            }
            v4 => v4,
        }
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        // Served without connection info (a router driven in-process): no address.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(state.proxies.client(peer, &parts.headers))
    }
}

/// This server's address as the client reached it, such as `https://kafe.example`:
/// the Host header (only a plain host name or address with a port), and https when
/// a trusted proxy says so. None without a usable Host header.
#[derive(Debug, Clone)]
pub struct PublicOrigin(pub Option<String>);

impl PublicOrigin {
    /// The origin links in e-mail lead to: the configured one, else this one.
    pub fn for_mail(self, state: &crate::state::AppState) -> Option<String> {
        state.public_origin.clone().or(self.0)
    }

    /// The survey's public page on this origin.
    pub fn survey_link(&self, survey: &str) -> Option<String> {
        self.0.as_ref().map(|origin| format!("{origin}/s/{survey}"))
    }
}

fn plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

impl FromRequestParts<AppState> for PublicOrigin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let Ok(client) = Client::from_request_parts(parts, state).await;
        let host = parts
            .headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| plain_host(h));
        let scheme = if client.https { "https" } else { "http" };
        Ok(PublicOrigin(host.map(|h| format!("{scheme}://{h}"))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let proxies = TrustedProxies::new(vec![proxy]);
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9, 198.51.100.7"),
            ("x-forwarded-proto", "https"),
        ]);
        let stranger: IpAddr = "192.0.2.44".parse().unwrap();
        assert_eq!(
            proxies.client(stranger, &h),
            Client {
                ip: stranger,
                https: false
            },
            "anyone can write these headers"
        );
        assert_eq!(
            proxies.client(proxy, &h),
            Client {
                ip: "198.51.100.7".parse().unwrap(),
                https: true
            },
            "the rightmost hop the proxy saw, not what the client claimed before it"
        );
    }

    #[test]
    fn a_hop_that_is_no_address_ends_the_walk() {
        let proxies = TrustedProxies::new(vec!["10.0.0.1".parse().unwrap()]);
        let h = headers(&[("x-forwarded-for", "203.0.113.9, unknown, 10.0.0.1")]);
        let client = proxies.client("10.0.0.1".parse().unwrap(), &h);
        assert_eq!(
            client.ip,
            "10.0.0.1".parse::<IpAddr>().unwrap(),
            "not the address the client wrote left of the unreadable hop"
        );
        let h = headers(&[("x-forwarded-proto", "https, http")]);
        assert!(
            !proxies.client("10.0.0.1".parse().unwrap(), &h).https,
            "the proxy's own value is the last"
        );
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64_block() {
        let client = |ip: &str| Client {
            ip: ip.parse().unwrap(),
            https: false,
        };
        assert_eq!(
            client("2001:db8:1:2:aaaa::1").limited_as(),
            client("2001:db8:1:2:bbbb::9").limited_as()
        );
        assert_ne!(
            client("2001:db8:1:2::1").limited_as(),
            client("2001:db8:1:3::1").limited_as()
        );
        assert_eq!(client("192.0.2.1").limited_as(), client("192.0.2.1").ip);
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_to_the_client() {
        let proxies = TrustedProxies::new(vec![
            "10.0.0.1".parse().unwrap(),
            "10.0.0.2".parse().unwrap(),
        ]);
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-for", "10.0.0.2"),
        ]);
        let client = proxies.client("::ffff:10.0.0.1".parse().unwrap(), &h);
        assert_eq!(client.ip, "203.0.113.9".parse::<IpAddr>().unwrap());
        assert!(!client.https);
    }
}
