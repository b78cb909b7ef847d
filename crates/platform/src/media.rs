//! Uploaded media (photos and their thumbnails, inspection acts) behind one interface.
//!
//! Today the store is a directory, which every instance of a cluster mounts (a shared
//! volume), and `/media/` serves it. Features only name files and put, read, check and
//! remove them here, so an object store can take the directory's place in this file alone.

use std::io;
use std::path::{Path, PathBuf};

use crate::uploads::{remove_stored, store};

/// The name of a stored file: a key we issued (hex; `-` and `_` allowed) and a fixed
/// suffix such as `.jpg`. A key from a database row that is not such a plain name has no
/// `MediaName`, so a bad row can never name a file elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaName(String);

impl MediaName {
    /// `<key><suffix>`, or `None` for a key that is not a plain name.
    pub fn new(key: &str, suffix: &str) -> Option<Self> {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        plain.then(|| Self(format!("{key}{suffix}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where uploaded media are kept.
#[derive(Debug, Clone)]
pub struct MediaStore {
    directory: PathBuf,
}

impl MediaStore {
    /// A store in `directory` (created on the first upload).
    pub fn in_directory(directory: impl Into<PathBuf>) -> Self {
        Self {
            directory: directory.into(),
        }
    }

    /// The directory `/media/` serves, which backups copy.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    fn path(&self, name: &MediaName) -> PathBuf {
        self.directory.join(&name.0)
    }

    /// Stores `bytes` as `name`, durably before this returns (see [`store`]).
    pub async fn put(&self, name: &MediaName, bytes: &[u8]) -> io::Result<()> {
        store(&self.path(name), bytes).await
    }

    /// The bytes stored as `name`.
    pub async fn get(&self, name: &MediaName) -> io::Result<Vec<u8>> {
        tokio::fs::read(self.path(name)).await
    }

    /// Whether `name` is stored.
    pub async fn contains(&self, name: &MediaName) -> io::Result<bool> {
        tokio::fs::try_exists(self.path(name)).await
    }

    /// Removes `name`; one already gone is what was wanted.
    pub async fn remove(&self, name: &MediaName) -> io::Result<()> {
        remove_stored(&self.path(name)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_only_of_plain_keys() {
        assert_eq!(
            MediaName::new("0a1b-c_d", ".pdf").map(|name| name.as_str().to_string()),
            Some("0a1b-c_d.pdf".to_string())
        );
        for bad in ["", "../etc/passwd", "a/b", "a.b", "a b"] {
            assert_eq!(MediaName::new(bad, ".pdf"), None, "{bad:?}");
        }
    }

    #[tokio::test]
    async fn a_stored_file_can_be_found_and_removed_twice() {
        let directory = tempfile::tempdir().expect("a directory");
        let media = MediaStore::in_directory(directory.path().join("media"));
        let name = MediaName::new("ab12", ".jpg").expect("a plain key");
        assert!(!media.contains(&name).await.expect("checked"));
        media.put(&name, b"jpeg").await.expect("stored");
        assert!(media.contains(&name).await.expect("checked"));
        assert_eq!(
            std::fs::read(directory.path().join("media/ab12.jpg")).expect("the file"),
            b"jpeg"
        );
        media.remove(&name).await.expect("removed");
        media.remove(&name).await.expect("removed again");
        assert!(!media.contains(&name).await.expect("checked"));
    }
}
