//! Amounts of money: integer minor units with their currency, shared by
//! browser and server. Never a float.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency the store can price in. The seed catalog is in US
/// dollars; a currency joins here with its minor-unit exponent and sign.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Currency {
    #[default]
    #[serde(rename = "USD")]
    Usd,
}

impl Currency {
    /// The ISO 4217 code ("USD"), as stored with every order and sent to providers.
    pub fn code(self) -> &'static str {
        match self {
            Self::Usd => "USD",
        }
    }

    /// Parses an ISO 4217 code, any case.
    pub fn parse(code: &str) -> Option<Self> {
        code.trim().eq_ignore_ascii_case("USD").then_some(Self::Usd)
    }

    fn symbol(self) -> &'static str {
        match self {
            Self::Usd => "$",
        }
    }

    /// How the store names it to shoppers ("US dollars").
    pub fn name(self) -> &'static str {
        match self {
            Self::Usd => "US dollars",
        }
    }
}

/// The currency the catalog's prices (`products.price_cents`) are in.
pub const CATALOG_CURRENCY: Currency = Currency::Usd;

/// An amount in minor units (cents) of one currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "MoneyWire")]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// Guest carts stored before amounts carried a currency hold bare numbers
/// of US cents; they still read.
#[derive(Deserialize)]
#[serde(untagged)]
enum MoneyWire {
    Full { minor: i64, currency: Currency },
    Cents(i64),
}

impl From<MoneyWire> for Money {
    fn from(w: MoneyWire) -> Self {
        match w {
            MoneyWire::Full { minor, currency } => Self { minor, currency },
            MoneyWire::Cents(minor) => Self::usd(minor),
        }
    }
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// US cents (the seed catalog's currency).
    pub const fn usd(cents: i64) -> Self {
        Self::new(cents, Currency::Usd)
    }

    pub const fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    /// The amount in minor units.
    pub const fn minor(self) -> i64 {
        self.minor
    }

    pub const fn currency(self) -> Currency {
        self.currency
    }

    /// This amount times `n`; `None` on overflow.
    pub fn times(self, n: u32) -> Option<Self> {
        self.minor.checked_mul(i64::from(n)).map(|minor| Self { minor, ..self })
    }

    /// The sum; `None` on overflow or when the currencies differ.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        (self.currency == other.currency)
            .then(|| self.minor.checked_add(other.minor))
            .flatten()
            .map(|minor| Self { minor, ..self })
    }

    /// Sums amounts of `currency`; `None` on overflow or a foreign currency.
    pub fn sum(currency: Currency, amounts: impl IntoIterator<Item = Self>) -> Option<Self> {
        amounts.into_iter().try_fold(Self::zero(currency), Self::checked_add)
    }

    /// Parses a shopper-typed amount in major units of `currency` ("199",
    /// "199.9", "1,299.99", "$50").
    pub fn parse_major(input: &str, currency: Currency) -> Option<Money> {
        let cleaned: String =
            input.trim().trim_start_matches(currency.symbol()).chars().filter(|c| *c != ',').collect();
        if cleaned.is_empty() || cleaned.len() > 12 {
            return None;
        }
        let (whole, frac) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
            return None;
        }
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let frac: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        whole.checked_mul(100)?.checked_add(frac).map(|minor| Money::new(minor, currency))
    }

    /// Major units without a currency sign and without trailing `.00` ("199", "199.90").
    pub fn to_major_string(self) -> String {
        let m = self.minor;
        if m % 100 == 0 { format!("{}", m / 100) } else { format!("{}.{:02}", m / 100, m % 100) }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = self.minor.unsigned_abs();
        let whole = (cents / 100).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.minor < 0 { "-" } else { "" };
        write!(f, "{sign}{}{grouped}.{:02}", self.currency.symbol(), cents % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dollars() {
        assert_eq!(Money::usd(179_999).to_string(), "$1,799.99");
        assert_eq!(Money::usd(899).to_string(), "$8.99");
        assert_eq!(Money::usd(100_000_000).to_string(), "$1,000,000.00");
        assert_eq!(Money::usd(5).to_string(), "$0.05");
        assert_eq!(Money::usd(-250).to_string(), "-$2.50");
    }

    #[test]
    fn parses_major_units() {
        let usd = Currency::Usd;
        assert_eq!(Money::parse_major("199", usd), Some(Money::usd(19_900)));
        assert_eq!(Money::parse_major(" $1,299.9 ", usd), Some(Money::usd(129_990)));
        assert_eq!(Money::parse_major(".5", usd), Some(Money::usd(50)));
        for bad in ["", ".", "abc", "1.234", "-5", "1e5", "99999999999999"] {
            assert_eq!(Money::parse_major(bad, usd), None, "{bad:?}");
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(Money::usd(250).times(3), Some(Money::usd(750)));
        assert_eq!(Money::usd(i64::MAX).times(2), None);
        assert_eq!(Money::sum(Currency::Usd, [Money::usd(1), Money::usd(2)]), Some(Money::usd(3)));
        assert_eq!(Money::usd(i64::MAX).checked_add(Money::usd(1)), None);
    }

    #[test]
    fn carries_its_currency_on_the_wire() {
        let json = serde_json::to_string(&Money::usd(1999)).unwrap();
        assert_eq!(json, r#"{"minor":1999,"currency":"USD"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), Money::usd(1999));
        // A guest cart saved before currencies still reads.
        assert_eq!(serde_json::from_str::<Money>("1999").unwrap(), Money::usd(1999));
        assert!(serde_json::from_str::<Money>(r#"{"minor":1,"currency":"XYZ"}"#).is_err());
    }
}
