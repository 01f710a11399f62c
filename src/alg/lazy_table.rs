//! [`LazyTable`]: when a key's fixed-base table is worth building.
//!
//! A table costs a few verifications to build, which a cold start (often a single verification)
//! should not pay; a key in steady use pays it once. So a key verifies without a table for its
//! first [`UNTABLED_USES`] verifications, then builds the table and keeps it.

use alloc::boxed::Box;
use core::sync::atomic::{AtomicU32, Ordering};
use once_cell::race::OnceBox;

/// Verifications a key makes without its fixed-base table (and the generator's, if not built
/// yet) before the table is built.
pub(crate) const UNTABLED_USES: u32 = 4;

/// A key's fixed-base table, built after the key's first [`UNTABLED_USES`] verifications.
pub(crate) struct LazyTable<T> {
    uses: AtomicU32,
    table: OnceBox<T>,
}

impl<T> LazyTable<T> {
    pub(crate) const fn new() -> Self {
        LazyTable {
            uses: AtomicU32::new(0),
            table: OnceBox::new(),
        }
    }

    /// The table (built by `build` the first time it is due), or `None` while the key is
    /// still in its first uses; each call counts as a use.
    pub(crate) fn get(&self, build: impl FnOnce() -> T) -> Option<&T> {
        if self.table.get().is_none() && self.uses.fetch_add(1, Ordering::Relaxed) < UNTABLED_USES {
            return None;
        }
        Some(self.table.get_or_init(|| Box::new(build())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_table_after_the_untabled_uses_and_keeps_it() {
        let lazy = LazyTable::new();
        let mut builds = 0;
        for _ in 0..UNTABLED_USES {
            assert!(lazy.get(|| 7).is_none());
        }
        for _ in 0..3 {
            assert_eq!(
                lazy.get(|| {
                    builds += 1;
                    7
                }),
                Some(&7)
            );
        }
        assert_eq!(builds, 1);
    }
}
