//! Deciding whether a webhook URL is safe to call, so that configuring a webhook cannot make
//! the server reach its own loopback, the private network or the cloud metadata service (SSRF).
//!
//! The check runs on the resolved addresses, not on the URL's spelling: [`parse_webhook_url`]
//! checks the form, [`resolve_and_check`] resolves the host and classifies every address with
//! [`is_public_ip`]. The caller must connect only to the addresses it returns, so a DNS answer
//! that changes between check and connect (rebinding) cannot slip through.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::{Host, Url};

/// Longest accepted webhook URL, in bytes.
pub const MAX_URL_LEN: usize = 2048;

/// Ends the messages of refused local and private addresses: during development the
/// receiver is often on the same machine, and the message should say how to allow that.
const ALLOW_PRIVATE_HINT: &str =
    " (for development, ORDERPATH_WEBHOOK_ALLOW_PRIVATE=true allows such addresses)";

/// Why a webhook URL is refused. Every variant maps to `UNSAFE_WEBHOOK_URL` or a validation
/// error at the API; the text says which rule failed.
#[derive(Debug, thiserror::Error)]
pub enum UrlError {
    #[error("the URL is longer than {MAX_URL_LEN} bytes")]
    TooLong,
    #[error("the URL is not a valid absolute URL: {0}")]
    Invalid(#[from] url::ParseError),
    #[error("the URL scheme must be http or https, not {0:?}")]
    UnsupportedScheme(String),
    #[error("the URL has no host")]
    MissingHost,
    #[error("the URL must not hold a username or password; use HTTP_BASIC authentication")]
    HasCredentials,
    #[error("the host {host:?} does not resolve: {source}")]
    Unresolvable {
        host: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the host {0:?} resolves to no address")]
    NoAddresses(String),
    #[error("the host {host:?} is or resolves to the non-public address {ip}{hint}", hint = ALLOW_PRIVATE_HINT)]
    NonPublicAddress { host: String, ip: IpAddr },
    #[error("the host {0:?} names the local machine{hint}", hint = ALLOW_PRIVATE_HINT)]
    LocalHostName(String),
}

/// Parses a webhook URL and checks its form: absolute `http`/`https`, with a host, without
/// userinfo, at most [`MAX_URL_LEN`] bytes. Addresses are judged later by [`resolve_and_check`].
///
/// The `url` crate normalises the host: `127.1`, `2130706433`, `0x7f000001` and `0177.0.0.1`
/// all become the IPv4 host `127.0.0.1`, and domains are lower-cased and IDNA-encoded.
pub fn parse_webhook_url(s: &str) -> Result<Url, UrlError> {
    if s.len() > MAX_URL_LEN {
        return Err(UrlError::TooLong);
    }
    let url = Url::parse(s)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UrlError::UnsupportedScheme(url.scheme().to_owned()));
    }
    match url.host() {
        None => return Err(UrlError::MissingHost),
        Some(Host::Domain("")) => return Err(UrlError::MissingHost),
        Some(_) => {}
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlError::HasCredentials);
    }
    if url.as_str().len() > MAX_URL_LEN {
        return Err(UrlError::TooLong);
    }
    Ok(url)
}

