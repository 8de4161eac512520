//! A tiny SMTP server for the tests: it speaks just enough SMTP for lettre (no
//! STARTTLS, no AUTH) and keeps what it receives. Shared with the CLI's tests.

use base64::Engine;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// One message as it arrived: the envelope and the raw DATA, dot-stuffing undone.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The header `name`, unfolded and with its RFC 2047 words (lettre writes
    /// `=?utf-8?b?…?=`) decoded.
    pub fn header(&self, name: &str) -> String {
        let (head, _) = self.data.split_once("\r\n\r\n").unwrap();
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let prefix = format!("{}: ", name.to_ascii_lowercase());
        let line = unfolded
            .split("\r\n")
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .unwrap_or_else(|| panic!("no {name} header in {head}"));
        let value = &line[prefix.len()..];
        // The space between two encoded words is folding, not text (RFC 2047 §6.2).
        let mut decoded = Vec::new();
        let mut after_encoded = false;
        for (n, word) in value.split(' ').enumerate() {
            let encoded = word
                .strip_prefix("=?utf-8?b?")
                .and_then(|w| w.strip_suffix("?="));
            if n > 0 && !(after_encoded && encoded.is_some()) {
                decoded.push(b' ');
            }
            match encoded {
                Some(encoded) => decoded.extend(base64_decode(encoded)),
                None => decoded.extend(word.as_bytes()),
            }
            after_encoded = encoded.is_some();
        }
        String::from_utf8(decoded).unwrap()
    }

    /// The body, which `Deliver` always sends in base64, decoded with its CRLFs made LFs.
    pub fn body(&self) -> String {
        assert_eq!(self.header("Content-Transfer-Encoding"), "base64");
        let (_, body) = self.data.split_once("\r\n\r\n").unwrap();
        let decoded = base64_decode(&body.replace("\r\n", ""));
        String::from_utf8(decoded).unwrap().replace("\r\n", "\n")
    }
}

fn base64_decode(encoded: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap()
}

pub struct SmtpSink {
    addr: SocketAddr,
    received: watch::Receiver<Vec<Received>>,
    accepting: JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (keep, received) = watch::channel(Vec::new());
        let accepting = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let keep = keep.clone();
                tokio::spawn(async move {
                    // A client that hangs up mid-way only ends its own session.
                    let _ = session(stream, &keep).await;
                });
            }
        });
        SmtpSink {
            addr,
            received,
            accepting,
        }
    }

    /// The plain `smtp://` URL lettre connects to.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// The messages received, once there are at least `n`; panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let mut received = self.received.clone();
        match tokio::time::timeout(timeout, received.wait_for(|r| r.len() >= n)).await {
            Ok(Ok(received)) => received.clone(),
            Ok(Err(_)) => panic!("the SMTP sink stopped"),
            Err(_) => panic!(
                "the SMTP sink received {} of {n} messages in {timeout:?}",
                self.received.borrow().len()
            ),
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

async fn session(stream: TcpStream, keep: &watch::Sender<Vec<Received>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP ready\r\n").await?;
    let mut from = String::new();
    let mut to = Vec::new();
    while let Some(line) = lines.next_line().await? {
        let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                from.clear();
                to.clear();
                b"250 OK\r\n"
            }
            "MAIL" => {
                from = within_angles(&line);
                to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                to.push(within_angles(&line));
                b"250 OK\r\n"
            }
            "DATA" => {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = Vec::new();
                while let Some(line) = lines.next_line().await? {
                    if line == "." {
                        break;
                    }
                    data.push(line.strip_prefix('.').unwrap_or(&line).to_string());
                }
                keep.send_modify(|received| {
                    received.push(Received {
                        from: std::mem::take(&mut from),
                        to: std::mem::take(&mut to),
                        data: data.join("\r\n"),
                    })
                });
                b"250 OK queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
    Ok(())
}

/// The address in `MAIL FROM:<a@b> BODY=8BITMIME` or `RCPT TO:<a@b>`.
fn within_angles(line: &str) -> String {
    let start = line.find('<').map_or(0, |i| i + 1);
    let end = line[start..].find('>').map_or(line.len(), |i| start + i);
    line[start..end].to_string()
}
