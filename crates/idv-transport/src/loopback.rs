//! Which hosts and addresses count as loopback: the only ones plain `http://` may reach.

use std::net::{IpAddr, Ipv6Addr};

/// Whether `host` (as it appears in a URI: IPv6 in brackets or not) may be reached over plain
/// `http://`: a loopback IP literal (`127.0.0.0/8`, `::1`, IPv4-mapped `::ffff:127.x.y.z`) or
/// exactly the name `localhost` (any case).
///
/// `localhost.` (with the trailing dot of a fully qualified name) and other names are refused:
/// they are looked up through DNS, which could answer with any address. A transport that
/// resolves `localhost` must still check that every address it gets is loopback
/// ([`is_loopback_ip`]).
///
/// ```
/// use idv_transport::is_loopback_host;
///
/// assert!(is_loopback_host("127.0.0.1"));
/// assert!(is_loopback_host("[::1]"));
/// assert!(is_loopback_host("localhost"));
/// assert!(!is_loopback_host("localhost."));
/// assert!(!is_loopback_host("api.yoti.com"));
/// assert!(!is_loopback_host("127.0.0.1.nip.io"));
/// ```
pub fn is_loopback_host(host: &str) -> bool {
    if let Some(bracketed) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        // Only IPv6 addresses are written in brackets.
        return bracketed
            .parse::<Ipv6Addr>()
            .is_ok_and(|ip| is_loopback_ip(IpAddr::V6(ip)));
    }
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(is_loopback_ip)
}

/// Whether `ip` is a loopback address: `127.0.0.0/8`, `::1`, or an IPv4-mapped
/// `::ffff:127.x.y.z`.
///
/// ```
/// use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
/// use idv_transport::is_loopback_ip;
///
/// assert!(is_loopback_ip(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 53))));
/// assert!(is_loopback_ip(IpAddr::V6(Ipv6Addr::LOCALHOST)));
/// assert!(!is_loopback_ip(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))));
/// ```
pub fn is_loopback_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => ip.is_loopback(),
        IpAddr::V6(ip) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use proptest::prelude::*;

    use super::is_loopback_host;

    #[test]
    fn loopback_hosts() {
        for h in [
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "::1",
            "localhost",
            "LocalHost",
            "[::ffff:127.0.0.1]",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "10.0.0.1",
            "api.yoti.com",
            "127.0.0.1.nip.io",
            "localhost.evil.com",
            "[::2]",
            "0.0.0.0",
            "",
            "[127.0.0.1]",
            // Fully qualified names go through DNS.
            "localhost.",
            "LOCALHOST.",
            "localhost..",
            // Not literals Rust (or a URI) reads as 127.0.0.1: they would be looked up.
            "127.1",
            "0x7f.0.0.1",
            "2130706433",
            "localhost:80",
            " localhost",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    fn config() -> ProptestConfig {
        ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(256),
        )
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn prop_ipv4_loopback_iff_127(octets in any::<[u8; 4]>()) {
            let ip = Ipv4Addr::from(octets);
            prop_assert_eq!(is_loopback_host(&ip.to_string()), octets[0] == 127);
        }

        #[test]
        fn prop_ipv6_loopback_only_for_1(segments in any::<[u16; 8]>()) {
            let ip = Ipv6Addr::from(segments);
            let expected = segments == [0, 0, 0, 0, 0, 0, 0, 1]
                || (segments[..5] == [0; 5] && segments[5] == 0xffff && segments[6] >> 8 == 127);
            prop_assert_eq!(is_loopback_host(&format!("[{ip}]")), expected);
        }

        #[test]
        fn prop_names_are_not_loopback(name in "[a-zA-Z][a-zA-Z0-9-]{0,20}(\\.[a-z]{2,5}){0,2}\\.?") {
            prop_assume!(!name.eq_ignore_ascii_case("localhost"));
            prop_assert!(!is_loopback_host(&name));
        }
    }
}