/// Resolves the URL's host and returns its socket addresses (port from the URL or the
/// scheme's default), in resolver order without duplicates.
///
/// Unless `allow_private`, it refuses when ANY address is not public per [`is_public_ip`]: a
/// name with one private answer among public ones could still be steered to the private one.
/// Names `localhost` and `*.localhost` (RFC 6761) are refused before resolving. IP-literal
/// hosts need no DNS. The lookup itself has no timeout; wrap the call in one.
pub async fn resolve_and_check(
    url: &Url,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, UrlError> {
    let port = url.port_or_known_default().ok_or(UrlError::MissingHost)?;
    let host = url.host().ok_or(UrlError::MissingHost)?;
    let host_text = host.to_string();
    let mut addrs: Vec<SocketAddr> = match host {
        Host::Ipv4(ip) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Host::Ipv6(ip) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        Host::Domain(name) => {
            if !allow_private && is_localhost_name(name) {
                return Err(UrlError::LocalHostName(name.to_owned()));
            }
            tokio::net::lookup_host((name, port))
                .await
                .map_err(|source| UrlError::Unresolvable {
                    host: host_text.clone(),
                    source,
                })?
                .collect()
        }
    };
    let mut seen = std::collections::HashSet::new();
    addrs.retain(|a| seen.insert(*a));
    if addrs.is_empty() {
        return Err(UrlError::NoAddresses(host_text));
    }
    if !allow_private {
        if let Some(bad) = addrs.iter().find(|a| !is_public_ip(a.ip())) {
            return Err(UrlError::NonPublicAddress {
                host: host_text,
                ip: bad.ip(),
            });
        }
    }
    Ok(addrs)
}

fn is_localhost_name(name: &str) -> bool {
    let name = name.trim_end_matches('.');
    name == "localhost" || name.ends_with(".localhost")
}

/// Whether an address is globally reachable unicast, and so fine to call from the server.
///
/// A deny list for IPv4 (IANA special-purpose registry) and an allow list for IPv6: only
/// global unicast `2000::/3` minus its special blocks passes, plus IPv4-mapped `::ffff:0:0/96`,
/// IPv4-compatible `::/96` and NAT64 `64:ff9b::/96`, which are judged by their embedded IPv4.
/// 6to4 `2002::/16` and Teredo (inside `2001::/23`) are refused outright: both are deprecated
/// tunnels whose embedded addresses cannot be trusted to say where packets end up.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    u32::from(ip) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    const NON_PUBLIC: &[([u8; 4], u32)] = &[
        ([0, 0, 0, 0], 8),       // "this network", includes 0.0.0.0
        ([10, 0, 0, 0], 8),      // private
        ([100, 64, 0, 0], 10),   // carrier-grade NAT
        ([127, 0, 0, 0], 8),     // loopback
        ([169, 254, 0, 0], 16),  // link-local, includes cloud metadata 169.254.169.254
        ([172, 16, 0, 0], 12),   // private
        ([192, 0, 0, 0], 24),    // IETF protocol assignments
        ([192, 0, 2, 0], 24),    // documentation TEST-NET-1
        ([192, 88, 99, 0], 24),  // deprecated 6to4 relay anycast
        ([192, 168, 0, 0], 16),  // private
        ([198, 18, 0, 0], 15),   // benchmarking
        ([198, 51, 100, 0], 24), // documentation TEST-NET-2
        ([203, 0, 113, 0], 24),  // documentation TEST-NET-3
        ([224, 0, 0, 0], 4),     // multicast
        ([240, 0, 0, 0], 4),     // reserved, includes broadcast 255.255.255.255
    ];
    !NON_PUBLIC
        .iter()
        .any(|&(net, prefix)| in_v4(ip, net, prefix))
}

fn in_v6(ip: Ipv6Addr, net: [u16; 8], prefix: u32) -> bool {
    let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    u128::from(ip) & mask == u128::from(Ipv6Addr::from(net)) & mask
}

