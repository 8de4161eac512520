//! The first ten minutes as a test: a browser walks the demo in Swedish at a phone's
//! width and at a laptop's. Every page it reaches must fit the screen, say it is Swedish,
//! show no internal key and no English sentence (text a person wrote carries its own
//! `lang` and is skipped), and pass axe-core's WCAG 2.1 A and AA rules.
//!
//! Needs the browser (`scripts/install-browser.sh`) and axe-core (`scripts/install-axe.sh`).

use super::Server;
use super::browser::{chromedriver, demo_sign_in, open_browser, sign_in};
use fantoccini::Client;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::PathBuf;

/// Enough pages to reach every kind of page the demo has, few enough to stay quick.
const PAGES: usize = 45;
/// Pages of one shape (the same path with other ids) that are walked.
const PER_SHAPE: usize = 2;

/// Words that are common in English and are not Swedish words.
const ENGLISH: &[&str] = &[
    "the", "and", "with", "your", "you", "this", "that", "are", "was", "have", "has", "not",
    "will", "our", "of", "to", "from", "which", "there", "been", "please", "yet",
];

/// What a page says about itself, read by one script.
#[derive(Deserialize)]
struct Page {
    lang: String,
    scroll_width: u32,
    inner_width: u32,
    texts: Vec<String>,
    links: Vec<String>,
}

const READ_PAGE: &str = r#"
const texts = [];
const own = (el) => { const l = el.closest('[lang]'); return !l || l === document.documentElement; };
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode, el = node.parentElement;
  if (!el || el.closest('script,style') || !own(el)) continue;
  const t = node.textContent.trim();
  if (t) texts.push(t);
}
for (const el of document.querySelectorAll('[aria-label],[alt],[title],[placeholder]')) {
  if (!own(el)) continue;
  for (const a of ['aria-label', 'alt', 'title', 'placeholder']) {
    const v = el.getAttribute(a); if (v && v.trim()) texts.push(v.trim());
  }
}
texts.push(document.title);
return {
  lang: document.documentElement.lang,
  scroll_width: document.documentElement.scrollWidth,
  inner_width: window.innerWidth,
  texts,
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
};
"#;

