//! The delivery of one-time codes: e-mail over SMTP to a sink the test runs, SMS
//! and unconfigured e-mail to the outbox.

use crate::smtp_sink::SmtpSink;
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
    assert_eq!(mail.header("To"), "asa.lind@example.se");
    assert_eq!(mail.header("From"), FROM);
    assert_eq!(mail.header("Subject"), code().subject);
    assert!(mail.header("Content-Type").contains("charset=utf-8"));
    assert_eq!(mail.body(), code().body);
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
