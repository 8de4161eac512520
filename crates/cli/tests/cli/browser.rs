//! The README's first command as a person would use it: `serve --demo`, then a real
//! headless Chromium signs in, loads the dashboard and finds the chart.
//!
//! Needs Debian's chromium and chromedriver (`scripts/install-browser.sh`). Without
//! them the test says loudly that it was skipped, unless MOTESPLATS_REQUIRE_BROWSER=1.

use super::Server;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::net::TcpListener;
use std::path::Path;
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

/// The e-mail and password `serve --demo` prints on its first line.
pub(crate) fn demo_sign_in(server: &mut Server) -> (String, String) {
    let line = server
        .stdout
        .next()
        .expect("the demo sign-in line")
        .unwrap();
    line.split_once(" sign in as ")
        .and_then(|(_, rest)| rest.split_once(" with password "))
        .map(|(e, p)| (e.to_string(), p.trim().to_string()))
        .unwrap_or_else(|| panic!("no sign-in in {line:?}"))
}

/// A headless Chromium asking for Swedish, with its own profile folder and window size
/// (`"375,812"` for a phone).
pub(crate) async fn open_browser(webdriver: &str, profile: &Path, window: &str) -> Client {
    let mut options = json!({
        "binary": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--lang=sv-SE", format!("--window-size={window}"),
                 format!("--user-data-dir={}", profile.display())],
        "prefs": {"intl.accept_languages": "sv-SE,sv"}
    });
    // A desktop window has a minimum width of about 500 px; a phone's viewport is
    // emulated instead, as the browser's device toolbar does.
    let (width, height) = window.split_once(',').expect("window as \"width,height\"");
    let (width, height): (u32, u32) = (width.parse().unwrap(), height.parse().unwrap());
    if width < 500 {
        options["mobileEmulation"] =
            json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}});
    }
    let capabilities = json!({ "goog:chromeOptions": options });
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities.as_object().unwrap().clone())
        .connect(webdriver)
        .await
        .expect("connect to chromedriver")
}

/// Signs in through the form and waits for the dashboard.
pub(crate) async fn sign_in(c: &Client, url: &str, email: &str, password: &str) {
    c.goto(&format!("{url}/sign-in")).await.unwrap();
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    c.find(Locator::Id("sign-in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("svg#mix-chart"))
        .await
        .expect("signed in: the dashboard");
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
    let (email, password) = demo_sign_in(&mut server);

    let browser = open_browser(&webdriver, &dir.path().join("chromium"), "1280,1000").await;

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
    sign_in(&browser, &server.url, &email, &password).await;
    let chart = browser.find(Locator::Css("svg#mix-chart")).await.unwrap();
    let bars = chart.find_all(Locator::Css("rect")).await.unwrap();
    assert!(
        bars.len() > 4,
        "the chart draws bars for the demo data ({} rects)",
        bars.len()
    );
    let total = browser
        .find(Locator::Id("touchpoints-count"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        // Grouped by thousands as the page's language writes them.
        total
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse::<u64>()
            .unwrap()
            > 100,
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
