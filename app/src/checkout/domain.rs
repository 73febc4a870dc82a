//! Checkout wire types and rules, shared by browser and server: the
//! shipping address (parsed field by field, each with its own message) and
//! the shipping methods.

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// Countries the store ships to: ISO 3166-1 alpha-2 code and name.
pub const COUNTRIES: &[(&str, &str)] = &[
    ("US", "United States"),
    ("CA", "Canada"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("NL", "Netherlands"),
    ("BE", "Belgium"),
    ("ES", "Spain"),
    ("IT", "Italy"),
    ("AT", "Austria"),
    ("CH", "Switzerland"),
    ("SE", "Sweden"),
    ("DK", "Denmark"),
    ("NO", "Norway"),
    ("FI", "Finland"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("AU", "Australia"),
    ("NZ", "New Zealand"),
    ("JP", "Japan"),
];

/// The name of a country the store ships to.
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

pub use crate::error::FieldError;

/// A shipping address exactly as a form sent it (all text).
///
/// The optional fields also read `null`: that is how an [`Address`] writes
/// a missing one, and an `Address` is read back through this type (the
/// browser reads every order and saved address that way while hydrating).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressInput {
    pub name: String,
    pub line1: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub line2: String,
    pub city: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub region: String,
    pub postcode: String,
    pub country: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub phone: String,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// A shipping address that passed every check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AddressInput")]
pub struct Address {
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postcode: String,
    /// ISO 3166-1 alpha-2, one of [`COUNTRIES`].
    pub country: String,
    pub phone: Option<String>,
}

impl TryFrom<AddressInput> for Address {
    type Error = String;

    fn try_from(input: AddressInput) -> Result<Self, String> {
        Address::parse(&input).map_err(|errors| {
            errors.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
        })
    }
}

/// Collapses runs of whitespace and trims; control characters are refused.
fn clean(input: &str) -> Result<String, ()> {
    if input.chars().any(|c| c.is_control() && c != '\t' && c != '\n' && c != '\r') {
        return Err(());
    }
    Ok(input.split_whitespace().collect::<Vec<_>>().join(" "))
}

impl Address {
    /// Checks every field and returns every problem at once, so the shopper
    /// fixes the form in one go.
    pub fn parse(input: &AddressInput) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut field = |name: &str, value: &str, label: &str, required: bool, max: usize| -> Option<String> {
            let Ok(v) = clean(value) else {
                errors.push(FieldError {
                    field: name.into(),
                    message: format!("{label} contains characters we cannot print."),
                });
                return None;
            };
            if v.is_empty() {
                if required {
                    errors.push(FieldError {
                        field: name.into(),
                        message: format!("Enter the {}.", label.to_lowercase()),
                    });
                }
                return None;
            }
            if v.chars().count() > max {
                errors.push(FieldError {
                    field: name.into(),
                    message: format!("{label} is too long (at most {max} characters)."),
                });
                return None;
            }
            Some(v)
        };
        let name = field("name", &input.name, "Full name", true, 100);
        let line1 = field("line1", &input.line1, "Address line 1", true, 100);
        let line2 = field("line2", &input.line2, "Address line 2", false, 100);
        let city = field("city", &input.city, "Town or city", true, 60);
        let region = field("region", &input.region, "State, province or county", false, 60);
        let postcode = field("postcode", &input.postcode, "Postcode", true, 12);
        let phone = field("phone", &input.phone, "Phone number", false, 20);
        let postcode = postcode.filter(|p| {
            let ok = p.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
            if !ok {
                errors.push(FieldError {
                    field: "postcode".into(),
                    message: "A postcode has only letters, digits, spaces and hyphens.".into(),
                });
            }
            ok
        });
        let phone = match phone {
            Some(p)
                if !p.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
                    || p.chars().filter(char::is_ascii_digit).count() < 6 =>
            {
                errors.push(FieldError {
                    field: "phone".into(),
                    message: "Enter a phone number with at least 6 digits, or leave it empty.".into(),
                });
                None
            }
            other => other,
        };
        let code = input.country.trim().to_ascii_uppercase();
        let country = if code.is_empty() {
            errors.push(FieldError { field: "country".into(), message: "Choose a country.".into() });
            None
        } else if country_name(&code).is_none() {
            errors.push(FieldError { field: "country".into(), message: "We do not ship to that country.".into() });
            None
        } else {
            Some(code)
        };
        match (name, line1, city, postcode, country) {
            (Some(name), Some(line1), Some(city), Some(postcode), Some(country)) if errors.is_empty() => {
                Ok(Self { name, line1, line2, city, region, postcode: postcode.to_uppercase(), country, phone })
            }
            _ => Err(errors),
        }
    }

    /// The address as lines for a label or an e-mail.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![self.name.clone(), self.line1.clone()];
        out.extend(self.line2.clone());
        let mut city = format!("{} {}", self.postcode, self.city);
        if let Some(region) = &self.region {
            city.push_str(", ");
            city.push_str(region);
        }
        out.push(city);
        out.push(country_name(&self.country).unwrap_or(&self.country).to_owned());
        out
    }
}

/// How an order travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ShippingMethod {
    Standard,
    Express,
}

impl ShippingMethod {
    pub const ALL: [Self; 2] = [Self::Standard, Self::Express];

    /// The id forms and the database use.
    pub fn id(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Express => "express",
        }
    }

    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.id() == id.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Standard => "Standard delivery (3–5 working days)",
            Self::Express => "Express delivery (next working day)",
        }
    }
}

