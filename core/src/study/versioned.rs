//! The office's versioned configuration (study settings, the 转段评估
//! checklist): one immutable fact per version, as for the posts' rubric.
//!
//! Why versions and not an editable record: a transition review is made
//! point by point against one checklist version and must keep meaning what
//! it meant when the checklist is edited later; and two offices editing
//! offline must not merge into a list neither wrote. The newest version
//! (highest number, then later day, then larger id) is in force; the
//! built-in default is version 1 and need not be stored.

use time::Date;

use crate::error::DomainError;
use crate::order;

/// A versioned configuration fact.
pub(super) trait Versioned: Sized + 'static {
    fn version(&self) -> u32;
    fn created_on(&self) -> Date;
    fn id_u128(&self) -> u128;
    /// The built-in default, version 1.
    fn builtin() -> &'static Self;

    /// Orders versions: version, then day made, then id.
    fn rank(&self) -> (u32, Date, u128) {
        (self.version(), self.created_on(), self.id_u128())
    }
}

/// `Default` (the built-in version) and [`Versioned`] for a configuration
/// type with `id`, `version` and `created_on` fields and a `LazyLock`
/// built-in: `versioned!(StudySettings, BUILTIN);`.
macro_rules! versioned {
    ($ty:ty, $builtin:ident) => {
        impl Default for $ty {
            fn default() -> Self {
                $builtin.clone()
            }
        }

        impl super::versioned::Versioned for $ty {
            fn version(&self) -> u32 {
                self.version
            }
            fn created_on(&self) -> time::Date {
                self.created_on
            }
            fn id_u128(&self) -> u128 {
                self.id.as_u128()
            }
            fn builtin() -> &'static Self {
                &$builtin
            }
        }
    };
}
pub(super) use versioned;

/// The newest version known, or the built-in default.
pub(super) fn newest<T: Versioned>(all: &[T]) -> &T {
    all.iter().fold(
        T::builtin(),
        |best, r| {
            if r.rank() > best.rank() {
                r
            } else {
                best
            }
        },
    )
}

/// Every version, the built-in default included, newest first, one per id.
pub(super) fn history<T: Versioned>(all: &[T]) -> Vec<&T> {
    let mut list: Vec<&T> = all.iter().collect();
    list.push(T::builtin());
    order::sort_by_key(&mut list, |r| std::cmp::Reverse(r.rank()));
    list.dedup_by_key(|r| r.id_u128());
    list
}

/// The number a new version gets: the highest known (the default counting
/// as 1) plus one.
pub(super) fn next_version<T: Versioned>(known: &[T]) -> u32 {
    known
        .iter()
        .map(Versioned::version)
        .fold(1, u32::max)
        .saturating_add(1)
}

/// Version 0 does not exist.
pub(super) fn check_version(version: u32) -> Result<(), DomainError> {
    if version == 0 {
        Err(DomainError::OutOfRange {
            field: "version",
            value: 0,
            min: 1,
            max: i64::from(u32::MAX),
        })
    } else {
        Ok(())
    }
}
