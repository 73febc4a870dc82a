//! Outgoing e-mail (ssr only).
//!
//! Each message is written as an RFC 5322 `.eml` file to `MAIL_DIR`
//! (atomically: a temporary name, then a rename), where a relay such as a
//! `sendmail -t` loop or a person in development picks it up. The store
//! never blocks a request on a remote mail server.

use std::path::{Path, PathBuf};

use crate::error::ServerError;

/// One plain-text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// A parsed [`crate::account::domain::Email`]: no spaces, no line breaks.
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Writes mail to a directory.
#[derive(Debug, Clone)]
pub struct Mailer {
    dir: PathBuf,
    from: String,
}

impl Mailer {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into(), from: "OctaBlitz <no-reply@octablitz.local>".into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The message as it is written: headers, a blank line, the body (CRLF line ends).
    fn render(&self, mail: &Mail, id: &str) -> String {
        let body = mail.body.replace("\r\n", "\n").replace('\n', "\r\n");
        format!(
            "From: {from}\r\nTo: <{to}>\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}@octablitz.local>\r\n\
             MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
            from = self.from,
            to = mail.to,
            subject = mail.subject,
            date = chrono::Utc::now().to_rfc2822(),
        )
    }

    /// Queues `mail` and returns the file it went to.
    // Neither recipient nor subject is logged: together with the request's
    // other logs they would tell which addresses have accounts.
    #[tracing::instrument(skip_all)]
    pub async fn send(&self, mail: &Mail) -> Result<PathBuf, ServerError> {
        if mail.to.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>') {
            return Err(ServerError::Internal("refusing a malformed recipient".into()));
        }
        let id = format!("{}-{:016x}", chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"), rand::random::<u64>());
        let io = |e: std::io::Error| ServerError::Internal(format!("mail dir {}: {e}", self.dir.display()));
        tokio::fs::create_dir_all(&self.dir).await.map_err(io)?;
        let tmp = self.dir.join(format!(".{id}.tmp"));
        let path = self.dir.join(format!("{id}.eml"));
        tokio::fs::write(&tmp, self.render(mail, &id)).await.map_err(io)?;
        tokio::fs::rename(&tmp, &path).await.map_err(io)?;
        tracing::info!(file = %path.display(), "mail queued");
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_one_rfc5322_file_per_message() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::new(dir.path().join("mail"));
        let mail = Mail { to: "a@b.co".into(), subject: "Hello".into(), body: "line one\nline two".into() };
        let path = mailer.send(&mail).await.unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("From: OctaBlitz <no-reply@octablitz.local>\r\nTo: <a@b.co>\r\nSubject: Hello\r\n"));
        assert!(text.ends_with("\r\n\r\nline one\r\nline two\r\n"));
        assert_eq!(std::fs::read_dir(dir.path().join("mail")).unwrap().count(), 1, "no temporary file left");
        let bad = Mail { to: "a@b.co\r\nBcc: x@y.z".into(), ..mail };
        assert!(mailer.send(&bad).await.is_err());
    }
}
