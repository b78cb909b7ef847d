//! E-mail through the outbox: a feature writes a [`Mail`] with [`enqueue_mail`] in the
//! transaction of its change, and the delivery run hands it to the [`Mailer`], which
//! speaks SMTP to the configured relay or, where none is configured (development, the
//! demo, the browser tests), writes each message as an `.eml` file into a directory.

use std::path::Path;

use chrono::NaiveDateTime;
use diesel_async::AsyncMysqlConnection;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use crate::outbox::{self, Channel, ClaimedEvent, Deliverer, NewEvent, OutboxEventId};

/// One plain-text message, as the outbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

/// Writes `mail` into the outbox as an event of `kind`; call it inside the transaction
/// of the change it tells about. Messages to one address go out in the order written.
pub async fn enqueue_mail(
    conn: &mut AsyncMysqlConnection,
    kind: &str,
    mail: &Mail,
    now: NaiveDateTime,
) -> diesel::QueryResult<OutboxEventId> {
    let payload = serde_json::to_string(mail)
        .map_err(|error| diesel::result::Error::SerializationError(Box::new(error)))?;
    let key = format!("mail:{}", mail.to);
    outbox::enqueue(
        conn,
        NewEvent {
            channel: Channel::Email,
            kind,
            ordering_key: &key,
            payload: &payload,
        },
        now,
    )
    .await
}

/// Where the server's mail goes.
#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Directory(AsyncFileTransport<Tokio1Executor>),
}

/// Sends the outbox's e-mail events.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    /// The domain of the `Message-ID`s, which carry the outbox event id so that a
    /// message sent twice (delivery is at least once) can be recognised.
    domain: String,
    transport: Transport,
}

/// Why a mailer could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    /// The sender is not a mailbox.
    #[error("the sender address is not valid: {0}")]
    From(String),
    /// The SMTP URL cannot be used.
    #[error("the SMTP URL is not usable: {0}")]
    Smtp(String),
    /// The mail directory cannot be created.
    #[error("the mail directory cannot be created: {0}")]
    Directory(String),
}

impl Mailer {
    /// A mailer that hands messages to the SMTP relay at `url`
    /// (`smtp://[user:password@]host[:port]`, port 25 by default, without TLS: the relay
    /// is one the server trusts, typically on the same host or network).
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailerError> {
        let refused =
            || MailerError::Smtp(format!("{url:?} is not smtp://[user:password@]host[:port]"));
        let rest = url.strip_prefix("smtp://").ok_or_else(refused)?;
        let rest = rest.trim_end_matches('/');
        let (login, address) = match rest.rsplit_once('@') {
            Some((login, address)) => (Some(login), address),
            None => (None, rest),
        };
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (host, port.parse::<u16>().map_err(|_| refused())?),
            None => (address, 25),
        };
        if host.is_empty() || host.contains(['/', '?', '#']) {
            return Err(refused());
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port);
        if let Some(login) = login {
            let (user, password) = login.split_once(':').ok_or_else(refused)?;
            builder = builder.credentials(Credentials::new(user.into(), password.into()));
        }
        Self::new(from, Transport::Smtp(builder.build()))
    }

    /// A mailer that writes every message as an `.eml` file into `directory`.
    pub fn directory(directory: &Path, from: &str) -> Result<Self, MailerError> {
        std::fs::create_dir_all(directory)
            .map_err(|error| MailerError::Directory(error.to_string()))?;
        Self::new(
            from,
            Transport::Directory(AsyncFileTransport::new(directory)),
        )
    }

    fn new(from: &str, transport: Transport) -> Result<Self, MailerError> {
        let from: Mailbox = from
            .parse()
            .map_err(|error: lettre::address::AddressError| MailerError::From(error.to_string()))?;
        let domain = from.email.domain().to_string();
        Ok(Self {
            from,
            domain,
            transport,
        })
    }

    /// Sends `mail` as outbox event `id`.
    pub async fn send(&self, id: OutboxEventId, mail: &Mail) -> Result<(), String> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|error| format!("recipient {:?}: {error}", mail.to))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.as_str())
            .message_id(Some(format!("<outbox-{id}@{}>", self.domain)))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|error| error.to_string())?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Transport::Directory(directory) => directory
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }
}

