//! The study stage (学习动员阶段, the fourth section): sessions,
//! attendance and hours, 三个完成, discussions, suggestions, and the
//! stage-transition review (转段评估).
//!
//! Why: the study stage is what the campaign documents spend most words
//! on, and the office's first question every week is whether every member
//! studied every hour: 004 item 二.1 "两个确保：确保全体党员参加学习，一个
//! 不漏；确保学习40个小时，一个不少", with absentees made up (补课, 送学上门,
//! 寄送资料) and 三个完成 (规定内容, 1万字笔记, 3000字心得体会); item 二.2
//! 两课两会; item 二.3 the 专题大讨论 on eight topics with 参学率 and 发言率
//! of 100%; item 二.7 the 转段评估 that the inspection group signs and the
//! office approves or sends back for 补课. 003 adds 我为组织建一言 (every
//! member at least one suggestion); 000 counts who took part (552 members,
//! 73 abroad, 18 frail, 463 took part).
//!
//! Records (every one an immutable fact with a device-made id; a
//! correction is a later fact, and the rules read the latest):
//!
//! - [`StudySession`] in a branch, with its [`Attendance`] member by member,
//!   [`StudyDelivery`] (送学上门 / 寄送资料) for a member who missed it, and
//!   [`Speech`] at a 专题讨论;
//! - [`StudyCheck`] (what the branch checked of a member's 三个完成) and
//!   [`Suggestion`] (我为组织建一言), per member;
//! - the office's [`StudySettings`] and [`TransitionChecklist`], versioned
//!   like the posts' rubric: a change is a new version;
//! - [`TransitionReview`], [`TransitionSignOff`], [`TransitionDecision`]:
//!   the 转段评估 of a unit, step by step.
//!
//! Rules: [`StudyIndex`] computes every member's hours, misses and
//! make-ups, 三个完成 and discussion figures once (O(records)), and adds
//! them up for any scope ([`StudyFigures`], [`TwoEnsures`], [`Owes`]);
//! [`transition_statuses`] says where each unit stands in its 转段评估.
//! Nothing derived is stored on any record.

mod attendance;
mod check;
mod figures;
mod index;
mod session;
mod settings;
mod status;
mod transition;
mod versioned;
mod voice;

#[cfg(test)]
mod scale;
#[cfg(test)]
mod tests;

pub use attendance::{Attendance, AttendanceStatus, DeliveryMethod, StudyDelivery};
pub use check::{Completion, StudyCheck, CHARS_MAX};
pub use figures::{Owes, StatusCounts, StudyFigures, TwoEnsures};
pub use index::{MadeUp, MemberStudy, Miss, MissReason, StudyFacts, StudyIndex};
pub use session::{hours_text, Hours, SessionKind, StudySession};
pub use settings::StudySettings;
pub use status::{transition_status, transition_statuses, TransitionStage, TransitionStatus};
pub use transition::{
    Outcome, PointResult, TransitionChecklist, TransitionDecision, TransitionReview,
    TransitionSignOff,
};
pub use voice::{Speech, Suggestion, SUGGESTIONS_MAX};

/// Who recorded a check or a decision: an inspector (office staff are
/// inspectors without a group) or a member (a branch's cadre).
pub use crate::pairing::Reviewer as Recorder;

/// Longest topic, checklist point or discussion topic (one line).
pub const TOPIC_MAX: usize = 200;
