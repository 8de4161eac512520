//! The journeys page over HTTP: its figures, Sankey, funnel and attribution in both
//! languages, its filters and refusals, and the touchpoints behind a count.

use super::ui::Browser;
use super::{App, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Ada finds the café on a forum, books on the web, visits, buys and later looks at
/// the menu in the app; Bo buys with nothing before; Cy reads the menu on the web and
/// visits without buying. Waits until all are placed; the café's key.
async fn cafe(app: &App) -> String {
    let key = app.provider("Kanelbullen").await;
    let events: Vec<Value> = [
        (
            "a-1",
            "ada",
            "forum",
            "post.read",
            "2026-06-01T10:00:00+02:00",
        ),
        (
            "a-2",
            "ada",
            "web",
            "table_booking",
            "2026-06-02T10:00:00+02:00",
        ),
        ("a-3", "ada", "store", "visit", "2026-06-03T12:00:00+02:00"),
        (
            "a-4",
            "ada",
            "store",
            "purchase",
            "2026-06-03T12:30:00+02:00",
        ),
        (
            "a-5",
            "ada",
            "app",
            "menu.viewed",
            "2026-06-05T09:00:00+02:00",
        ),
        (
            "b-1",
            "bo",
            "store",
            "purchase",
            "2026-06-10T09:00:00+02:00",
        ),
        (
            "c-1",
            "cy",
            "web",
            "menu.viewed",
            "2026-06-10T08:00:00+02:00",
        ),
        ("c-2", "cy", "store", "visit", "2026-06-10T12:00:00+02:00"),
    ]
    .into_iter()
    .map(|(id, who, channel, kind, at)| {
        json!({"event_id": id, "identifiers": [{"kind": "customer_number", "value": who}],
               "channel": channel, "kind": kind, "occurred_at": at})
    })
    .collect();
    app.send_placed(&key, events).await;
    key
}

async fn page(browser: &mut Browser, path: &str, lang: &str) -> (StatusCode, String) {
    let r = browser.get_html(path, lang).await;
    (r.status(), r.text().await.unwrap())
}

/// The number in the element with this id.
fn figure(html: &str, id: &str) -> String {
    let (_, after) = html
        .split_once(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    after.split('<').next().unwrap().to_string()
}

#[tokio::test]
async fn the_journeys_page_shows_figures_flows_funnel_and_attribution() {
    let app = spawn_app().await;
    let key = cafe(&app).await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;

    let (status, sv) = page(&mut kim, "/journeys", "sv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(sv.contains("<h1>Kundresor</h1>"), "{sv}");
    assert!(
        sv.contains(r#"<a href="/journeys">Kundresor</a>"#),
        "in the navigation"
    );
    let counts = |html: &str| {
        ["journeys-count", "persons-count", "touchpoints-count"].map(|id| figure(html, id))
    };
    assert_eq!(counts(&sv), ["3", "3", "8"]);
    // The Sankey: came from, met in, went to, each link titled with its journeys.
    for link in [
        "<title>Webb → Butik: 2</title>",
        "<title>Inget före → Butik: 1</title>",
        "<title>Butik → App: 1</title>",
        "<title>Butik → Inget efter: 2</title>",
    ] {
        assert!(sv.contains(link), "{link} in {sv}");
    }
    for node in [
        "Webb (2)",
        "Inget före (1)",
        "Butik (3)",
        "App (1)",
        "Inget efter (2)",
    ] {
        assert!(sv.contains(node), "{node}");
    }
    assert!(
        !sv.contains(">store<") && !sv.contains("Nothing before"),
        "words, no keys"
    );

    let (_, en) = page(&mut kim, "/journeys", "en").await;
    assert_eq!(counts(&en), ["3", "3", "8"]);
    assert!(en.contains("<title>Web → Store: 2</title>"), "{en}");
    assert!(en.contains("<title>Nothing before → Store: 1</title>"));
    // Own channels before the meeting: the web twice; the forum is not the café's.
    assert!(en.contains("<tr><td>Before</td><td class=\"n\">2</td><td class=\"n\">1</td></tr>"));

    // A period keeps the journeys met in it; a channel those that passed through it.
    let (_, june10) = page(&mut kim, "/journeys?from=2026-06-10&to=2026-06-10", "en").await;
    assert_eq!(counts(&june10), ["2", "2", "3"]);
    assert!(!june10.contains("Web → Store: 2") && june10.contains("Web → Store: 1"));
    let (_, forum) = page(&mut kim, "/journeys?channel=forum", "en").await;
    assert_eq!(counts(&forum), ["1", "1", "5"]);

    // The funnel and the attribution.
    let (status, f) = page(
        &mut kim,
        "/journeys?step1=table_booking&step2=visit&step3=purchase&outcome=purchase",
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        f.contains("<td>Booked a table</td><td class=\"n\">1</td><td class=\"n\">33%</td>"),
        "{f}"
    );
    assert!(f.contains("<td class=\"n\">30.0 min</td>"), "{f}");
    assert_eq!(figure(&f, "outcomes"), "2");
    assert_eq!(figure(&f, "unattributed"), "1");
    assert!(f.contains("Markov") && f.contains("Position-based"));

    // Bad values draw the page again, 400, naming the field in the reader's words.
    let (status, bad) = page(&mut kim, "/journeys?from=2026-13-01", "sv").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("<li>Från: ”2026-13-01”"), "{bad}");
    assert!(
        !bad.contains("journeys-count"),
        "no figures of a refused filter"
    );
    let (status, bad) = page(&mut kim, "/journeys?from=2026-06-10&to=2026-06-01", "en").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        bad.contains("<li>To: must not be before From</li>"),
        "{bad}"
    );
    let (status, bad) = page(&mut kim, "/journeys?step1=visit&unit=year", "en").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("<li>Funnel steps: "), "{bad}");
    assert!(bad.contains("<li>Trend by: "), "{bad}");
}

#[tokio::test]
async fn a_count_opens_exactly_its_touchpoints_and_no_other_providers() {
    let app = spawn_app().await;
    let key = cafe(&app).await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;

    // The mix table links each count to its touchpoints.
    let (_, en) = page(&mut kim, "/journeys", "en").await;
    let cell = "/journeys/touchpoints?channel=web&#38;phase=before";
    assert!(en.contains(&format!("<a href=\"{cell}\">2</a>")), "{en}");
    // Each listed touchpoint is read through the store, so Cy's access log shows it.
    let page_of: Value = app.get(&key, "/touchpoints").await.json().await.unwrap();
    let cy = page_of["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["event_id"] == "c-1")
        .unwrap();
    let profile: Value = app
        .get(
            &key,
            &format!("/profiles/{}", cy["profile_id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    let person = profile["person_id"].as_str().unwrap().parse().unwrap();
    let reads = |log: &[motesplats_store::AccessEntry]| {
        log.iter().filter(|e| e.action == "touchpoints").count()
    };
    let before = reads(&app.store.access_log(person, 10_000).await.unwrap());
    let (status, web) = page(
        &mut kim,
        "/journeys/touchpoints?channel=web&phase=before",
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(web.contains("<h1>Web · Before</h1>"), "{web}");
    assert_eq!(web.matches("<td>Web</td>").count(), 2, "{web}");
    assert!(web.contains("Booked a table") && web.contains("Looked at the menu"));
    assert!(web.contains("Touchpoints: 2"));
    let after = reads(&app.store.access_log(person, 10_000).await.unwrap());
    assert_eq!(
        after,
        before + 1,
        "the drill-down read Cy's touchpoint once"
    );
    // The same cell under a period holds only Cy's.
    let (_, june10) = page(
        &mut kim,
        "/journeys/touchpoints?channel=web&phase=before&from=2026-06-10&to=2026-06-10",
        "en",
    )
    .await;
    assert_eq!(june10.matches("<td>Web</td>").count(), 1, "{june10}");
    assert!(!june10.contains("Booked a table"));
    let (status, _) = page(
        &mut kim,
        "/journeys/touchpoints?channel=web&phase=later",
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Another provider's user sees none of them, and none of the café's figures.
    let bank = app.provider("Banken").await;
    app.user(&bank, "bo@bank.example", "hemligt-lösen").await;
    let mut bo = Browser::new(&app.base);
    bo.sign_in("bo@bank.example", "hemligt-lösen").await;
    let (status, theirs) = page(
        &mut bo,
        "/journeys/touchpoints?channel=web&phase=before",
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(theirs.contains("Touchpoints: 0"), "{theirs}");
    assert!(!theirs.contains("<td>Web</td>"));
    let (_, their_page) = page(&mut bo, "/journeys", "en").await;
    assert_eq!(figure(&their_page, "journeys-count"), "0");
}

#[tokio::test]
async fn a_segment_saved_in_the_browser_narrows_the_journeys_page() {
    let app = spawn_app().await;
    let key = cafe(&app).await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;

    let (status, empty) = page(&mut kim, "/segments", "sv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(empty.contains("Inga urval ännu."), "{empty}");
    // A form without a name comes back with the problem, nothing saved.
    let r = kim
        .post("/segments", "en", &[("name", ""), ("channel", "forum")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("<li>Name: must not be empty</li>")
    );
    let r = kim
        .post(
            "/segments",
            "sv",
            &[("name", "Trasigt"), ("trait_key", "nivå")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("<li>Profilegenskap: "));
    let r = kim
        .post(
            "/segments",
            "en",
            &[
                ("name", "Forum först"),
                ("channel", "forum"),
                ("phase", "before"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, list) = page(&mut kim, "/segments", "en").await;
    assert!(list.contains("A touchpoint in: Forum · Before"), "{list}");
    let id = list
        .split("/journeys?segment=")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();

    // Only Ada read the forum before her visit.
    let (status, narrowed) = page(&mut kim, &format!("/journeys?segment={id}"), "en").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(figure(&narrowed, "journeys-count"), "1");
    assert_eq!(figure(&narrowed, "persons-count"), "1");
    assert!(narrowed.contains(&format!(
        "<option value=\"{id}\" selected>Forum först</option>"
    )));
    // The value landscape: why they came, the rules that decided, the pressure.
    assert!(narrowed.contains("Why people came, and what messages did"));
    assert!(narrowed.contains("id=\"pressure-chart\""), "{narrowed}");
    let (_, sv) = page(&mut kim, "/journeys", "sv").await;
    assert!(sv.contains("Varför folk kom, och vad utskicken gjorde"));
    assert!(
        sv.contains("<td>måluppfyllelse</td><td class=\"n\">3</td>"),
        "{sv}"
    );

    // Each count opens its touchpoints within the segment: Ada's two in the store.
    assert!(
        narrowed.contains(&format!("phase=during&#38;segment={id}")),
        "{narrowed}"
    );
    let (_, cell) = page(
        &mut kim,
        &format!("/journeys/touchpoints?channel=store&phase=during&segment={id}"),
        "en",
    )
    .await;
    assert!(cell.contains(": 2</p>"), "{cell}");
    assert!(
        cell.contains(&format!("segment={id}")),
        "the way back keeps the segment"
    );

    // An unknown segment is a problem in the form.
    let (status, bad) = page(&mut kim, "/journeys?segment=nothing", "sv").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("<li>Urval: "), "{bad}");

    let r = kim.post(&format!("/segments/{id}/delete"), "en", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, gone) = page(&mut kim, "/segments", "en").await;
    assert!(gone.contains("No segments yet."));
}

#[tokio::test]
async fn the_dashboard_shows_a_periods_journeys_from_the_kept_figures() {
    let app = spawn_app().await;
    let key = cafe(&app).await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;

    let (status, all) = page(&mut kim, "/dashboard", "en").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(figure(&all, "journeys-count"), "3");
    assert_eq!(figure(&all, "persons-count"), "3");
    assert_eq!(figure(&all, "touchpoints-count"), "8");
    // Before the meetings: Ada's forum read, her booking on the web and Cy's look at
    // the menu on the web; the forum is not the café's.
    assert_eq!(figure(&all, "uncontrolled-before"), "33%");
    assert_eq!(figure(&all, "outside-count"), "0");
    assert!(all.contains("href=\"/journeys?\""), "{all}");

    let (_, june10) = page(&mut kim, "/dashboard?from=2026-06-10&to=2026-06-10", "sv").await;
    assert_eq!(figure(&june10, "journeys-count"), "2");
    assert!(
        june10.contains("href=\"/journeys?from=2026-06-10&#38;to=2026-06-10\""),
        "{june10}"
    );

    let (status, bad) = page(&mut kim, "/dashboard?from=2026-13-01", "sv").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("<li>Från: "), "{bad}");
    assert!(!bad.contains("journeys-count"));
}
