//! One story of the store, told against every backend: SQLite always, PostgreSQL
//! when `MOTESPLATS_TEST_POSTGRES` names a server (a fresh database is created for
//! the run and dropped after it).

use chrono::{Duration, SubsecRound, Utc};
use motesplats_core::Touchpoint;
use motesplats_core::plan::TrackingPlan;
use motesplats_core::touchpoint::{Subject, TouchpointInput};
use motesplats_core::{
    Channel, FieldError, Identifier, IdentifierKind, NewNetwork, NewProfile, NewProvider,
    NewTouchpoint, PageRequest, Phase, ProfileId, ProviderId, SharedData, TouchpointId,
};
use motesplats_store::{
    Actor, AuditAction, KeyKind, NewApiKey, NewInvitation, Outcome, ProfileFilter,
    QuarantineFilter, ResponseSaved, ResponseWrite, Role, Shared, Stitch, Store, StoreError,
    TouchpointFilter,
};
use serde_json::json;
use std::sync::Arc;

fn touchpoint(store_channels: &[Channel], v: serde_json::Value) -> NewTouchpoint {
    let input: TouchpointInput = serde_json::from_value(v).unwrap();
    NewTouchpoint::parse(
        input,
        "SE",
        |k| store_channels.iter().any(|c| c.key.as_str() == k),
        Utc::now(),
    )
    .unwrap()
}

/// The stored touchpoints of outcomes that must all be stores.
fn stored(outcomes: Vec<Outcome>) -> Vec<Touchpoint> {
    outcomes
        .into_iter()
        .map(|o| match o {
            Outcome::Stored(t) => t,
            other => panic!("expected a stored touchpoint, got {other:?}"),
        })
        .collect()
}

fn email(v: &str) -> Identifier {
    Identifier::parse(IdentifierKind::Email, v, "SE").unwrap()
}

