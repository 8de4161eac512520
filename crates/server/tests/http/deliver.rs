//! The delivery of one-time codes: e-mail over SMTP to a sink the test runs, SMS
//! and unconfigured e-mail to the outbox.

use crate::smtp_sink::{Received, SmtpSink};
use base64::Engine;
use motesplats_core::identifier::{Identifier, IdentifierKind};
use motesplats_server::deliver::{Deliver, DeliverError, Message};
use std::time::{Duration, Instant};

const FROM: &str = "Mötesplats <no-reply@motesplats.local>";
const WAIT: Duration = Duration::from_secs(10);

fn email(value: &str) -> Identifier {
    Identifier::parse(IdentifierKind::Email, value, "SE").unwrap()
}

fn phone(value: &str) -> Identifier {
    Identifier::parse(IdentifierKind::Phone, value, "SE").unwrap()
}

fn code() -> Message {
    Message {
        subject: "Din kod till Mötesplats: 482913".into(),
        body: "Hej Åsa!\nDin kod är 482913. Den gäller i tio minuter.\nHälsningar, Mötesplats"
            .into(),
    }
}

/// The header `name` of a received message, unfolded and with its RFC 2047
/// words (lettre writes `=?utf-8?b?…?=`) decoded.
fn header(received: &Received, name: &str) -> String {
    let (head, _) = received.data.split_once("\r\n\r\n").unwrap();
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

fn base64_decode(encoded: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap()
}

/// The body, which `Deliver` always sends in base64, decoded with its CRLFs made LFs.
fn body(received: &Received) -> String {
    assert_eq!(header(received, "Content-Transfer-Encoding"), "base64");
    let (_, body) = received.data.split_once("\r\n\r\n").unwrap();
    let decoded = base64_decode(&body.replace("\r\n", ""));
    String::from_utf8(decoded).unwrap().replace("\r\n", "\n")
}

#[tokio::test]
async fn deliver_email_over_smtp_arrives_whole() {
    let sink = SmtpSink::start().await;
    let deliver = Deliver::new(Some(&sink.url()), FROM).unwrap();
    let to = email("Asa.Lind@Example.SE");
    deliver.send(&to, &code()).await.unwrap();

    let received = sink.wait_for(1, WAIT).await;
    let mail = &received[0];
    assert_eq!(mail.from, "no-reply@motesplats.local");
    assert_eq!(mail.to, ["asa.lind@example.se"]);
    assert_eq!(header(mail, "To"), "asa.lind@example.se");
    assert_eq!(header(mail, "From"), FROM);
    assert_eq!(header(mail, "Subject"), code().subject);
    assert!(header(mail, "Content-Type").contains("charset=utf-8"));
    assert_eq!(body(mail), code().body);
    assert!(deliver.outbox().sent_to(&to).is_empty());
}

#[tokio::test]
async fn deliver_phone_goes_to_the_outbox_not_smtp() {
    let sink = SmtpSink::start().await;
    let deliver = Deliver::new(Some(&sink.url()), FROM).unwrap();
    let mobile = phone("070-123 45 67");
    deliver.send(&mobile, &code()).await.unwrap();
    // The e-mail after it comes over the same transport: had the SMS gone there too,
    // it would have arrived first.
    let mail = email("bo@example.se");
    deliver.send(&mail, &code()).await.unwrap();

    let received = sink.wait_for(1, WAIT).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, ["bo@example.se"]);
    let sms = deliver.outbox().latest(&mobile).unwrap();
    assert_eq!(sms.to.value, "+46701234567");
    assert_eq!(sms.subject, None);
    assert_eq!(sms.body, code().body);
    assert!(deliver.outbox().sent_to(&mail).is_empty());
}

#[tokio::test]
async fn deliver_email_without_smtp_goes_to_the_outbox() {
    let deliver = Deliver::new(None, FROM).unwrap();
    let to = email("cilla@example.se");
    deliver.send(&to, &code()).await.unwrap();
    let kept = deliver.outbox().sent_to(&to);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].subject.as_deref(), Some(code().subject.as_str()));
    assert_eq!(kept[0].body, code().body);
}

#[tokio::test]
async fn deliver_bad_settings_are_named() {
    for url in [
        "not a url",
        "http://mail.example.se",
        "smtp://mail.example.se?tls=sometimes",
    ] {
        let Err(e) = Deliver::new(Some(url), FROM) else {
            panic!("{url} was taken");
        };
        assert!(matches!(e, DeliverError::SmtpUrl(_)), "{url}: {e}");
        assert!(e.to_string().starts_with("smtp URL: "), "{e}");
    }
    let Err(e) = Deliver::new(None, "Mötesplats <no-reply>") else {
        panic!("a from address without a domain was taken");
    };
    assert!(e.to_string().starts_with("from address: "), "{e}");
}

#[tokio::test]
async fn deliver_to_a_relay_that_is_down_fails_quickly() {
    let port = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let deliver = Deliver::new(Some(&format!("smtp://127.0.0.1:{port}")), FROM).unwrap();
    let started = Instant::now();
    let e = deliver
        .send(&email("dan@example.se"), &code())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(matches!(e, DeliverError::Smtp(_)), "{e}");
    assert!(e.to_string().starts_with("e-mail over SMTP: "), "{e}");
}

#[tokio::test]
async fn deliver_to_a_relay_that_never_answers_times_out() {
    // Takes the connection and says nothing: the transport's timeout must end it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let deliver = Deliver::new(Some(&url), FROM).unwrap();
    let started = Instant::now();
    let e = deliver
        .send(&email("eva@example.se"), &code())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(e.to_string(), "e-mail over SMTP: no answer within 10s");
    silent.abort();
}
