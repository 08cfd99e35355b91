//! Which addresses webhooks may reach. A subscription is made by any signed-in user, so without a
//! limit the server could be told to post to itself, to services on its own network or to a cloud
//! metadata endpoint. By default a webhook may only reach public addresses: a literal address in the
//! URL is checked when the subscription is made and again at delivery, and host names are resolved
//! by [`PublicOnly`], which drops every address that is not public, so a name that points inside
//! (or is changed to do so later) gets no connection. `mandat serve --webhook-allow-private` lifts
//! the limit for servers whose receivers live on their own network.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether `ip` is an address on the public internet: not loopback, unspecified, private,
/// shared (carrier-grade NAT), link-local, unique-local, multicast, broadcast, documentation or
/// benchmarking space; an IPv4 address mapped into IPv6 is judged as IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || ip.is_unique_local()
        || ip.is_unicast_link_local()
        // documentation (2001:db8::/32) and the IPv4/IPv6 translation prefix 64:ff9b::/96
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        || (first == 0x0064 && ip.segments()[1] == 0xff9b))
}

/// Checks the host of a webhook URL that is written as an address (or is `localhost`): `Err`
/// names why it may not be reached. Host names are checked when they are resolved.
pub fn check_target(url: &reqwest::Url, allow_private: bool) -> Result<(), String> {
    if allow_private {
        return Ok(());
    }
    let refuse = |what: &str| {
        Err(format!(
            "{what} is not a public address; this server sends webhooks to public addresses only \
             (mandat serve --webhook-allow-private lifts that)"
        ))
    };
    let Some(host) = url.host_str() else {
        return Ok(());
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return if is_public(ip) { Ok(()) } else { refuse(bare) };
    }
    let lower = host.to_ascii_lowercase();
    if lower == "localhost" || lower.ends_with(".localhost") {
        return refuse(host);
    }
    Ok(())
}

/// A resolver that answers only with public addresses (the system's resolver, filtered).
#[derive(Debug, Default, Clone, Copy)]
pub struct PublicOnly;

impl PublicOnly {
    /// The public addresses among those `host` resolves to; an error when there are none.
    pub async fn lookup(host: &str) -> Result<Vec<SocketAddr>, std::io::Error> {
        let all: Vec<SocketAddr> = tokio::net::lookup_host((host, 0)).await?.collect();
        let public: Vec<SocketAddr> = all.into_iter().filter(|a| is_public(a.ip())).collect();
        if public.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!(
                    "{host} resolves to no public address; this server sends webhooks to public \
                     addresses only (mandat serve --webhook-allow-private lifts that)"
                ),
            ));
        }
        Ok(public)
    }
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = PublicOnly::lookup(&host).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_and_inner_addresses() {
        for public in [
            "93.184.215.14",
            "8.8.8.8",
            "2a00:1450:4001:82a::200e",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
        for inner in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "2001:db8::1",
        ] {
            assert!(!is_public(inner.parse().unwrap()), "{inner}");
        }
    }

    #[test]
    fn literal_targets_are_checked_unless_allowed() {
        let url = |s: &str| reqwest::Url::parse(s).unwrap();
        for inner in [
            "http://127.0.0.1:9000/",
            "http://[::1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost:8080/",
            "http://api.localhost/",
            "http://10.0.0.5/",
        ] {
            assert!(check_target(&url(inner), false).is_err(), "{inner}");
            assert!(check_target(&url(inner), true).is_ok(), "{inner}");
        }
        assert!(check_target(&url("https://example.org/hook"), false).is_ok());
        assert!(check_target(&url("https://93.184.215.14/hook"), false).is_ok());
    }

    #[tokio::test]
    async fn names_resolving_inside_get_no_address() {
        let err = PublicOnly::lookup("localhost").await.unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
        assert!(err.to_string().contains("no public address"));
    }
}