async fn story(store: Arc<dyn Store>) {
    // Two tenants.
    let cafe = store
        .create_provider(NewProvider::parse(Some("Kafé Torget"), None, None).unwrap())
        .await
        .unwrap();
    let bank = store
        .create_provider(NewProvider::parse(Some("Banken"), None, None).unwrap())
        .await
        .unwrap();
    assert_eq!(store.provider(cafe.id).await.unwrap().unwrap(), cafe);
    assert_eq!(store.providers().await.unwrap().len(), 2);

    // Keys: found by hash while live, not after revocation, never across providers.
    let till = NewApiKey {
        label: "till".into(),
        kind: KeyKind::Secret,
        origins: vec![],
    };
    let key = store.create_api_key(cafe.id, till, [7; 32]).await.unwrap();
    assert_eq!(
        store
            .key_grant([7; 32])
            .await
            .unwrap()
            .map(|g| g.provider_id),
        Some(cafe.id)
    );
    let web = NewApiKey {
        label: "web".into(),
        kind: KeyKind::Publishable,
        origins: vec!["https://kafe.example".into()],
    };
    store.create_api_key(cafe.id, web, [8; 32]).await.unwrap();
    let grant = store.key_grant([8; 32]).await.unwrap().unwrap();
    assert_eq!(
        (grant.kind, grant.origins.as_slice()),
        (
            KeyKind::Publishable,
            ["https://kafe.example".to_string()].as_slice()
        )
    );
    assert!(matches!(
        store.revoke_api_key(bank.id, key.id, Utc::now()).await,
        Err(StoreError::NotFound)
    ));
    store
        .revoke_api_key(cafe.id, key.id, Utc::now())
        .await
        .unwrap();
    assert_eq!(store.key_grant([7; 32]).await.unwrap(), None);
    assert!(
        store.api_keys(cafe.id).await.unwrap()[0]
            .revoked_at
            .is_some()
    );

    // Users and sessions expire.
    let user = store
        .create_user(cafe.id, "Anna@Kafe.example", "hash", Role::Admin)
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_user(bank.id, "anna@kafe.example", "h", Role::Analyst)
            .await,
        Err(StoreError::Conflict(_))
    ));
    let (found, hash) = store
        .user_by_email("anna@kafe.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.id, hash.as_str()), (user.id, "hash"));
    store
        .create_session(user.id, [1; 32], Utc::now() + Duration::hours(1))
        .await
        .unwrap();
    store
        .create_session(user.id, [2; 32], Utc::now() - Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        store
            .session_user([1; 32], Utc::now())
            .await
            .unwrap()
            .unwrap()
            .id,
        user.id
    );
    assert!(
        store
            .session_user([2; 32], Utc::now())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.purge_sessions(Utc::now()).await.unwrap(),
        1,
        "only the expired sign-in is purged"
    );
    assert!(
        store
            .session_user([1; 32], Utc::now())
            .await
            .unwrap()
            .is_some()
    );
    store.delete_session([1; 32]).await.unwrap();
    assert!(
        store
            .session_user([1; 32], Utc::now())
            .await
            .unwrap()
            .is_none()
    );

    // Channels: built-ins plus the provider's own, not shared with others.
    let kiosk = Channel::custom("kiosk", "Kiosk", true).unwrap();
    store.create_channel(cafe.id, kiosk.clone()).await.unwrap();
    assert!(matches!(
        store.create_channel(cafe.id, kiosk).await,
        Err(StoreError::Conflict(_))
    ));
    let cafe_channels = store.channels(cafe.id).await.unwrap();
    assert!(
        cafe_channels
            .iter()
            .any(|c| c.key.as_str() == "kiosk" && !c.builtin)
    );
    assert!(
        !store
            .channels(bank.id)
            .await
            .unwrap()
            .iter()
            .any(|c| c.key.as_str() == "kiosk")
    );

    // Profiles: each provider's own; another's never joins them.
    let anna = NewProfile {
        id: ProfileId::new(),
        display_name: Some("Anna".into()),
        identifiers: vec![email("anna@example.se")],
        attributes: Default::default(),
    };
    let anna = store
        .create_profiles(cafe.id, vec![anna])
        .await
        .unwrap()
        .remove(0);
    let clash = NewProfile {
        id: ProfileId::new(),
        display_name: None,
        identifiers: vec![email("anna@example.se")],
        attributes: Default::default(),
    };
    let anna_at_bank = store
        .create_profiles(bank.id, vec![clash])
        .await
        .unwrap()
        .remove(0);
    assert_ne!(
        anna.person_id, anna_at_bank.person_id,
        "profiles of different providers are never merged here"
    );
    assert_eq!(
        store.profile(cafe.id, anna.id).await.unwrap().unwrap(),
        anna
    );
    assert!(
        store.profile(bank.id, anna.id).await.unwrap().is_none(),
        "another provider's profile is invisible"
    );
    let phone = Identifier::parse(IdentifierKind::Phone, "070-123 45 67", "SE").unwrap();
    let anna = store
        .add_identifier(cafe.id, anna.id, phone.clone())
        .await
        .unwrap();
    assert_eq!(anna.identifiers.len(), 2);
    assert!(matches!(
        store.add_identifier(bank.id, anna.id, phone.clone()).await,
        Err(StoreError::NotFound)
    ));
    let by_phone = ProfileFilter {
        identifier: Some(phone.clone()),
        ..Default::default()
    };
    assert_eq!(
        store.profiles(cafe.id, &by_phone).await.unwrap(),
        vec![anna.clone()]
    );
    assert!(store.profiles(bank.id, &by_phone).await.unwrap().is_empty());

    // Persons: a provider sees only its own profiles of a person.
    let person = store
        .person(cafe.id, anna.person_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.profiles, vec![anna.clone()]);
    assert!(
        store
            .person(bank.id, anna.person_id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store
            .persons(bank.id, PageRequest::default())
            .await
            .unwrap()
            .len(),
        1
    );

    // Touchpoints: stitched by identifier, idempotent by event id, isolated by provider.
    let first = touchpoint(
        &cafe_channels,
        json!({
            "event_id": "till-1", "identifiers": [{"kind": "phone", "value": "+46701234567"}],
            "channel": "kiosk", "kind": "purchase", "occurred_at": "2026-11-20T09:30:00+01:00", "phase": "during",
            "properties": {"amount_sek": 45}
        }),
    );
    let stranger = touchpoint(
        &cafe_channels,
        json!({
            "identifiers": [{"kind": "email", "value": "new@example.se"}],
            "channel": "forum", "kind": "review.posted", "occurred_at": "2026-11-21T20:00:00Z"
        }),
    );
    let out = stored(
        store
            .insert_touchpoints(
                cafe.id,
                vec![first.clone(), stranger],
                Utc::now(),
                Stitch::Now,
            )
            .await
            .unwrap(),
    );
    assert_eq!(
        out[0].profile_id,
        Some(anna.id),
        "stitched to the profile holding the phone number"
    );
    assert!(
        out[1].profile_id.is_some_and(|p| p != anna.id),
        "an unknown identifier makes a new profile"
    );
    let mut retry = first.clone();
    retry.id = TouchpointId::new();
    let again = store
        .insert_touchpoints(cafe.id, vec![retry], Utc::now(), Stitch::Now)
        .await
        .unwrap();
    assert_eq!(
        again,
        vec![Outcome::Duplicate(out[0].clone())],
        "a retried event is not stored again"
    );
    let foreign = NewTouchpoint {
        subject: Subject::Profile(anna.id),
        event_id: None,
        id: TouchpointId::new(),
        ..first.clone()
    };
    let mut good = foreign.clone();
    good.subject = Subject::Profile(anna_at_bank.id);
    good.id = TouchpointId::new();
    let mixed = store
        .insert_touchpoints(bank.id, vec![foreign, good], Utc::now(), Stitch::Now)
        .await
        .unwrap();
    assert!(
        matches!(&mixed[0], Outcome::Rejected(e) if e.0[0].field == "profile_id"),
        "{mixed:?}"
    );
    assert!(
        matches!(&mixed[1], Outcome::Stored(_)),
        "one bad event never costs the good ones"
    );

    // Later stitching: stored without a profile, placed by the resolver; but her
    // address alone is all on her profile already, so that is stored placed.
    let later = touchpoint(
        &cafe_channels,
        json!({
            "event_id": "web-9", "identifiers": [{"kind": "email", "value": "anna@example.se"}],
            "channel": "web", "kind": "visit", "occurred_at": "2026-11-22T08:00:00Z"
        }),
    );
    let known = stored(
        store
            .insert_touchpoints(cafe.id, vec![later], Utc::now(), Stitch::Later)
            .await
            .unwrap(),
    );
    assert_eq!(
        known[0].profile_id,
        Some(anna.id),
        "placed by the e-mail address"
    );
    assert_eq!(store.resolve_pending(1000).await.unwrap(), 0);

    // Tracking plans and the quarantine.
    assert!(store.tracking_plan(cafe.id).await.unwrap().is_none());
    let plan: TrackingPlan =
        serde_json::from_value(json!({"mode": "flag", "kinds": {"purchase": {}}})).unwrap();
    store
        .set_tracking_plan(cafe.id, Some(plan.clone()))
        .await
        .unwrap();
    assert_eq!(store.tracking_plan(cafe.id).await.unwrap(), Some(plan));
    assert!(store.tracking_plan(bank.id).await.unwrap().is_none());

    // Settings documents: one of each kind per provider, none until set.
    use motesplats_store::SettingsKind::{EventNames, Journeys};
    assert_eq!(store.settings(cafe.id, EventNames).await.unwrap(), None);
    let names = json!({"kinds": {"Bord bokat": "table_booking"}, "default_channel": "store"});
    store
        .set_settings(cafe.id, EventNames, names.clone(), None)
        .await
        .unwrap();
    assert_eq!(
        store.settings(cafe.id, EventNames).await.unwrap(),
        Some(names)
    );
    assert_eq!(store.settings(cafe.id, Journeys).await.unwrap(), None);
    assert_eq!(store.settings(bank.id, EventNames).await.unwrap(), None);
    let fewer = json!({"kinds": {}});
    store
        .set_settings(cafe.id, EventNames, fewer.clone(), None)
        .await
        .unwrap();
    assert_eq!(
        store.settings(cafe.id, EventNames).await.unwrap(),
        Some(fewer)
    );
    let why = vec![FieldError {
        field: "channel".into(),
        reason: motesplats_core::Reason::UnknownChannel {
            value: "fax".into(),
        },
    }];
    store
        .quarantine(
            cafe.id,
            vec![("batch".into(), "{\"channel\":\"fax\"}".into(), why.clone())],
        )
        .await
        .unwrap();
    let held = store
        .quarantined(
            cafe.id,
            &QuarantineFilter::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        (held.len(), held[0].errors.clone(), held[0].source.as_str()),
        (1, why, "batch")
    );
    assert!(
        store
            .quarantined(
                bank.id,
                &QuarantineFilter::default(),
                PageRequest::default()
            )
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .quarantined_one(bank.id, held[0].id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        store.release_quarantined(bank.id, held[0].id).await,
        Err(StoreError::NotFound)
    ));
    store
        .release_quarantined(cafe.id, held[0].id)
        .await
        .unwrap();
    assert!(
        store
            .quarantined_one(cafe.id, held[0].id)
            .await
            .unwrap()
            .is_none()
    );
    quarantine_in_bulk(&store, cafe.id, bank.id).await;

    let stored_one = store.touchpoint(cafe.id, out[0].id).await.unwrap().unwrap();
    assert_eq!(stored_one, out[0]);
    assert_eq!(stored_one.properties["amount_sek"], 45);
    assert!(
        store
            .touchpoint(bank.id, stored_one.id)
            .await
            .unwrap()
            .is_none()
    );
    let all = store
        .touchpoints(cafe.id, &TouchpointFilter::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let banks = store
        .touchpoints(bank.id, &TouchpointFilter::default())
        .await
        .unwrap();
    assert_eq!(banks.len(), 1, "the bank sees its own touchpoint only");
    assert_eq!(banks[0].profile_id, Some(anna_at_bank.id));
    let during = TouchpointFilter {
        phase: Some(Phase::During),
        ..Default::default()
    };
    assert_eq!(
        store.touchpoints(cafe.id, &during).await.unwrap(),
        vec![stored_one.clone()]
    );
    let page = TouchpointFilter {
        page: PageRequest {
            limit: 1,
            after: None,
        },
        ..Default::default()
    };
    let p1 = store.touchpoints(cafe.id, &page).await.unwrap();
    let next = TouchpointFilter {
        page: PageRequest {
            limit: 2,
            after: Some(motesplats_core::Cursor(p1[0].id.0)),
        },
        ..Default::default()
    };
    let p2 = store.touchpoints(cafe.id, &next).await.unwrap();
    assert_eq!([p1, p2].concat(), all, "pages join up in id order");
    let newest = TouchpointFilter {
        newest_first: true,
        ..Default::default()
    };
    let reversed: Vec<_> = all.iter().rev().cloned().collect();
    assert_eq!(store.touchpoints(cafe.id, &newest).await.unwrap(), reversed);
    let counts = store.touchpoint_counts(cafe.id).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.count).sum::<u64>(), 3);
    assert!(
        counts
            .iter()
            .any(|c| c.channel == "kiosk" && c.phase == Some(Phase::During))
    );
    // The journey log holds the café's touchpoints on their persons, each person's in
    // time order, and none of the bank's.
    let log = store.journey_log(cafe.id).await.unwrap();
    let mut ours: Vec<_> = all
        .iter()
        .map(|t| (t.occurred_at.timestamp_millis(), t.id))
        .collect();
    let mut logged: Vec<_> = log.at.iter().copied().zip(log.id.iter().copied()).collect();
    ours.sort();
    logged.sort();
    assert_eq!(logged, ours);
    for rows in log.person_rows() {
        assert!(log.at[rows].is_sorted());
    }
    assert_eq!(
        log.channels.find("kiosk").map(|k| log.channel.contains(&k)),
        Some(true)
    );
    assert_eq!(store.journey_log(bank.id).await.unwrap().len(), 1);

    // Networks list their members to members only.
    let centre = store
        .create_network(
            NewNetwork::parse(Some("Torget"), &["aggregate_counts".into()]).unwrap(),
            &[cafe.id, bank.id],
        )
        .await
        .unwrap();
    assert_eq!(store.networks(bank.id).await.unwrap(), vec![centre.clone()]);
    assert_eq!(centre.shares, vec![SharedData::AggregateCounts]);
    // The members' touchpoints together, only to a member and only when shared.
    let shared = |r: Shared<motesplats_core::journey::Log>| match r {
        Shared::Unknown => "unknown".to_string(),
        Shared::Withheld => "withheld".to_string(),
        Shared::Granted(log) => format!("{} rows", log.len()),
    };
    let read = |reader: ProviderId, network: motesplats_core::NetworkId| {
        let store = store.clone();
        async move {
            shared(
                store
                    .network_log(reader, network, SharedData::JourneyFigures)
                    .await
                    .unwrap(),
            )
        }
    };
    assert_eq!(read(cafe.id, centre.id).await, "withheld");
    let journeys = store
        .create_network(
            NewNetwork::parse(Some("Torget, resor"), &["journey_figures".into()]).unwrap(),
            &[cafe.id, bank.id],
        )
        .await
        .unwrap();
    assert_eq!(read(bank.id, journeys.id).await, "4 rows");
    assert_eq!(read(ProviderId::new(), journeys.id).await, "unknown");
    assert_eq!(
        read(cafe.id, motesplats_core::NetworkId::new()).await,
        "unknown"
    );
    assert!(matches!(
        store
            .create_network(
                NewNetwork::parse(Some("X"), &[]).unwrap(),
                &[ProviderId::new()]
            )
            .await,
        Err(StoreError::Invalid(_))
    ));

    // Photos and screenshots: bytes of a project, for whoever may see the project.
    let project = uuid::Uuid::now_v7();
    store
        .create_project(cafe.id, project, json!({"title": "Torget"}))
        .await
        .unwrap();
    let photo = uuid::Uuid::now_v7();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    store
        .put_attachment(cafe.id, project, photo, "image/png", &bytes)
        .await
        .unwrap();
    assert_eq!(
        store.attachment(cafe.id, project, photo).await.unwrap(),
        Some(("image/png".to_string(), bytes.clone()))
    );
    assert!(matches!(
        store
            .put_attachment(cafe.id, project, photo, "image/png", b"again")
            .await,
        Err(StoreError::Conflict(_))
    ));
    // Another provider can neither read nor add, nor can anyone through another project.
    assert_eq!(
        store.attachment(bank.id, project, photo).await.unwrap(),
        None
    );
    assert!(matches!(
        store
            .put_attachment(bank.id, project, uuid::Uuid::now_v7(), "image/png", b"x")
            .await,
        Err(StoreError::NotFound)
    ));
    let other = uuid::Uuid::now_v7();
    store
        .create_project(bank.id, other, json!({"title": "Banken"}))
        .await
        .unwrap();
    assert_eq!(store.attachment(bank.id, other, photo).await.unwrap(), None);
    assert!(matches!(
        store
            .put_attachment(
                cafe.id,
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7(),
                "image/png",
                b"x"
            )
            .await,
        Err(StoreError::NotFound)
    ));
    // Once invited, the bank reads and adds like the owner.
    store
        .invite_to_project(cafe.id, project, bank.id)
        .await
        .unwrap();
    assert_eq!(
        store.attachment(bank.id, project, photo).await.unwrap(),
        Some(("image/png".to_string(), bytes))
    );
    let screenshot = uuid::Uuid::now_v7();
    store
        .put_attachment(bank.id, project, screenshot, "image/webp", b"RIFF")
        .await
        .unwrap();
    assert_eq!(
        store
            .attachment(cafe.id, project, screenshot)
            .await
            .unwrap(),
        Some(("image/webp".to_string(), b"RIFF".to_vec()))
    );

    coding_story(&store, cafe.id, bank.id).await;

    waiting_story(&store).await;
    known_customers_story(&store).await;
    identity_story(&store, cafe.id, bank.id).await;
    contact_story(&store).await;
    grant_story(&store).await;
    attributes_story(&store).await;
    segments_story(&store, cafe.id, bank.id).await;
    signals_story(&store).await;
    staff_story(&store, cafe.id, bank.id).await;

    // Every read of Anna's data above is in her access log, by the café only.
    let log = store.access_log(anna.person_id, 100).await.unwrap();
    assert!(log.len() >= 5, "{log:?}");
    assert!(log.iter().all(|e| e.provider_id == cafe.id));
    for action in ["profile", "person", "touchpoints"] {
        assert!(
            log.iter().any(|e| e.action == action),
            "{action} read not logged"
        );
    }
}

