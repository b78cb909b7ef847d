//! A page's count of its successful writes. The route table adds sections to some pages
//! (the links between subjects of different features); such a section reads its data
//! again when the page around it wrote something, e.g. a solution that was just accepted
//! may now be turned into an initiative.

use leptos::prelude::*;

/// How many writes of the page succeeded; a signal, so readers refetch on a change.
#[derive(Debug, Clone, Copy)]
pub struct PageWrites(RwSignal<u32>);

impl PageWrites {
    /// A new count, given to the sections below the calling component.
    pub fn provide() -> Self {
        let writes = Self(RwSignal::new(0));
        provide_context(writes);
        writes
    }

    /// The count of the page around the calling component; `None` on a page that keeps
    /// none.
    pub fn around() -> Option<Self> {
        use_context()
    }

    /// The count, tracked.
    pub fn count(self) -> u32 {
        self.0.get()
    }

    /// Counts one more successful write.
    pub fn record(self) {
        self.0.update(|count| *count += 1);
    }
}
