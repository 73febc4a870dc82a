//! Outgoing e-mail (ssr only), through `lettre`.
//!
//! lettre's builder writes the message: RFC 2047 encoded words for a
//! subject or a name outside ASCII, folded long headers, and a body in
//! 7bit when it is plain ASCII, quoted-printable or base64 otherwise.
//! Two ways out, chosen by configuration:
//!
//! - **Files** (the default): lettre's file transport writes each message
//!   as an `.eml` file, which is then renamed into `MAIL_DIR` whole (the
//!   transport writes into `MAIL_DIR/.staging` first), so a relay such as a
//!   `sendmail -t` loop, or a person in development, never reads half a
//!   message. Names start with the time, so they sort oldest first.
//! - **SMTP** when `SMTP_URL` is set: sent during the request that causes
//!   it, with a 15 s timeout; a failure is the caller's error (the
//!   registration form says so, a paid order logs it).

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::Config;
use crate::error::ServerError;

/// One plain-text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// A parsed [`crate::account::domain::Email`]: no spaces, no line breaks.
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// How long one SMTP delivery may take, connection included.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

enum Transport {
    Files { dir: PathBuf, staging: AsyncFileTransport<Tokio1Executor> },
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Sends mail as configured. One per process, in `AppState`.
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).field("to", &self.describe()).finish()
    }
}

fn mail_error(what: &str, e: impl std::fmt::Display) -> ServerError {
    ServerError::Internal(format!("{what}: {e}"))
}

impl Mailer {
    /// Writes mail to `dir`, from the store's default sender.
    pub fn to_dir(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        let staging = AsyncFileTransport::new(dir.join(".staging"));
        Self {
            from: "OctaBlitz <no-reply@octablitz.local>".parse().expect("a valid default sender"),
            transport: Transport::Files { dir, staging },
        }
    }

