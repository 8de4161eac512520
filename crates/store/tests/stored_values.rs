//! Stored values the program does not know are errors, never a guess: a key of an
//! unknown kind grants nothing, a time no calendar holds is not read as 1970, and
//! the schemas refuse such rows in the first place.

use motesplats_core::NewProvider;
use motesplats_store::postgres::testing::TestDatabase;
use motesplats_store::{KeyKind, NewApiKey, Store};
use std::sync::Arc;

/// A provider with one secret key whose token hashes to `[9; 32]`.
async fn provider_with_key(store: &Arc<dyn Store>) -> motesplats_core::ProviderId {
    let p = store
        .create_provider(NewProvider::parse(Some("Banken"), None, None).unwrap())
        .await
        .unwrap();
    let key = NewApiKey {
        label: "till".into(),
        kind: KeyKind::Secret,
        origins: vec![],
    };
    store.create_api_key(p.id, key, [9; 32]).await.unwrap();
    p.id
}

#[tokio::test]
async fn sqlite_keys_of_unknown_kind_are_refused_and_grant_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.db");
    let store = motesplats_store::open(path.to_str().unwrap())
        .await
        .unwrap();
    let provider = provider_with_key(&store).await;
    let raw = rusqlite::Connection::open(&path).unwrap();
    let err = raw
        .execute("UPDATE api_keys SET kind = 'admin'", [])
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");

    // A row that got past the schema anyway (written by hand, around the check).
    raw.execute_batch("PRAGMA ignore_check_constraints = ON; UPDATE api_keys SET kind = 'admin'")
        .unwrap();
    assert!(
        store.key_grant([9; 32]).await.is_err(),
        "an unknown kind must not read as a secret key"
    );
    assert!(store.api_keys(provider).await.is_err());
}

#[tokio::test]
async fn sqlite_corrupt_times_are_errors_not_1970() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("times.db");
    let store = motesplats_store::open(path.to_str().unwrap())
        .await
        .unwrap();
    let provider = provider_with_key(&store).await;
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "UPDATE providers SET created_at = 9223372036854775807; UPDATE api_keys SET created_at = -9223372036854775807",
    )
    .unwrap();
    let read = store.provider(provider).await;
    assert!(read.is_err(), "read {read:?}");
    let keys = store.api_keys(provider).await;
    assert!(keys.is_err(), "read {keys:?}");
}

#[tokio::test]
async fn postgres_keys_of_unknown_kind_are_refused() {
    let Some(db) = TestDatabase::create("postgres_keys_of_unknown_kind_are_refused").await else {
        return;
    };
    let store = motesplats_store::open(&db.url).await.unwrap();
    provider_with_key(&store).await;
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let err = sqlx::query("UPDATE api_keys SET kind = 'admin'")
        .execute(&pool)
        .await
        .unwrap_err();
    let code = err.as_database_error().and_then(|d| d.code()).unwrap();
    assert_eq!(code, "23514", "a check violation: {err}");
    assert_eq!(
        store.key_grant([9; 32]).await.unwrap().unwrap().kind,
        KeyKind::Secret
    );
    pool.close().await;
    db.drop_database().await;
}
