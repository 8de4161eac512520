//! Segment's and RudderStack's Python SDKs against the real server: every message
//! each SDK sends is stored once, with the identifiers, channel and properties the
//! mapping promises; and when the server is killed while they send, their retries
//! store nothing twice and lose nothing.
//!
//! Needs the SDKs from `scripts/tracking/install.sh`. Without them the tests say
//! loudly that they were skipped, unless MOTESPLATS_REQUIRE_TRACKING_SDKS=1.

use super::{Server, identifiers};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The SDKs' Python, or None (after saying so) when they are not installed.
fn python() -> Option<PathBuf> {
    let python = PathBuf::from(ROOT).join("target/tracking-sdks/venv/bin/python");
    let installed = Command::new(&python)
        .args(["-c", "import segment.analytics, rudderstack.analytics"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if installed {
        return Some(python);
    }
    if std::env::var("MOTESPLATS_REQUIRE_TRACKING_SDKS").as_deref() == Ok("1") {
        panic!(
            "MOTESPLATS_REQUIRE_TRACKING_SDKS=1 but the tracking SDKs are missing: run scripts/tracking/install.sh"
        );
    }
    eprintln!(
        "\n*** SKIPPED: tracking SDK test: the SDKs are not installed (run scripts/tracking/install.sh) ***\n"
    );
    None
}

/// `scripts/tracking/send.py` with `sdk`, pointed at the server as a provider would
/// point it (the SDK adds `/v1/batch`), running.
fn send(
    python: &PathBuf,
    sdk: &str,
    server: &Server,
    key: &str,
    tag: &str,
    extra: &[&str],
) -> Child {
    let host = format!("{}/tracking", server.url);
    Command::new(python)
        .arg(PathBuf::from(ROOT).join("scripts/tracking/send.py"))
        .args(["--sdk", sdk, "--host", &host, "--key", key, "--tag", tag])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start send.py")
}

/// The messages the SDK made, (messageId, type), once it has delivered them all.
fn delivered(child: Child) -> Vec<(String, String)> {
    let out = child.wait_with_output().expect("send.py ends");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("\"done\": true"),
        "send.py failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    BufReader::new(stdout.as_bytes())
        .lines()
        .map(|l| serde_json::from_str::<Value>(&l.unwrap()).unwrap())
        .filter(|v| v.get("messageId").is_some())
        .map(|v| {
            (
                v["messageId"].as_str().unwrap().to_string(),
                v["type"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// How many touchpoints the provider has.
async fn count(http: &reqwest::Client, server: &Server, key: &str) -> usize {
    let page = server.api(http, key, "/touchpoints?limit=1000").await;
    page["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn the_python_sdks_store_every_message_once_as_the_mapping_promises() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("sdk.db").display().to_string();
    let server = Server::on(&database);
    let http = reqwest::Client::new();
    let key = server.provider_key(&http, "Kanelbullen").await;
    let mut sent = Vec::new();
    for sdk in ["segment", "rudder"] {
        let messages = delivered(send(&python, sdk, &server, &key, sdk, &[]));
        assert_eq!(messages.len(), 6, "{sdk}: {messages:?}");
        sent.extend(messages.into_iter().map(|(id, kind)| (id, kind, sdk)));
    }
    let all = server.placed(&http, &key, sent.len()).await;
    assert_eq!(all.len(), sent.len(), "stored once each: {all:?}");
    let by_id: HashMap<&str, &Value> = all
        .iter()
        .map(|t| (t["event_id"].as_str().unwrap(), t))
        .collect();
    for (id, kind, sdk) in &sent {
        let t = by_id
            .get(id.as_str())
            .unwrap_or_else(|| panic!("{sdk} {kind} {id} was not stored"));
        let (expected_kind, channel) = match kind.as_str() {
            "identify" => ("identify", "web"),
            "track" => ("purchase", "web"),
            "page" => ("page_view", "forum"),
            "screen" => ("screen_view", "app"),
            "alias" => ("alias", "web"),
            "group" => ("group", "web"),
            other => panic!("{sdk} sent a {other}"),
        };
        assert_eq!(
            (t["kind"].as_str(), t["channel"].as_str()),
            (Some(expected_kind), Some(channel)),
            "{sdk} {kind}: {t}"
        );
        match kind.as_str() {
            "track" => assert_eq!(t["properties"]["revenue"], 245, "{t}"),
            "page" => assert_eq!(
                t["properties"]["url"], "https://kanelbullen.se/lunch",
                "{t}"
            ),
            "screen" => assert_eq!(t["properties"]["name"], "Kundkort", "{t}"),
            "group" => assert_eq!(t["properties"]["group_id"], format!("g-{sdk}"), "{t}"),
            _ => {}
        }
    }
    // Each SDK's person is one profile holding its ids; the group's e-mail is not theirs.
    for sdk in ["segment", "rudder"] {
        let profiles: Vec<&Value> = sent
            .iter()
            .filter(|(_, _, s)| *s == sdk)
            .map(|(id, _, _)| &by_id[id.as_str()]["profile_id"])
            .collect();
        assert!(
            profiles.iter().all(|p| *p == profiles[0]),
            "{sdk}: {profiles:?}"
        );
        let profile = server
            .api(
                &http,
                &key,
                &format!("/profiles/{}", profiles[0].as_str().unwrap()),
            )
            .await;
        let ids = identifiers(&profile);
        assert_eq!(
            ids,
            [
                format!("customer_number:u-{sdk}"),
                format!("device_id:a-{sdk}"),
                format!("email:{sdk}@example.se")
            ],
            "{profile}"
        );
        assert_eq!(
            profile["attributes"]["given_name"], "Eva",
            "{sdk}: {profile}"
        );
    }
}

#[tokio::test]
async fn sdk_retries_after_a_killed_server_store_nothing_twice_and_lose_nothing() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("kill.db").display().to_string();
    let mut server = Server::on(&database);
    let http = reqwest::Client::new();
    let key = server.provider_key(&http, "Kanelbullen").await;
    for sdk in ["segment", "rudder"] {
        let before = count(&http, &server, &key).await;
        // One message at a time, each flushed, so the kill lands between and inside
        // requests rather than after all of them.
        let child = send(
            &python,
            sdk,
            &server,
            &key,
            &format!("kill-{sdk}"),
            &["--extra", "60", "--pause", "0.02"],
        );
        let started = Instant::now();
        while count(&http, &server, &key).await < before + 15 {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{sdk} sent too little"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server.kill();
        tokio::time::sleep(Duration::from_millis(700)).await;
        server = Server::again(&database, &server);
        let messages = delivered(child);
        assert_eq!(messages.len(), 66, "{sdk}");
        let all = server.placed(&http, &key, before + messages.len()).await;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for t in &all {
            *seen.entry(t["event_id"].as_str().unwrap()).or_default() += 1;
        }
        for (id, kind) in &messages {
            assert_eq!(seen.get(id.as_str()), Some(&1), "{sdk} {kind} {id}");
        }
        assert_eq!(
            all.len(),
            before + messages.len(),
            "{sdk}: nothing else stored"
        );
    }
}