    /// The mailer `config` asks for: SMTP when `SMTP_URL` is set, else files
    /// in `MAIL_DIR`. A bad `SMTP_URL` or `MAIL_FROM` stops the start.
    pub fn from_config(config: &Config) -> Result<Self, ServerError> {
        use secrecy::ExposeSecret;
        let from: Mailbox =
            config.mail_from.parse().map_err(|e| ServerError::Config(format!("MAIL_FROM is not a mailbox ({e})")))?;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    // The error text could quote the URL, password included.
                    .map_err(|_| ServerError::Config("SMTP_URL is not a valid smtp:// or smtps:// URL".into()))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            None => {
                let dir = config.mail_dir.clone();
                Transport::Files { staging: AsyncFileTransport::new(dir.join(".staging")), dir }
            }
        };
        Ok(Self { from, transport })
    }

    /// Where mail goes, for the start-up log (no credentials).
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Files { dir, .. } => format!("files in {}", dir.display()),
            Transport::Smtp(_) => "SMTP (SMTP_URL)".into(),
        }
    }

    /// The directory mail is written to, when it is written to files.
    pub fn dir(&self) -> Option<&Path> {
        match &self.transport {
            Transport::Files { dir, .. } => Some(dir),
            Transport::Smtp(_) => None,
        }
    }

    /// The message as lettre writes it.
    fn message(&self, mail: &Mail, id: &str) -> Result<Message, ServerError> {
        if mail.to.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>') {
            return Err(ServerError::Internal("refusing a malformed recipient".into()));
        }
        let to: Mailbox = mail.to.parse().map_err(|e| mail_error("recipient", e))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{id}@octablitz.local>")))
            .date_now()
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.replace("\r\n", "\n"))
            .map_err(|e| mail_error("building the message", e))
    }

    /// Sends `mail`: written to `MAIL_DIR`, or handed to the SMTP server.
    // Neither recipient nor subject is logged: together with the request's
    // other logs they would tell which addresses have accounts.
    #[tracing::instrument(skip_all)]
    pub async fn send(&self, mail: &Mail) -> Result<(), ServerError> {
        let id = format!("{}-{:016x}", chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"), rand::random::<u64>());
        let message = self.message(mail, &id)?;
        match &self.transport {
            Transport::Files { dir, staging } => {
                let io = |e: std::io::Error| mail_error(&format!("mail dir {}", dir.display()), e);
                tokio::fs::create_dir_all(dir.join(".staging")).await.map_err(io)?;
                let written = staging.send(message).await.map_err(|e| mail_error("writing the mail", e))?;
                let path = dir.join(format!("{id}.eml"));
                tokio::fs::rename(dir.join(".staging").join(format!("{written}.eml")), &path).await.map_err(io)?;
                tracing::info!(file = %path.display(), "mail queued");
            }
            Transport::Smtp(smtp) => {
                smtp.send(message).await.map_err(|e| mail_error("SMTP", e))?;
                tracing::info!("mail sent over SMTP");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<PathBuf> {
        let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn writes_one_whole_file_per_message_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::to_dir(dir.path().join("mail"));
        let mail = Mail { to: "a@b.co".into(), subject: "Hello".into(), body: "line one\nline two".into() };
        mailer.send(&mail).await.unwrap();
        mailer.send(&Mail { subject: "Second".into(), ..mail.clone() }).await.unwrap();
        let eml: Vec<_> = files(&dir.path().join("mail")).into_iter().filter(|p| p.extension().is_some()).collect();
        assert_eq!(eml.len(), 2, "{eml:?}");
        assert!(files(&dir.path().join("mail/.staging")).is_empty(), "nothing left half-written");
        let first = std::fs::read_to_string(&eml[0]).unwrap();
        assert!(first.contains("\r\nTo: a@b.co\r\n") && first.contains("\r\nSubject: Hello\r\n"), "{first}");
        assert!(first.contains("From: OctaBlitz <no-reply@octablitz.local>\r\n"), "{first}");
        assert!(first.ends_with("\r\n\r\nline one\r\nline two"), "{first:?}");
        assert!(std::fs::read_to_string(&eml[1]).unwrap().contains("Subject: Second"));
    }

    #[tokio::test]
    async fn refuses_injected_headers() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::to_dir(dir.path());
        let bad = Mail { to: "a@b.co\r\nBcc: x@y.z".into(), subject: "Hi".into(), body: "x".into() };
        assert!(mailer.send(&bad).await.is_err());
        let sneaky = Mail { to: "a@b.co".into(), subject: "Hi\r\nBcc: x@y.z".into(), body: "x".into() };
        mailer.send(&sneaky).await.unwrap();
        let text = std::fs::read_to_string(&files(dir.path())[1]).unwrap();
        assert!(!text.contains("\r\nBcc:"), "{text}");
    }

    #[tokio::test]
    async fn non_ascii_and_long_subjects_come_out_encoded() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::to_dir(dir.path());
        let subject = "Ihre Bestellung für Zoë Ångström: Grafikkarte, Netzteil, Gehäuse und vier Lüfter, bitte prüfen";
        let body = "Hallo Zoë Ångström,\n\nIhre Bestellung ist unterwegs.\n";
        mailer.send(&Mail { to: "zoe@example.com".into(), subject: subject.into(), body: body.into() }).await.unwrap();
        let raw = std::fs::read(&files(dir.path())[1]).unwrap();
        // On the wire: ASCII only, no header line over 78 characters.
        assert!(raw.is_ascii(), "{}", String::from_utf8_lossy(&raw));
        let text = String::from_utf8(raw.clone()).unwrap();
        let headers = text.split("\r\n\r\n").next().unwrap();
        assert!(headers.lines().all(|l| l.len() <= 78), "{headers}");
        assert!(headers.contains("=?utf-8?"), "{headers}");
        // Read back by a mail reader: the same words.
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        assert_eq!(parsed.subject(), Some(subject));
        assert_eq!(parsed.body_text(0).unwrap().replace("\r\n", "\n"), body);
    }

    /// A one-message SMTP server that speaks just enough of RFC 5321:
    /// returns the commands it saw and the message data.
    async fn fake_smtp() -> (u16, tokio::task::JoinHandle<(Vec<String>, String)>) {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let (read, mut write) = socket.into_split();
            let mut lines = tokio::io::BufReader::new(read).lines();
            write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
            let (mut commands, mut data, mut in_data) = (Vec::new(), String::new(), false);
            while let Some(line) = lines.next_line().await.unwrap() {
                if in_data {
                    if line == "." {
                        write.write_all(b"250 2.0.0 queued\r\n").await.unwrap();
                        break;
                    }
                    data.push_str(&line);
                    data.push_str("\r\n");
                    continue;
                }
                let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
                commands.push(line);
                let reply: &[u8] = match verb.as_str() {
                    "EHLO" => b"250-fake\r\n250 8BITMIME\r\n",
                    "DATA" => {
                        in_data = true;
                        b"354 go ahead\r\n"
                    }
                    _ => b"250 2.0.0 OK\r\n",
                };
                write.write_all(reply).await.unwrap();
            }
            (commands, data)
        });
        (port, server)
    }

    #[tokio::test]
    async fn sends_over_smtp_when_configured() {
        let (port, server) = fake_smtp().await;
        let url = format!("smtp://127.0.0.1:{port}");
        let config = Config::from_lookup(|k| match k {
            "SMTP_URL" => Some(url.clone()),
            "MAIL_FROM" => Some("Shop <shop@example.com>".into()),
            _ => None,
        })
        .unwrap();
        let mailer = Mailer::from_config(&config).unwrap();
        let mail = Mail { to: "zoe@example.com".into(), subject: "Grüße".into(), body: "Zoë\n".into() };
        mailer.send(&mail).await.unwrap();
        let (commands, data) = tokio::time::timeout(Duration::from_secs(10), server).await.unwrap().unwrap();
        assert!(commands.iter().any(|c| c == "MAIL FROM:<shop@example.com>"), "{commands:?}");
        assert!(commands.iter().any(|c| c == "RCPT TO:<zoe@example.com>"), "{commands:?}");
        let parsed = mail_parser::MessageParser::default().parse(data.as_bytes()).unwrap();
        assert_eq!(parsed.subject(), Some("Grüße"));
        assert_eq!(parsed.body_text(0).unwrap().trim_end(), "Zoë");
    }

    #[tokio::test]
    async fn an_unreachable_smtp_server_is_an_error() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let url = format!("smtp://127.0.0.1:{port}");
        let config = Config::from_lookup(|k| (k == "SMTP_URL").then(|| url.clone())).unwrap();
        let mail = Mail { to: "a@b.co".into(), subject: "x".into(), body: "x".into() };
        assert!(Mailer::from_config(&config).unwrap().send(&mail).await.is_err());
    }

    #[tokio::test]
    async fn smtp_url_and_sender_are_checked_at_start() {
        let config = |pairs: &'static [(&'static str, &'static str)]| {
            Config::from_lookup(|k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| (*v).to_owned())).unwrap()
        };
        let smtp = Mailer::from_config(&config(&[("SMTP_URL", "smtp://user:secret@127.0.0.1:2525")])).unwrap();
        assert!(!format!("{smtp:?}").contains("secret"));
        assert!(smtp.dir().is_none());
        assert!(Mailer::from_config(&config(&[("MAIL_FROM", "not a mailbox")])).is_err());
        assert!(Config::from_lookup(|k| (k == "SMTP_URL").then(|| "http://x".to_owned())).is_err());
        assert!(Mailer::from_config(&config(&[])).unwrap().dir().is_some());
    }
}