fn embedded_v4(ip: Ipv6Addr) -> Ipv4Addr {
    Ipv4Addr::from(u128::from(ip) as u32)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if ip.is_unspecified() || ip.is_loopback() {
        return false;
    }
    // Forms that carry an IPv4 address the packet is really bound for.
    const V4_CARRIERS: &[([u16; 8], u32)] = &[
        ([0, 0, 0, 0, 0, 0xffff, 0, 0], 96),    // IPv4-mapped
        ([0, 0, 0, 0, 0, 0, 0, 0], 96),         // IPv4-compatible (deprecated)
        ([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96), // NAT64 well-known prefix
    ];
    if V4_CARRIERS
        .iter()
        .any(|&(net, prefix)| in_v6(ip, net, prefix))
    {
        return is_public_v4(embedded_v4(ip));
    }
    if !in_v6(ip, [0x2000, 0, 0, 0, 0, 0, 0, 0], 3) {
        // Everything else outside global unicast: ULA fc00::/7, link-local fe80::/10,
        // site-local fec0::/10, multicast ff00::/8, discard-only 100::/64, local NAT64
        // 64:ff9b:1::/48, IPv4-translated ::ffff:0:0:0/96, unallocated space.
        return false;
    }
    const NON_PUBLIC: &[([u16; 8], u32)] = &[
        ([0x2001, 0, 0, 0, 0, 0, 0, 0], 23), // IETF protocol assignments, Teredo
        ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), // documentation
        ([0x2002, 0, 0, 0, 0, 0, 0, 0], 16), // 6to4
        ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20), // documentation (RFC 9637)
    ];
    !NON_PUBLIC
        .iter()
        .any(|&(net, prefix)| in_v6(ip, net, prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that each of `addresses` is public, or that none is.
    fn assert_public(public: bool, addresses: &[&str]) {
        for s in addresses {
            let not = if public { "" } else { "not " };
            assert_eq!(is_public_ip(ip(s)), public, "{s} must {not}be public");
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip literal")
    }

    #[test]
    fn classifies_ipv4() {
        assert_public(
            false,
            &[
                "0.0.0.0",
                "0.1.2.3",
                "10.1.2.3",
                "100.64.0.1",
                "100.127.255.254",
                "127.0.0.1",
                "127.255.255.255",
                "169.254.169.254",
                "172.16.0.1",
                "172.31.255.255",
                "192.0.0.8",
                "192.0.2.1",
                "192.88.99.1",
                "192.168.1.1",
                "198.18.0.1",
                "198.19.255.255",
                "198.51.100.7",
                "203.0.113.9",
                "224.0.0.1",
                "239.255.255.250",
                "240.0.0.1",
                "255.255.255.255",
            ],
        );
        assert_public(
            true,
            &[
                "1.1.1.1",
                "8.8.8.8",
                "93.184.216.34",
                "100.63.255.255",
                "100.128.0.0",
                "172.15.255.255",
                "172.32.0.0",
                "169.253.0.1",
                "198.17.255.255",
                "198.20.0.0",
                "223.255.255.255",
                "192.0.1.1",
            ],
        );
    }

    #[test]
    fn classifies_ipv6() {
        assert_public(
            false,
            &[
                "::",
                "::1",
                "fc00::1",
                "fd12:3456::1",
                "fe80::1",
                "febf::1",
                "fec0::1",
                "ff02::1",
                "ff0e::1",
                "100::1",
                "64:ff9b:1::1",
                "2001::1",
                "2001:0:4136:e378::1",
                "2001:db8::1",
                "2002:808:808::1",
                "2002:7f00:1::1",
                "3fff::1",
                "::ffff:0:7f00:1",
                "4000::1",
                "5f00::1",
            ],
        );
        assert_public(
            true,
            &[
                "2606:4700:4700::1111",
                "2001:4860:4860::8888",
                "2a00:1450:4001::1",
            ],
        );
    }

    #[test]
    fn judges_embedded_ipv4_by_the_ipv4() {
        assert_public(
            false,
            &[
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "::ffff:169.254.169.254",
                "::127.0.0.1",
                "::0.0.0.2",
                "64:ff9b::127.0.0.1",
                "64:ff9b::a9fe:a9fe",
                "64:ff9b::192.168.0.1",
            ],
        );
        assert_public(true, &["::ffff:8.8.8.8", "::8.8.8.8", "64:ff9b::808:808"]);
    }

    #[test]
    fn parses_only_plain_http_urls() {
        assert!(parse_webhook_url("https://hooks.example.com/in?x=1").is_ok());
        assert!(parse_webhook_url("http://93.184.216.34:8080/").is_ok());
        assert!(matches!(
            parse_webhook_url("/relative"),
            Err(UrlError::Invalid(_))
        ));
        assert!(matches!(
            parse_webhook_url("not a url"),
            Err(UrlError::Invalid(_))
        ));
        assert!(matches!(
            parse_webhook_url("http://"),
            Err(UrlError::Invalid(_))
        ));
        for s in [
            "ftp://example.com/",
            "file:///etc/passwd",
            "gopher://x/",
            "javascript:1",
        ] {
            assert!(
                matches!(parse_webhook_url(s), Err(UrlError::UnsupportedScheme(_))),
                "{s}"
            );
        }
        for s in [
            "https://user:pw@example.com/",
            "https://user@example.com/",
            "http://:pw@x.io/",
        ] {
            assert!(
                matches!(parse_webhook_url(s), Err(UrlError::HasCredentials)),
                "{s}"
            );
        }
    }

    #[test]
    fn limits_the_length() {
        let base = "https://example.com/";
        let ok = format!("{base}{}", "a".repeat(MAX_URL_LEN - base.len()));
        assert!(parse_webhook_url(&ok).is_ok());
        let long = format!("{ok}a");
        assert!(matches!(parse_webhook_url(&long), Err(UrlError::TooLong)));
    }

    async fn check(s: &str, allow_private: bool) -> Result<Vec<SocketAddr>, UrlError> {
        resolve_and_check(&parse_webhook_url(s)?, allow_private).await
    }

    #[tokio::test]
    async fn refuses_tricky_spellings_of_local_addresses() {
        for s in [
            "http://localhost/",
            "http://LOCALHOST./",
            "http://api.localhost/",
            "http://127.1/",
            "http://0.0.0.0/",
            "http://0/",
            "http://[::1]/",
            "http://[::]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0177.0.0.1/",
            "http://0x7f.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/",
            "http://10.0.0.1:8080/",
            "https://192.168.0.1/",
        ] {
            match check(s, false).await {
                Err(UrlError::NonPublicAddress { .. } | UrlError::LocalHostName(_)) => {}
                other => panic!("{s} must be refused, got {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn refusals_of_local_addresses_name_the_setting_that_allows_them() {
        for s in ["http://127.0.0.1:9000/hook", "http://localhost:9000/hook"] {
            let refused = check(s, false).await.expect_err("refused");
            assert!(
                refused
                    .to_string()
                    .contains("ORDERPATH_WEBHOOK_ALLOW_PRIVATE=true"),
                "{s}: {refused}"
            );
        }
    }

    #[tokio::test]
    async fn numeric_ipv4_spellings_mean_loopback() {
        for s in [
            "http://127.1/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0177.0.0.1/",
        ] {
            match check(s, false).await {
                Err(UrlError::NonPublicAddress { ip, .. }) => {
                    assert_eq!(ip, IpAddr::V4(Ipv4Addr::LOCALHOST), "{s}");
                }
                other => panic!("{s} must be refused as loopback, got {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn localhost_resolves_to_loopback() {
        // Through the system resolver (/etc/hosts), not the name rule.
        let addrs = check("http://localhost:9000/", true)
            .await
            .expect("resolves");
        assert!(addrs
            .iter()
            .all(|a| a.ip().is_loopback() && a.port() == 9000));
    }

    #[tokio::test]
    async fn allow_private_lets_local_addresses_through() {
        let addrs = check("http://127.1:9000/hook", true)
            .await
            .expect("allowed");
        assert_eq!(addrs, vec!["127.0.0.1:9000".parse().expect("addr")]);
        let addrs = check("https://[::1]/", true).await.expect("allowed");
        assert_eq!(addrs, vec!["[::1]:443".parse().expect("addr")]);
    }

    #[tokio::test]
    async fn public_literals_pass_with_their_port() {
        let addrs = check("http://93.184.216.34/", false).await.expect("public");
        assert_eq!(addrs, vec!["93.184.216.34:80".parse().expect("addr")]);
        let addrs = check("https://[2606:4700:4700::1111]:8443/", false)
            .await
            .expect("public");
        assert_eq!(
            addrs,
            vec!["[2606:4700:4700::1111]:8443".parse().expect("addr")]
        );
    }
}
