//! `/pairing/h/:id`: one household's card: the registration details (the
//! contact in full: this screen shows only to roles whose scope may read
//! the card), the paired member, what the household has received in all,
//! and its timeline of visits, support and disputes resolved, newest
//! first; the quick-entry buttons sit low, within thumb reach.

use leptos::prelude::*;
use leptos_router::components::A;
use xianfeng_core::calendar::parse_date;
use xianfeng_core::ids::{HouseholdId, VisitId};
use xianfeng_core::pairing::{
    current_pairing, household_totals, timeline, Entry, Household, Pairing, Visit,
};

use super::data::{Data, Shared};
use super::form::{facts, today, WithData};
use super::{card_href, member_label, route_id, NoHouseholds, UnsentMark};
use crate::i18n::{fill, I18n, Msg, PairMsg, Text};

#[component]
pub fn CardPage() -> impl IntoView {
    let i18n = I18n::use_context();
    let id = route_id().map(HouseholdId::from_uuid);
    view! {
        <WithData testid="page-pairing-card" body=move |d: Shared| {
                let found = id.and_then(|id| d.household(id)).filter(|h| d.may_read_household(h)).map(|h| h.id);
                match found {
                    _ if !d.sees_households() => view! { <NoHouseholds data=d.clone()/> }.into_any(),
                    Some(id) => view! { <Card data=d.clone() id=id/> }.into_any(),
                    None => {
                        view! {
                            <h2>{i18n.t(PairMsg::Title)}</h2>
                            <p class="empty">{i18n.t(PairMsg::CardNotFound)}</p>
                        }
                            .into_any()
                    }
                }
            }/>
    }
}

#[component]
fn Card(data: Shared, id: HouseholdId) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let Some(h) = data.household(id) else {
        return ().into_any();
    };
    let all = data.facts();
    let causes: Vec<&str> = h.causes.iter().map(|c| c.label(lang)).collect();
    let sep = Msg::ListSep.text(lang);
    let pairing = current_pairing(id, &data.pairings);
    let paired = match pairing {
        Some(p) => fill(
            i18n.t(PairMsg::PairedSince),
            &[
                ("name", &member_label(&data, p.member, i18n)),
                ("date", &p.since),
            ],
        ),
        None => i18n.t(PairMsg::NotPaired).to_string(),
    };
    let rows = [
        (
            PairMsg::Village,
            "card-village",
            data.village_name(h.village).unwrap_or_default().to_string(),
        ),
        (
            PairMsg::Size,
            "card-size",
            fill(i18n.t(PairMsg::SizeN), &[("n", &h.size)]),
        ),
        (
            PairMsg::Attribute,
            "card-attribute",
            h.attribute.label(lang).to_string(),
        ),
        (PairMsg::CausesShort, "card-causes", causes.join(sep)),
        (
            PairMsg::Contact,
            "contact-full",
            h.contact
                .clone()
                .unwrap_or_else(|| i18n.t(PairMsg::NoContact).to_string()),
        ),
        (PairMsg::PairedMember, "card-paired", paired),
    ];
    let entries = timeline(id, &all);
    let visits = entries
        .iter()
        .filter(|e| matches!(e, Entry::Visit(_)))
        .count();
    let t = household_totals(id, &all);
    let figures = [
        (
            PairMsg::FigVisits,
            fill(i18n.t(PairMsg::TimesN), &[("n", &visits)]),
        ),
        (PairMsg::FigMoneyGoods, t.money_and_goods().display(lang)),
        (
            PairMsg::FigProjects,
            fill(i18n.t(PairMsg::ProjectsN), &[("n", &t.projects)]),
        ),
        (PairMsg::FigMu, t.mu.display(lang)),
        (
            PairMsg::FigDisputes,
            fill(i18n.t(PairMsg::DisputesN), &[("n", &t.disputes_resolved)]),
        ),
    ];
    let items = entries
        .iter()
        .map(|e| entry_view(&data, e, i18n))
        .collect::<Vec<_>>();
    let actions = actions(&data, h, pairing, i18n);
    view! {
        <h2 class="pair-title">
            <span>{h.head.clone()}</span>
            {data.unsent.contains(h.id.as_uuid()).then(|| view! { <UnsentMark/> })}
        </h2>
        <div class="card">
            <div data-testid="card-facts">
                {facts(rows.into_iter().map(|(l, t, v)| (i18n.t(l), Some(t), v)).collect())}
            </div>
        </div>
        <div class="card">
            <h3>{i18n.t(PairMsg::Received)}</h3>
            <div data-testid="card-figures">
                {facts(figures.into_iter().map(|(l, v)| (i18n.t(l), None, v)).collect())}
            </div>
        </div>
        <div class="card">
            <h3>{i18n.t(PairMsg::Timeline)}</h3>
            {super::form::history(items, PairMsg::NoEntries, Some("timeline"))}
        </div>
        <div class="pair-bottom pair-actions">{actions}</div>
    }
    .into_any()
}

