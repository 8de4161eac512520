//! Where a message's meeting happened. The provider's own word wins (a channel key
//! in `context.channel`); then the campaign that brought the person; then the site
//! they came from, when it is one the provider does not control (a forum, a review
//! or comparison site, social media, a marketplace); then the app or the web.

use super::message::Call;
use super::message::Message;
use serde_json::Value;

/// A kind of site the provider does not control, named by a built-in channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Forum,
    SocialMedia,
    ReviewSite,
    ComparisonSite,
    Marketplace,
}

impl Site {
    pub fn channel(self) -> &'static str {
        match self {
            Site::Forum => "forum",
            Site::SocialMedia => "social_media",
            Site::ReviewSite => "review_site",
            Site::ComparisonSite => "comparison_site",
            Site::Marketplace => "marketplace",
        }
    }
}

/// Sites by the name in their domain (any country's domain: `tripadvisor.se`,
/// `tripadvisor.co.uk`), the Swedish ones people here meet providers on included.
const SITES: &[(&str, Site)] = &[
    ("reddit", Site::Forum),
    ("flashback", Site::Forum),
    ("familjeliv", Site::Forum),
    ("quora", Site::Forum),
    ("stackexchange", Site::Forum),
    ("discord", Site::Forum),
    ("facebook", Site::SocialMedia),
    ("instagram", Site::SocialMedia),
    ("tiktok", Site::SocialMedia),
    ("twitter", Site::SocialMedia),
    ("linkedin", Site::SocialMedia),
    ("youtube", Site::SocialMedia),
    ("pinterest", Site::SocialMedia),
    ("snapchat", Site::SocialMedia),
    ("threads", Site::SocialMedia),
    ("bsky", Site::SocialMedia),
    ("mastodon", Site::SocialMedia),
    ("trustpilot", Site::ReviewSite),
    ("tripadvisor", Site::ReviewSite),
    ("yelp", Site::ReviewSite),
    ("reco", Site::ReviewSite),
    ("thefork", Site::ReviewSite),
    ("prisjakt", Site::ComparisonSite),
    ("pricerunner", Site::ComparisonSite),
    ("compricer", Site::ComparisonSite),
    ("kelkoo", Site::ComparisonSite),
    ("booking", Site::ComparisonSite),
    ("hotels", Site::ComparisonSite),
    ("blocket", Site::Marketplace),
    ("tradera", Site::Marketplace),
    ("amazon", Site::Marketplace),
    ("ebay", Site::Marketplace),
    ("etsy", Site::Marketplace),
];

/// Hosts too short to find by name alone.
const HOSTS: &[(&str, Site)] = &[
    ("x.com", Site::SocialMedia),
    ("t.co", Site::SocialMedia),
    ("fb.com", Site::SocialMedia),
    ("youtu.be", Site::SocialMedia),
    ("lnkd.in", Site::SocialMedia),
];

/// The host of a URL (or of a bare host name), lower-cased, without `www.`.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then(|| host.trim_start_matches("www.").to_string())
}

/// Second-level labels under which a country's domains are registered (`co.uk`).
const SECOND_LEVEL: &[&str] = &["co", "com", "org", "net", "ac", "gov", "edu"];

/// The kind of site a URL or host belongs to, when it is one the provider does not
/// control: matched on the name the domain is registered under, so
/// `sv.tripadvisor.co.uk` and `old.reddit.com` are found, while `reddit-fan.shop` and
/// a provider's own `booking.kafe.se` are not.
pub fn site_of(url: &str) -> Option<Site> {
    let host = host(url)?;
    if let Some(&(_, site)) = HOSTS
        .iter()
        .find(|(h, _)| host == *h || host.ends_with(&format!(".{h}")))
    {
        return Some(site);
    }
    let mut labels = host.rsplit('.').skip(1);
    let mut name = labels.next()?;
    if SECOND_LEVEL.contains(&name) {
        name = labels.next()?;
    }
    site_named(name)
}

fn site_named(name: &str) -> Option<Site> {
    SITES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, site)| site)
}

/// The channel a campaign's medium or source names (`utm_medium=email`,
/// `utm_source=facebook`).
fn campaign_channel(m: &Message) -> Option<&'static str> {
    let campaign = m.context("campaign")?;
    let field = |k: &str| {
        campaign
            .get(k)
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
    };
    let by_medium = field("medium").and_then(|medium| match medium.as_str() {
        "email" | "e-mail" | "newsletter" => Some("email"),
        "sms" | "text" => Some("sms"),
        "social" | "social-media" | "social_media" | "paid_social" | "paid-social" => {
            Some("social_media")
        }
        _ => None,
    });
    // A source is a bare name (`utm_source=facebook`) or a host.
    let by_source = field("source").and_then(|s| site_named(&s).or_else(|| site_of(&s)));
    by_medium.or_else(|| by_source.map(Site::channel))
}

