//! The delivery of short messages, such as one-time codes, to an e-mail address or a
//! phone number a person owns. E-mail goes over SMTP when a URL is configured; SMS
//! goes through an [`SmsSender`]. Whatever has no transport lands in the in-memory
//! [`Outbox`], so that an unconfigured server still works (and a demo can show it).

mod outbox;
mod smtp;

pub use outbox::{Outbox, Sent};

use async_trait::async_trait;
use motesplats_core::identifier::{Identifier, IdentifierKind};
use std::sync::Arc;

/// A plain-text message; the subject is for e-mail only (an SMS is its body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// What an SMS gateway's own failure is; kept whole for [`DeliverError::Sms`].
pub type GatewayError = Box<dyn std::error::Error + Send + Sync>;

/// Sends an SMS; a real gateway plugs in here through [`Deliver::with_sms`].
#[async_trait]
pub trait SmsSender: Send + Sync {
    /// Sends `body` to `phone`, in E.164 (`+46701234567`).
    async fn send_sms(&self, phone: &str, body: &str) -> Result<(), GatewayError>;
}

/// Why a message was not delivered, or a setting not taken. Neither the recipient
/// nor the SMTP URL is repeated: one is personal, the other may hold a password.
#[derive(Debug, thiserror::Error)]
pub enum DeliverError {
    #[error("smtp URL: {0}")]
    SmtpUrl(lettre::transport::smtp::Error),
    #[error("from address: {0}")]
    FromAddress(lettre::address::AddressError),
    #[error("a {0} cannot receive messages: only an e-mail address or a phone number can")]
    Unreachable(IdentifierKind),
    #[error("e-mail recipient: {0}")]
    Recipient(lettre::address::AddressError),
    #[error("composing the e-mail: {0}")]
    Compose(lettre::error::Error),
    #[error("e-mail over SMTP: {0}")]
    Smtp(lettre::transport::smtp::Error),
    #[error("e-mail over SMTP: no answer within {0:?}")]
    SmtpTimeout(std::time::Duration),
    #[error("SMS: {0}")]
    Sms(GatewayError),
}

impl DeliverError {
    /// Which transport or setting failed, in a word, for logs that must not carry
    /// the recipient.
    pub fn transport(&self) -> &'static str {
        match self {
            DeliverError::SmtpUrl(_) | DeliverError::FromAddress(_) => "settings",
            DeliverError::Unreachable(_) | DeliverError::Recipient(_) => "recipient",
            DeliverError::Compose(_) | DeliverError::Smtp(_) | DeliverError::SmtpTimeout(_) => {
                "smtp"
            }
            DeliverError::Sms(_) => "sms",
        }
    }
}

/// The configured transports. Cloning shares them (and the SMTP connection pool).
#[derive(Clone)]
pub struct Deliver {
    /// None: e-mail goes to the outbox.
    smtp: Option<smtp::Smtp>,
    sms: Arc<dyn SmsSender>,
    outbox: Arc<Outbox>,
}

impl Deliver {
    /// E-mail over SMTP at `smtp` (`smtp://host:port`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://host:465`) from `from` (`Mötesplats <no-reply@example.se>`), or to the
    /// outbox without a URL; SMS to the outbox.
    pub fn new(smtp: Option<&str>, from: &str) -> Result<Deliver, DeliverError> {
        // Checked even without SMTP, so that a bad one shows before SMTP is turned on.
        let from = from.parse().map_err(DeliverError::FromAddress)?;
        let outbox = Arc::new(Outbox::default());
        let smtp = match smtp {
            Some(url) => Some(smtp::Smtp::new(url, from)?),
            None => {
                tracing::info!("no SMTP URL: e-mail is kept in the in-memory outbox, not sent");
                None
            }
        };
        Ok(Deliver {
            smtp,
            sms: outbox.clone(),
            outbox,
        })
    }

    /// SMS through `sms` instead of the outbox.
    pub fn with_sms(self, sms: Arc<dyn SmsSender>) -> Deliver {
        Deliver { sms, ..self }
    }

    /// Also writes what goes to the outbox to the log, recipients and codes included:
    /// for a demo, never for real people.
    pub fn echoing(self) -> Deliver {
        self.outbox.echo();
        self
    }

    /// What went to the outbox, for a demo or a test to read.
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// Delivers `message` to an e-mail address or a phone number.
    pub async fn send(&self, to: &Identifier, message: &Message) -> Result<(), DeliverError> {
        match to.kind {
            IdentifierKind::Email => match &self.smtp {
                Some(smtp) => smtp.send(&to.value, message).await,
                None => {
                    self.outbox
                        .keep(to.clone(), Some(message.subject.clone()), &message.body);
                    Ok(())
                }
            },
            IdentifierKind::Phone => self
                .sms
                .send_sms(&to.value, &message.body)
                .await
                .map_err(DeliverError::Sms),
            other => Err(DeliverError::Unreachable(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(kind: IdentifierKind, value: &str) -> Identifier {
        Identifier::parse(kind, value, "SE").unwrap()
    }

    fn code() -> Message {
        Message {
            subject: "Din kod".into(),
            body: "Koden är 123456.".into(),
        }
    }

    #[tokio::test]
    async fn only_email_and_phone_are_reachable() {
        let deliver = Deliver::new(None, "no-reply@motesplats.local").unwrap();
        let card = id(IdentifierKind::LoyaltyCard, "1234");
        let e = deliver.send(&card, &code()).await.unwrap_err();
        assert!(matches!(e, DeliverError::Unreachable(_)), "{e}");
        assert!(e.to_string().contains("loyalty_card"), "{e}");
    }

    #[tokio::test]
    async fn a_gateway_failure_names_sms() {
        struct Down;
        #[async_trait]
        impl SmsSender for Down {
            async fn send_sms(&self, _: &str, _: &str) -> Result<(), GatewayError> {
                Err("gateway answered 503".into())
            }
        }
        let deliver = Deliver::new(None, "no-reply@motesplats.local")
            .unwrap()
            .with_sms(Arc::new(Down));
        let phone = id(IdentifierKind::Phone, "070-123 45 67");
        let e = deliver.send(&phone, &code()).await.unwrap_err();
        assert_eq!(e.to_string(), "SMS: gateway answered 503");
        assert!(deliver.outbox().sent_to(&phone).is_empty());
    }
}
