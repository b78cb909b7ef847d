//! Bounds on heavy work per server instance: decoding photos, rendering exports.
//!
//! Such work takes a core and tens or hundreds of megabytes for seconds. A `Capacity`
//! lets a few run at once and refuses the next at once with `AppError::Busy`, which asks
//! the client to retry: queueing would hold the request, its upload and its connection
//! all the same, so a flood would still exhaust memory, only more slowly.

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::AppError;

/// At most `at_once` pieces of one kind of work at the same time.
#[derive(Debug)]
pub struct Capacity {
    slots: Semaphore,
    retry_after_seconds: u32,
}

impl Capacity {
    /// A capacity of `at_once` slots whose refusals ask to retry after
    /// `retry_after_seconds`. `const`, so a capacity can be a `static` beside its work.
    pub const fn new(at_once: usize, retry_after_seconds: u32) -> Self {
        Self {
            slots: Semaphore::const_new(at_once),
            retry_after_seconds,
        }
    }

    /// A free slot, held until the returned permit is dropped; `Busy` when all are taken.
    pub fn enter(&self) -> Result<SemaphorePermit<'_>, AppError> {
        self.slots.try_acquire().map_err(|_| AppError::Busy {
            retry_after_seconds: self.retry_after_seconds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_beyond_the_slots_is_refused_until_a_slot_is_free() {
        let capacity = Capacity::new(2, 10);
        let first = capacity.enter().expect("first slot");
        let _second = capacity.enter().expect("second slot");
        assert_eq!(
            capacity.enter().err(),
            Some(AppError::Busy {
                retry_after_seconds: 10
            })
        );
        drop(first);
        assert!(capacity.enter().is_ok(), "a freed slot is taken again");
    }
}