/// The site the person came from, when it is not the provider's own page.
fn referrer_site(m: &Message) -> Option<Site> {
    let page = m.context("page");
    let referrer = page
        .and_then(|p| p.get("referrer"))
        .or_else(|| {
            m.context("referrer")
                .and_then(|r| r.get("url").or(r.get("link")))
        })
        .or_else(|| m.value("properties").and_then(|p| p.get("referrer")))
        .and_then(Value::as_str)?;
    site_of(referrer)
}

/// The channel of one message. `known` says whether the provider has a channel key
/// (built in or its own); `default` is the provider's channel for messages that say
/// nothing of where they come from (a server's own calls).
pub(super) fn choose(
    m: &Message,
    call: Call,
    known: impl Fn(&str) -> bool,
    default: &str,
) -> String {
    let said = m
        .value("context")
        .and_then(|c| c.get("channel"))
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    if let Some(key) = said.as_deref().filter(|k| known(k)) {
        return key.to_string();
    }
    if let Some(channel) = campaign_channel(m) {
        return channel.to_string();
    }
    if let Some(site) = referrer_site(m) {
        return site.channel().to_string();
    }
    let app =
        call == Call::Screen || said.as_deref() == Some("mobile") || m.context("app").is_some();
    let web =
        call == Call::Page || said.as_deref() == Some("browser") || m.context("page").is_some();
    match (app, web) {
        (_, true) if call != Call::Screen => "web".into(),
        (true, _) => "app".into(),
        _ => default.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn channel_of(call: Call, v: Value) -> String {
        let map = v.as_object().unwrap().clone();
        choose(
            &Message(&map),
            call,
            |k| k == "till" || crate::channel::builtin(k).is_some(),
            "web",
        )
    }

    #[test]
    fn sites_are_found_by_name_in_any_country_and_not_by_lookalikes() {
        assert_eq!(
            site_of("https://old.reddit.com/r/sweden"),
            Some(Site::Forum)
        );
        assert_eq!(
            site_of("https://www.tripadvisor.co.uk/x"),
            Some(Site::ReviewSite)
        );
        assert_eq!(
            site_of("https://www.prisjakt.nu/produkt"),
            Some(Site::ComparisonSite)
        );
        assert_eq!(site_of("https://x.com/kafe"), Some(Site::SocialMedia));
        assert_eq!(
            site_of("https://user:pw@m.facebook.com:443/p"),
            Some(Site::SocialMedia)
        );
        assert_eq!(site_of("https://reddit-fan.shop/"), None);
        assert_eq!(site_of("https://box.com/"), None);
        assert_eq!(site_of("https://kanelbullen.se/meny"), None);
        assert_eq!(site_of("https://booking.kanelbullen.se/"), None);
        assert_eq!(
            site_of("https://www.booking.com/hotel"),
            Some(Site::ComparisonSite)
        );
        assert_eq!(site_of(""), None);
    }

    #[test]
    fn the_providers_word_then_campaign_then_referrer_then_app_or_web() {
        let from_forum = json!({"context": {"page": {"url": "https://kafe.se/", "referrer": "https://www.flashback.org/t123"}}});
        assert_eq!(channel_of(Call::Page, from_forum.clone()), "forum");
        let mut told = from_forum.clone();
        told["context"]["channel"] = json!("till");
        assert_eq!(channel_of(Call::Page, told), "till");
        // Segment's own words for where the SDK runs are not channel keys.
        let mut browser = from_forum;
        browser["context"]["channel"] = json!("browser");
        browser["context"]["campaign"] = json!({"medium": "email", "source": "nyhetsbrev"});
        assert_eq!(channel_of(Call::Page, browser), "email");
        let ad = json!({"context": {"campaign": {"source": "instagram", "medium": "cpc"}}});
        assert_eq!(channel_of(Call::Track, ad), "social_media");
        let internal = json!({"context": {"page": {"referrer": "https://kafe.se/meny"}}});
        assert_eq!(channel_of(Call::Track, internal), "web");
        let app = json!({"context": {"app": {"name": "Kanelbullen", "version": "2.1"}}});
        assert_eq!(channel_of(Call::Track, app.clone()), "app");
        assert_eq!(channel_of(Call::Screen, json!({})), "app");
        assert_eq!(
            channel_of(
                Call::Track,
                json!({"context": {"library": {"name": "analytics-python"}}})
            ),
            "web"
        );
        let map = json!({}).as_object().unwrap().clone();
        assert_eq!(
            choose(&Message(&map), Call::Track, |_| true, "store"),
            "store"
        );
    }
}
