//! Provider staff through the pages: an invitation by e-mail makes a user of its role,
//! once; the role decides what the user may open, and a change takes effect at once;
//! the last admin stays; a removal signs the user out; all of it in the audit log.

use super::spawn_app;
use super::ui::{Browser, form_token};
use motesplats_core::{Identifier, IdentifierKind, ProviderId};
use motesplats_store::{AuditAction, Role};
use reqwest::StatusCode;
use serde_json::Value;

const PASSWORD: &str = "chefens-lösenord";

/// The path of the last invitation link e-mailed to `email`.
fn invitation_link(app: &super::App, email: &str) -> String {
    let to = Identifier {
        kind: IdentifierKind::Email,
        value: email.to_string(),
    };
    let sent = app.deliver.outbox().latest(&to).expect("an invitation");
    let start = sent.body.find("/sign-in/invitation/").expect("a link");
    sent.body[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn an_invited_user_joins_in_a_role_that_decides_what_they_open() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let chef = app
        .user_as(&key, "chef@kafe.example", PASSWORD, Role::Admin)
        .await;
    let me: Value = app.get(&key, "/providers/me").await.json().await.unwrap();
    let provider = ProviderId(me["id"].as_str().unwrap().parse().unwrap());
    let mut admin = Browser::new(&app.base);
    assert_eq!(
        admin.sign_in("chef@kafe.example", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let staff_page = admin.get("/staff", "en").await.text().await.unwrap();
    assert!(staff_page.contains("chef@kafe.example"));

    let r = admin
        .post(
            "/staff/invite",
            "sv",
            &[("email", "Olle@Kafe.example"), ("role", "staff")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let link = invitation_link(&app, "olle@kafe.example");

    let mut olle = Browser::new(&app.base);
    let page = olle.get(&link, "en").await;
    assert_eq!(page.status(), StatusCode::OK);
    let token = form_token(&page.text().await.unwrap());
    let r = olle
        .post_with_token(&link, "en", &token, &[("password", "kort")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("must be at least 12 characters")
    );
    let r = olle
        .post_with_token(&link, "en", &token, &[("password", "olles-långa-lösen")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signed in");
    assert_eq!(
        r.headers()["location"],
        "/research",
        "staff start at research"
    );
    assert_eq!(olle.get("/research", "en").await.status(), StatusCode::OK);
    assert_eq!(
        olle.get("/customers", "en").await.status(),
        StatusCode::FORBIDDEN
    );
    let refused = olle.get_html("/staff", "sv").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = refused.text().await.unwrap();
    assert!(
        refused.contains("rollen personal ger inte tillgång till personalen"),
        "{refused}"
    );
    // The navigation shows only what staff may open.
    let research = olle.get("/research", "en").await.text().await.unwrap();
    assert!(research.contains("href=\"/surveys\""));
    assert!(!research.contains("href=\"/customers\""));

    // The link works once.
    let mut again = Browser::new(&app.base);
    assert_eq!(again.get(&link, "en").await.status(), StatusCode::NOT_FOUND);

    let olle_id = app
        .store
        .users(provider)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "olle@kafe.example")
        .unwrap()
        .id;
    let r = admin
        .post(
            &format!("/staff/{olle_id}/role"),
            "en",
            &[("role", "support")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        olle.get("/customers", "en").await.status(),
        StatusCode::OK,
        "the new role counts at once"
    );

    // The only admin stays one.
    let r = admin
        .post(
            &format!("/staff/{}/role", chef.id),
            "en",
            &[("role", "analyst")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("last-admin"));
    let r = admin
        .post(&format!("/staff/{}/remove", chef.id), "en", &[])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    let r = admin
        .post(&format!("/staff/{olle_id}/remove"), "en", &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = olle.get("/customers", "en").await;
    assert_eq!(r.headers()["location"], "/sign-in", "signed out at once");

    let log = app.store.audit_log(provider, None, 10).await.unwrap();
    let actions: Vec<_> = log.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::Remove,
            AuditAction::RoleChange,
            AuditAction::SignIn,
            AuditAction::Join,
            AuditAction::Invite,
            AuditAction::SignIn,
        ]
    );
    let audit = admin.get("/staff/audit", "en").await.text().await.unwrap();
    let said: Vec<_> = [
        "removed the user",
        "changed the role to Customer support",
        "invited as Staff",
    ]
    .into_iter()
    .map(|words| {
        audit
            .find(words)
            .unwrap_or_else(|| panic!("{words}: {audit}"))
    })
    .collect();
    assert!(said.is_sorted(), "newest first");
    assert!(!audit.contains("audit-older"), "one page");
}

/// The path of the last reset link e-mailed to `email`; the mail goes out after the
/// answer, so it may take a moment.
async fn reset_link(app: &super::App, email: &str) -> String {
    let to = Identifier {
        kind: IdentifierKind::Email,
        value: email.to_string(),
    };
    for _ in 0..100 {
        if let Some(sent) = app.deliver.outbox().latest(&to) {
            let start = sent.body.find("/sign-in/reset/").expect("a link");
            return sent.body[start..]
                .split_whitespace()
                .next()
                .unwrap()
                .to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no reset link sent");
}

#[tokio::test]
async fn a_password_is_changed_with_the_current_one_and_reset_by_a_link_once() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "chef@kafe.example", PASSWORD).await;
    let mut here = Browser::new(&app.base);
    let mut there = Browser::new(&app.base);
    here.sign_in("chef@kafe.example", PASSWORD).await;
    there.sign_in("chef@kafe.example", PASSWORD).await;

    let change =
        |current: &'static str, new: &'static str| [("current", current), ("password", new)];
    let r = here
        .post(
            "/account/password",
            "en",
            &change("fel", "ett-nytt-långt-lösen"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("is not your current password")
    );
    let r = here
        .post("/account/password", "en", &change(PASSWORD, "kort"))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = here
        .post(
            "/account/password",
            "en",
            &change(PASSWORD, "ett-nytt-långt-lösen"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("password-changed"));
    assert_eq!(here.get("/dashboard", "en").await.status(), StatusCode::OK);
    assert_eq!(
        there.get("/dashboard", "en").await.headers()["location"],
        "/sign-in",
        "the other sign-in ended"
    );

    // The same answer whether or not an account has the address.
    let mut asker = Browser::new(&app.base);
    let token = form_token(
        &asker
            .get("/sign-in/reset", "en")
            .await
            .text()
            .await
            .unwrap(),
    );
    let ask = async |asker: &mut Browser, email: &str| {
        let r = asker
            .post_with_token("/sign-in/reset", "en", &token, &[("email", email)])
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        r.text().await.unwrap()
    };
    let unknown = ask(&mut asker, "nobody@kafe.example").await;
    let known = ask(&mut asker, "Chef@kafe.example").await;
    assert_eq!(unknown, known);
    assert!(known.contains("reset-sent"));

    let link = reset_link(&app, "chef@kafe.example").await;
    let mut owner = Browser::new(&app.base);
    let page = owner.get(&link, "en").await;
    assert_eq!(page.status(), StatusCode::OK);
    let token = form_token(&page.text().await.unwrap());
    let r = owner
        .post_with_token(&link, "en", &token, &[("password", "återställt-lösenord")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signed in");
    assert_eq!(
        here.get("/dashboard", "en").await.headers()["location"],
        "/sign-in",
        "a reset ends every other sign-in"
    );
    assert_eq!(owner.get("/dashboard", "en").await.status(), StatusCode::OK);
    assert_eq!(
        Browser::new(&app.base).get(&link, "en").await.status(),
        StatusCode::NOT_FOUND
    );
    let mut later = Browser::new(&app.base);
    assert_eq!(
        later
            .sign_in("chef@kafe.example", "ett-nytt-långt-lösen")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        later
            .sign_in("chef@kafe.example", "återställt-lösenord")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}
