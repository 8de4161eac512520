//! Segment's browser SDK, @segment/analytics-next, in a real headless Chromium on a
//! test page of another origin, sends to the real `motesplats serve` through the
//! tracking protocol with a publishable key restricted to that origin: every message
//! it makes is stored once with its kind and channel, and identify, track, page,
//! group and alias land on one person with the customer number, the e-mail and the
//! browser's anonymous id.
//!
//! Needs chromium and chromedriver (`scripts/install-browser.sh`) and the SDK
//! (`scripts/tracking/install.sh`). Without them the test says loudly that it was
//! skipped, unless MOTESPLATS_REQUIRE_BROWSER=1 or MOTESPLATS_REQUIRE_TRACKING_SDKS=1.
//! Nothing is fetched from Segment: the page gives the SDK its settings and serves
//! its chunks itself (`scripts/tracking/page.html`).

use super::browser::{chromedriver, open_browser};
use super::{Server, identifiers};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The workspace's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The SDK's UMD build, or None (after saying so) when it is not installed.
fn sdk_bundles() -> Option<PathBuf> {
    let dir = root().join("target/tracking-sdks/npm/node_modules/@segment/analytics-next/dist/umd");
    if dir.join("index.js").is_file() {
        return Some(dir);
    }
    if std::env::var("MOTESPLATS_REQUIRE_TRACKING_SDKS").as_deref() == Ok("1") {
        panic!(
            "MOTESPLATS_REQUIRE_TRACKING_SDKS=1 but @segment/analytics-next is missing ({}): run scripts/tracking/install.sh",
            dir.display()
        );
    }
    eprintln!(
        "\n*** SKIPPED: tracking browser test: @segment/analytics-next is not installed (run scripts/tracking/install.sh) ***\n"
    );
    None
}

/// The test page's files: `index.html` and the SDK's bundles where the bundle looks
/// for its chunks, `<cdn>/analytics-next/bundles/`.
fn site(bundles: &Path) -> HashMap<String, Vec<u8>> {
    let mut files = HashMap::new();
    let page = std::fs::read(root().join("scripts/tracking/page.html")).unwrap();
    files.insert("/".to_string(), page.clone());
    files.insert("/index.html".to_string(), page);
    for entry in std::fs::read_dir(bundles).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".js") {
            files.insert(
                format!("/analytics-next/bundles/{name}"),
                std::fs::read(&path).unwrap(),
            );
        }
    }
    files
}

/// A tiny static server for the page on its own origin; every request it answers is
/// noted (a path it has no file for is answered 404 and noted too).
struct Site {
    origin: String,
    asked: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Site {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(files: HashMap<String, Vec<u8>>) -> Site {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let files = std::sync::Arc::new(files);
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let noted = asked.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (files, noted) = (files.clone(), noted.clone());
            tokio::spawn(async move {
                let _ = answer(stream, &files, &noted).await;
            });
        }
    });
    Site {
        origin,
        asked,
        task,
    }
}

