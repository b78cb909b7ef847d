//! Subjects: whatever a comment, a support, a follow or a notification is about.

/// The kind of a subject, declared by the feature that owns it (`problem`,
/// `construction_report`, ...) and stored as this text next to the subject's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubjectKind(&'static str);

impl SubjectKind {
    /// A kind named `name`: lower-case ASCII letters and `_`, at most 32 bytes (the
    /// column's width). Checked at compile time where the kind is a constant.
    pub const fn new(name: &'static str) -> Self {
        let bytes = name.as_bytes();
        assert!(
            !bytes.is_empty() && bytes.len() <= 32,
            "a subject kind has 1 to 32 bytes"
        );
        let mut i = 0;
        while i < bytes.len() {
            assert!(
                bytes[i].is_ascii_lowercase() || bytes[i] == b'_',
                "a subject kind is lower-case ASCII letters and _"
            );
            i += 1;
        }
        Self(name)
    }

    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

/// One subject: its kind and its id within that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subject {
    /// What kind of thing it is.
    pub kind: SubjectKind,
    /// Its id among the things of that kind.
    pub id: u64,
}

impl Subject {
    /// The subject `id` of `kind`.
    pub const fn new(kind: SubjectKind, id: u64) -> Self {
        Self { kind, id }
    }
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.kind.as_str(), self.id)
    }
}
