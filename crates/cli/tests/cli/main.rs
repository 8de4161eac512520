//! The real `motesplats` binary, started as a process. One test binary, a module per story.

mod browser;
mod crash;
mod import;
mod project;
mod research_browser;
mod survey_browser;
mod survey_cli;

use std::io::{BufRead, BufReader, Lines};
use std::process::{Child, ChildStdout, Command, Stdio};

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
        let mut child = Command::new(env!("CARGO_BIN_EXE_motesplats"))
            .args(["serve", "--listen", "127.0.0.1:0"])
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