/// One request, one answer, then the connection is closed.
async fn answer(
    mut stream: TcpStream,
    files: &HashMap<String, Vec<u8>>,
    noted: &std::sync::Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    noted.lock().unwrap().push(path.clone());
    let (status, kind, body) = match files.get(&path) {
        Some(body) if path.ends_with(".js") => ("200 OK", "text/javascript", body.as_slice()),
        Some(body) => ("200 OK", "text/html; charset=utf-8", body.as_slice()),
        None => ("404 Not Found", "text/plain", &b"not here"[..]),
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.shutdown().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn segments_browser_sdk_on_a_page_sends_each_call_once_onto_one_person() {
    let Some(bundles) = sdk_bundles() else {
        return;
    };
    let Some((_driver, webdriver)) = chromedriver() else {
        return;
    };
    let began = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tracking.db").display().to_string();
    let server = Server::on(&database);
    let http = reqwest::Client::new();
    let secret = server.provider_key(&http, "Kanelbullen").await;

    let site = serve(site(&bundles)).await;
    let r = http
        .post(format!("{}/api/v1/api-keys", server.url))
        .bearer_auth(&secret)
        .json(&json!({"label": "web", "kind": "publishable", "origins": [site.origin]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let publishable = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();

    let browser = open_browser(&webdriver, &dir.path().join("chromium"), "1280,1000").await;
    let page_url = format!("{}/", site.origin);
    browser.goto(&page_url).await.unwrap();
    // The SDK's API host is a host and a path, without the protocol.
    let api_host = format!(
        "{}/tracking/v1",
        server.url.strip_prefix("http://").unwrap()
    );
    // Each awaited call resolves once its delivery was tried; the page answers with
    // what it made. WebDriver waits for the returned promise (within its script
    // timeout, 30 s by default).
    let ran = tokio::time::timeout(
        Duration::from_secs(60),
        browser.execute(
            "return window.runTracking(arguments[0]);",
            vec![json!({"writeKey": publishable, "apiHost": api_host})],
        ),
    )
    .await
    .expect("the page's calls did not finish within 60 s")
    .unwrap_or_else(|e| panic!("the page's calls failed: {e}"));
    eprintln!("the SDK made: {ran:#}");

    let sent = ran["sent"].as_array().expect("window.sent").clone();
    let kinds: Vec<&str> = sent.iter().map(|s| s["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["identify", "track", "page", "group", "alias"]);
    for s in &sent {
        assert!(s["failed"].is_null(), "the SDK could not deliver {s}");
    }
    let anonymous = ran["anonymousId"]
        .as_str()
        .expect("the SDK's anonymousId")
        .to_string();
    assert_eq!(ran["userId"], "u-web");
    let missing: Vec<String> = site
        .asked
        .lock()
        .unwrap()
        .iter()
        .filter(|p| !p.starts_with("/analytics-next/bundles/") && *p != "/")
        .cloned()
        .collect();
    assert!(
        missing.iter().all(|p| p == "/favicon.ico"),
        "the page asked for files it does not have: {missing:?}"
    );

    // Every message the SDK made is stored once, with its kind, channel and page.
    let stored = server.placed(&http, &secret, sent.len()).await;
    let expected_kind = HashMap::from([
        ("identify", "identify"),
        ("track", "purchase"),
        ("page", "page_view"),
        ("group", "group"),
        ("alias", "alias"),
    ]);
    for s in &sent {
        let id = s["messageId"].as_str().expect("a messageId");
        let matching: Vec<&Value> = stored.iter().filter(|t| t["event_id"] == id).collect();
        assert_eq!(matching.len(), 1, "{id} stored once: {stored:#?}");
        let t = matching[0];
        let kind = expected_kind[s["type"].as_str().unwrap()];
        assert_eq!(t["kind"], kind, "{id}: {t:#}");
        assert_eq!(t["channel"], "web", "{id}: {t:#}");
        let p = &t["properties"];
        let url = p["page"]["url"].as_str().or(p["url"].as_str());
        assert_eq!(url, Some(page_url.as_str()), "{id}'s page: {t:#}");
    }
    let order = stored.iter().find(|t| t["kind"] == "purchase").unwrap();
    assert_eq!(order["properties"]["revenue"], 99, "{order:#}");

    // Nothing from (or to) Segment: the chunks came from the page's origin and the
    // messages went to the server's one-letter paths. The browser notes a fetch once
    // its answer is read to the end, which the SDK does not wait for: ask until all
    // five are noted.
    let started = Instant::now();
    loop {
        let fetched: Vec<String> = browser
            .execute(
                "return performance.getEntriesByType('resource').map((e) => e.name);",
                vec![],
            )
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_string())
            .collect();
        for url in &fetched {
            assert!(
                url.starts_with(&site.origin) || url.starts_with(&server.url),
                "the page fetched {url} from elsewhere: {fetched:#?}"
            );
        }
        let unposted: Vec<String> = ["i", "t", "p", "g", "a"]
            .iter()
            .map(|path| format!("{}/tracking/v1/{path}", server.url))
            .filter(|to| !fetched.contains(to))
            .collect();
        if unposted.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the browser noted no post to {unposted:?}: {fetched:#?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // identify joined the customer number, the e-mail and the browser's id.
    let profile = stored[0]["profile_id"].as_str().unwrap();
    assert!(
        stored.iter().all(|t| t["profile_id"] == profile),
        "all on one person: {stored:#?}"
    );
    let p = server
        .api(&http, &secret, &format!("/profiles/{profile}"))
        .await;
    let ids = identifiers(&p);
    for id in [
        "customer_number:u-web".to_string(),
        "email:web@example.se".to_string(),
        format!("device_id:{anonymous}"),
    ] {
        assert!(ids.contains(&id), "{id} on the person: {ids:?}");
    }

    browser.close().await.unwrap();
    eprintln!("tracking browser test took {:?}", began.elapsed());
}
