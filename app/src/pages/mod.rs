//! One module per section of the app. Until a section's issue lands it shows
//! an honest empty state; navigation and offline behaviour are already real.

mod me;
mod placeholder;
mod sync;

pub use me::Me;
pub use placeholder::{NotFound, Pairing, Posts, SpotChecks};
pub use sync::{EnrollLink, Sync};