/// A shipping method with its price for one cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingQuote {
    pub method: ShippingMethod,
    pub price: Money,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AddressInput {
        AddressInput {
            name: "  Zoë   Ångström ".into(),
            line1: "1 Main St".into(),
            line2: String::new(),
            city: "Springfield".into(),
            region: String::new(),
            postcode: "ab1 2cd".into(),
            country: "gb".into(),
            phone: String::new(),
        }
    }

    #[test]
    fn parses_and_normalises() {
        let a = Address::parse(&input()).unwrap();
        assert_eq!(a.name, "Zoë Ångström");
        assert_eq!(a.postcode, "AB1 2CD");
        assert_eq!(a.country, "GB");
        assert_eq!(a.line2, None);
        assert_eq!(a.phone, None);
    }

    #[test]
    fn an_address_reads_back_what_it_writes() {
        // Missing optional fields are written as null; reading them back
        // must work, or every hydrating page that shows an address refetches.
        let a = Address::parse(&input()).unwrap();
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains(r#""line2":null"#), "{json}");
        assert_eq!(serde_json::from_str::<Address>(&json).unwrap(), a);
        let full = Address {
            line2: Some("Flat 2".into()),
            region: Some("Kent".into()),
            phone: Some("+44 20 7946 0958".into()),
            ..a
        };
        assert_eq!(serde_json::from_str::<Address>(&serde_json::to_string(&full).unwrap()).unwrap(), full);
        // And it is still parsed on the way in.
        assert!(serde_json::from_str::<Address>(&json.replace("AB1 2CD", "<b>")).is_err());
    }

    #[test]
    fn reports_every_field_at_once() {
        let bad = AddressInput {
            name: String::new(),
            line1: "x".repeat(101),
            city: " ".into(),
            postcode: "<script>".into(),
            country: "ZZ".into(),
            phone: "call me".into(),
            ..AddressInput::default()
        };
        let errors = Address::parse(&bad).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "line1", "city", "postcode", "phone", "country"]);
        assert!(errors.iter().all(|e| !e.message.contains("<script>")));
    }

    #[test]
    fn refuses_control_characters() {
        let mut i = input();
        i.line1 = "1 Main\u{0} St".into();
        assert_eq!(Address::parse(&i).unwrap_err()[0].field, "line1");
    }

    #[test]
    fn shipping_method_ids_round_trip() {
        for m in ShippingMethod::ALL {
            assert_eq!(ShippingMethod::parse(m.id()), Some(m));
        }
        assert_eq!(ShippingMethod::parse("teleport"), None);
    }
}

/// A payment method the shopper can pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderChoice {
    pub id: String,
    pub label: String,
}

/// An address the signed-in shopper saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAddress {
    pub id: i32,
    pub address: Address,
}

/// Everything the checkout page shows, from the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutQuote {
    /// The cart checked against prices and stock now, with every correction.
    pub cart: crate::cart::domain::CartView,
    pub shipping: Vec<ShippingQuote>,
    pub providers: Vec<ProviderChoice>,
    /// The signed-in shopper's address (guests type one).
    pub email: Option<String>,
    pub addresses: Vec<SavedAddress>,
    /// Random id of this checkout attempt: the same form sent twice places one order.
    pub checkout_key: String,
    /// How long a placed order holds its items.
    pub hold_minutes: u32,
    /// What the shopper typed before a failed no-JavaScript post.
    #[serde(default)]
    pub draft: Option<CheckoutDraft>,
}

/// The shopper's own entries in the checkout form (never prices, never the
/// checkout key), to fill the form again after a failed post.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutDraft {
    pub email: String,
    pub address_id: String,
    pub address: AddressInput,
    pub save_address: bool,
    pub shipping: String,
    pub provider: String,
}

impl From<&PlaceInput> for CheckoutDraft {
    fn from(input: &PlaceInput) -> Self {
        Self {
            email: input.email.clone(),
            address_id: input.address_id.clone(),
            address: input.address.clone(),
            save_address: input.save_address.is_some(),
            shipping: input.shipping.clone(),
            provider: input.provider.clone(),
        }
    }
}

/// The checkout form as posted (`input[...]` fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceInput {
    pub checkout_key: String,
    /// "1" when the form was rendered for a signed-in shopper: if the post
    /// then arrives without a live session, nothing is placed as a guest.
    #[serde(default)]
    pub account: String,
    /// Guests only; a signed-in order goes to the account's address.
    #[serde(default)]
    pub email: String,
    /// A saved address of the signed-in shopper; empty: the fields below.
    #[serde(default)]
    pub address_id: String,
    #[serde(default)]
    pub address: AddressInput,
    /// "on" when the shopper ticked "save this address".
    #[serde(default)]
    pub save_address: Option<String>,
    #[serde(default)]
    pub shipping: String,
    #[serde(default)]
    pub provider: String,
    /// The items' subtotal the shopper was shown, in minor units.
    #[serde(default)]
    pub expected_subtotal: String,
    /// A guest's cart lines ("id:quantity,id:quantity"); ignored when signed in.
    #[serde(default)]
    pub lines: String,
}

/// Parses a guest's "id:quantity,id:quantity" lines.
pub fn parse_lines(s: &str) -> Option<Vec<crate::cart::domain::LineRequest>> {
    if s.trim().is_empty() {
        return Some(Vec::new());
    }
    s.split(',')
        .take(crate::cart::domain::MAX_LINES + 1)
        .map(|pair| {
            let (id, q) = pair.split_once(':')?;
            Some(crate::cart::domain::LineRequest {
                product_id: id.trim().parse().ok()?,
                quantity: q.trim().parse().ok()?,
            })
        })
        .collect()
}
