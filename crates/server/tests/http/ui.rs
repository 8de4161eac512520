//! The web UI over HTTP, without a browser: sign-in, language, escaping, isolation.

use super::spawn_app;
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// A client that keeps the session cookie by hand and does not follow redirects.
/// Like a browser on our pages, its forms carry the token of the page.
pub(super) struct Browser {
    http: Client,
    base: String,
    cookies: Vec<String>,
    token: String,
}

/// The `_csrf` field of the first form on `page`.
pub(super) fn form_token(page: &str) -> String {
    let (_, after) = page
        .split_once("name=\"_csrf\" value=\"")
        .expect("a form with a token");
    after.split('"').next().unwrap().to_string()
}

/// The six digits of the last code sent to `address` (an e-mail address or a phone
/// number in E.164).
pub(super) fn sent_code(deliver: &motesplats_server::deliver::Deliver, address: &str) -> String {
    let kind = if address.contains('@') {
        motesplats_core::IdentifierKind::Email
    } else {
        motesplats_core::IdentifierKind::Phone
    };
    let to = motesplats_core::Identifier::parse(kind, address, "SE").unwrap();
    let sent = deliver
        .outbox()
        .latest(&to)
        .expect("a message in the outbox");
    sent.body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a six-digit code")
        .to_string()
}

impl Browser {
    pub(super) fn new(base: &str) -> Self {
        Browser {
            http: Client::builder().redirect(Policy::none()).build().unwrap(),
            base: base.to_string(),
            cookies: vec![],
            token: String::new(),
        }
    }

    /// The cookies as the browser sends them.
    pub(super) fn cookie_header(&self) -> String {
        self.cookies.join("; ")
    }

    /// The token the forms of this sign-in carry.
    pub(super) fn token(&self) -> &str {
        &self.token
    }

    fn remember(&mut self, r: &reqwest::Response) {
        for c in r.headers().get_all("set-cookie") {
            let pair = c.to_str().unwrap().split(';').next().unwrap().to_string();
            let name = pair.split('=').next().unwrap().to_string();
            self.cookies.retain(|c| !c.starts_with(&format!("{name}=")));
            self.cookies.push(pair);
        }
    }

    pub(super) async fn get(&mut self, path: &str, lang: &str) -> reqwest::Response {
        self.get_accepting(path, lang, "*/*").await
    }

    /// A page as a browser asks for it: HTML first.
    pub(super) async fn get_html(&mut self, path: &str, lang: &str) -> reqwest::Response {
        self.get_accepting(path, lang, "text/html,application/xhtml+xml,*/*;q=0.8")
            .await
    }