/// Delivers the `email` channel's events: the message is in the payload.
impl Deliverer for Mailer {
    async fn deliver(&self, event: &ClaimedEvent) -> Result<(), String> {
        let mail: Mail = serde_json::from_str(&event.payload)
            .map_err(|error| format!("unreadable message: {error}"))?;
        self.send(event.id, &mail).await
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    use super::*;

    fn welcome() -> Mail {
        Mail {
            to: "anna@example.ru".into(),
            subject: "Подтвердите адрес".into(),
            body: "Откройте ссылку: http://127.0.0.1:3000/register/confirm?token=abc".into(),
        }
    }

    /// A minimal SMTP server on loopback that accepts one message and returns what the
    /// client sent: envelope commands and the message data.
    async fn smtp_sink() -> (u16, tokio::task::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let sink = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.expect("accept");
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            let mut seen = Vec::new();
            write.write_all(b"220 sink ESMTP\r\n").await.expect("greet");
            let mut in_data = false;
            while let Ok(Some(line)) = lines.next_line().await {
                seen.push(line.clone());
                let reply: &[u8] = if in_data {
                    if line == "." {
                        in_data = false;
                        b"250 queued\r\n"
                    } else {
                        continue;
                    }
                } else if line.starts_with("EHLO") {
                    b"250-sink\r\n250 8BITMIME\r\n"
                } else if line == "DATA" {
                    in_data = true;
                    b"354 go on\r\n"
                } else if line == "QUIT" {
                    write.write_all(b"221 bye\r\n").await.expect("reply");
                    break;
                } else {
                    b"250 ok\r\n"
                };
                write.write_all(reply).await.expect("reply");
            }
            seen
        });
        (port, sink)
    }

    #[tokio::test]
    async fn a_message_is_handed_to_the_smtp_relay_with_its_event_id() {
        let (port, sink) = smtp_sink().await;
        let mailer = Mailer::smtp(
            &format!("smtp://127.0.0.1:{port}"),
            "Открытый регион <noreply@openregion.example>",
        )
        .expect("mailer");
        mailer
            .send(OutboxEventId(41), &welcome())
            .await
            .expect("sent");
        drop(mailer);
        let seen = tokio::time::timeout(std::time::Duration::from_secs(10), sink)
            .await
            .expect("the sink finished")
            .expect("sink task");
        let text = seen.join("\n");
        assert!(
            text.contains("MAIL FROM:<noreply@openregion.example>"),
            "{text}"
        );
        assert!(text.contains("RCPT TO:<anna@example.ru>"), "{text}");
        assert!(
            text.contains("Message-ID: <outbox-41@openregion.example>"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn a_relay_that_does_not_answer_is_an_error_to_retry() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        drop(listener);
        let mailer = Mailer::smtp(
            &format!("smtp://127.0.0.1:{port}"),
            "noreply@openregion.example",
        )
        .expect("mailer");
        assert!(mailer.send(OutboxEventId(1), &welcome()).await.is_err());
    }

    #[tokio::test]
    async fn without_a_relay_each_message_is_an_eml_file() {
        let directory = std::env::temp_dir().join(format!("mail-{}", rand::random::<u64>()));
        let mailer = Mailer::directory(&directory, "noreply@openregion.example").expect("mailer");
        let event = ClaimedEvent {
            id: OutboxEventId(7),
            channel: "email".into(),
            kind: "test.note".into(),
            payload: serde_json::to_string(&welcome()).expect("json"),
            attempts: 0,
            created_at: crate::clock::now(),
        };
        mailer.deliver(&event).await.expect("written");
        let files: Vec<_> = std::fs::read_dir(&directory)
            .expect("directory")
            .filter_map(Result::ok)
            .collect();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(files[0].path()).expect("eml");
        assert!(text.contains("To: anna@example.ru"), "{text}");
        assert!(
            text.contains("Message-ID: <outbox-7@openregion.example>"),
            "{text}"
        );
        std::fs::remove_dir_all(&directory).expect("clean up");
    }

    #[test]
    fn a_bad_sender_or_url_is_refused_at_start() {
        assert!(matches!(
            Mailer::smtp("smtp://127.0.0.1:25", "not an address"),
            Err(MailerError::From(_))
        ));
        for bad in [
            "http://example.ru",
            "smtp://",
            "smtp://relay.example:port",
            "smtp://user@relay.example",
        ] {
            assert!(
                matches!(
                    Mailer::smtp(bad, "noreply@openregion.example"),
                    Err(MailerError::Smtp(_))
                ),
                "{bad}"
            );
        }
        assert!(
            Mailer::smtp(
                "smtp://user:p@ss@relay.example:587",
                "noreply@openregion.example"
            )
            .is_ok()
        );
    }
}