const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
  .then(r => done(r.violations.map(v => v.id + ' (' + v.help + '): ' +
       v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
  .catch(e => done(['axe failed: ' + e]));
"#;

/// axe-core's script, or None (after saying so) when it is not installed.
pub(crate) fn axe_source() -> Option<String> {
    let path = std::env::var("MOTESPLATS_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/axe/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if std::env::var("MOTESPLATS_REQUIRE_BROWSER").as_deref() == Ok("1") => {
            panic!(
                "MOTESPLATS_REQUIRE_BROWSER=1 but axe-core is missing at {path:?}: run scripts/install-axe.sh"
            )
        }
        Err(_) => {
            eprintln!(
                "\n*** SKIPPED: the browser walk: axe-core is not installed (run scripts/install-axe.sh) ***\n"
            );
            None
        }
    }
}

/// axe-core's WCAG 2.1 A and AA violations on the page the browser shows.
pub(crate) async fn axe_violations(c: &Client, axe: &str) -> Vec<String> {
    c.execute(&format!("{axe};return true;"), vec![])
        .await
        .unwrap();
    serde_json::from_value(c.execute_async(RUN_AXE, vec![]).await.unwrap()).unwrap()
}

/// The path with ids replaced, and the query's names (and short words, such as a tab).
fn shape(url: &reqwest::Url) -> String {
    let path: Vec<&str> = url
        .path_segments()
        .into_iter()
        .flatten()
        .map(|s| {
            if s.chars().any(|c| c.is_ascii_digit()) || s.len() > 24 {
                "*"
            } else {
                s
            }
        })
        .collect();
    let mut query: Vec<String> = url
        .query_pairs()
        .map(|(k, v)| {
            if v.len() <= 12 && v.chars().all(|c| c.is_ascii_lowercase()) {
                format!("{k}={v}")
            } else {
                k.into_owned()
            }
        })
        .collect();
    query.sort();
    format!("/{}?{}", path.join("/"), query.join("&"))
}

/// Links a person would follow to read more: same server, not a download, not an action.
fn worth_walking(url: &reqwest::Url, origin: &reqwest::Url) -> bool {
    let path = url.path();
    url.origin() == origin.origin()
        && !url.query_pairs().any(|(k, _)| k == "lang" || k == "export")
        && !["/static", "/sign-out", "/lang", "/api", "/healthz"]
            .iter()
            .any(|p| path.starts_with(p))
        && !path.contains("/export")
        && !path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

/// Raw keys and English in the texts of one page.
fn wording(texts: &[String], keys: &BTreeSet<&str>) -> Vec<String> {
    let mut found = Vec::new();
    for text in texts {
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .map(|w| w.trim_matches('.'))
            .filter(|w| !w.is_empty())
            .collect();
        if let Some(key) = words.iter().find(|w| keys.contains(*w)) {
            found.push(format!("internal key {key:?} in {text:?}"));
        }
        let english = words
            .iter()
            .filter(|w| ENGLISH.contains(&w.to_lowercase().as_str()))
            .count();
        if english >= 2 {
            found.push(format!("English on a Swedish page: {text:?}"));
        }
    }
    found
}

/// Walks from the dashboard; every problem found, each naming its page.
async fn walk(c: &Client, base: &str, axe: &str, keys: &BTreeSet<&str>) -> Vec<String> {
    let origin = reqwest::Url::parse(base).unwrap();
    let mut problems = Vec::new();
    let mut queue = VecDeque::from([origin.join("/dashboard").unwrap()]);
    let mut seen = BTreeSet::new();
    let mut shapes: HashMap<String, usize> = HashMap::new();
    let mut walked = 0;
    while let Some(url) = queue.pop_front() {
        if walked == PAGES {
            break;
        }
        let per_shape = shapes.entry(shape(&url)).or_default();
        if *per_shape == PER_SHAPE || !seen.insert(url.to_string()) {
            continue;
        }
        *per_shape += 1;
        walked += 1;
        c.goto(url.as_str()).await.unwrap();
        let page: Page =
            serde_json::from_value(c.execute(READ_PAGE, vec![]).await.unwrap()).unwrap();
        let at = url.as_str().trim_start_matches(base);
        if page.lang != "sv" {
            problems.push(format!("{at}: lang={:?}, not sv", page.lang));
        }
        if page.scroll_width > page.inner_width {
            problems.push(format!(
                "{at}: {} px wide in a {} px window",
                page.scroll_width, page.inner_width
            ));
        }
        problems.extend(
            wording(&page.texts, keys)
                .into_iter()
                .map(|p| format!("{at}: {p}")),
        );
        let violations = axe_violations(c, axe).await;
        problems.extend(violations.into_iter().map(|v| format!("{at}: axe {v}")));
        for link in page.links {
            if let Ok(next) = reqwest::Url::parse(&link) {
                let mut next = next;
                next.set_fragment(None);
                if worth_walking(&next, &origin) && !seen.contains(next.as_str()) {
                    queue.push_back(next);
                }
            }
        }
    }
    // The demo has a dashboard, customers, a project, two surveys and their pages.
    assert!(walked >= 15, "the walk reached only {walked} pages");
    eprintln!("walked {walked} pages from {}", shapes.len());
    problems
}

#[tokio::test]
async fn the_demo_reads_in_swedish_on_a_phone_and_a_laptop() {
    let Some((_driver, webdriver)) = chromedriver() else {
        return;
    };
    let Some(axe) = axe_source() else {
        return;
    };
    let keys = motesplats_core::keys::internal_keys();
    let dir = tempfile::tempdir().unwrap();
    let demo_db = dir.path().join("demo.db").display().to_string();
    let mut server = Server::start(
        &["--demo"],
        &[("MOTESPLATS_DEMO_DATABASE", demo_db.as_str())],
    );
    let (email, password) = demo_sign_in(&mut server);

    let mut problems = Vec::new();
    for window in ["375,812", "1280,1000"] {
        let profile = dir.path().join(window.replace(',', "x"));
        let browser = open_browser(&webdriver, &profile, window).await;
        sign_in(&browser, &server.url, &email, &password).await;
        let found = walk(&browser, &server.url, &axe, &keys).await;
        problems.extend(found.into_iter().map(|p| format!("[{window}] {p}")));
        browser.close().await.unwrap();
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problems on the walk:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_wording_check_finds_keys_and_english_but_not_swedish() {
    let keys = BTreeSet::from(["loyalty_card", "review.posted", "open"]);
    let texts = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(
        wording(
            &texts(&["Köp på kaféet", "Status: öppen", "3,7 av 5."]),
            &keys
        )
        .is_empty()
    );
    assert_eq!(wording(&texts(&["Kort: loyalty_card"]), &keys).len(), 1);
    assert_eq!(wording(&texts(&["review.posted."]), &keys).len(), 1);
    assert_eq!(
        wording(&texts(&["Sign in to see the board"]), &keys).len(),
        1
    );
}
