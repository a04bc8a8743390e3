//! `/study/new`: record a study session of a branch — date, hours, kind
//! (集中学习 / 党课 / 辅导报告 / 先进事迹报告会 / 形势报告会 / 专题讨论 /
//! 补课) and topic; a 专题讨论 picks one of the office's topics, a 补课
//! names the session it makes up (`?makes_up=<id>` from that session's
//! screen). Saved, straight to its 考勤. Works offline.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{BranchId, StudySessionId};
use xianfeng_core::study::{Hours, SessionKind, StudySession};

use super::data::Shared;
use super::{lang, page, query_id, t};
use crate::i18n::StudyMsg;
use crate::kit::{self, FormError, Kind, OrForm, Save, Write};
use crate::local_time::today;
use crate::pages::options;

const FIELDS: &[&str] = &["on", "hours", "topic", "makes_up"];

#[component]
pub fn NewSession() -> impl IntoView {
    page(
        "page-study-new",
        Some(StudyMsg::NewSession),
        kit::Reload::Once,
        form,
    )
}

fn form(d: Shared) -> AnyView {
    let lang = lang();
    let branches: Vec<(String, String)> = d
        .branches_for_sessions()
        .iter()
        .map(|b| {
            (
                b.id.to_string(),
                format!("{} · {}", d.unit_name(b.unit), b.name),
            )
        })
        .collect();
    if branches.is_empty() {
        return super::empty(StudyMsg::CannotHold);
    }
    let missed = query_id("makes_up").map(StudySessionId::from_uuid);
    let first_branch = missed
        .and_then(|m| d.session(m))
        .map(|s| s.branch.to_string())
        .unwrap_or_else(|| branches[0].0.clone());
    let branch = RwSignal::new(first_branch);
    let on = RwSignal::new(today());
    let hours = RwSignal::new("3".to_string());
    let first_kind = if missed.is_some() {
        SessionKind::MakeUp
    } else {
        SessionKind::Collective
    };
    // The select holds the kind's code; the form reads the kind from it.
    let kind_text = RwSignal::new(first_kind.code().to_string());
    let kind = Memo::new(move |_| kind_text.get().parse().unwrap_or(first_kind));
    let topic = RwSignal::new(String::new());
    let discussion = RwSignal::new("0".to_string());
    let makes_up = RwSignal::new(missed.map(|m| m.to_string()).unwrap_or_default());
    let error = RwSignal::new(None::<FormError>);
    let save = Save::with_error(error);
    let kinds: Vec<(String, String)> = SessionKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label(lang).to_string()))
        .collect();
    let topics: Vec<(String, String)> = d
        .settings()
        .discussion_topics
        .iter()
        .enumerate()
        .map(|(i, topic)| (i.to_string(), topic.clone()))
        .collect();
    let data = d.clone();
    let made_up_choices = move || {
        let branch: Option<BranchId> = branch.get().parse().ok();
        let list: Vec<(String, String)> = data
            .sessions_in(&xianfeng_core::Scope::City)
            .into_iter()
            .filter(|s| Some(s.branch) == branch && s.kind != SessionKind::MakeUp)
            .map(|s| {
                (
                    s.id.to_string(),
                    format!("{} · {} · {}", s.on, s.kind.label(lang), s.topic),
                )
            })
            .collect();
        let mut all = vec![(String::new(), t(StudyMsg::ChooseMadeUp).to_string())];
        all.extend(list);
        options(all, &makes_up.get_untracked())
    };
    let data = d.clone();
    let build = move || {
        let branch: BranchId = branch
            .get_untracked()
            .parse()
            .map_err(|_| FormError::at("branch", t(StudyMsg::ChooseBranch)))?;
        let on = parse_date("on", &on.get_untracked()).or_form(lang)?;
        let hours = Hours::parse(&hours.get_untracked()).or_form(lang)?;
        let id = StudySessionId::generate();
        let session = match kind.get_untracked() {
            SessionKind::Discussion => {
                let index: u16 = discussion.get_untracked().parse().unwrap_or(0);
                StudySession::discussion(id, branch, on, hours, index, data.settings())
            }
            SessionKind::MakeUp => {
                let missed = makes_up
                    .get_untracked()
                    .parse()
                    .ok()
                    .and_then(|m| data.session(StudySessionId::from_uuid(m)))
                    .ok_or_else(|| FormError::at("makes_up", t(StudyMsg::ChooseMadeUp)))?;
                let topic = Some(topic.get_untracked()).filter(|t| !t.trim().is_empty());
                StudySession::make_up(id, branch, on, hours, missed, topic)
            }
            k => StudySession::new(id, branch, on, hours, k, topic.get_untracked()),
        }
        .or_form(lang)?;
        let write = Write::fact(data.actor(), *session.id.as_uuid(), &session, lang)?;
        Ok((vec![write], session.id))
    };
    let navigate = use_navigate();
    let done =
        move |id: StudySessionId| navigate(&format!("/study/session/{id}"), Default::default());
    let submit = save.on_submit(lang, build, done);
    let one_branch = branches.len() == 1;
    view! {
        <form class="form card" data-testid="session-form" on:submit=submit>
            {(!one_branch).then(|| kit::select(t(StudyMsg::Branch), branch, options(branches.clone(), &branch.get_untracked()).into_any()))}
            {kit::select(t(StudyMsg::Kind), kind_text, options(kinds, &kind_text.get_untracked()).into_any())}
            {kit::input(t(StudyMsg::Date), "on", Kind::Date, on, error, "on")}
            {kit::input(t(StudyMsg::Hours), "hours", Kind::Decimal, hours, error, "hours")}
            {move || match kind.get() {
                SessionKind::Discussion => {
                    kit::select(t(StudyMsg::DiscussionTopic), discussion, options(topics.clone(), &discussion.get_untracked()).into_any())
                }
                SessionKind::MakeUp => view! {
                    {kit::select(t(StudyMsg::MadeUp), makes_up, made_up_choices().into_any())}
                    <kit::FieldError error=error field="makes_up"/>
                    {kit::input(t(StudyMsg::TopicOptional), "topic", Kind::Text, topic, error, "topic")}
                }
                .into_any(),
                _ => kit::input(t(StudyMsg::Topic), "topic", Kind::Text, topic, error, "topic"),
            }}
            {kit::submit_row(save, FIELDS, t(StudyMsg::SaveSession), None)}
        </form>
    }
    .into_any()
}
