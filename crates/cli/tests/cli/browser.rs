//! The README's first command as a person would use it: `serve --demo`, then a real
//! headless Chromium signs in, loads the dashboard and finds the chart.
//!
//! Needs Debian's chromium and chromedriver (`scripts/install-browser.sh`). Without
//! them the test says loudly that it was skipped, unless MOTESPLATS_REQUIRE_BROWSER=1.

use super::Server;
use fantoccini::{ClientBuilder, Locator};
use serde_json::json;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// chromedriver on a free port, or None (after saying so) when the browser is absent.
pub(crate) fn chromedriver() -> Option<(Driver, String)> {
    if !installed("chromium") || !installed("chromedriver") {
        if std::env::var("MOTESPLATS_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "MOTESPLATS_REQUIRE_BROWSER=1 but chromium or chromedriver is missing: run scripts/install-browser.sh"
            );
        }
        eprintln!(
            "\n*** SKIPPED: browser test: chromium and chromedriver are not installed (run scripts/install-browser.sh) ***\n"
        );
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some((Driver(child), format!("http://127.0.0.1:{port}")))
}

#[tokio::test]
async fn a_person_signs_in_to_the_demo_and_sees_the_chart() {
    let Some((_driver, webdriver)) = chromedriver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let demo_db = dir.path().join("demo.db").display().to_string();
    let mut server = Server::start(
        &["--demo"],
        &[("MOTESPLATS_DEMO_DATABASE", demo_db.as_str())],
    );
    let sign_in = server
        .stdout
        .next()
        .expect("the demo sign-in line")
        .unwrap();
    let (email, password) = sign_in
        .split_once(" sign in as ")
        .and_then(|(_, rest)| rest.split_once(" with password "))
        .map(|(e, p)| (e.to_string(), p.trim().to_string()))
        .unwrap_or_else(|| panic!("no sign-in in {sign_in:?}"));

    let profile = dir.path().join("chromium");
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--lang=sv-SE", "--window-size=1280,1000",
                     format!("--user-data-dir={}", profile.display())],
            "prefs": {"intl.accept_languages": "sv-SE,sv"}
        }
    });
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities.as_object().unwrap().clone())
        .connect(&webdriver)
        .await
        .expect("connect to chromedriver");

    browser.goto(&server.url).await.unwrap();
    assert!(
        browser
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/sign-in"),
        "signed-out visitors are sent to sign in"
    );
    let heading = browser
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "Logga in", "the browser asks for Swedish");
    browser
        .find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(&email)
        .await
        .unwrap();
    browser
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(&password)
        .await
        .unwrap();
    browser
        .find(Locator::Id("sign-in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let chart = browser
        .wait()
        .for_element(Locator::Css("svg#channel-chart"))
        .await
        .expect("the dashboard's chart");
    let bars = chart.find_all(Locator::Css("rect")).await.unwrap();
    assert!(
        bars.len() > 4,
        "the chart draws bars for the demo data ({} rects)",
        bars.len()
    );
    let total = browser
        .find(Locator::Id("total-touchpoints"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        total.parse::<u64>().unwrap() > 100,
        "demo touchpoints are counted: {total}"
    );

    browser
        .find(Locator::Id("switch-language"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = browser
        .wait()
        .for_element(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "Dashboard", "switched to English");

    browser.close().await.unwrap();
    server.kill();
}
