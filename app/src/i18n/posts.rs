//! The 示范岗 section: demonstration posts, reviews, checks, scores.

use super::messages;

messages! {
    /// The 示范岗 section: demonstration posts, reviews, checks, scores.
    PostMsg {
        Title => "党员示范岗", "Demonstration posts";
        Empty => "还没有示范岗。即将上线：岗位承诺、群众评议、督导检查和评分说明。", "No demonstration posts yet. Coming soon: commitments, public reviews, inspectors' checks and explained scores.";
    }
}