/// The quick-entry buttons this phone may use on the card.
fn actions(data: &Data, h: &Household, pairing: Option<&Pairing>, i18n: I18n) -> impl IntoView {
    let id = h.id;
    let on = parse_date("on", &today()).ok();
    let may_log = on.is_some_and(|on| {
        !data
            .members_for(
                id,
                &|m| {
                    Visit::new(VisitId::from_u128(0), id, m, on, "")
                        .is_ok_and(|v| data.may_write(&v))
                },
                "",
            )
            .is_empty()
    });
    let may_pair = on.is_some_and(|on| {
        !data
            .members_for(id, &|m| data.may_pair(id, m, on), "")
            .is_empty()
    });
    let may_edit = data.may_write(h);
    let link = |sub: &'static str, label: PairMsg, primary: bool| {
        view! {
            <A href=card_href(id, sub) attr:class=if primary { "btn" } else { "btn btn-secondary" }>
                {i18n.t(label)}
            </A>
        }
    };
    let pair_label = if pairing.is_some() {
        PairMsg::ChangePairing
    } else {
        PairMsg::Pair
    };
    view! {
        {may_log.then(|| link("/visit", PairMsg::LogVisit, true))}
        {may_log.then(|| link("/support", PairMsg::LogSupport, true))}
        {may_log.then(|| link("/dispute", PairMsg::LogDispute, false))}
        {may_pair.then(|| link("/pair", pair_label, false))}
        {may_edit.then(|| link("/edit", PairMsg::EditCard, false))}
        {(!may_log && pairing.is_none())
            .then(|| view! { <p class="hint">{i18n.t(PairMsg::PairFirst)}</p> })}
    }
}

/// One line of the timeline.
fn entry_view(data: &Data, entry: &Entry<'_>, i18n: I18n) -> AnyView {
    let lang = i18n.lang();
    let who = member_label(data, entry.member(), i18n);
    let unsent = data.unsent.contains(&entry.id());
    let (kind, lines): (&str, Vec<String>) = match entry {
        Entry::Paired(p) => (
            i18n.t(PairMsg::EntryPaired),
            p.until
                .map(|u| fill(i18n.t(PairMsg::PairingEnded), &[("date", &u)]))
                .into_iter()
                .collect(),
        ),
        Entry::Visit(v) => {
            let mut lines = Vec::new();
            if !v.note.is_empty() {
                lines.push(fill(i18n.t(PairMsg::VisitFound), &[("text", &v.note)]));
            }
            if !v.problems.is_empty() {
                lines.push(fill(
                    i18n.t(PairMsg::VisitProblems),
                    &[("text", &v.problems)],
                ));
            }
            (i18n.t(PairMsg::EntryVisit), lines)
        }
        Entry::Support(s) => {
            let mut head = s.support.support_type().label(lang).to_string();
            if let Some(fen) = s.support.fen() {
                head.push(' ');
                head.push_str(&fen.display(lang));
            }
            if let Some(mu) = s.support.area() {
                head.push(' ');
                head.push_str(&mu.display(lang));
            }
            return view! {
                <li class="pair-entry" data-testid="timeline-support">
                    <span class="pair-entry-head">
                        <strong>{head}</strong>
                        <span class="muted">{entry.date().to_string()}</span>
                        {unsent.then(|| view! { <UnsentMark/> })}
                    </span>
                    <span>{s.description.clone()}</span>
                    <span class="muted">{who}</span>
                </li>
            }
            .into_any();
        }
        Entry::Dispute(d) => (i18n.t(PairMsg::EntryDispute), vec![d.summary.clone()]),
    };
    view! {
        <li class="pair-entry">
            <span class="pair-entry-head">
                <strong>{kind}</strong>
                <span class="muted">{entry.date().to_string()}</span>
                {unsent.then(|| view! { <UnsentMark/> })}
            </span>
            {lines.into_iter().map(|l| view! { <span>{l}</span> }.into_any()).collect::<Vec<_>>()}
            <span class="muted">{who}</span>
        </li>
    }
    .into_any()
}
