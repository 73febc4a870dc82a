//! The account e-mails (ssr only). Plain text: the links are the content.

use super::domain::Email;
use crate::mail::Mail;

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The link that confirms a registration.
pub fn confirmation(public_url: &str, to: &Email, token: &str, next: &str) -> Mail {
    let mut link = format!("{public_url}/confirm-email?token={}", encode(token));
    if next != "/" {
        link.push_str(&format!("&next={}", encode(next)));
    }
    Mail {
        to: to.as_str().to_owned(),
        subject: "Confirm your OctaBlitz account".into(),
        body: format!(
            "Welcome to OctaBlitz!\n\n\
             To finish creating your account, open this link and enter the password you chose:\n\n\
             {link}\n\n\
             The link works once, for {hours} hours. If you did not register, ignore this e-mail:\n\
             no account is created without it.\n",
            hours = super::server::CONFIRM_TTL_HOURS,
        ),
    }
}

/// Sent instead of a confirmation when the address already has an account,
/// so the registration form itself never tells.
pub fn already_registered(public_url: &str, to: &Email) -> Mail {
    Mail {
        to: to.as_str().to_owned(),
        subject: "You already have an OctaBlitz account".into(),
        body: format!(
            "Someone, probably you, tried to create an OctaBlitz account with this address.\n\n\
             You already have one. Sign in here:\n\n\
             {public_url}/sign-in\n\n\
             If it was not you, nothing has changed and you can ignore this e-mail.\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_absolute_and_encoded() {
        let to = Email::parse("a@b.co").unwrap();
        let m = confirmation("https://shop.example", &to, "tok-_1", "/products?q=a b&x=1");
        assert!(
            m.body.contains("https://shop.example/confirm-email?token=tok-_1&next=%2Fproducts%3Fq%3Da+b%26x%3D1\n")
        );
        assert!(confirmation("http://h", &to, "t", "/").body.contains("http://h/confirm-email?token=t\n"));
        assert!(already_registered("http://h", &to).body.contains("http://h/sign-in\n"));
    }
}
