//! A product gallery's moves and an upload's refusals, as browser and
//! server share them (the work is in `catalog::images`, ssr only).

use serde::{Deserialize, Serialize};

/// Why an upload was refused, in words for the admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    NotAnImage,
    TooManyPixels,
    Broken,
    TooMany,
}

impl Refusal {
    pub const ALL: [Self; 6] =
        [Self::Empty, Self::TooLarge, Self::NotAnImage, Self::TooManyPixels, Self::Broken, Self::TooMany];

    /// A short code for a page's address (`?refused=…`); the page shows
    /// the store's own words for it, never text from the address.
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLarge => "too-large",
            Self::NotAnImage => "not-an-image",
            Self::TooManyPixels => "too-many-pixels",
            Self::Broken => "broken",
            Self::TooMany => "too-many",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Empty => "Choose an image file to upload.",
            Self::TooLarge => "That file is larger than 10 MB: upload a smaller image.",
            Self::NotAnImage => "That file is not a JPEG, PNG, WebP or GIF image (its content decides, not its name).",
            Self::TooManyPixels => "That image has too many pixels (at most 10,000 a side and 40 megapixels).",
            Self::Broken => "That image could not be read: it may be damaged.",
            Self::TooMany => "A product can have at most 12 images: delete one first.",
        }
    }
}

/// How an image moves in its gallery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GalleryMove {
    Up,
    Down,
    First,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_codes_round_trip() {
        for r in Refusal::ALL {
            assert_eq!(Refusal::parse(r.code()), Some(r));
        }
        assert_eq!(Refusal::parse("<script>"), None);
    }
}