/// Provider staff: an invitation is spent once and makes the user with its role; a
/// role change and a removal reach only the provider's own users, never leave it
/// without an admin, and a removal ends the user's sessions; each is in the audit log,
/// newest first, and the log is the provider's own.
async fn staff_story(store: &Arc<dyn Store>, cafe: ProviderId, bank: ProviderId) {
    let now = Utc::now();
    let boss = store
        .create_user(cafe, "chef@kafe.example", "h", Role::Admin)
        .await
        .unwrap();
    let by = Actor::from(&boss);
    let invite = |email: &str, token: u8| NewInvitation {
        email: email.to_string(),
        role: Role::Staff,
        token_sha256: [token; 32],
        expires_at: now + Duration::days(3),
    };
    assert!(matches!(
        store
            .invite_user(&by, invite("Chef@kafe.example", 40))
            .await,
        Err(StoreError::Conflict(_))
    ));
    store
        .invite_user(&by, invite("Olle@kafe.example", 41))
        .await
        .unwrap();
    // A second invitation to the same address replaces the first.
    store
        .invite_user(&by, invite("olle@kafe.example", 42))
        .await
        .unwrap();
    assert!(store.invitation([41; 32], now).await.unwrap().is_none());
    let invited = store.invitation([42; 32], now).await.unwrap().unwrap();
    assert_eq!(
        (invited.email.as_str(), invited.role),
        ("olle@kafe.example", Role::Staff)
    );
    assert!(
        store
            .invitation([42; 32], now + Duration::days(4))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    let olle = store
        .accept_invitation([42; 32], "olles-hash", now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((olle.provider_id, olle.role), (cafe, Role::Staff));
    assert!(
        store
            .accept_invitation([42; 32], "again", now)
            .await
            .unwrap()
            .is_none(),
        "spent"
    );
    let emails =
        |users: Vec<motesplats_store::User>| users.into_iter().map(|u| u.email).collect::<Vec<_>>();
    let cafe_users = emails(store.users(cafe).await.unwrap());
    assert!(cafe_users.contains(&"olle@kafe.example".to_string()));
    assert!(!emails(store.users(bank).await.unwrap()).contains(&"olle@kafe.example".to_string()));

    // The bank's admin reaches none of the café's users.
    let banker = store
        .create_user(bank, "chef@bank.example", "h", Role::Admin)
        .await
        .unwrap();
    let by_bank = Actor::from(&banker);
    assert!(matches!(
        store.change_role(&by_bank, olle.id, Role::Admin).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.remove_user(&by_bank, olle.id).await,
        Err(StoreError::NotFound)
    ));
    // The bank's only admin cannot step down or leave.
    assert!(matches!(
        store.change_role(&by_bank, banker.id, Role::Analyst).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.remove_user(&by_bank, banker.id).await,
        Err(StoreError::Conflict(_))
    ));

    store
        .change_role(&by, olle.id, Role::Analyst)
        .await
        .unwrap();
    store
        .create_session(olle.id, [43; 32], now + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        store
            .session_user([43; 32], now)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Analyst
    );
    store.remove_user(&by, olle.id).await.unwrap();
    assert!(store.session_user([43; 32], now).await.unwrap().is_none());
    assert!(
        store
            .user_by_email("olle@kafe.example")
            .await
            .unwrap()
            .is_none()
    );

    let log = store.audit_log(cafe, None, 100).await.unwrap();
    let actions: Vec<_> = log.iter().map(|e| (e.action, e.object.as_str())).collect();
    assert_eq!(
        actions[..6],
        [
            (AuditAction::Remove, "olle@kafe.example"),
            (AuditAction::SignIn, "olle@kafe.example"),
            (AuditAction::RoleChange, "olle@kafe.example"),
            (AuditAction::Join, "olle@kafe.example"),
            (AuditAction::Invite, "olle@kafe.example"),
            (AuditAction::Invite, "olle@kafe.example"),
        ]
    );
    assert_eq!(log[2].detail, "analyst");
    assert_eq!(log[0].email, "chef@kafe.example");
    assert_eq!(log[3].email, "olle@kafe.example");
    // Paged: older than the newest.
    let older = store.audit_log(cafe, Some(log[0].id), 1).await.unwrap();
    assert_eq!(older, log[1..2]);
    assert!(store.audit_log(bank, None, 100).await.unwrap().is_empty());

    // A user's settings change and quarantine discard are logged with them.
    use motesplats_store::SettingsKind::EventNames;
    let names = store.settings(cafe, EventNames).await.unwrap().unwrap();
    store
        .set_settings(cafe, EventNames, names, Some(&by))
        .await
        .unwrap();
    let none_such = motesplats_store::QuarantineFilter {
        source: Some("no-such-source".into()),
        field: None,
    };
    assert_eq!(
        store
            .discard_quarantined(cafe, &none_such, Some(&by))
            .await
            .unwrap(),
        0
    );
    let log = store.audit_log(cafe, None, 2).await.unwrap();
    assert_eq!(
        log.iter()
            .map(|e| (e.action, e.object.as_str()))
            .collect::<Vec<_>>(),
        [
            (AuditAction::Quarantine, "0"),
            (AuditAction::Settings, "event_names")
        ]
    );

    // A password change ends the user's other sessions; a reset link works once and
    // ends them all.
    let hour = now + Duration::hours(1);
    for token in [50, 51] {
        store
            .create_session(boss.id, [token; 32], hour)
            .await
            .unwrap();
    }
    store
        .change_password(&by, "new-hash", [50; 32])
        .await
        .unwrap();
    assert!(store.session_user([50; 32], now).await.unwrap().is_some());
    assert!(store.session_user([51; 32], now).await.unwrap().is_none());
    let hash =
        |email: &'static str| async move { store.user_by_email(email).await.unwrap().unwrap().1 };
    assert_eq!(hash("chef@kafe.example").await, "new-hash");
    store.delete_session([50; 32]).await.unwrap();
    store.create_session(boss.id, [50; 32], hour).await.unwrap();
    assert!(
        store
            .request_password_reset("nobody@kafe.example", [52; 32], hour)
            .await
            .unwrap()
            .is_none()
    );
    for token in [53, 54] {
        let asked = store
            .request_password_reset("Chef@Kafe.example", [token; 32], hour)
            .await
            .unwrap();
        assert_eq!(asked.unwrap().id, boss.id);
    }
    assert!(
        store.reset_user([53; 32], now).await.unwrap().is_none(),
        "replaced"
    );
    assert_eq!(
        store.reset_user([54; 32], now).await.unwrap().unwrap().id,
        boss.id
    );
    assert!(
        store.reset_user([54; 32], hour).await.unwrap().is_none(),
        "expired"
    );
    let reset = store
        .reset_password([54; 32], "reset-hash", now)
        .await
        .unwrap();
    assert_eq!(reset.unwrap().id, boss.id);
    assert_eq!(hash("chef@kafe.example").await, "reset-hash");
    assert!(store.session_user([50; 32], now).await.unwrap().is_none());
    assert!(
        store
            .reset_password([54; 32], "again", now)
            .await
            .unwrap()
            .is_none()
    );
    let log = store.audit_log(cafe, None, 4).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.action).collect::<Vec<_>>(),
        [
            AuditAction::PasswordReset,
            AuditAction::SignIn,
            AuditAction::SignOut,
            AuditAction::PasswordChange
        ]
    );
}

/// Act as one: a provider's profiles stitched into persons by what they carry, kept
/// apart where a household shares an address, split and joined by people's decisions,
/// each change in the history with its evidence; providers meet only through an
/// identifier the person verified.
/// What a touchpoint's source knows of the person lands on its profile however it
/// is stitched (later, now, or by profile id), a null removes a value, and new
/// names put the profile on probabilistic linkage's waiting list.
async fn attributes_story(store: &Arc<dyn Store>) {
    let shop = store
        .create_provider(NewProvider::parse(Some("Skobutiken"), None, None).unwrap())
        .await
        .unwrap()
        .id;
    let channels = store.channels(shop).await.unwrap();
    let event = |subject: serde_json::Value, attributes: serde_json::Value| {
        let mut v = json!({"channel": "store", "kind": "purchase",
            "occurred_at": "2026-11-20T10:00:00Z", "attributes": attributes});
        v.as_object_mut()
            .unwrap()
            .extend(subject.as_object().unwrap().clone());
        touchpoint(&channels, v)
    };
    let asa = json!({"identifiers": [{"kind": "email", "value": "asa@skor.example"}]});
    let first = event(asa.clone(), json!({"given_name": "Åsa", "tier": "gold"}));
    store
        .insert_touchpoints(shop, vec![first], Utc::now(), Stitch::Later)
        .await
        .unwrap();
    resolve_all(store, 1000).await;
    let second = event(asa, json!({"given_name": null, "family_name": "Öberg"}));
    let placed = stored(
        store
            .insert_touchpoints(shop, vec![second], Utc::now(), Stitch::Now)
            .await
            .unwrap(),
    );
    let profile = placed[0].profile_id.unwrap();
    let third = event(json!({"profile_id": profile}), json!({"tier": "silver"}));
    store
        .insert_touchpoints(shop, vec![third], Utc::now(), Stitch::Later)
        .await
        .unwrap();
    let kept = store.profile(shop, profile).await.unwrap().unwrap();
    assert_eq!(
        serde_json::Value::Object(kept.attributes),
        json!({"family_name": "Öberg", "tier": "silver"})
    );
    let waiting = store.linkage_pending(10_000).await.unwrap();
    let mine = waiting.iter().find(|(p, _)| *p == shop).unwrap();
    assert_eq!(mine.1.len(), 1);
    assert_eq!(mine.1[0].id, profile.to_string());
    assert_eq!(
        mine.1[0].fields.values().collect::<Vec<_>>(),
        ["Öberg"],
        "the record linkage reads"
    );
}

/// Segments are the provider's own: named uniquely, saved and replaced by id, never
/// read, replaced or deleted by another provider; their trait rules find persons by
/// an attribute's value as text.
async fn segments_story(store: &Arc<dyn Store>, cafe: ProviderId, bank: ProviderId) {
    use motesplats_core::segment::{Segment, SegmentId, SegmentRules, TraitRule};
    let regulars = Segment {
        id: SegmentId::new(),
        name: "Stamgäster".into(),
        rules: SegmentRules {
            traits: vec![TraitRule {
                key: "tier".into(),
                value: "gold".into(),
            }],
            ..SegmentRules::default()
        },
        updated_at: Utc::now().trunc_subsecs(6),
    };
    store.save_segment(cafe, regulars.clone()).await.unwrap();
    assert_eq!(
        store.segments(cafe).await.unwrap(),
        std::slice::from_ref(&regulars)
    );
    assert!(store.segments(bank).await.unwrap().is_empty());
    assert_eq!(store.segment(bank, regulars.id).await.unwrap(), None);
    let twin = Segment {
        id: SegmentId::new(),
        ..regulars.clone()
    };
    match store.save_segment(cafe, twin.clone()).await {
        Err(StoreError::Conflict(e)) => assert_eq!(e.0[0].field, "name"),
        other => panic!("a second segment of the same name: {other:?}"),
    }
    store.save_segment(bank, twin).await.unwrap();
    let renamed = Segment {
        name: "Guldkort".into(),
        ..regulars.clone()
    };
    assert!(matches!(
        store.save_segment(bank, renamed.clone()).await,
        Err(StoreError::NotFound)
    ));
    store.save_segment(cafe, renamed.clone()).await.unwrap();
    assert_eq!(
        store.segment(cafe, regulars.id).await.unwrap(),
        Some(renamed)
    );
    assert!(!store.delete_segment(bank, regulars.id).await.unwrap());
    assert!(store.delete_segment(cafe, regulars.id).await.unwrap());
    assert_eq!(store.segment(cafe, regulars.id).await.unwrap(), None);

    let profile = |attributes: serde_json::Value| NewProfile {
        id: ProfileId::new(),
        display_name: None,
        identifiers: vec![],
        attributes: attributes.as_object().unwrap().clone(),
    };
    let made = store
        .create_profiles(
            cafe,
            vec![
                profile(json!({"tier": "gold", "guests": 4, "member": true})),
                profile(json!({"tier": "silver", "guests": 2.5, "member": false})),
                profile(json!({"tier": ["gold"], "guests": "4"})),
            ],
        )
        .await
        .unwrap();
    let theirs = store
        .create_profiles(bank, vec![profile(json!({"tier": "gold"}))])
        .await
        .unwrap();
    let persons = |i: &[usize]| {
        let mut p: Vec<_> = i.iter().map(|&i| made[i].person_id).collect();
        p.sort();
        p
    };
    for (key, value, expected) in [
        ("tier", "gold", persons(&[0])),
        ("guests", "4", persons(&[0, 2])),
        ("guests", "2.5", persons(&[1])),
        ("member", "true", persons(&[0])),
        ("member", "false", persons(&[1])),
        ("nothing", "gold", vec![]),
    ] {
        let mut found = store.trait_persons(cafe, key, value).await.unwrap();
        found.sort();
        assert_eq!(found, expected, "{key} = {value}");
    }
    let ids = [made[1].id, theirs[0].id];
    assert_eq!(
        store.profile_persons(cafe, &ids).await.unwrap(),
        [(made[1].id, made[1].person_id)],
        "another provider's profile is not the café's"
    );
}

