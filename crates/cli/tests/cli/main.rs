//! The real `motesplats` binary, started as a process. One test binary, a module per story.

mod backup;
mod browser;
mod crash;
mod demo;
mod full_disk;
mod import;
mod journeys_cli;
mod person_browser;
mod project;
mod research_browser;
// The server's SMTP sink, to read the sign-in codes the real binary mails.
#[path = "../../../server/tests/http/smtp_sink.rs"]
mod smtp_sink;
mod survey_browser;
mod survey_cli;
mod tracking_browser;
mod tracking_sdks;
mod walk;

use std::io::{BufRead, BufReader, Lines};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

/// The operator token of servers started with [`Server::on`].
pub const OPERATOR: &str = "operator-for-cli-tests";

/// A running `motesplats serve`, killed with SIGKILL when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    /// The rest of what the server prints on stdout.
    pub stdout: Lines<BufReader<ChildStdout>>,
}

impl Server {
    /// Starts the server on a free port with extra arguments and environment.
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::listening("127.0.0.1:0", args, env)
    }

    /// Starts the server on `listen` (a restart on the address it had before).
    pub fn listening(listen: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_motesplats"))
            .args(["serve", "--listen", listen])
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start motesplats");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let line = stdout
            .next()
            .expect("the server printed nothing")
            .expect("read stdout");
        let url = line
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Server { child, url, stdout }
    }

    /// Starts the server on `database` with operator actions on (token [`OPERATOR`]).
    pub fn on(database: &str) -> Server {
        Server::start(
            &["--database", database],
            &[("MOTESPLATS_OPERATOR_TOKEN", OPERATOR)],
        )
    }

    /// [`Server::on`] again, at the address of a server that was killed.
    pub fn again(database: &str, killed: &Server) -> Server {
        let address = killed.url.trim_start_matches("http://");
        Server::listening(
            address,
            &["--database", database],
            &[("MOTESPLATS_OPERATOR_TOKEN", OPERATOR)],
        )
    }

    /// Creates a provider over HTTP (operator token); its secret API key.
    pub async fn provider_key(&self, http: &reqwest::Client, name: &str) -> String {
        let created: serde_json::Value = http
            .post(format!("{}/api/v1/providers", self.url))
            .bearer_auth(OPERATOR)
            .json(&serde_json::json!({ "name": name }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        created["api_key"]["token"].as_str().unwrap().to_string()
    }

    /// `GET /api/v1{path}` with `key`, which must succeed; its JSON.
    pub async fn api(&self, http: &reqwest::Client, key: &str, path: &str) -> serde_json::Value {
        let r = http
            .get(format!("{}/api/v1{path}", self.url))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().await.unwrap()
    }

    /// The provider's touchpoints once there are `count` and every one is placed on
    /// a profile; never more than `count` on the way.
    pub async fn placed(
        &self,
        http: &reqwest::Client,
        key: &str,
        count: usize,
    ) -> Vec<serde_json::Value> {
        let started = std::time::Instant::now();
        loop {
            let page = self.api(http, key, "/touchpoints?limit=1000").await;
            let items = page["items"].as_array().unwrap().clone();
            assert!(
                items.len() <= count,
                "more touchpoints ({}) than messages sent ({count}): {items:#?}",
                items.len()
            );
            if items.len() == count && items.iter().all(|t| !t["profile_id"].is_null()) {
                return items;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "{count} touchpoints were not stored and placed within 30 s; now: {items:#?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown hooks, no flushing, like a crash.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs the binary with `args` and no database from the environment.
pub fn motesplats(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_motesplats"))
        .args(args)
        .env("MOTESPLATS_LOG", "warn")
        .env_remove("MOTESPLATS_DATABASE")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run motesplats")
}

/// A profile's identifiers as `kind:value`, sorted.
pub fn identifiers(profile: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = profile["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}:{}",
                i["kind"].as_str().unwrap(),
                i["value"].as_str().unwrap()
            )
        })
        .collect();
    ids.sort();
    ids
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs a command that must succeed; its stdout.
pub fn ok(args: &[&str]) -> Vec<u8> {
    let out = motesplats(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    out.stdout
}

/// A fresh provider in `database`: its id and secret API key, as `provider create`
/// prints them.
pub fn provider(database: &str, name: &str, email: &str) -> (String, String) {
    let stdout = text(&ok(&[
        "provider",
        "create",
        "--name",
        name,
        "--admin-email",
        email,
        "--database",
        database,
    ]));
    let shown = |label: &str| -> String {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(label))
            .unwrap_or_else(|| panic!("no {label:?} in {stdout}"))
            .trim()
            .to_string()
    };
    let id = shown("provider:")
        .rsplit_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .expect("an id in parentheses")
        .to_string();
    (id, shown("API key:"))
}