    async fn get_accepting(&mut self, path: &str, lang: &str, accept: &str) -> reqwest::Response {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookies.join("; "))
            .header("accept-language", lang)
            .header("accept", accept)
            .send()
            .await
            .unwrap();
        self.remember(&r);
        r
    }

    /// Posts a form as the board does: multipart, so a file can come along.
    pub(super) async fn post_form(
        &mut self,
        path: &str,
        lang: &str,
        form: reqwest::multipart::Form,
    ) -> reqwest::Response {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookies.join("; "))
            .header("accept-language", lang)
            .multipart(form.text("_csrf", self.token.clone()))
            .send()
            .await
            .unwrap();
        self.remember(&r);
        r
    }

    /// Posts a plain (URL-encoded) form.
    pub(super) async fn post(
        &mut self,
        path: &str,
        lang: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.token.clone();
        self.post_with_token(path, lang, &token, fields).await
    }

    /// Posts a plain form carrying `token`, as a sign-in form does before there is a session.
    pub(super) async fn post_with_token(
        &mut self,
        path: &str,
        lang: &str,
        token: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut fields = fields.to_vec();
        fields.push(("_csrf", token));
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookies.join("; "))
            .header("accept-language", lang)
            .form(&fields)
            .send()
            .await
            .unwrap();
        self.remember(&r);
        r
    }

    /// Asks for a code for `address` and signs in with the one `deliver` kept; signed
    /// in, keeps the token of the person's forms. The answer to the code.
    pub(super) async fn sign_in_person(
        &mut self,
        address: &str,
        deliver: &motesplats_server::deliver::Deliver,
    ) -> reqwest::Response {
        let page = self.get("/me/sign-in", "en").await.text().await.unwrap();
        let token = form_token(&page);
        let r = self
            .post_with_token("/me/sign-in", "en", &token, &[("address", address)])
            .await;
        assert_eq!(r.status(), StatusCode::OK, "a code is sent");
        let token = form_token(&r.text().await.unwrap());
        let code = sent_code(deliver, address);
        let r = self
            .post_with_token(
                "/me/code",
                "en",
                &token,
                &[("address", address), ("code", &code)],
            )
            .await;
        if r.status() == StatusCode::SEE_OTHER {
            let page = self.get("/me", "en").await.text().await.unwrap();
            self.token = form_token(&page);
        }
        r
    }

    /// Opens the sign-in page and signs in with its form; signed in, keeps the token
    /// of the pages' forms.
    pub(super) async fn sign_in(&mut self, email: &str, password: &str) -> reqwest::Response {
        let page = self.get("/sign-in", "en").await.text().await.unwrap();
        let token = form_token(&page);
        let r = self
            .http
            .post(format!("{}/sign-in", self.base))
            .header("cookie", self.cookies.join("; "))
            .form(&[("email", email), ("password", password), ("_csrf", &token)])
            .send()
            .await
            .unwrap();
        self.remember(&r);
        if r.status() == StatusCode::SEE_OTHER {
            // The user's first page, which their role may see.
            let home = r.headers()["location"].to_str().unwrap().to_string();
            let page = self.get(&home, "en").await.text().await.unwrap();
            self.token = form_token(&page);
        }
        r
    }
}

#[tokio::test]
async fn a_provider_user_signs_in_and_sees_the_dashboard_in_their_language() {
    let app = spawn_app().await;
    let key = app.provider("Kafé Torget").await;
    app.user(&key, "anna@kafe.example", "rätt lösenord").await;
    for (i, channel) in ["store", "store", "forum"].iter().enumerate() {
        let r = app
            .post(&key, "/touchpoints", json!({
                "identifiers": [{"kind": "loyalty_card", "value": format!("K{i}")}],
                "channel": channel, "kind": "visit", "occurred_at": "2026-11-20T10:00:00Z", "phase": "during"
            }))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let mut browser = Browser::new(&app.base);

    let r = browser.get("/dashboard", "sv").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/sign-in");
    let page = browser
        .get("/sign-in", "sv-SE,sv;q=0.9")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Logga in") && page.contains("lang=\"sv\""),
        "Swedish from Accept-Language"
    );

    let r = browser.sign_in("anna@kafe.example", "fel").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.text().await.unwrap().contains("anna@kafe.example"),
        "the e-mail is kept after a failed sign-in"
    );

    let r = browser.sign_in("ANNA@kafe.example", "rätt lösenord").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = browser.get("/dashboard", "en").await.text().await.unwrap();
    assert!(page.contains("Channels before, during and after the meeting"));
    assert!(page.contains("<svg") && page.contains("id=\"mix-chart\""));
    assert!(
        page.contains("id=\"touchpoints-count\">3<") && page.contains("id=\"journeys-count\">3<"),
        "three visits, each a journey"
    );
    assert!(
        page.contains("Forum ◆"),
        "the forum is marked as a place the provider does not control"
    );

    let r = browser.get("/lang?to=sv&next=/dashboard", "en").await;
    assert_eq!(r.headers()["location"], "/dashboard");
    let page = browser.get("/dashboard", "en").await.text().await.unwrap();
    assert!(
        page.contains("Kanaler före, under och efter mötet"),
        "the chosen language beats Accept-Language"
    );
    let r = browser
        .get("/lang?to=en&next=//elsewhere.example", "en")
        .await;
    assert_eq!(r.headers()["location"], "/", "no redirects off the site");

    let r = browser.post("/sign-out", "en", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = browser.get("/dashboard", "en").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signed out");
}

