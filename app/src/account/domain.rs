//! Account value types shared by browser and server: parsed once, valid after.

use serde::{Deserialize, Serialize};

/// A syntactically plausible e-mail address, trimmed and lowercased.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err("Enter your e-mail address.");
        }
        if email.len() > 254 {
            return Err("That e-mail address is too long.");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("Enter an e-mail address like name@example.com.");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        // RFC 5322 "atext" and dots: nothing that could break out of a mail
        // header or name a second recipient (no quotes, commas, brackets, controls).
        let local_ok = local.chars().all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if local.is_empty() || local.len() > 64 || !domain_ok || !local_ok {
            return Err("Enter an e-mail address like name@example.com.");
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8 to 128 characters with at least one letter and one digit.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let n = input.chars().count();
        if n < Self::MIN_CHARS {
            return Err("Use at least 8 characters.");
        }
        if n > Self::MAX_CHARS {
            return Err("Use at most 128 characters.");
        }
        if !input.chars().any(char::is_alphabetic) || !input.chars().any(|c| c.is_ascii_digit()) {
            return Err("Use at least one letter and one digit.");
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Customer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(Self::Customer),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<entity::user::UserRole> for Role {
    fn from(r: entity::user::UserRole) -> Self {
        match r {
            entity::user::UserRole::Customer => Self::Customer,
            entity::user::UserRole::Admin => Self::Admin,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<Role> for entity::user::UserRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Customer => Self::Customer,
            Role::Admin => Self::Admin,
        }
    }
}

/// Who is signed in, as the pages see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i32,
    pub email: String,
    pub role: Role,
}

impl SessionUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(Email::parse("  Test-Customer@OctaBlitz.Local ").unwrap().as_str(), "test-customer@octablitz.local");
        assert!(Email::parse("o'brien+shop@mail.example.co.uk").is_ok());
        for bad in [
            "",
            "no-at",
            "a@b",
            "@x.com",
            "a@.com",
            "a@x..com",
            "a b@x.com",
            "a@x.com.",
            &"x".repeat(300),
            "a>,b@evil.com@x.com",
            "\"a\"@x.com",
            "a\r\nbcc:@x.com",
            "a<b@x.com",
            "ü@x.com",
            "a@ü.com",
            ".a@x.com",
            "a..b@x.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_need_length_letters_and_digits() {
        assert!(Password::parse("TestPass123").is_ok());
        assert!(Password::parse("short1").is_err());
        assert!(Password::parse("lettersonly").is_err());
        assert!(Password::parse("12345678").is_err());
        assert!(Password::parse(&format!("a1{}", "x".repeat(200))).is_err());
        assert_eq!(format!("{:?}", Password::parse("TestPass123").unwrap()), "Password(***)");
    }
}