/// The journey log carries what a touchpoint's properties tell the motivation rules
/// (a party, a stay, an event, an occasion), and nothing of the other properties.
async fn signals_story(store: &Arc<dyn Store>) {
    use motesplats_core::journey::{Clock, JourneySettings};
    let inn = store
        .create_provider(NewProvider::parse(Some("Värdshuset"), None, None).unwrap())
        .await
        .unwrap()
        .id;
    let channels = store.channels(inn).await.unwrap();
    let event = |kind: &str, at: &str, properties: serde_json::Value| {
        touchpoint(
            &channels,
            json!({"channel": "store", "kind": kind, "occurred_at": at, "properties": properties,
                   "identifiers": [{"kind": "email", "value": "gast@inn.example"}]}),
        )
    };
    let events = vec![
        event(
            "visit",
            "2026-11-20T18:00:00Z",
            json!({"guests": 5, "occasion": "födelsedag", "note": "\"event\""}),
        ),
        event(
            "purchase",
            "2026-11-20T19:00:00Z",
            json!({"amount": 640, "guests": -1}),
        ),
    ];
    store
        .insert_touchpoints(inn, events, Utc::now(), Stitch::Now)
        .await
        .unwrap();
    let log = store.journey_log(inn).await.unwrap();
    let (low, high) = log.span();
    let clock = Clock::new(chrono_tz::Europe::Stockholm, low, high);
    let placed = log.place(&JourneySettings::default(), &clock);
    assert_eq!(placed.journeys.len(), 1);
    let signals = log.signals(&placed, 0, &mut Vec::new());
    assert_eq!(signals.party, Some(5), "-1 guests is no party");
    assert!(signals.occasion);
    assert!(
        !signals.event,
        "a note mentioning \"event\" is not an event"
    );
    assert_eq!(signals.nights, None);
}