#[tokio::test]
async fn profile_pages_escape_output_and_stay_within_the_provider() {
    let app = spawn_app().await;
    let cafe = app.provider("Kafé").await;
    let bank = app.provider("Banken").await;
    app.user(&bank, "bo@bank.example", "hemligt-lösen").await;
    app.user(&cafe, "cia@kafe.example", "hemligt-lösen").await;
    let evil: Value = app
        .post(&cafe, "/profiles", json!({"display_name": "<script>alert(1)</script>", "identifiers": [{"kind": "email", "value": "x@y.se"}]}))
        .await
        .json()
        .await
        .unwrap();
    let id = evil["id"].as_str().unwrap();

    let mut cafe_user = Browser::new(&app.base);
    cafe_user.sign_in("cia@kafe.example", "hemligt-lösen").await;
    let page = cafe_user
        .get(&format!("/profiles/{id}"), "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(!page.contains("<script>alert(1)"));
    let r = cafe_user
        .get(
            &format!("/persons/{}", evil["person_id"].as_str().unwrap()),
            "en",
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let mut bank_user = Browser::new(&app.base);
    bank_user.sign_in("bo@bank.example", "hemligt-lösen").await;
    let r = bank_user.get(&format!("/profiles/{id}"), "en").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = bank_user
        .get(
            &format!("/persons/{}", evil["person_id"].as_str().unwrap()),
            "en",
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The café's views are in the person's access log; the bank's failed tries read nothing.
    let person = evil["person_id"].as_str().unwrap().parse().unwrap();
    let log = app.store.access_log(person, 50).await.unwrap();
    assert!(log.iter().any(|e| e.action == "profile"));
    let bank_id: Value = app.get(&bank, "/providers/me").await.json().await.unwrap();
    assert!(
        log.iter()
            .all(|e| e.provider_id.to_string() != bank_id["id"].as_str().unwrap())
    );
}

#[tokio::test]
async fn the_research_board_shows_evidence_by_phase_and_the_matrix() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    app.user(&shop, "lena@mode.example", "hemligt-lösen").await;
    let other = app.provider("Kaféet").await;
    app.user(&other, "kim@kafe.example", "hemligt-lösen").await;
    app.post(&shop, "/touchpoints", json!({
        "identifiers": [{"kind": "email", "value": "a@b.se"}], "channel": "web", "kind": "search",
        "occurred_at": "2026-11-20T10:00:00Z", "phase": "before"
    }))
    .await;
    let created: Value = app
        .post(&shop, "/projects", json!({"title": "Vägtullen <och> kassan", "members": [{"name": "Lena", "role": "lead"}]}))
        .await
        .json()
        .await
        .unwrap();
    let id = created["project"]["id"].as_str().unwrap().to_string();
    let change = |version: i64, path: String, body: Value| {
        let (http, base, key) = (app.http.clone(), app.base.clone(), shop.clone());
        async move {
            let r = http
                .post(format!("{base}/api/v1{path}"))
                .bearer_auth(key)
                .header("if-match", format!("\"{version}\""))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Value>().await.unwrap()
        }
    };
    let v2 = change(
        1,
        format!("/projects/{id}/moments"),
        json!({"phase": "during", "title": "Betala vägtull"}),
    )
    .await;
    let moment = v2["project"]["moments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    change(
        2,
        format!("/projects/{id}/moments/{moment}/stances"),
        json!({"perspective": "customer", "stance": "dislike"}),
    )
    .await;
    change(
        3,
        format!("/projects/{id}/moments/{moment}/stances"),
        json!({"perspective": "provider", "stance": "dislike"}),
    )
    .await;

    // A survey about the before phase: its answers score that phase on the board.
    let survey = app
        .open_survey(&shop, json!({
            "title": "Hittade du oss?", "phase": "before",
            "sections": [{"questions": [{"key": "found", "kind": "scale", "points": 5,
                "anchors": [{"point": 1, "label": "Instämmer inte alls"}, {"point": 5, "label": "Instämmer helt"}],
                "text": "Det var lätt att hitta öppettiderna."}]}]
        }))
        .await;
    for point in [2, 5] {
        let r = app
            .http
            .post(format!("{}/api/v1/surveys/{survey}/responses", app.base))
            .json(&json!({"answers": {"found": point}}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }

    let mut lena = Browser::new(&app.base);
    lena.sign_in("lena@mode.example", "hemligt-lösen").await;
    let list = lena.get("/research", "sv").await.text().await.unwrap();
    assert!(
        list.contains("Vägtullen &#60;och&#62; kassan"),
        "escaped title in the list"
    );
    let board = lena
        .get(&format!("/research/{id}?tab=board"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(board.contains("id=\"journey-board\"") && board.contains("Kundresetavlan"));
    assert!(
        board.contains("1 kontaktpunkter"),
        "the real touchpoints of the before phase are beside it"
    );
    // 2 of 1–5 is 25, 5 of 5 is 100: the before phase scores 62.5, drawn as 62 or 63.
    let before = board
        .split("<th>Före")
        .nth(1)
        .unwrap()
        .split("</th>")
        .next()
        .unwrap();
    assert!(
        before.contains("Enkätbetyg 62/100 (2 svar)")
            || before.contains("Enkätbetyg 63/100 (2 svar)"),
        "{before}"
    );
    let matrix = lena
        .get(&format!("/research/{id}?tab=matrix"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(matrix.contains("id=\"four-field\""));
    let automate = matrix.split("class=\"field automate\"").nth(1).unwrap();
    assert!(
        automate
            .split("</g>")
            .next()
            .unwrap()
            .contains("Betala vägtull"),
        "the road toll sits in Automate"
    );
    let pdf = lena
        .get(&format!("/research/{id}/strategy.pdf"), "sv")
        .await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let disposition = pdf.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"vagtullen-och-kassan-strategi-"),
        "{disposition}"
    );
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let csv = lena
        .get(&format!("/research/{id}/evidence.csv"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("step,kind,kind_label,id,phase"), "{csv}");
    assert!(csv.contains("Betala vägtull"));

    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    assert_eq!(
        kim.get(&format!("/research/{id}"), "sv").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_open_board_hears_when_someone_else_changes_the_project() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    app.user(&shop, "lena@mode.example", "hemligt-lösen").await;
    let created: Value = app
        .post(
            &shop,
            "/projects",
            json!({"title": "Live", "members": [{"name": "Lena", "role": "lead"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["project"]["id"].as_str().unwrap().to_string();
    let mut lena = Browser::new(&app.base);
    lena.sign_in("lena@mode.example", "hemligt-lösen").await;
    let board = lena
        .get(&format!("/research/{id}"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        board.contains(&format!("data-live-events=\"/research/{id}/events\""))
            && board.contains("data-version=\"1\"")
    );

    let mut events = lena.get(&format!("/research/{id}/events"), "sv").await;
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    // Someone else adds a moment through the API.
    let r = app
        .http
        .post(format!("{}/api/v1/projects/{id}/moments", app.base))
        .bearer_auth(&shop)
        .header("if-match", "\"1\"")
        .json(&json!({"phase": "after", "title": "Kvittot på mejlen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains("event: changed") {
        let chunk = tokio::time::timeout_at(deadline, events.chunk())
            .await
            .expect("an event within 10 s")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("data: 2"), "{seen}");
}

#[tokio::test]
async fn survey_results_show_diverging_bars_and_intervals() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let agree = json!([{"point": 1, "label": "Nej"}, {"point": 5, "label": "Ja"}]);
    let id = app.open_survey(&key, json!({"title": "Besöket", "sections": [{"questions": [
            {"key": "welcome", "kind": "scale", "points": 5, "anchors": agree, "text": "Välkommen?"},
            {"key": "aspects", "kind": "matrix", "points": 5, "anchors": agree, "text": "Hur var det?",
             "items": [{"key": "coffee", "text": "Kaffet"}, {"key": "queue", "text": "Kön"}]},
            {"key": "recommend", "kind": "nps", "text": "Rekommendera?"}
        ]}]})).await;
    for (w, c, q, r) in [(5, 5, 1, 10), (4, 4, 2, 9), (2, 5, 1, 3)] {
        let answer = json!({"answers": {"welcome": w, "aspects": {"coffee": c, "queue": q}, "recommend": r}});
        app.answer(&id, &answer).await;
    }
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    assert!(
        kim.get("/surveys", "sv")
            .await
            .text()
            .await
            .unwrap()
            .contains("Besöket")
    );
    let page = kim
        .get(&format!("/surveys/{id}"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"response-count\">3<"));
    assert!(page.contains("id=\"chart-aspects\"") && page.contains("class=\"chart diverging\""));
    assert!(
        page.contains("Medelvärde 3,7 på en skala från 1 till 5"),
        "mean of 5, 4, 2"
    );
    assert!(
        page.contains("Kaffet: Medelvärde 4,7"),
        "a matrix item names itself"
    );
    assert!(
        page.contains("NPS 33"),
        "two promoters, one detractor of three"
    );
    let other = app.provider("Banken").await;
    app.user(&other, "bo@bank.example", "hemligt-lösen").await;
    let mut bo = Browser::new(&app.base);
    bo.sign_in("bo@bank.example", "hemligt-lösen").await;
    assert_eq!(
        bo.get(&format!("/surveys/{id}"), "sv").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn survey_results_page_splits_by_dimension_cross_tabulates_and_compares() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let agree = json!([{"point": 1, "label": "Nej"}, {"point": 5, "label": "Ja"}]);
    let id = app.open_survey(&key, json!({"title": "Besöket", "channel": "store", "sections": [{"questions": [
            {"key": "welcome", "kind": "scale", "points": 5, "anchors": agree, "text": "Välkommen?"},
            {"key": "motivation", "kind": "single_choice", "text": "Varför kom du?",
             "options": [{"key": "relationships", "label": "Träffa någon"}, {"key": "experiences", "label": "Uppleva något"}]},
            {"key": "reason", "kind": "single_choice", "text": "Vad gjorde du?",
             "options": [{"key": "fika", "label": "Fika"}, {"key": "work", "label": "Arbete"}]}
        ]}]})).await;
    for (m, w, r) in [
        ("relationships", 5, "fika"),
        ("relationships", 4, "fika"),
        ("relationships", 5, "work"),
        ("experiences", 2, "work"),
        ("experiences", 3, "work"),
        ("experiences", 1, "fika"),
    ] {
        app.answer(
            &id,
            &json!({"answers": {"welcome": w, "motivation": m, "reason": r}}),
        )
        .await;
    }
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;

    // Without a choice the forms are there, with nothing computed yet.
    let page = kim
        .get(&format!("/surveys/{id}"), "sv")
        .await
        .text()
        .await
        .unwrap();
    for form in ["split-form", "crosstab-form", "compare-form"] {
        assert!(page.contains(&format!("id=\"{form}\"")), "{form}");
    }
    assert!(!page.contains("id=\"split-table\""));
    assert!(page.contains(&format!("href=\"/surveys/{id}?export=responses\"")));

    let query = "split=motivation&rows=reason&columns=motivation&compare=welcome&by=motivation&a=relationships&b=experiences";
    let page = kim
        .get(&format!("/surveys/{id}?{query}"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"split-table\""), "{page}");
    assert!(
        page.contains(
            "<th>Alla (n = 6)</th><th>Träffa någon (n = 3)</th><th>Uppleva något (n = 3)</th>"
        ),
        "{page}"
    );
    assert!(page.contains("4,67 ["), "the mean of 5, 4, 5");
    assert!(page.contains("id=\"crosstab\""));
    assert!(
        page.contains("<caption>Vad gjorde du? × Varför kom du?</caption>"),
        "{page}"
    );
    // fika: 2 relationships, 1 experiences; work: 1 and 2.
    assert!(
        page.contains("<th scope=\"row\">Fika</th><td>2</td><td>1</td><td>3</td>"),
        "{page}"
    );
    let chi = motesplats_core::survey::chi_square_test(&[vec![2, 1], vec![1, 2]]).unwrap();
    assert!(
        page.contains(&format!(
            "Pearsons chitvåtest: χ² = {}, df = 1",
            motesplats_core::number::decimal(chi.statistic, 3, motesplats_core::Lang::Sv)
        )),
        "{page}"
    );
    assert!(page.contains("id=\"comparison\""));
    assert!(page.contains("Skillnad A − B 2,67 ["), "{page}");
    // Each form carries the others' state along.
    assert!(page.contains("<input type=\"hidden\" name=\"rows\" value=\"reason\">"));
    assert!(
        page.contains(&format!(
            "href=\"/surveys/{id}?export=results&#38;split=motivation\""
        )),
        "{page}"
    );

    // In English; a bad split is named, not a failure.
    let page = kim
        .get(
            &format!("/surveys/{id}?split=colour&rows=reason&columns=comment"),
            "en",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"split-error\">split: “colour” is not one of the choices"),
        "{page}"
    );
    assert!(page.contains("id=\"crosstab-error\">columns:"), "{page}");

    // The downloads work with the session alone.
    let csv = kim
        .get(
            &format!("/surveys/{id}?export=results&split=motivation"),
            "sv",
        )
        .await;
    assert_eq!(
        csv.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("split,split_value,"), "{csv}");
    assert!(
        csv.contains("motivation,experiences,Uppleva något,welcome,,scale,3,3,2,1,2,"),
        "{csv}"
    );
    let responses = kim
        .get(&format!("/surveys/{id}?export=responses"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(responses.lines().count(), 7);
}

#[tokio::test]
async fn the_quarantine_page_shows_why_and_replays_or_discards_a_choice_in_bulk() {
    let app = spawn_app().await;
    let key = app.provider("Skivbutiken").await;
    app.user(&key, "sam@skivor.example", "rätt lösenord").await;
    let event = |i: usize, channel: &str, at: &str| {
        json!({
            "event_id": format!("q-{i}"),
            "identifiers": [{"kind": "customer_number", "value": "00001"}],
            "channel": channel, "kind": "purchase", "occurred_at": at
        })
    };
    let batch = json!([
        event(1, "info_screen", "2026-11-20T10:00:00Z"),
        event(2, "info_screen", "2026-11-20T11:00:00Z"),
        event(3, "web", "igår"),
    ]);
    let r = app.post(&key, "/touchpoints/batch", batch).await;
    assert_eq!(r.status(), StatusCode::OK);
    // A purchase known only by its day.
    let mut day = event(4, "web", "1997-01-01T00:00:00Z");
    day["occurred_on"] = json!("1997-01-01");
    assert_eq!(
        app.post(&key, "/touchpoints", day).await.status(),
        StatusCode::CREATED
    );

    let mut browser = Browser::new(&app.base);
    browser.sign_in("sam@skivor.example", "rätt lösenord").await;
    let page = browser.get("/quarantine", "sv").await.text().await.unwrap();
    assert!(page.contains("Avvisade händelser"), "{page}");
    assert!(
        page.contains("href=\"/quarantine\""),
        "linked from the menu"
    );
    assert_eq!(page.matches("<code>occurred_at</code>").count(), 1);
    assert_eq!(page.matches("<code>channel</code>").count(), 2);
    assert!(page.contains("igår") && page.contains("Batch (API)"));
    let chosen = browser
        .get("/quarantine?field=channel", "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(chosen.contains("Refused events"));
    assert!(!chosen.contains("igår"), "only what the channel refused");

    // Without the page's token nothing happens.
    let r = reqwest::Client::new()
        .post(format!("{}/quarantine", app.base))
        .header("cookie", browser.cookie_header())
        .form(&[("action", "discard")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let held: Value = app.get(&key, "/quarantine").await.json().await.unwrap();
    assert_eq!(held["items"].as_array().unwrap().len(), 3);

    let r = app
        .post(
            &key,
            "/channels",
            json!({"key": "info_screen", "name": "Info screen"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = browser
        .post(
            "/quarantine",
            "sv",
            &[("action", "replay"), ("field", "channel"), ("source", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("2 sparade, 0 fanns redan, 0 avvisade igen."),
        "{page}"
    );
    let page = browser
        .post("/quarantine", "en", &[("action", "discard")])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("1 discarded.") && page.contains("Nothing is waiting."));
    let held: Value = app.get(&key, "/quarantine").await.json().await.unwrap();
    assert!(held["items"].as_array().unwrap().is_empty());

    // The day-only purchase is shown by its day, with no invented time.
    let dashboard = browser.get("/dashboard", "sv").await.text().await.unwrap();
    assert!(dashboard.contains("<td>1997-01-01</td>"), "{dashboard}");
}
