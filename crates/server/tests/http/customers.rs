//! Finding a customer: the list's search read as identifiers are, its pages, its
//! tenancy and languages; and a profile's story with its properties, paged.

use super::ui::Browser;
use super::{App, spawn_app};
use motesplats_core::{Identifier, IdentifierKind, NewProfile, ProfileId, ProviderId};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn provider_id(app: &App, key: &str) -> ProviderId {
    let me: Value = app.get(key, "/providers/me").await.json().await.unwrap();
    me["id"].as_str().unwrap().parse().unwrap()
}

fn profile(name: &str, ids: &[(IdentifierKind, &str)]) -> NewProfile {
    NewProfile {
        id: ProfileId::new(),
        display_name: Some(name.into()),
        identifiers: ids
            .iter()
            .map(|(k, v)| Identifier::parse(*k, v, "SE").unwrap())
            .collect(),
        attributes: Default::default(),
    }
}

/// The names in the customer table of a page, in order.
fn names(page: &str) -> Vec<String> {
    let Some((_, table)) = page.split_once("<table id=\"customers\">") else {
        return Vec::new();
    };
    table
        .split("<a href=\"/profiles/")
        .skip(1)
        .map(|row| {
            let after = row.split_once("<span lang=\"\">").unwrap().1;
            after.split("</span>").next().unwrap().to_string()
        })
        .collect()
}

/// The `href` of the link with this `rel`, unescaped.
fn link(page: &str, rel: &str) -> Option<String> {
    let (_, after) = page.split_once(&format!("rel=\"{rel}\" href=\""))?;
    Some(after.split('"').next().unwrap().replace("&amp;", "&"))
}

struct Cafe {
    app: App,
    kim: Browser,
    asa: ProfileId,
    /// The café's secret key.
    key: String,
}

/// A café with Åsa, Bo and 55 more customers, and a bank that also knows an Åsa by
/// the same e-mail address.
async fn cafe() -> Cafe {
    let app = spawn_app().await;
    let cafe = app.provider("Kafé Kanelbullen").await;
    let bank = app.provider("Banken").await;
    app.user(&cafe, "kim@kafe.example", "hemligt-lösen").await;
    use IdentifierKind::*;
    let mut made = Vec::new();
    for p in [
        profile(
            "Åsa Öberg",
            &[(Email, "asa.oberg@example.se"), (Phone, "070-123 45 67")],
        ),
        profile("Bo Ek", &[(CustomerNumber, "M1000042")]),
    ]
    .into_iter()
    .chain((1..=55).map(|i| profile(&format!("Gäst {i:02}"), &[])))
    {
        // One at a time: profile ids are time-ordered, so the list's order is known.
        made.extend(
            app.store
                .create_profiles(provider_id(&app, &cafe).await, vec![p])
                .await
                .unwrap(),
        );
    }
    app.store
        .create_profiles(
            provider_id(&app, &bank).await,
            vec![profile(
                "Åsa Banksson",
                &[(Email, "asa.oberg@example.se"), (Phone, "070-123 45 67")],
            )],
        )
        .await
        .unwrap();
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    let asa = made[0].id;
    Cafe {
        app,
        kim,
        asa,
        key: cafe,
    }
}

async fn search(kim: &mut Browser, q: &str, lang: &str) -> (StatusCode, String) {
    let q: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
    let r = kim.get(&format!("/customers?q={q}"), lang).await;
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_customer_is_found_by_email_phone_number_or_name_as_identifiers_are_written() {
    let Cafe { mut kim, .. } = cafe().await;
    for q in [
        "ASA.OBERG@Example.SE",
        "asa.oberg@example.se",
        "070-123 45 67",
        "+46 70 123 45 67",
        "0046701234567",
        "öBERG",
        "Åsa",
    ] {
        let (status, page) = search(&mut kim, q, "en").await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert_eq!(
            names(&page),
            ["Åsa Öberg"],
            "{q}: the bank's Åsa never appears"
        );
    }
    let (_, page) = search(&mut kim, "M1000042", "en").await;
    assert_eq!(names(&page), ["Bo Ek"]);
    assert!(page.contains("Customer number</span> M1000042"));

    let (status, page) = search(&mut kim, "nobody@example.se", "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"no-customers\""));

    // A search that cannot be what it looks like says why, in the page's language.
    let (status, page) = search(&mut kim, "asa@", "sv").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"search-refused\">Sökningen innehåller @ men är ingen e-postadress")
    );
    let (status, page) = search(&mut kim, "asa@", "en").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("is not an e-mail address"));
    let r = kim.get("/customers?after=not-a-cursor", "en").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_customer_list_pages_forwards_and_back_in_both_languages() {
    let Cafe { mut kim, .. } = cafe().await;
    let first = kim.get("/customers", "sv").await.text().await.unwrap();
    let shown = names(&first);
    assert_eq!(shown.len(), 50, "50 a page");
    assert_eq!(shown[0], "Gäst 55", "newest first");
    assert!(first.contains("<h1>Kunder</h1>"));
    assert!(
        first.contains("href=\"/customers\">Kunder</a>"),
        "in the navigation"
    );
    assert!(link(&first, "prev").is_none());

    let older = link(&first, "next").expect("a link to older customers");
    let second = kim.get(&older, "sv").await.text().await.unwrap();
    let rest = names(&second);
    assert_eq!(rest.len(), 7);
    assert_eq!(rest.last().unwrap(), "Åsa Öberg");
    assert!(second.contains("E-post</span> asa.oberg@example.se"));
    assert!(link(&second, "next").is_none());
    let newer = link(&second, "prev").expect("a link back to newer customers");
    let back = kim.get(&newer, "sv").await.text().await.unwrap();
    assert_eq!(
        names(&back),
        shown,
        "paging back gives the first page again"
    );

    let english = kim.get(&older, "en").await.text().await.unwrap();
    assert!(english.contains("<h1>Customers</h1>"));
    assert!(english.contains("E-mail</span> asa.oberg@example.se"));

    // A search keeps its words across pages.
    let (_, page) = search(&mut kim, "gäst", "en").await;
    assert_eq!(names(&page).len(), 50);
    let next = link(&page, "next").unwrap();
    assert!(next.starts_with("/customers?q=g%C3%A4st&after="), "{next}");
    assert_eq!(
        names(&kim.get(&next, "en").await.text().await.unwrap()).len(),
        5
    );
}