async fn identity_story(store: &Arc<dyn Store>, cafe: ProviderId, bank: ProviderId) {
    use motesplats_core::PersonId;
    use motesplats_core::identity::{Decision, Evidence, Refusal};
    use motesplats_store::Change;
    let hotel = store
        .create_provider(NewProvider::parse(Some("Hotellet"), None, None).unwrap())
        .await
        .unwrap()
        .id;
    let card = |v: &str| Identifier::parse(IdentifierKind::LoyaltyCard, v, "SE").unwrap();
    let phone = Identifier::parse(IdentifierKind::Phone, "070-111 11 11", "SE").unwrap();
    let family = email("familjen@example.se");
    let profile = |identifiers: Vec<Identifier>| NewProfile {
        id: ProfileId::new(),
        display_name: None,
        identifiers,
        attributes: Default::default(),
    };
    // The mother's and the father's till profiles: a card each, the family address.
    let mum = profile(vec![card("1001"), family.clone(), phone.clone()]);
    let dad = profile(vec![card("1002"), family.clone()]);
    let made = store
        .create_profiles(hotel, vec![mum.clone(), dad.clone()])
        .await
        .unwrap();
    assert_eq!(
        made[0].person_id,
        PersonId(mum.id.0),
        "a profile starts as its own person"
    );
    assert_eq!(
        made[1].person_id,
        PersonId(dad.id.0),
        "two cards are two people"
    );
    // Her web profile, made later, carries her phone: it joins her.
    let web = profile(vec![phone.clone()]);
    store
        .create_profiles(hotel, vec![web.clone()])
        .await
        .unwrap();
    let person =
        |p: ProfileId| async move { store.profile(hotel, p).await.unwrap().unwrap().person_id };
    assert_eq!(person(web.id).await, PersonId(mum.id.0));
    let her = store
        .person(hotel, PersonId(mum.id.0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        her.profiles.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![mum.id, web.id]
    );

    // Why: the phone; and the family address joined nobody, for the cards.
    let graph = store.identity(hotel, web.id).await.unwrap().unwrap();
    let resolution = graph.resolve(motesplats_store::linking::rules());
    let why = resolution.why(web.id, mum.id).unwrap();
    assert_eq!(
        why[0].evidence,
        Evidence::Identifiers {
            identifiers: vec![phone.clone()]
        }
    );
    assert!(resolution.why(mum.id, dad.id).is_none());
    assert!(resolution.conflicts().iter().any(|c| c.identifier == family
        && c.why
            == Refusal::Limit {
                kind: IdentifierKind::LoyaltyCard,
                limit: 1
            }));
    assert!(store.identity(bank, web.id).await.unwrap().is_none());
    let history = store.identity_history(hotel, vec![web.id]).await.unwrap();
    assert!(matches!(
        &history[..],
        [e] if matches!(&e.change, Change::Merged { from, to, .. } if (*from, *to) == (mum.id, web.id))
    ));

    // An unmerge splits her in two; her web profile's rows go with it. Made by a user,
    // it is in the audit log.
    let desk = store
        .create_user(hotel, "desk@hotel.example", "h", Role::Support)
        .await
        .unwrap();
    store
        .decide(
            hotel,
            Decision::Apart {
                a: web.id,
                b: mum.id,
            },
            Some(desk.id),
        )
        .await
        .unwrap();
    let audited = &store.audit_log(hotel, None, 1).await.unwrap()[0];
    assert_eq!(
        (
            audited.action,
            audited.email.as_str(),
            audited.object.clone()
        ),
        (
            AuditAction::DecideApart,
            "desk@hotel.example",
            format!("{} {}", web.id, mum.id)
        )
    );
    assert_eq!(person(web.id).await, PersonId(web.id.0));
    let history = store.identity_history(hotel, vec![web.id]).await.unwrap();
    assert!(matches!(
        &history.last().unwrap().change,
        Change::Split {
            why: Some(Refusal::Apart),
            ..
        }
    ));
    // Someone who knows joins the two cards; and undoes the unmerge.
    store
        .decide(
            hotel,
            Decision::Same {
                a: mum.id,
                b: dad.id,
            },
            None,
        )
        .await
        .unwrap();
    store
        .decide(
            hotel,
            Decision::Same {
                a: mum.id,
                b: web.id,
            },
            None,
        )
        .await
        .unwrap();
    for p in [mum.id, dad.id, web.id] {
        assert_eq!(person(p).await, PersonId(mum.id.0));
    }
    // Rebuilding from scratch keeps every decision: nothing moves.
    assert_eq!(store.relink(hotel).await.unwrap(), 0);
    // Decisions are the provider's own.
    assert!(matches!(
        store
            .decide(
                bank,
                Decision::Apart {
                    a: mum.id,
                    b: dad.id
                },
                None
            )
            .await,
        Err(StoreError::NotFound)
    ));

    // The café and the bank both know anna@example.se: no bridge until she verifies it.
    let anna = email("anna@example.se");
    assert!(
        store
            .verified_persons(anna.clone())
            .await
            .unwrap()
            .is_empty()
    );
    store.verify_identifier(anna.clone(), None).await.unwrap();
    let bridged = store.verified_persons(anna).await.unwrap();
    let providers: Vec<ProviderId> = bridged.iter().map(|b| b.0).collect();
    assert!(
        providers.contains(&cafe) && providers.contains(&bank),
        "{bridged:?}"
    );
    assert!(bridged[0].1 != bridged[1].1, "person ids are per provider");
}

/// Meet well: consent by purpose (the person's own choice over a provider's import),
/// preferences on the account that verified identifiers open, and contact decisions
/// that hold one contact of a budget shared by every provider, exactly, however many
/// ask at once; a held contact is confirmed once or lapses.
async fn contact_story(store: &Arc<dyn Store>) {
    use motesplats_core::consent::{
        Choice, ContactPreferences, ContactPurpose, ContactRequest, Context, Purpose, Source,
        Urgency, Verdict,
    };
    use motesplats_core::{ChannelKey, PersonId};
    use motesplats_store::ImportedConsent;
    let provider =
        |name: &str| NewProvider::parse(Some(name), Some("Europe/Stockholm"), None).unwrap();
    let shop = store.create_provider(provider("Butiken")).await.unwrap().id;
    let gym = store.create_provider(provider("Gymmet")).await.unwrap().id;
    let eva_mail = email("eva@example.se");
    let profile = || NewProfile {
        id: ProfileId::new(),
        display_name: None,
        identifiers: vec![eva_mail.clone()],
        attributes: Default::default(),
    };
    let at_shop = store.create_profiles(shop, vec![profile()]).await.unwrap()[0].clone();
    let at_gym = store.create_profiles(gym, vec![profile()]).await.unwrap()[0].clone();
    let marketing = ContactRequest {
        channel: ChannelKey::parse("email").unwrap(),
        purpose: ContactPurpose::Marketing,
        urgency: Urgency::Routine,
        context: Context::default(),
    };
    // Noon in Stockholm, outside the default quiet hours.
    let noon = "2026-05-04T10:00:00Z"
        .parse::<chrono::DateTime<Utc>>()
        .unwrap();
    let ask = |provider: ProviderId, person: PersonId, at: chrono::DateTime<Utc>| {
        let store = store.clone();
        let request = marketing.clone();
        async move {
            store
                .contact_decision(provider, person, request, at)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let reason = |a: &motesplats_store::ContactAnswer| a.decision.reasons[0].code();

    // No consent yet; another provider's person is nobody here.
    let first = ask(shop, at_shop.person_id, noon).await;
    assert_eq!(
        (first.decision.verdict, reason(&first)),
        (Verdict::Deny, "contact-no-consent")
    );
    assert!(first.id.is_none());
    assert!(
        store
            .contact_decision(gym, at_shop.person_id, marketing.clone(), noon)
            .await
            .unwrap()
            .is_none()
    );

    // Consents imported: all or nothing, only for the provider's own profiles.
    let import = |profile: ProfileId, given: bool| ImportedConsent {
        profile,
        purpose: Purpose::Marketing,
        given,
        at: noon - Duration::days(30),
    };
    let refused = store
        .import_consents(
            shop,
            vec![import(at_shop.id, true), import(at_gym.id, true)],
        )
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(e)) if e.0[0].field == "[1].profile_id"),
        "{refused:?}"
    );
    assert_eq!(
        ask(shop, at_shop.person_id, noon).await.decision.verdict,
        Verdict::Deny,
        "nothing imported"
    );
    assert_eq!(
        store
            .import_consents(shop, vec![import(at_shop.id, true)])
            .await
            .unwrap(),
        1
    );
    store
        .import_consents(gym, vec![import(at_gym.id, true)])
        .await
        .unwrap();

    // Without an account each provider's person has a default budget of its own.
    let allowed = ask(shop, at_shop.person_id, noon).await;
    assert_eq!(allowed.decision.verdict, Verdict::Allow);
    assert_eq!(allowed.held_until, Some(noon + Duration::minutes(10)));
    store
        .confirm_contact(shop, allowed.id.unwrap(), noon)
        .await
        .unwrap();

    // Eva verifies her address: one account, her preferences, one budget for both, in
    // which the shop's send before she had an account still counts.
    let account = store
        .verify_identifier(eva_mail.clone(), None)
        .await
        .unwrap();
    assert_eq!(
        store
            .verify_identifier(eva_mail.clone(), None)
            .await
            .unwrap(),
        account
    );
    assert!(matches!(
        store
            .verify_identifier(eva_mail.clone(), Some(motesplats_core::AccountId::new()))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.contact_preferences(account).await.unwrap(), None);
    let three_a_week = ContactPreferences {
        weekly_budget: 3,
        ..ContactPreferences::default_in("Europe/Stockholm")
    };
    store
        .set_contact_preferences(account, three_a_week.clone())
        .await
        .unwrap();
    assert_eq!(
        store.contact_preferences(account).await.unwrap(),
        Some(three_a_week)
    );

    let shop_one = ask(shop, at_shop.person_id, noon + Duration::minutes(1)).await;
    assert_eq!(shop_one.decision.verdict, Verdict::Allow, "{shop_one:?}");
    let gym_one = ask(gym, at_gym.person_id, noon + Duration::minutes(2)).await;
    assert_eq!(gym_one.decision.verdict, Verdict::Allow);
    let third = ask(gym, at_gym.person_id, noon + Duration::minutes(3)).await;
    assert_eq!(
        third.decision.verdict,
        Verdict::Defer {
            until: noon + Duration::days(7)
        },
        "the shop's and the gym's contacts share one budget: {third:?}"
    );

    // The shop confirms its send (twice: the same answer); the gym lets its hold lapse.
    let sent = store
        .confirm_contact(shop, shop_one.id.unwrap(), noon + Duration::minutes(4))
        .await
        .unwrap();
    assert_eq!(sent.profile, at_shop.id);
    assert_eq!(sent.purpose, ContactPurpose::Marketing);
    let again = store
        .confirm_contact(shop, shop_one.id.unwrap(), noon + Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(again, sent);
    assert!(matches!(
        store.confirm_contact(gym, shop_one.id.unwrap(), noon).await,
        Err(StoreError::NotFound)
    ));
    let late = noon + Duration::minutes(13);
    assert!(matches!(
        store.confirm_contact(gym, gym_one.id.unwrap(), late).await,
        Err(StoreError::Conflict(e)) if e.0[0].reason.code() == "contact-lapsed"
    ));
    assert_eq!(
        ask(gym, at_gym.person_id, late).await.decision.verdict,
        Verdict::Allow,
        "the lapsed hold counts no more"
    );

    // Eva's own "no" to the shop wins over the shop's newer import.
    store
        .choose_consent(
            account,
            shop,
            Choice {
                purpose: Purpose::Marketing,
                given: false,
                source: Source::Person,
                at: noon - Duration::days(60),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        reason(&ask(shop, at_shop.person_id, late).await),
        "contact-withdrawn"
    );

    // Eva signs in with a code: five tries, single use, and her account reaches the
    // shop and the gym through her verified address only.
    use motesplats_store::Redeemed;
    // The store keeps what it is given; a code's hash here is its bytes, padded.
    let code = |c: &str| {
        let mut hash = [0u8; 32];
        hash[..c.len()].copy_from_slice(c.as_bytes());
        hash
    };
    store
        .issue_sign_in_code(
            eva_mail.clone(),
            code("123456"),
            late + Duration::minutes(10),
            5,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .redeem_sign_in_code(eva_mail.clone(), code("000000"), None, late)
            .await
            .unwrap(),
        Redeemed::Wrong { tries_left: 4 }
    );
    assert_eq!(
        store
            .redeem_sign_in_code(eva_mail.clone(), code("123456"), None, late)
            .await
            .unwrap(),
        Redeemed::Accepted(account)
    );
    assert_eq!(
        store
            .redeem_sign_in_code(eva_mail.clone(), code("123456"), None, late)
            .await
            .unwrap(),
        Redeemed::NoCode,
        "used up"
    );
    store
        .issue_sign_in_code(
            eva_mail.clone(),
            code("222222"),
            late + Duration::minutes(10),
            2,
        )
        .await
        .unwrap();
    for left in [1, 0] {
        assert_eq!(
            store
                .redeem_sign_in_code(eva_mail.clone(), code("999999"), None, late)
                .await
                .unwrap(),
            Redeemed::Wrong { tries_left: left }
        );
    }
    assert_eq!(
        store
            .redeem_sign_in_code(eva_mail.clone(), code("222222"), None, late)
            .await
            .unwrap(),
        Redeemed::NoCode,
        "out of tries"
    );
    store
        .issue_sign_in_code(
            eva_mail.clone(),
            code("333333"),
            late + Duration::minutes(10),
            5,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .redeem_sign_in_code(
                eva_mail.clone(),
                code("333333"),
                None,
                late + Duration::minutes(10)
            )
            .await
            .unwrap(),
        Redeemed::NoCode,
        "expired"
    );
    let token = code("session");
    store
        .create_person_session(account, token, late + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        store.person_session(token, late).await.unwrap(),
        Some(account)
    );
    assert_eq!(
        store
            .person_session(token, late + Duration::hours(1))
            .await
            .unwrap(),
        None
    );
    store.delete_person_session(token).await.unwrap();
    assert_eq!(store.person_session(token, late).await.unwrap(), None);
    assert_eq!(
        store.account_identifiers(account).await.unwrap(),
        std::slice::from_ref(&eva_mail)
    );
    let reached: Vec<(ProviderId, PersonId)> = store
        .account_persons(account)
        .await
        .unwrap()
        .into_iter()
        .map(|(p, person)| (p.id, person))
        .collect();
    assert_eq!(
        reached,
        [(shop, at_shop.person_id), (gym, at_gym.person_id)],
        "by name"
    );
    let read_before = store
        .access_log(at_shop.person_id, 100)
        .await
        .unwrap()
        .len();
    let records = store.account_records(account, 5).await.unwrap();
    let held: Vec<(ProviderId, ProfileId, u64)> = records
        .iter()
        .map(|r| (r.provider.id, r.profile.id, r.touchpoints))
        .collect();
    assert_eq!(held, [(shop, at_shop.id, 0), (gym, at_gym.id, 0)]);
    assert_eq!(
        records[0].profile.identifiers,
        std::slice::from_ref(&eva_mail)
    );
    assert_eq!(
        store
            .access_log(at_shop.person_id, 100)
            .await
            .unwrap()
            .len(),
        read_before,
        "the person's own reading is no provider's read"
    );
    let own = store.own_consents(account).await.unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!((own[0].0, own[0].1.given), (shop, false));

    // Signed in, she proves her phone too: one account holds both; an address another
    // account holds signs in to that one instead.
    let phone = Identifier::parse(IdentifierKind::Phone, "070-555 12 12", "SE").unwrap();
    store
        .issue_sign_in_code(
            phone.clone(),
            code("444444"),
            late + Duration::minutes(10),
            5,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .redeem_sign_in_code(phone.clone(), code("444444"), Some(account), late)
            .await
            .unwrap(),
        Redeemed::Accepted(account)
    );
    let mut both = store.account_identifiers(account).await.unwrap();
    both.sort_by_key(|i| i.kind.as_str());
    assert_eq!(both, [eva_mail.clone(), phone]);
    let other = store
        .verify_identifier(email("someone@example.se"), None)
        .await
        .unwrap();
    store
        .issue_sign_in_code(
            eva_mail.clone(),
            code("555555"),
            late + Duration::minutes(10),
            5,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .redeem_sign_in_code(eva_mail.clone(), code("555555"), Some(other), late)
            .await
            .unwrap(),
        Redeemed::Accepted(account)
    );

    // Analytics: her "no" at the gym leaves her out of the gym's journey log, and an
    // imported "no" at the shop does the same until her own "yes" there.
    let visit = |profile: ProfileId| {
        touchpoint(
            &motesplats_core::channel::builtins(),
            json!({"profile_id": profile, "channel": "store", "kind": "visit",
                   "occurred_at": "2026-05-01T10:00:00Z"}),
        )
    };
    for (provider, profile) in [(shop, at_shop.id), (gym, at_gym.id)] {
        store
            .insert_touchpoints(provider, vec![visit(profile)], noon, Stitch::Now)
            .await
            .unwrap();
    }
    let persons_in = |provider: ProviderId| {
        let store = store.clone();
        async move { store.journey_log(provider).await.unwrap().persons.len() }
    };
    assert_eq!((persons_in(shop).await, persons_in(gym).await), (1, 1));
    let analytics = |given: bool, source: Source| Choice {
        purpose: Purpose::Analytics,
        given,
        source,
        at: noon,
    };
    store
        .choose_consent(account, gym, analytics(false, Source::Person))
        .await
        .unwrap();
    store
        .import_consents(
            shop,
            vec![ImportedConsent {
                purpose: Purpose::Analytics,
                given: false,
                ..import(at_shop.id, false)
            }],
        )
        .await
        .unwrap();
    assert_eq!((persons_in(shop).await, persons_in(gym).await), (0, 0));
    store
        .choose_consent(account, shop, analytics(true, Source::Person))
        .await
        .unwrap();
    assert_eq!(
        persons_in(shop).await,
        1,
        "her own yes wins over the import"
    );

    // Many askers at once: a fresh budget of three holds exactly three.
    let crowd = store
        .create_provider(provider("Centrumet"))
        .await
        .unwrap()
        .id;
    let zoe = store
        .create_profiles(
            crowd,
            vec![NewProfile {
                identifiers: vec![email("zoe@example.se")],
                ..profile()
            }],
        )
        .await
        .unwrap()[0]
        .clone();
    store
        .import_consents(crowd, vec![import(zoe.id, true)])
        .await
        .unwrap();
    let asks: Vec<_> = (0..24)
        .map(|_| tokio::spawn(ask(crowd, zoe.person_id, noon)))
        .collect();
    let mut allows = 0;
    for a in asks {
        if a.await.unwrap().decision.verdict == Verdict::Allow {
            allows += 1;
        }
    }
    assert_eq!(allows, 3, "the default budget of three, exactly");
}

/// Coding of open answers: a versioned codebook and codings of a survey's responses,
/// all invisible to another provider.
/// The quarantine chosen by source and by refused field, and discarded in bulk, never
/// across providers.
async fn grant_story(store: &Arc<dyn Store>) {
    use motesplats_core::consent::{Choice, GrantInput, Purpose, Source};
    let provider =
        |name: &str| NewProvider::parse(Some(name), Some("Europe/Stockholm"), None).unwrap();
    let shop = store
        .create_provider(provider("Skobutiken"))
        .await
        .unwrap()
        .id;
    let gym = store
        .create_provider(provider("Simhallen"))
        .await
        .unwrap()
        .id;
    let bystander = store.create_provider(provider("Banken")).await.unwrap().id;
    let ola = email("ola@example.se");
    let channels = store.channels(shop).await.unwrap();
    let visits = (1..=3)
        .map(|d| {
            touchpoint(
                &channels,
                json!({"channel": "store", "kind": "purchase",
                       "occurred_at": format!("2026-05-0{d}T10:00:00Z"),
                       "identifiers": [{"kind": "email", "value": "ola@example.se"},
                                       {"kind": "phone", "value": "+46701234567"}]}),
            )
        })
        .collect();
    store
        .insert_touchpoints(shop, visits, Utc::now(), Stitch::Now)
        .await
        .unwrap();
    let at_shop = store
        .profiles(
            shop,
            &ProfileFilter {
                identifier: Some(ola.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .remove(0);
    let at_gym = store
        .create_profiles(
            gym,
            vec![NewProfile {
                id: ProfileId::new(),
                display_name: None,
                identifiers: vec![ola.clone()],
                attributes: Default::default(),
            }],
        )
        .await
        .unwrap()[0]
        .clone();
    let now = "2026-05-10T10:00:00Z"
        .parse::<chrono::DateTime<Utc>>()
        .unwrap();
    let shared = |at: chrono::DateTime<Utc>| {
        let store = store.clone();
        async move {
            store
                .shared(gym, at_gym.person_id, at)
                .await
                .unwrap()
                .unwrap()
        }
    };
    // Without an account, and then without a grant, the gym reads nothing of the shop.
    assert!(shared(now).await.is_empty());
    let account = store.verify_identifier(ola.clone(), None).await.unwrap();
    assert!(shared(now).await.is_empty());
    assert!(
        store
            .shared(bystander, at_gym.person_id, now)
            .await
            .unwrap()
            .is_none(),
        "another provider's person is nobody to the bank"
    );

    // Ola lets the gym read his touchpoints at the shop, for personalisation.
    let input = |holder: ProviderId, reader: ProviderId| GrantInput {
        holder: Some(holder.to_string()),
        reader: Some(reader.to_string()),
        categories: Some(vec!["touchpoints".into()]),
        purpose: Some("personalisation".into()),
        until: Some("2026-05-31".into()),
        consent: Some(true),
    };
    let zone = chrono_tz::Europe::Stockholm;
    let new = input(shop, gym).parse(now, zone).unwrap();
    let refused = store
        .create_grant(
            account,
            input(bystander, gym).parse(now, zone).unwrap(),
            now,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, StoreError::Invalid(i) if i.0[0].field == "holder"),
        "the bank holds nothing of Ola's: {refused:?}"
    );
    let grant = store.create_grant(account, new, now).await.unwrap();
    assert_eq!(store.grants(account).await.unwrap(), vec![grant.clone()]);
    let read = shared(now).await;
    assert_eq!(read.len(), 1);
    assert_eq!((read[0].holder.id, read[0].withheld.as_ref()), (shop, None));
    let record = &read[0].records[0];
    assert_eq!(record.profile, at_shop.id);
    assert_eq!(record.touchpoint_count, Some(3));
    assert_eq!(record.touchpoints.as_ref().map(Vec::len), Some(3));
    assert_eq!(record.identifiers, None, "identifiers were not granted");
    // The read is in Ola's access log at the shop, as the gym's.
    let log = store.access_log(at_shop.person_id, 10).await.unwrap();
    assert!(
        log.iter().any(|e| e.provider_id == gym
            && e.action == "grant"
            && e.profile_id == Some(at_shop.id)),
        "{log:?}"
    );
    // Granting consented to personalisation at the gym; saying no there withholds it.
    let no = |given: bool| Choice {
        purpose: Purpose::Personalisation,
        given,
        source: Source::Person,
        at: now,
    };
    store.choose_consent(account, gym, no(false)).await.unwrap();
    let withheld = shared(now).await;
    assert_eq!(
        withheld[0].withheld.as_ref().map(|r| r.code()),
        Some("grant-no-consent")
    );
    assert!(withheld[0].records.is_empty());
    store.choose_consent(account, gym, no(true)).await.unwrap();
    // The grant ends with its last day in Stockholm, and at once when revoked.
    assert_eq!(
        shared("2026-05-31T21:59:59Z".parse().unwrap()).await.len(),
        1
    );
    assert!(
        shared("2026-05-31T22:00:00Z".parse().unwrap())
            .await
            .is_empty()
    );
    let stranger = store
        .verify_identifier(email("annan@example.se"), None)
        .await
        .unwrap();
    assert!(matches!(
        store.revoke_grant(stranger, grant.id, now).await,
        Err(StoreError::NotFound)
    ));
    store.revoke_grant(account, grant.id, now).await.unwrap();
    store.revoke_grant(account, grant.id, now).await.unwrap();
    assert!(shared(now).await.is_empty());
    assert_eq!(
        store.grants(account).await.unwrap()[0].revoked_at,
        Some(now)
    );

    // Ola asks the shop to correct his phone number; only the shop sees and answers it.
    use motesplats_core::consent::{RectificationInput, Resolution};
    let ask = |provider: ProviderId| {
        RectificationInput {
            provider: Some(provider.to_string()),
            wrong: Some("Telefon 070-123 45 67".into()),
            right: Some("070-765 43 21".into()),
        }
        .parse()
        .unwrap()
    };
    let refused = store
        .request_rectification(account, ask(bystander), now)
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::Invalid(_)), "{refused:?}");
    let asked = store
        .request_rectification(account, ask(shop), now)
        .await
        .unwrap();
    assert_eq!((asked.outcome, asked.provider), (None, shop));
    let queue = store.rectifications_to(shop).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].profiles, vec![at_shop.id]);
    assert!(store.rectifications_to(gym).await.unwrap().is_empty());
    assert!(matches!(
        store
            .answer_rectification(gym, asked.id, Resolution::Done, None, now)
            .await,
        Err(StoreError::NotFound)
    ));
    let done = store
        .answer_rectification(shop, asked.id, Resolution::Done, Some("Rättat".into()), now)
        .await
        .unwrap()
        .request;
    assert_eq!(
        (done.outcome, done.note.as_deref(), done.answered_at),
        (Some(Resolution::Done), Some("Rättat"), Some(now))
    );
    assert_eq!(store.rectifications(account).await.unwrap(), vec![done]);
    assert!(store.rectifications(stranger).await.unwrap().is_empty());

    // The shop's till record carries Ola's phone, so the shop made it one person with
    // his web record; erasure takes only what carries his verified address.
    let till_profile = store
        .create_profiles(
            shop,
            vec![NewProfile {
                id: ProfileId::new(),
                display_name: None,
                identifiers: vec![
                    Identifier::parse(IdentifierKind::Phone, "+46701234567", "SE").unwrap(),
                    Identifier::parse(IdentifierKind::CustomerNumber, "T-9", "SE").unwrap(),
                ],
                attributes: Default::default(),
            }],
        )
        .await
        .unwrap()
        .remove(0);
    // A colleague at the shop decided the till record is Ola's too.
    store
        .decide(
            shop,
            motesplats_core::identity::Decision::Same {
                a: at_shop.id,
                b: till_profile.id,
            },
            None,
        )
        .await
        .unwrap();
    let joined = store.profile(shop, till_profile.id).await.unwrap().unwrap();
    assert_eq!(
        joined.person_id, at_shop.person_id,
        "one person by decision"
    );
    let grant = store
        .create_grant(account, input(shop, gym).parse(now, zone).unwrap(), now)
        .await
        .unwrap();
    let tombstone: motesplats_store::Tombstone = Arc::new(|p: ProviderId, i: &Identifier| {
        let mut h = [0u8; 32];
        for (n, b) in p.0.as_bytes().iter().chain(i.value.as_bytes()).enumerate() {
            h[n % 32] ^= b.rotate_left(n as u32 % 8);
        }
        h
    });
    // The shop must keep purchases seven years by law.
    store
        .set_settings(
            shop,
            motesplats_store::SettingsKind::Retention,
            json!({"legal_holds": [{"kind": "purchase", "reason": "Bokföringslagen", "years": 7}]}),
            None,
        )
        .await
        .unwrap();
    let erased = store.erase(account, tombstone, now).await.unwrap();
    let at = |name: &str| erased.iter().find(|e| e.provider_name == name).unwrap();
    assert_eq!(
        (at("Skobutiken").records, at("Skobutiken").touchpoints),
        (1, 3)
    );
    assert_eq!(
        (at("Simhallen").records, at("Simhallen").touchpoints),
        (1, 0)
    );
    assert_eq!(store.erasures(account).await.unwrap().len(), 2);
    // Nothing of his is left at either; the till record is a person of its own now.
    assert!(store.profile(shop, at_shop.id).await.unwrap().is_none());
    assert!(store.profile(gym, at_gym.id).await.unwrap().is_none());
    let till_now = store.profile(shop, till_profile.id).await.unwrap().unwrap();
    assert_eq!(
        till_now.person_id.0, till_profile.id.0,
        "a person of its own"
    );
    assert!(store.account_records(account, 10).await.unwrap().is_empty());
    // Tombstones: his e-mail and phone at the shop, his e-mail at the gym.
    assert_eq!(store.tombstones(shop).await.unwrap().len(), 2);
    assert_eq!(store.tombstones(gym).await.unwrap().len(), 1);
    assert!(store.tombstones(bystander).await.unwrap().is_empty());
    assert!(
        store.grants(account).await.unwrap()[0].revoked_at.is_some(),
        "{grant:?} ends with what it shared"
    );
    assert!(store.rectifications(account).await.unwrap().is_empty());
    // His purchases are held back apart, with the reason, until seven years after.
    assert_eq!(at("Skobutiken").held_back, 3);
    let held = store.held_back(account).await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        (
            held[0].kind.as_str(),
            held[0].count,
            held[0].reason.as_str()
        ),
        ("purchase", 3, "Bokföringslagen")
    );
    assert_eq!(
        held[0].until,
        "2033-05-03T10:00:00Z"
            .parse::<chrono::DateTime<Utc>>()
            .unwrap()
    );

    // Retention: the shop keeps touchpoints 30 days; a purge drops the older ones and
    // the held-back purchases once their hold has ended.
    // A live customer's old purchase stays while the law keeps it.
    let old_and_new = [
        ("visit", "2026-03-01T10:00:00Z"),
        ("purchase", "2026-03-01T11:00:00Z"),
        ("visit", "2026-05-09T10:00:00Z"),
    ]
    .iter()
    .map(|(kind, at)| {
        touchpoint(
            &channels,
            json!({"channel": "store", "kind": kind, "occurred_at": at,
                   "identifiers": [{"kind": "customer_number", "value": "T-10"}]}),
        )
    })
    .collect();
    store
        .insert_touchpoints(shop, old_and_new, Utc::now(), Stitch::Now)
        .await
        .unwrap();
    let retention = motesplats_core::retention::RetentionInput {
        touchpoints_days: Some(30),
        legal_holds: Some(vec![motesplats_core::retention::LegalHoldInput {
            kind: Some("purchase".into()),
            reason: Some("Bokföringslagen".into()),
            years: Some(7),
        }]),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let purged = store.purge(shop, retention.clone(), now).await.unwrap();
    assert_eq!(
        (purged.touchpoints, purged.held_back),
        (1, 0),
        "the old visit"
    );
    let later = "2033-05-04T00:00:00Z".parse().unwrap();
    let purged = store.purge(shop, retention, later).await.unwrap();
    assert_eq!(
        (purged.touchpoints, purged.held_back),
        (2, 3),
        "the old purchase and the new visit, and what erasure held back"
    );
    assert!(store.held_back(account).await.unwrap().is_empty());
}

async fn quarantine_in_bulk(store: &Arc<dyn Store>, cafe: ProviderId, bank: ProviderId) {
    let why = |fields: &[&str]| -> Vec<FieldError> {
        fields
            .iter()
            .map(|f| FieldError {
                field: f.to_string(),
                reason: motesplats_core::Reason::Required,
            })
            .collect()
    };
    let held = |source: &str, fields: &[&str]| (source.to_string(), "{}".to_string(), why(fields));
    store
        .quarantine(
            cafe,
            vec![
                held("import", &["occurred_at"]),
                held("import", &["channel", "occurred_at"]),
                held("import", &["channel"]),
                held("batch", &["occurred_at"]),
            ],
        )
        .await
        .unwrap();
    store
        .quarantine(bank, vec![held("import", &["occurred_at"])])
        .await
        .unwrap();
    let filter = |source: Option<&str>, field: Option<&str>| QuarantineFilter {
        source: source.map(str::to_string),
        field: field.map(str::to_string),
    };
    let count = |f: QuarantineFilter| async move {
        store
            .quarantined(cafe, &f, PageRequest::default())
            .await
            .unwrap()
            .len()
    };
    assert_eq!(count(filter(None, None)).await, 4);
    assert_eq!(count(filter(Some("import"), None)).await, 3);
    assert_eq!(count(filter(None, Some("occurred_at"))).await, 3);
    assert_eq!(count(filter(Some("import"), Some("occurred_at"))).await, 2);
    assert_eq!(
        count(filter(None, Some("occurred"))).await,
        0,
        "whole fields only"
    );
    let page = PageRequest {
        limit: 1,
        after: None,
    };
    let first = store
        .quarantined(cafe, &filter(Some("import"), None), page)
        .await
        .unwrap();
    let after = PageRequest {
        limit: 10,
        after: Some(motesplats_core::Cursor(first[0].id)),
    };
    let rest = store
        .quarantined(cafe, &filter(Some("import"), None), after)
        .await
        .unwrap();
    assert_eq!(rest.len(), 2, "pages follow the cursor within the filter");

    let gone = store
        .discard_quarantined(cafe, &filter(Some("import"), Some("occurred_at")), None)
        .await
        .unwrap();
    assert_eq!(gone, 2);
    assert_eq!(count(filter(None, None)).await, 2);
    let left = store
        .quarantined(bank, &QuarantineFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(left.len(), 1, "another provider's quarantine is untouched");
    assert_eq!(
        store
            .discard_quarantined(cafe, &QuarantineFilter::default(), None)
            .await
            .unwrap(),
        2
    );
    store
        .discard_quarantined(bank, &QuarantineFilter::default(), None)
        .await
        .unwrap();
}

/// Touchpoints left for later stitching by batches written at the same time (their id
/// ranges interleave) are all placed, each on the profile its identifier names.
async fn waiting_story(store: &Arc<dyn Store>) {
    let shop = store
        .create_provider(NewProvider::parse(Some("Butiken"), None, None).unwrap())
        .await
        .unwrap();
    let channels = store.channels(shop.id).await.unwrap();
    let mut batches: Vec<Vec<NewTouchpoint>> = vec![Vec::new(), Vec::new(), Vec::new()];
    for i in 0..30 {
        let mut event = json!({
            "event_id": format!("w-{i}"),
            "identifiers": [{"kind": "customer_number", "value": format!("K{}", i % 7)}],
            "channel": "store", "kind": "purchase", "occurred_at": "2026-11-22T08:00:00Z"
        });
        if i == 0 {
            // From a source that knew only the day.
            event["occurred_at"] = json!("2026-11-22T00:00:00+01:00");
            event["occurred_on"] = json!("2026-11-22");
        }
        batches[i % 3].push(touchpoint(&channels, event));
    }
    for batch in batches.into_iter().rev() {
        store
            .insert_touchpoints(shop.id, batch, Utc::now(), Stitch::Later)
            .await
            .unwrap();
    }
    let placed = resolve_all(store, 4).await;
    assert_eq!(placed, 30);
    let all = store
        .touchpoints(shop.id, &TouchpointFilter::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 30);
    let days: Vec<_> = all
        .iter()
        .filter_map(|t| Some((t.event_id.as_deref()?, t.occurred_on?)))
        .collect();
    assert_eq!(
        days,
        [(
            "w-0",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        )],
        "only the day-only touchpoint keeps a day"
    );
    let profiles: std::collections::HashSet<_> = all
        .iter()
        .map(|t| t.profile_id.expect("every waiting touchpoint is placed"))
        .collect();
    assert_eq!(profiles.len(), 7, "one profile per customer number");
}

/// Runs the resolver in steps of `step` until nothing waits; how many it placed.
async fn resolve_all(store: &Arc<dyn Store>, step: u32) -> usize {
    let mut placed = 0;
    loop {
        match store.resolve_pending(step).await.unwrap() {
            0 => return placed,
            n => placed += n,
        }
    }
}

/// With later stitching, an event whose identifiers are all on the profile it lands
/// on already (a known customer) is stored placed, its attributes on the profile at
/// once; the rest wait for the resolver. The profiles and persons come out as when
/// every event is placed as it arrives.
async fn known_customers_story(store: &Arc<dyn Store>) {
    let event = |channels: &[Channel], id: &str, ids: serde_json::Value| {
        touchpoint(
            channels,
            json!({"event_id": id, "identifiers": ids, "channel": "store", "kind": "purchase",
                "occurred_at": "2026-11-23T10:00:00Z"}),
        )
    };
    let k1 = json!({"kind": "customer_number", "value": "K1"});
    let bo = json!({"kind": "email", "value": "bo@bok.example"});
    let ny = json!({"kind": "email", "value": "ny@bok.example"});
    let batches = |channels: &[Channel]| {
        let mut gold = event(channels, "k-3", json!([k1]));
        gold.attributes = json!({"tier": "gold"}).as_object().unwrap().clone();
        vec![
            vec![
                event(channels, "k-1", json!([k1])),
                event(channels, "k-2", json!([bo])),
            ],
            vec![
                gold.clone(),
                // A new identifier for K1's profile joins it to bo's: it waits.
                event(channels, "k-4", json!([k1, bo])),
                event(channels, "k-5", json!([ny])),
            ],
            vec![gold, event(channels, "k-6", json!([k1]))],
            vec![event(channels, "k-7", json!([bo, k1]))],
        ]
    };
    // Which events share a profile, and which a person, whatever the ids.
    let grouping = |provider: ProviderId| async move {
        let persons = store
            .persons(provider, PageRequest::default())
            .await
            .unwrap();
        let person = |p: ProfileId| {
            persons
                .iter()
                .find(|x| x.profiles.iter().any(|f| f.id == p))
                .unwrap()
                .id
        };
        let mut by_profile = std::collections::BTreeMap::<_, Vec<String>>::new();
        let mut by_person = std::collections::BTreeMap::<_, Vec<String>>::new();
        for t in store
            .touchpoints(provider, &TouchpointFilter::default())
            .await
            .unwrap()
        {
            let profile = t.profile_id.expect("every touchpoint is placed");
            let event = t.event_id.unwrap();
            by_profile.entry(profile.0).or_default().push(event.clone());
            by_person.entry(person(profile).0).or_default().push(event);
        }
        let sorted = |m: std::collections::BTreeMap<_, Vec<String>>| {
            let mut groups: Vec<Vec<String>> = m
                .into_values()
                .map(|mut g| {
                    g.sort();
                    g
                })
                .collect();
            groups.sort();
            groups
        };
        (sorted(by_profile), sorted(by_person))
    };

    // Every event placed as it arrives: the grouping to match.
    let now = store
        .create_provider(NewProvider::parse(Some("Bokhandeln"), None, None).unwrap())
        .await
        .unwrap()
        .id;
    let channels = store.channels(now).await.unwrap();
    for batch in batches(&channels) {
        store
            .insert_touchpoints(now, batch, Utc::now(), Stitch::Now)
            .await
            .unwrap();
    }

    let shop = store
        .create_provider(NewProvider::parse(Some("Bokhandeln 2"), None, None).unwrap())
        .await
        .unwrap()
        .id;
    let channels = store.channels(shop).await.unwrap();
    let mut batches = batches(&channels).into_iter();
    let insert = async |batch: Vec<NewTouchpoint>| {
        store
            .insert_touchpoints(shop, batch, Utc::now(), Stitch::Later)
            .await
            .unwrap()
    };
    // First sights wait.
    let first = stored(insert(batches.next().unwrap()).await);
    assert!(first.iter().all(|t| t.profile_id.is_none()));
    resolve_all(store, 1000).await;
    let profile_of = async |event: &str| {
        let all = store
            .touchpoints(shop, &TouchpointFilter::default())
            .await
            .unwrap();
        all.into_iter()
            .find(|t| t.event_id.as_deref() == Some(event))
            .unwrap()
            .profile_id
    };
    let k1_profile = profile_of("k-1").await.unwrap();

    // The known customer's second event is stored placed, with its attributes.
    let second = stored(insert(batches.next().unwrap()).await);
    assert_eq!(second[0].profile_id, Some(k1_profile), "a known customer");
    assert_eq!(second[1].profile_id, None, "a new identifier waits");
    assert_eq!(second[2].profile_id, None, "a first sight waits");
    let kept = store.profile(shop, k1_profile).await.unwrap().unwrap();
    assert_eq!(
        serde_json::Value::Object(kept.attributes),
        json!({"tier": "gold"})
    );
    // A duplicate of a placed event is that event; K1's profile still holds all
    // of a third event while k-4 waits.
    let third = insert(batches.next().unwrap()).await;
    assert_eq!(third[0], Outcome::Duplicate(second[0].clone()));
    assert!(matches!(&third[1], Outcome::Stored(t) if t.profile_id == Some(k1_profile)));
    let placed = resolve_all(store, 1000).await;
    assert_eq!(placed, 2, "only the waiting ones are left to the resolver");
    // Once k-4 joined them, K1 and bo are both on the profile it landed on.
    let last = stored(insert(batches.next().unwrap()).await);
    assert_eq!(last[0].profile_id, profile_of("k-4").await);
    assert_eq!(store.resolve_pending(1000).await.unwrap(), 0);

    let (profiles, persons) = grouping(shop).await;
    assert_eq!((profiles.clone(), persons.clone()), grouping(now).await);
    assert_eq!(profiles.len(), 3, "{profiles:?}");
    assert_eq!(persons.len(), 2, "K1 and bo are one person: {persons:?}");
}

async fn coding_story(store: &Arc<dyn Store>, cafe: ProviderId, bank: ProviderId) {
    use motesplats_core::coding::{Codebook, CodingInput};
    use motesplats_core::survey::{Response, ResponseInput, Survey, SurveyInput, SurveyStatus};

    // The codebook: none saved, then saved with version checks.
    assert_eq!(store.codebook(cafe).await.unwrap(), None);
    let book = Codebook::value_landscape();
    let document = serde_json::to_value(&book).unwrap();
    assert_eq!(
        store
            .save_codebook(cafe, None, document.clone())
            .await
            .unwrap(),
        1
    );
    let stale = store.save_codebook(cafe, None, document.clone()).await;
    assert!(
        matches!(&stale, Err(StoreError::Conflict(e)) if e.0[0].field == "version"),
        "{stale:?}"
    );
    assert_eq!(
        store
            .save_codebook(cafe, Some(1), document.clone())
            .await
            .unwrap(),
        2
    );
    assert!(matches!(
        store.save_codebook(cafe, Some(1), document.clone()).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.codebook(cafe).await.unwrap(), Some((2, document)));
    assert_eq!(
        store.codebook(bank).await.unwrap(),
        None,
        "the bank's is its own"
    );
    assert!(matches!(
        store.save_codebook(bank, Some(2), json!({})).await,
        Err(StoreError::Conflict(_))
    ));

    // A survey with an open question and two responses.
    let input: SurveyInput = serde_json::from_value(json!({
        "title": "Besöket",
        "sections": [{"questions": [{"key": "comment", "kind": "open_text", "text": "Berätta!"}]}]
    }))
    .unwrap();
    let survey = Survey::parse(&input)
        .unwrap()
        .with_status(SurveyStatus::Open)
        .unwrap();
    store.create_survey(cafe, survey.clone()).await.unwrap();
    let mut responses = Vec::new();
    for text in ["Kön var lång men personalen trevlig", "Bra kaffe"] {
        let answer: ResponseInput =
            serde_json::from_value(json!({"answers": {"comment": text}})).unwrap();
        let r = Response::parse(&survey, &answer, Utc::now()).unwrap();
        let saved = store
            .save_response(
                cafe,
                r.clone(),
                1,
                ResponseWrite::New {
                    resume_sha256: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(saved, ResponseSaved::Saved);
        responses.push(r);
    }

    // A change names the revision it was read at, and learns in its transaction that
    // responses exist; a response checked against the old revision is not stored.
    let saw = |s: Survey, answered: bool| {
        if answered {
            Ok(s)
        } else {
            Err(motesplats_core::Invalid::one(
                "responses",
                motesplats_core::Reason::NoneSeen,
            ))
        }
    };
    let changed = store
        .change_survey(cafe, survey.id, Some(1), Box::new(saw))
        .await
        .unwrap();
    assert_eq!(changed.revision, 2);
    let stale = store
        .change_survey(cafe, survey.id, Some(1), Box::new(saw))
        .await;
    assert!(
        matches!(&stale, Err(StoreError::Conflict(e)) if e.0[0].field == "if-match"),
        "{stale:?}"
    );
    assert!(matches!(
        store
            .change_survey(bank, survey.id, None, Box::new(saw))
            .await,
        Err(StoreError::NotFound)
    ));
    let late: ResponseInput =
        serde_json::from_value(json!({"answers": {"comment": "Sent"}})).unwrap();
    let late = Response::parse(&survey, &late, Utc::now()).unwrap();
    let write = ResponseWrite::New {
        resume_sha256: None,
    };
    assert_eq!(
        store.save_response(cafe, late, 1, write).await.unwrap(),
        ResponseSaved::SurveyChanged
    );
    assert_eq!(store.responses(cafe, survey.id).await.unwrap(), responses);
    assert_eq!(
        store
            .survey(None, survey.id)
            .await
            .unwrap()
            .unwrap()
            .revision,
        2
    );
    let now = Utc::now().trunc_subsecs(6);
    let coding = |response: usize, start: i64, end: i64, code: &str, coder: &str| {
        let input: CodingInput = serde_json::from_value(json!({
            "response_id": responses[response].id, "question": "comment",
            "start": start, "end": end, "code": code, "coder": coder
        }))
        .unwrap();
        input.parse(&survey, &responses, &book, now).unwrap()
    };
    let queue = coding(0, 0, 12, "setting.physical_place", "anna");
    let staff = coding(0, 17, 35, "stance.like", "anna");
    let coffee = coding(1, 0, 9, "stance.like", "björn");
    for c in [&queue, &staff, &coffee] {
        store.add_coding(cafe, c.clone()).await.unwrap();
    }
    assert_eq!(
        store.codings(cafe, survey.id).await.unwrap(),
        [queue.clone(), staff.clone(), coffee.clone()]
    );
    assert!(store.code_in_use(cafe, "stance.like").await.unwrap());
    assert!(!store.code_in_use(cafe, "digital.useful").await.unwrap());

    // Another provider sees nothing and can change nothing.
    assert!(store.codings(bank, survey.id).await.unwrap().is_empty());
    assert!(!store.code_in_use(bank, "stance.like").await.unwrap());
    assert!(matches!(
        store.delete_coding(bank, queue.id).await,
        Err(StoreError::NotFound)
    ));
    let mut theirs = coding(1, 0, 3, "stance", "mallory");
    assert!(matches!(
        store.add_coding(bank, theirs.clone()).await,
        Err(StoreError::NotFound)
    ));
    // Nor can a coding name a response of another survey.
    theirs.survey_id = motesplats_core::survey::SurveyId::new();
    assert!(matches!(
        store.add_coding(cafe, theirs).await,
        Err(StoreError::NotFound)
    ));

    store.delete_coding(cafe, staff.id).await.unwrap();
    assert!(matches!(
        store.delete_coding(cafe, staff.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store.codings(cafe, survey.id).await.unwrap(),
        [queue, coffee]
    );
}

#[tokio::test]
async fn sqlite_story() {
    let dir = tempfile::tempdir().unwrap();
    let store = motesplats_store::open(dir.path().join("story.db").to_str().unwrap())
        .await
        .unwrap();
    story(store).await;
}

#[tokio::test]
async fn sqlite_reopens_migrated_file_with_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("again.db");
    let store = motesplats_store::open(path.to_str().unwrap())
        .await
        .unwrap();
    let p = store
        .create_provider(NewProvider::parse(Some("Hotellet"), None, None).unwrap())
        .await
        .unwrap();
    drop(store);
    let store = motesplats_store::open(path.to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        store.provider(p.id).await.unwrap().unwrap().name,
        "Hotellet"
    );
}

// PostgreSQL: each test makes its own database, so they run in parallel.
use motesplats_store::postgres::testing::TestDatabase;

#[tokio::test]
async fn postgres_story() {
    let Some(db) = TestDatabase::create("postgres_story").await else {
        return;
    };
    let store = motesplats_store::open(&db.url).await.unwrap();
    assert_eq!(store.backend(), "postgres");
    story(store).await;
    db.drop_database().await;
}

#[tokio::test]
async fn postgres_migrations_are_idempotent() {
    use motesplats_store::postgres::{PgStore, migrate};
    let Some(db) = TestDatabase::create("postgres_migrations_are_idempotent").await else {
        return;
    };
    let store = motesplats_store::open(&db.url).await.unwrap();
    let p = store
        .create_provider(NewProvider::parse(Some("Hotellet"), None, None).unwrap())
        .await
        .unwrap();
    drop(store);

    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let versions = || async {
        sqlx::query_as::<_, (i32, chrono::DateTime<Utc>)>(
            "SELECT version, applied_at FROM schema_migrations ORDER BY version",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    let before = versions().await;
    assert!(!before.is_empty());
    let again = PgStore::connect(&db.url).await.unwrap();
    assert_eq!(migrate(&pool).await.unwrap(), 0, "nothing left to apply");
    assert_eq!(versions().await, before, "no migration was applied twice");
    assert_eq!(
        again.provider(p.id).await.unwrap().unwrap().name,
        "Hotellet"
    );
    pool.close().await;
    db.drop_database().await;
}

#[tokio::test]
async fn postgres_servers_starting_at_once_migrate_once() {
    let Some(db) = TestDatabase::create("postgres_servers_starting_at_once").await else {
        return;
    };
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = db.url.clone();
            tokio::spawn(async move { motesplats_store::open(&url).await.map(|_| ()) })
        })
        .collect();
    for s in starts {
        s.await.unwrap().unwrap();
    }
    db.drop_database().await;
}
