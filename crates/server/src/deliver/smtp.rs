//! E-mail over SMTP with lettre (rustls, never OpenSSL).

use super::{DeliverError, Message};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// How long a whole send may take: a person waits for the code, and a relay that is
/// down or silent must not hold the request. lettre's own timeout bounds only the
/// connect when async, so the conversation gets this one too.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub(super) struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    pub(super) fn new(url: &str, from: Mailbox) -> Result<Smtp, DeliverError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(DeliverError::SmtpUrl)?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        Ok(Smtp { transport, from })
    }

    pub(super) async fn send(&self, to: &str, message: &Message) -> Result<(), DeliverError> {
        let to: Mailbox = to.parse().map_err(DeliverError::Recipient)?;
        // Base64 passes any relay (no 8BITMIME needed) and keeps å, ä and ö whole.
        let body = Body::new_with_encoding(message.body.clone(), ContentTransferEncoding::Base64)
            .expect("base64 encodes any text");
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&message.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(DeliverError::Compose)?;
        match tokio::time::timeout(SEND_TIMEOUT, self.transport.send(email)).await {
            Ok(sent) => sent.map(drop).map_err(DeliverError::Smtp),
            Err(_) => Err(DeliverError::SmtpTimeout(SEND_TIMEOUT)),
        }
    }
}
