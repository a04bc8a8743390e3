//! One module per section of the app; each section owns its routes.

mod me;
mod not_found;
pub mod pairing;
pub mod posts;
pub mod spot_checks;
mod sync;

pub use me::Me;
pub use not_found::NotFound;
pub use pairing::PairingRoutes;
pub use posts::PostsRoutes;
pub use spot_checks::SpotChecksRoutes;
pub use sync::{EnrollLink, Sync};