#[tokio::test]
async fn a_profile_tells_its_story_by_phase_with_properties_paged_through_all_of_it() {
    let Cafe {
        app,
        mut kim,
        asa,
        key,
    } = cafe().await;
    // Recorded first, happened last: the story goes by when it happened, the dashboard's
    // live list by when it arrived.
    let mut events = vec![json!({
        "event_id": "last", "profile_id": asa, "channel": "store", "kind": "purchase",
        "phase": "during", "occurred_at": "2026-11-30T12:00:00Z", "properties": {"amount_sek": 1234.5}
    })];
    for i in 0..104 {
        let (channel, kind, phase, properties) = match i % 3 {
            0 => ("app", "menu.viewed", "before", json!({})),
            1 => ("store", "purchase", "during", json!({"amount_sek": 45})),
            _ => ("review_site", "review.posted", "after", json!({"stars": 4})),
        };
        events.push(json!({
            "event_id": format!("e{i}"), "profile_id": asa, "channel": channel, "kind": kind, "phase": phase,
            "occurred_at": format!("2026-10-01T08:{:02}:{:02}Z", i / 60, i % 60),
            "properties": properties
        }));
    }
    let r = app
        .http
        .post(format!("{}/api/v1/touchpoints/batch", app.base))
        .bearer_auth(&key)
        .json(&events)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["accepted"], 105, "{answer}");

    let moments = |page: &str| page.matches("<li class=\"moment\">").count();
    let first = kim
        .get(&format!("/profiles/{asa}"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(moments(&first), 100, "100 a page");
    assert!(first.contains("<h4>Före</h4>") && first.contains("<h4>Under</h4>"));
    assert!(first.contains("Tittade på menyn") && first.contains("Skrev ett omdöme"));
    assert!(first.contains("<dt>Belopp (kr)</dt><dd>45</dd>"));
    assert!(first.contains("<dt>Betyg (stjärnor)</dt><dd>4</dd>"));
    assert!(!first.contains("review.posted"), "no raw event kinds");
    assert!(
        first.contains("aria-hidden=\"true\">⌂</span>"),
        "a channel icon"
    );
    assert!(
        !first.contains("1\u{a0}234,5"),
        "the latest is on the last page"
    );
    assert!(link(&first, "prev").is_none());

    let later = link(&first, "next").expect("a link to the rest of the story");
    let last = kim.get(&later, "sv").await.text().await.unwrap();
    assert_eq!(moments(&last), 5);
    assert!(last.contains("<dt>Belopp (kr)</dt><dd>1\u{a0}234,5</dd>"));
    assert!(link(&last, "next").is_none());
    let earlier = link(&last, "prev").expect("a link back");
    let back = kim.get(&earlier, "sv").await.text().await.unwrap();
    assert_eq!(moments(&back), 100);
    assert_eq!(link(&back, "next"), Some(later.clone()));

    let english = kim.get(&later, "en").await.text().await.unwrap();
    assert!(english.contains("<dt>Amount (SEK)</dt><dd>1,234.5</dd>"));
    assert!(english.contains("<span class=\"event\">Purchase</span>"));

    // The dashboard's latest arrivals: the one sent last comes first, however early it
    // happened, and the one recorded first is not among the twelve.
    let dashboard = kim.get("/dashboard", "en").await.text().await.unwrap();
    assert!(dashboard.contains("<h2>Latest arrivals</h2>"));
    let recent = dashboard.split_once("<tbody>").unwrap().1;
    let recent = recent.split_once("</tbody>").unwrap().0;
    let first_row = recent.split("</tr>").next().unwrap();
    assert!(first_row.contains("2026-10-01"), "{first_row}");
    assert!(!recent.contains("2026-11-30"), "{recent}");

    // A cursor that is no touchpoint's id names no page.
    let r = kim
        .get(&format!("/profiles/{asa}?after=nonsense"), "en")
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
