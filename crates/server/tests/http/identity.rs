//! Act as one over HTTP: a person's identity and why two profiles are one, the
//! decisions that part and join them, one timeline of a person, the whole-person
//! page with its unmerge, and another provider seeing none of it.

use super::ui::Browser;
use super::{App, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn profile(app: &App, key: &str, name: &str, identifiers: Value) -> String {
    let made: Value = app
        .post(
            key,
            "/profiles",
            json!({"display_name": name, "identifiers": identifiers}),
        )
        .await
        .json()
        .await
        .unwrap();
    made["id"].as_str().unwrap().to_string()
}

/// A café with Åsa's web profile (e-mail and phone) and her till profile (card and
/// phone), made in that order; and a bank.
async fn cafe() -> (App, String, String, String, String) {
    let app = spawn_app().await;
    let cafe = app.provider("Kafé Kanelbullen").await;
    let bank = app.provider("Banken").await;
    let phone = json!({"kind": "phone", "value": "070-123 45 67"});
    let web = profile(
        &app,
        &cafe,
        "Åsa webb",
        json!([{"kind": "email", "value": "asa@example.se"}, phone]),
    )
    .await;
    let till = profile(
        &app,
        &cafe,
        "ÅSA ÖBERG",
        json!([{"kind": "loyalty_card", "value": "6390001"}, phone]),
    )
    .await;
    (app, cafe, bank, web, till)
}

async fn json_of(app: &App, key: &str, path: &str) -> (StatusCode, Value) {
    let r = app.get(key, path).await;
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_person_is_explained_split_and_joined_through_the_api() {
    let (app, cafe, bank, web, till) = cafe().await;

    let (status, me) = json_of(&app, &cafe, &format!("/profiles/{till}/identity")).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        me["person_id"],
        json!(web),
        "the person is keyed by its first profile"
    );
    assert_eq!(me["profiles"], json!([web, till]));
    assert_eq!(
        me["links"][0]["evidence"],
        json!({"by": "identifiers", "identifiers": [{"kind": "phone", "value": "+46701234567"}]})
    );
    let (_, why) = json_of(&app, &cafe, &format!("/profiles/{web}/why/{till}")).await;
    assert_eq!(why["same_person"], json!(true));
    assert_eq!(why["links"].as_array().unwrap().len(), 1);

    // One timeline over both profiles.
    for p in [&web, &till] {
        let r = app
            .post(
                &cafe,
                "/touchpoints",
                json!({"profile_id": p, "channel": "store", "kind": "purchase", "occurred_at": "2026-11-20T10:00:00Z"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let (_, both) = json_of(&app, &cafe, &format!("/touchpoints?person_id={web}")).await;
    assert_eq!(both["items"].as_array().unwrap().len(), 2);

    // Another provider learns nothing, and cannot decide about them.
    for path in [
        format!("/profiles/{web}/identity"),
        format!("/profiles/{web}/why/{till}"),
    ] {
        assert_eq!(app.get(&bank, &path).await.status(), StatusCode::NOT_FOUND);
    }
    let apart = json!({"decision": "apart", "a": web, "b": till});
    let r = app.post(&bank, "/identity/decisions", apart.clone()).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Unmerge: apart for good, with the split in the history.
    let r = app.post(&cafe, "/identity/decisions", apart).await;
    assert_eq!(r.status(), StatusCode::OK);
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["profiles"], json!([web]));
    let changes: Vec<&str> = me["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["merged", "split"]);
    let (_, why) = json_of(&app, &cafe, &format!("/profiles/{web}/why/{till}")).await;
    assert_eq!(why["same_person"], json!(false));
    let (_, both) = json_of(&app, &cafe, &format!("/touchpoints?person_id={web}")).await;
    assert_eq!(
        both["items"].as_array().unwrap().len(),
        1,
        "her till's rows left with it"
    );

    // Joined again by a decision, which a rebuild keeps.
    let same = json!({"decision": "same", "a": till, "b": web});
    let me: Value = app
        .post(&cafe, "/identity/decisions", same)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["profiles"], json!([web, till]));
    let r: Value = app
        .post(&cafe, "/identity/relink", json!(null))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["moved"], json!(0));

    // A decision that is neither names the field.
    let r = app
        .post(
            &cafe,
            "/identity/decisions",
            json!({"decision": "maybe", "a": web, "b": till}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_person_page_shows_why_and_unmerges_in_both_languages() {
    let (app, cafe, _, web, till) = cafe().await;
    app.user(&cafe, "kim@kafe.example", "hemligt-lösen").await;
    // A household address on two more profiles, each with a card of its own.
    let family = json!({"kind": "email", "value": "familjen@example.se"});
    for (name, card) in [("Bo", "6390002"), ("Cia", "6390003")] {
        profile(
            &app,
            &cafe,
            name,
            json!([family, {"kind": "loyalty_card", "value": card}]),
        )
        .await;
    }
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    // The customer list leads from either profile to the whole person.
    let list = kim
        .get("/customers?q=070-123%2045%2067", "en")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        list.matches(&format!("<a href=\"/persons/{web}\">2 profiles</a>"))
            .count(),
        2,
        "{list}"
    );
    let page = kim
        .get(&format!("/persons/{web}"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Varför profilerna är en och samma person"),
        "{page}"
    );
    assert!(page.contains("Telefon +46701234567"), "{page}");
    assert!(page.contains(&format!("name=\"to\" value=\"{till}\"")));
    assert!(page.contains("Dela isär"));

    let r = kim
        .post(
            &format!("/persons/{web}/unmerge"),
            "en",
            &[("from", &web), ("to", &till)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/persons/{web}")
    );
    let page = kim
        .get(&format!("/persons/{web}"), "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("This person has one profile"), "{page}");
    assert!(page.contains("left the person of"), "{page}");
    // Her till profile is a person of its own now.
    let till_page = kim.get(&format!("/persons/{till}"), "en").await;
    assert_eq!(till_page.status(), StatusCode::OK);

    // Bo's person shows the family address joined nobody, and why.
    let bo: Value = app
        .get(
            &cafe,
            "/profiles?identifier_kind=loyalty_card&identifier_value=6390002",
        )
        .await
        .json()
        .await
        .unwrap();
    let bo = bo["items"][0]["id"].as_str().unwrap().to_string();
    let page = kim
        .get(&format!("/persons/{bo}"), "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("they would hold more than 1 of kind Loyalty card"),
        "{page}"
    );
}

/// A shop's customers with names, birth dates and addresses: each in the web shop,
/// every second one at the till too with no identifier in common (a surname typo,
/// a missing birth date, or the same), and one household, two people of one
/// surname at one address. Returns the web and till profiles of customer 0 and
/// the two of the household.
async fn shop(app: &App, key: &str) -> ([String; 2], [String; 2]) {
    const GIVEN: [&str; 15] = [
        "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Olof", "Lena",
        "Nils", "Ida", "Hans", "Maja",
    ];
    const FAMILY: [&str; 10] = [
        "Berglund",
        "Lundgren",
        "Holmberg",
        "Ekström",
        "Strandberg",
        "Nyberg",
        "Sjöberg",
        "Wallin",
        "Forsberg",
        "Lindqvist",
    ];
    let mut first = Vec::new();
    for i in 0..150usize {
        let family = FAMILY[(i * 7 + i / 15) % 10];
        let mut attributes = json!({
            "given_name": GIVEN[i % 15], "family_name": family,
            "birth_date": format!("{}-{:02}-{:02}", 1950 + i % 50, i % 12 + 1, i % 28 + 1),
            "street": format!("Storgatan {}", i + 1), "postcode": format!("1{:04}", i * 13),
        });
        let web = app
            .post(
                key,
                "/profiles",
                json!({"display_name": format!("Webb {i}"),
                "identifiers": [{"kind": "email", "value": format!("kund{i}@example.se")}],
                "attributes": attributes}),
            )
            .await;
        assert_eq!(web.status(), StatusCode::CREATED);
        if i % 2 == 1 {
            continue;
        }
        match i % 6 {
            0 => {
                let mut typo: Vec<char> = family.chars().collect();
                typo.swap(1, 2);
                attributes["family_name"] = json!(typo.into_iter().collect::<String>());
            }
            2 => {
                attributes.as_object_mut().unwrap().remove("birth_date");
            }
            _ => {}
        }
        let till = app
            .post(
                key,
                "/profiles",
                json!({"display_name": format!("Kassa {i}"),
                "identifiers": [{"kind": "loyalty_card", "value": format!("{}", 9000 + i)}],
                "attributes": attributes}),
            )
            .await;
        if i == 0 {
            let id = |v: Value| v["id"].as_str().unwrap().to_string();
            first = vec![
                id(web.json().await.unwrap()),
                id(till.json().await.unwrap()),
            ];
        }
    }
    let mut household = Vec::new();
    for given in ["Bo", "Cia"] {
        let made: Value = app
            .post(
                key,
                "/profiles",
                json!({"display_name": given,
                "attributes": {"given_name": given, "family_name": "Nordström",
                    "street": "Kyrkvägen 1", "postcode": "199 99"}}),
            )
            .await
            .json()
            .await
            .unwrap();
        household.push(made["id"].as_str().unwrap().to_string());
    }
    (
        [first[0].clone(), first[1].clone()],
        [household[0].clone(), household[1].clone()],
    )
}

#[tokio::test]
async fn names_and_addresses_link_the_till_and_a_household_waits_for_review() {
    let app = spawn_app().await;
    let shop_key = app.provider("Modehuset").await;
    let other = app.provider("Banken").await;
    let ([web, till], [bo, cia]) = shop(&app, &shop_key).await;

    // Thresholds the wrong way round are refused with their reason.
    let r = app
        .post(
            &shop_key,
            "/identity/linkage",
            json!({"link": 0.5, "review": 0.9}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(
        problem["errors"][0]["code"],
        json!("review-above-link"),
        "{problem}"
    );
    // A provider without names has nothing to learn from.
    let r = app.post(&other, "/identity/linkage", json!({})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(
        problem["errors"][0]["code"],
        json!("too-few-records"),
        "{problem}"
    );

    let run: Value = app
        .post(&shop_key, "/identity/linkage", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(run["records"], json!(227), "{run}");
    assert!(run["links"].as_u64().unwrap() >= 60, "{run}");
    assert!(run["trained"].is_u64(), "{run}");

    // The till's record of customer 0 (a surname typo, no identifier in common) is
    // one person with her web profile, and why says it field by field.
    let (status, why) = json_of(&app, &shop_key, &format!("/profiles/{web}/why/{till}")).await;
    assert_eq!(status, StatusCode::OK, "{why}");
    assert_eq!(why["same_person"], json!(true), "{why}");
    let link = &why["links"][0];
    assert_eq!(link["evidence"]["by"], json!("matched"), "{why}");
    assert!(link["evidence"]["probability"].as_f64().unwrap() >= 0.9);
    let family = &link["evidence"]["fields"][1];
    assert_eq!(family["field"], json!("family_name"));
    assert_eq!(family["level"], json!("jaro-winkler-92"), "{why}");

    // The household: one surname, one address, two given names, so it waits.
    let (_, queue) = json_of(&app, &shop_key, "/identity/review").await;
    let pairs = queue["items"].as_array().unwrap();
    let household = |m: &&Value| {
        let ends = [m["a"].as_str().unwrap(), m["b"].as_str().unwrap()];
        ends.contains(&bo.as_str()) && ends.contains(&cia.as_str())
    };
    assert!(pairs.iter().any(|m| household(&m)), "{queue}");
    // Another provider sees no pair of the shop's.
    let (_, theirs) = json_of(&app, &other, "/identity/review").await;
    assert_eq!(theirs["items"], json!([]));
    let (status, _) = json_of(&app, &shop_key, "/identity/review?limit=0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Rejected: never proposed again, not even after relinking with the model.
    let r = app
        .post(
            &shop_key,
            "/identity/decisions",
            json!({"decision": "apart", "a": bo, "b": cia}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let again: Value = app
        .post(&shop_key, "/identity/relink", json!(null))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["moved"], json!(0), "{again}");
    assert_eq!(
        again["links"], run["links"],
        "the same model links the same pairs"
    );
    assert_eq!(again["trained"], Value::Null);
    let (_, queue) = json_of(&app, &shop_key, "/identity/review?limit=1000").await;
    assert!(
        !queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| household(&m))
    );
}

#[tokio::test]
async fn the_review_page_trains_compares_and_decides_in_both_languages() {
    let app = spawn_app().await;
    let shop_key = app.provider("Modehuset").await;
    app.user(&shop_key, "kim@modehuset.example", "hemligt-lösen")
        .await;
    let (_, [bo, cia]) = shop(&app, &shop_key).await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@modehuset.example", "hemligt-lösen").await;

    let page = kim.get("/persons/review", "en").await.text().await.unwrap();
    assert!(page.contains("No pairs wait for review."), "{page}");
    let page = kim
        .post("/persons/review", "sv", &[("action", "train")])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Tränade på 227 profiler"), "{page}");
    // Side by side: the two given names differ, the address is the same.
    assert!(
        page.contains("<td lang=\"\">Bo</td><td lang=\"\">Cia</td><td>olika</td>"),
        "{page}"
    );
    assert!(
        page.contains("<td lang=\"\">Kyrkvägen 1</td><td lang=\"\">Kyrkvägen 1</td><td>samma</td>"),
        "{page}"
    );

    let page = kim
        .post(
            "/persons/review",
            "en",
            &[("action", "same"), ("a", &bo), ("b", &cia)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Joined: the two profiles are one person now."),
        "{page}"
    );
    assert!(
        !page.contains("<td lang=\"\">Bo</td><td lang=\"\">Cia</td>"),
        "{page}"
    );
    let person = kim
        .get(&format!("/persons/{bo}"), "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        person.contains("someone here decided they are one person"),
        "{person}"
    );

    // A pair that is not the shop's is not found; an unknown action names the field.
    let r = kim
        .post(
            "/persons/review",
            "en",
            &[
                ("action", "apart"),
                ("a", &bo),
                ("b", &uuid::Uuid::now_v7().to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = kim
        .post("/persons/review", "en", &[("action", "merge")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
