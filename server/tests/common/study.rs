//! The study stage (学习) over the little city of `city.rs`: a session in
//! each branch and a 转段评估 review of each unit, and the JSON of every
//! study kind, as the phone sends them (shapes in core/SCHEMA.md).

use serde_json::{json, Value};

use super::city::{id, Phone, B, INSPECTOR, U};

/// A study session in each branch, and a review of each unit.
pub const SS: [u32; 2] = [0x4a1, 0x4a2];
pub const TR: [u32; 2] = [0x4b1, 0x4b2];

pub fn session(n: u32, branch: u32) -> Value {
    json!({"id": id(n), "branch": id(branch), "on": "2005-02-28", "hours": 80,
           "kind": "collective", "topic": "学习党章"})
}

pub fn attendance(n: u32, session: u32, member: u32) -> Value {
    json!({"id": id(n), "session": id(session), "member": id(member), "status": "absent"})
}

pub fn delivery(n: u32, session: u32, member: u32) -> Value {
    json!({"id": id(n), "session": id(session), "member": id(member), "on": "2005-03-02",
           "method": "home_visit"})
}

pub fn speech(n: u32, session: u32, member: u32) -> Value {
    json!({"id": id(n), "session": id(session), "member": id(member)})
}

pub fn study_check(n: u32, member: u32) -> Value {
    json!({"id": id(n), "member": id(member), "on": "2005-03-08",
           "checker": {"by": "member", "id": id(member)}, "content_done": true,
           "notes_chars": 12000, "reflection_chars": 3200, "reflection_on": "2005-03-07"})
}

pub fn suggestion(n: u32, member: u32) -> Value {
    json!({"id": id(n), "member": id(member), "on": "2005-03-08", "count": 1,
           "summary": "支部活动安排在业余时间"})
}

/// A new version of the office's settings (the defaults, targets edited).
pub fn settings(n: u32) -> Value {
    let mut v = serde_json::to_value(xianfeng_core::study::StudySettings::default()).unwrap();
    v["id"] = json!(id(n));
    v["version"] = json!(2);
    v["created_on"] = json!("2005-02-20");
    v["hours_target"] = json!(380);
    v
}

/// A new version of the 转段评估 checklist (three points).
pub fn checklist(n: u32) -> Value {
    json!({"id": id(n), "version": 2, "created_on": "2005-02-20",
           "points": ["全体党员参加学习", "每名党员学习满40个小时", "三个完成"]})
}

/// A review of `unit` against the built-in 20-point checklist.
pub fn review(n: u32, unit: u32) -> Value {
    let results: Vec<Value> = (0..20).map(|p| json!({"met": p != 8})).collect();
    json!({"id": id(n), "unit": id(unit), "checklist": "00000000-0000-0000-0000-000000000001",
           "inspector": id(INSPECTOR), "on": "2005-03-20", "results": results})
}

pub fn sign_off(n: u32, review: u32) -> Value {
    json!({"id": id(n), "review": id(review), "leader": id(INSPECTOR), "on": "2005-03-21"})
}

pub fn decision(n: u32, review: u32) -> Value {
    json!({"id": id(n), "review": id(review), "decided_by": {"by": "inspector", "id": id(INSPECTOR)},
           "on": "2005-03-25", "outcome": {"kind": "approved"}})
}

/// What the office records on top of `city::world`: a session in each
/// branch and a review of each unit.
pub fn study_world(office: &mut Phone) -> Vec<Value> {
    let mut out = Vec::new();
    for i in 0..2 {
        out.push(office.insert("study_session", session(SS[i], B[i])));
        out.push(office.insert("transition_review", review(TR[i], U[i])));
    }
    out
}

/// The study kinds (for picking them out of what a phone pulls).
pub const KINDS: [&str; 11] = [
    "study_session",
    "attendance",
    "study_delivery",
    "speech",
    "study_check",
    "suggestion",
    "study_settings",
    "transition_checklist",
    "transition_review",
    "transition_sign_off",
    "transition_decision",
];
