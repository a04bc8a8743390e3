//! The JSON messages of `POST /api/sync/push` and `POST /api/sync/pull`.
//! The device is known from its token, so it is not repeated here.

use serde::{Deserialize, Serialize};

use super::change::Change;
use crate::ids::DeviceId;

/// The most changes one pull page may carry.
pub const MAX_PULL_PAGE: u32 = 1000;

/// `POST /api/sync/push`: the next changes of the device's outbox, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub changes: Vec<Change>,
}

/// The device's last processed number: outbox entries up to it may go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub last_seq: u64,
    /// The server's clock, so a phone can tell the user its clock is off.
    pub server_time_ms: u64,
}

/// `POST /api/sync/pull`: changes after `cursor` (0 the first time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    pub cursor: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// A change as the server logged it (stamps may have been clamped).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerChange {
    pub server_seq: u64,
    pub device: DeviceId,
    pub change: Change,
}

/// One page of the log that the device's scope covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<ServerChange>,
    /// Where the next pull starts (past filtered-out entries too).
    pub cursor: u64,
    /// More pages wait after this one.
    pub more: bool,
    /// The device's last processed number (as in [`PushResponse`]).
    pub last_seq: u64,
    /// The newest entry of the whole log when the page was read: `cursor`
    /// of `log_end` is how far a catch-up has come (a progress bar).
    #[serde(default)]
    pub log_end: u64,
}
