//! The device fields of a tracked-device event, read from the request that caused it: the
//! peer's IP address, and what the `User-Agent` and `Accept-Language` headers tell (browser,
//! operating system, maker and model, locale).
//!
//! A best-effort reading of common browser user agents, not a full parser: what is not
//! recognised is left out. Every value is cut to [`MAX_FIELD`] characters.

use std::net::IpAddr;

use http::HeaderMap;
use idv_model::TrackedDevice;

/// The longest value kept in a device field, in characters.
pub(crate) const MAX_FIELD: usize = 64;

/// The device that sent a request.
pub(crate) fn device_from_request(headers: &HeaderMap, peer: Option<IpAddr>) -> TrackedDevice {
    let mut device = TrackedDevice::default();
    device.ip_address = peer.map(|ip| ip.to_canonical().to_string());
    let header = |name: http::header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    if let Some(agent) = header(http::header::USER_AGENT) {
        let parsed = parse_user_agent(agent);
        device.browser_name = parsed.browser.map(|(name, _)| cut(name));
        device.browser_version = parsed.browser.map(|(_, version)| cut(version));
        device.os_name = parsed.os_name.map(cut);
        device.os_version = parsed.os_version.as_deref().map(cut);
        device.manufacture_name = parsed.maker.map(cut);
        device.model_name = parsed.model.map(cut);
    }
    device.locale = header(http::header::ACCEPT_LANGUAGE).and_then(locale);
    device
}

fn cut(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_FIELD)
        .collect()
}

/// The first language tag of an `Accept-Language` value (`en-GB,en;q=0.9` → `en-GB`).
fn locale(value: &str) -> Option<String> {
    let first = value.split(',').next()?.split(';').next()?.trim();
    let valid = !first.is_empty()
        && first != "*"
        && first.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then(|| cut(first))
}

/// What a user agent says.
#[derive(Debug, Default, PartialEq, Eq)]
struct UserAgent<'a> {
    browser: Option<(&'a str, &'a str)>,
    os_name: Option<&'a str>,
    os_version: Option<String>,
    maker: Option<&'a str>,
    model: Option<&'a str>,
}

