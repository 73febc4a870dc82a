//! Where uploaded media live (ssr only): a small storage trait, and the
//! one implementation today, a directory on disk (`MEDIA_DIR`, by default
//! `DATA_DIR/media`). An object store (S3 and the like) would implement the
//! same three calls; the rest of the store only knows names.
//!
//! Names are made by the store, never taken from an upload: 32 random hex
//! digits, `-thumb` for a thumbnail, and `.jpg` ([`valid_name`]). A name that
//! is not of that shape is refused before any path is built from it.

use std::path::PathBuf;

use crate::error::ServerError;

/// The URL path media are served under (`/media/{name}`).
pub const URL_PREFIX: &str = "/media/";

/// Stores and serves media files by name.
#[async_trait::async_trait]
pub trait MediaStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` as `name` (whole or not at all).
    async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), ServerError>;
    /// The bytes stored as `name`, if any.
    async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, ServerError>;
    /// Forgets `name` (no error when it is already gone).
    async fn delete(&self, name: &str) -> Result<(), ServerError>;
}

/// Whether `name` is one the store could have made.
pub fn valid_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".jpg") else { return false };
    let stem = stem.strip_suffix("-thumb").unwrap_or(stem);
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A new random stem (without suffix).
pub fn new_stem() -> String {
    use rand::RngCore;
    let mut bytes = [0_u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The media name a stored URL refers to, if it is one of ours.
pub fn name_of_url(url: &str) -> Option<&str> {
    url.strip_prefix(URL_PREFIX).filter(|n| valid_name(n))
}

/// Media files in a directory.
#[derive(Debug, Clone)]
pub struct DiskMedia {
    root: PathBuf,
}

impl DiskMedia {
    /// Media in `root`, created if missing.
    pub fn new(root: impl Into<PathBuf>) -> Result<Self, ServerError> {
        let root = root.into();
        std::fs::create_dir_all(&root)
            .map_err(|e| ServerError::Config(format!("media directory {}: {e}", root.display())))?;
        Ok(Self { root })
    }

    fn path(&self, name: &str) -> Result<PathBuf, ServerError> {
        if !valid_name(name) {
            return Err(ServerError::NotFound);
        }
        Ok(self.root.join(name))
    }
}

#[async_trait::async_trait]
impl MediaStore for DiskMedia {
    async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), ServerError> {
        let path = self.path(name)?;
        // Written beside, then renamed: a reader never sees half a file.
        let partial = self.root.join(format!(".{name}.partial"));
        tokio::fs::write(&partial, &bytes).await.map_err(|e| ServerError::Internal(format!("media write: {e}")))?;
        tokio::fs::rename(&partial, &path).await.map_err(|e| ServerError::Internal(format!("media rename: {e}")))
    }

    async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, ServerError> {
        let Ok(path) = self.path(name) else { return Ok(None) };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(ServerError::Internal(format!("media read: {e}"))),
        }
    }

    async fn delete(&self, name: &str) -> Result<(), ServerError> {
        let path = self.path(name)?;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(ServerError::Internal(format!("media delete: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_the_store_makes_are_valid() {
        let stem = new_stem();
        assert!(valid_name(&format!("{stem}.jpg")));
        assert!(valid_name(&format!("{stem}-thumb.jpg")));
        for bad in [
            "../../etc/passwd",
            &format!("../{stem}.jpg"),
            &format!("{stem}.php"),
            &format!("{stem}.jpg.php"),
            &format!("{}.jpg", stem.to_uppercase()),
            &format!("{stem}x.jpg"),
            "",
            ".jpg",
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
        assert_eq!(name_of_url(&format!("/media/{stem}.jpg")), Some(format!("{stem}.jpg").as_str()));
        assert_eq!(name_of_url("/images/products/a-1.svg"), None);
    }

    #[tokio::test]
    async fn disk_media_round_trip_and_refuse_strange_names() {
        let dir = tempfile::tempdir().unwrap();
        let media = DiskMedia::new(dir.path().join("media")).unwrap();
        let name = format!("{}.jpg", new_stem());
        media.put(&name, b"jpeg bytes".to_vec()).await.unwrap();
        assert_eq!(media.get(&name).await.unwrap().as_deref(), Some(&b"jpeg bytes"[..]));
        assert!(media.put("../escape.jpg", b"x".to_vec()).await.is_err());
        assert_eq!(media.get("../escape.jpg").await.unwrap(), None);
        media.delete(&name).await.unwrap();
        media.delete(&name).await.unwrap();
        assert_eq!(media.get(&name).await.unwrap(), None);
        assert!(!dir.path().join("escape.jpg").exists());
    }
}