/// The version that follows `token` (`Chrome/120.0.1` → `120.0.1`).
fn version_after<'a>(agent: &'a str, token: &str) -> Option<&'a str> {
    let start = agent.find(token)? + token.len();
    let rest = &agent[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn parse_user_agent(agent: &str) -> UserAgent<'_> {
    let mut out = UserAgent::default();
    // Browsers, most specific first (Edge and Opera also say Chrome; Chrome also says Safari).
    let browsers = [
        ("Edg/", "Edge"),
        ("EdgiOS/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
    ];
    out.browser = browsers
        .iter()
        .find_map(|(token, name)| version_after(agent, token).map(|v| (*name, v)));
    if out.browser.is_none() && agent.contains("Safari/") {
        out.browser = version_after(agent, "Version/").map(|v| ("Safari", v));
    }
    if out.browser.is_none() && !agent.starts_with("Mozilla/") {
        // A non-browser client: `curl/8.5.0`, `idv-rs/0.1.0 (…)`.
        out.browser = agent.split_whitespace().next().and_then(|product| {
            let (name, version) = product.split_once('/')?;
            (!name.is_empty() && !version.is_empty()).then_some((name, version))
        });
    }

    if agent.contains("iPhone") || agent.contains("iPad") {
        out.os_name = Some("iOS");
        out.os_version = version_after(agent, "OS ").map(|v| v.replace('_', "."));
        out.maker = Some("Apple");
        out.model = Some(if agent.contains("iPad") {
            "iPad"
        } else {
            "iPhone"
        });
    } else if let Some(version) = version_after(agent, "Android ") {
        out.os_name = Some("Android");
        out.os_version = Some(version.to_owned());
        out.model = android_model(agent);
        out.maker = out.model.and_then(android_maker);
    } else if let Some(version) = version_after(agent, "Windows NT ") {
        out.os_name = Some("Windows");
        out.os_version = Some(
            match version {
                "10.0" => "10",
                "6.3" => "8.1",
                "6.2" => "8",
                "6.1" => "7",
                other => other,
            }
            .to_owned(),
        );
    } else if agent.contains("Mac OS X") {
        out.os_name = Some("macOS");
        out.os_version = version_after(agent, "Mac OS X ").map(|v| v.replace('_', "."));
        out.maker = Some("Apple");
        out.model = Some("Mac");
    } else if agent.contains("CrOS") {
        out.os_name = Some("ChromeOS");
    } else if agent.contains("Linux") {
        out.os_name = Some("Linux");
    }
    out
}

/// The model an Android user agent names: the part of the platform comment after the Android
/// version and before ` Build/` (`Linux; Android 14; Pixel 8)` → `Pixel 8`). Recent Chrome
/// sends `K` instead of the model, which names nothing.
fn android_model(agent: &str) -> Option<&str> {
    let comment = agent.split_once('(')?.1.split_once(')')?.0;
    let part = comment
        .split(';')
        .map(str::trim)
        .skip_while(|p| !p.starts_with("Android"))
        .nth(1)?;
    let model = part.split(" Build/").next()?.trim();
    (!model.is_empty() && model != "K" && !model.starts_with("wv")).then_some(model)
}

fn android_maker(model: &str) -> Option<&'static str> {
    let prefixes = [
        ("SM-", "Samsung"),
        ("Pixel", "Google"),
        ("Nexus", "Google"),
        ("moto", "Motorola"),
        ("Redmi", "Xiaomi"),
        ("M2", "Xiaomi"),
        ("ONEPLUS", "OnePlus"),
        ("CPH", "OPPO"),
        ("HUAWEI", "Huawei"),
    ];
    prefixes
        .iter()
        .find(|(prefix, _)| model.starts_with(prefix))
        .map(|(_, maker)| *maker)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(agent: &str, language: Option<&str>) -> TrackedDevice {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::USER_AGENT, agent.parse().expect("header"));
        if let Some(language) = language {
            headers.insert(
                http::header::ACCEPT_LANGUAGE,
                language.parse().expect("header"),
            );
        }
        device_from_request(&headers, Some("127.0.0.1".parse().expect("ip")))
    }

    fn fields(d: &TrackedDevice) -> [Option<&str>; 6] {
        [
            d.browser_name.as_deref(),
            d.browser_version.as_deref(),
            d.os_name.as_deref(),
            d.os_version.as_deref(),
            d.manufacture_name.as_deref(),
            d.model_name.as_deref(),
        ]
    }

    #[test]
    fn desktop_and_mobile_browsers() {
        let chrome_windows = device(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/120.0.6099.109 Safari/537.36",
            Some("en-GB,en;q=0.9"),
        );
        assert_eq!(
            fields(&chrome_windows),
            [
                Some("Chrome"),
                Some("120.0.6099.109"),
                Some("Windows"),
                Some("10"),
                None,
                None
            ]
        );
        assert_eq!(chrome_windows.locale.as_deref(), Some("en-GB"));
        assert_eq!(chrome_windows.ip_address.as_deref(), Some("127.0.0.1"));

        let safari_iphone = device(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
            Some("fr-FR"),
        );
        assert_eq!(
            fields(&safari_iphone),
            [
                Some("Safari"),
                Some("17.1.2"),
                Some("iOS"),
                Some("17.1.2"),
                Some("Apple"),
                Some("iPhone")
            ]
        );

        let samsung = device(
            "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) \
             SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
            None,
        );
        assert_eq!(
            fields(&samsung),
            [
                Some("Samsung Internet"),
                Some("23.0"),
                Some("Android"),
                Some("13"),
                Some("Samsung"),
                Some("SM-S911B")
            ]
        );
        assert_eq!(samsung.locale, None);

        let firefox_mac = device(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
            Some("de"),
        );
        assert_eq!(
            fields(&firefox_mac),
            [
                Some("Firefox"),
                Some("121.0"),
                Some("macOS"),
                Some("10.15"),
                Some("Apple"),
                Some("Mac")
            ]
        );
        let edge = device(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
            None,
        );
        assert_eq!(edge.browser_name.as_deref(), Some("Edge"));
    }

    #[test]
    fn other_clients_and_hostile_values() {
        let curl = device("curl/8.5.0", Some("*"));
        assert_eq!(
            fields(&curl),
            [Some("curl"), Some("8.5.0"), None, None, None, None]
        );
        assert_eq!(curl.locale, None);

        let long = format!("x/{}", "9".repeat(10_000));
        let d = device(&long, Some(&"a".repeat(500)));
        assert_eq!(d.browser_version.as_deref().map(str::len), Some(MAX_FIELD));
        assert_eq!(d.locale.as_deref().map(str::len), Some(MAX_FIELD));

        let empty = device_from_request(&HeaderMap::new(), None);
        assert_eq!(empty, TrackedDevice::default());
        let v6 = device_from_request(&HeaderMap::new(), Some("::ffff:10.0.0.1".parse().unwrap()));
        assert_eq!(v6.ip_address.as_deref(), Some("10.0.0.1"));
    }
}
