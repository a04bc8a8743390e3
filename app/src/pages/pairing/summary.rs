//! `/pairing/summary`: the city's paragraph for the user's scope (or a
//! system, unit or village inside it): households visited, yuan of money
//! and goods, projects, mu restructured, disputes resolved. Shown as the
//! Chinese sentence, a table, a month-by-month SVG chart and a CSV file;
//! every figure is core's `totals` over the records on this phone.

use leptos::prelude::*;
use xianfeng_core::pairing::export::summary_scopes;
use xianfeng_core::pairing::{by_month, summary_csv, totals, Totals};
use xianfeng_core::{Lang, Scope};

use super::chart::MoneyChart;
use super::data::{Data, Shared};
use super::form::{today, Select, WithData};
use super::NoHouseholds;
use crate::download::download;
use crate::i18n::{fill, I18n, PairMsg};

#[component]
pub fn SummaryPage() -> impl IntoView {
    // The chosen scope (its index in the list), kept through reloads.
    let choice = RwSignal::new(String::from("0"));
    view! {
        <WithData testid="page-pairing-summary" title=PairMsg::Summary body=move |d: Shared| {
                if d.sees_households() {
                    view! { <Summary data=d choice=choice/> }.into_any()
                } else {
                    view! { <NoHouseholds data=d/> }.into_any()
                }
            }/>
    }
}

/// `全市` / `系统 · 教育系统`…
fn scope_label(data: &Data, scope: &Scope, i18n: I18n) -> String {
    let level = i18n.t(match scope {
        Scope::City => PairMsg::ScopeCity,
        Scope::System(_) => PairMsg::ScopeSystem,
        Scope::Unit(_) => PairMsg::ScopeUnit,
        Scope::Branch(_) => PairMsg::ScopeBranch,
        Scope::Village(_) => PairMsg::ScopeVillage,
    });
    match (scope, data.scope_name(scope)) {
        (Scope::City, _) => level.to_string(),
        (_, Some(name)) => fill("{level} · {name}", &[("level", &level), ("name", &name)]),
        (_, None) => level.to_string(),
    }
}

#[component]
fn Summary(data: Shared, choice: RwSignal<String>) -> impl IntoView {
    let i18n = I18n::use_context();
    let lang = i18n.lang();
    let Some(own) = data.identity.as_ref().map(|i| i.scope) else {
        return ().into_any();
    };
    let village_ids: Vec<_> = data.villages.iter().map(|v| v.id).collect();
    let scopes = summary_scopes(&own, &data.directory, &village_ids);
    let labels: Vec<String> = scopes.iter().map(|s| scope_label(&data, s, i18n)).collect();
    let choices: Vec<(String, String)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (i.to_string(), l.clone()))
        .collect();
    let report = move || {
        let i: usize = choice.get().parse().unwrap_or(0);
        let i = i.min(scopes.len() - 1);
        let scope = scopes[i];
        let facts = data.facts();
        let t = totals(&scope, &data.directory, &facts, None);
        let months = by_month(&scope, &data.directory, &facts);
        let label = labels[i].clone();
        view! { <Report label=label totals=t months=months lang=lang/> }
    };
    view! {
        <div class="card form">
            <Select id="summary-scope" label=PairMsg::SummaryScope value=choice choices=choices/>
        </div>
        {report}
    }
    .into_any()
}

#[component]
fn Report(
    label: String,
    totals: Totals,
    months: Vec<(xianfeng_core::pairing::Month, Totals)>,
    lang: Lang,
) -> impl IntoView {
    let i18n = I18n::use_context();
    let t = totals;
    let n = |msg: PairMsg, n: u32| fill(i18n.t(msg), &[("n", &n)]);
    let rows = [
        (
            PairMsg::RowPaired,
            n(PairMsg::HouseholdsN, t.households_paired),
        ),
        (
            PairMsg::RowVisited,
            n(PairMsg::HouseholdsN, t.households_visited),
        ),
        (PairMsg::RowMoney, t.money_fen.display(lang)),
        (PairMsg::RowGoods, t.goods_fen.display(lang)),
        (PairMsg::RowMoneyGoods, t.money_and_goods().display(lang)),
        (PairMsg::RowProjects, n(PairMsg::ProjectsN, t.projects)),
        (PairMsg::RowMu, t.mu.display(lang)),
        (
            PairMsg::RowDisputes,
            n(PairMsg::DisputesN, t.disputes_resolved),
        ),
    ];
    let mut csv_rows = vec![(label.clone(), t)];
    csv_rows.extend(months.iter().map(|(m, t)| (m.to_string(), *t)));
    let note = RwSignal::new(None::<PairMsg>);
    let save = move |_| {
        let mut name = String::from("pairing-summary-");
        name.push_str(&today());
        name.push_str(".csv");
        let ok = download(&name, "text/csv;charset=utf-8", &summary_csv(&csv_rows)).is_ok();
        note.set(Some(if ok {
            PairMsg::CsvSaved
        } else {
            PairMsg::CsvFailed
        }));
    };
    view! {
        <div class="card">
            <h3>{label.clone()}</h3>
            <p class="pair-sentence" data-testid="summary-sentence">{t.summary(lang)}</p>
        </div>
        <div class="card">
            <table class="pair-table" data-testid="summary-table">
                <caption class="visually-hidden">{label}</caption>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(head, value)| {
                            view! {
                                <tr>
                                    <th scope="row">{i18n.t(head)}</th>
                                    <td>{value}</td>
                                </tr>
                            }
                                .into_any()
                        })
                        .collect::<Vec<_>>()}
                </tbody>
            </table>
        </div>
        <div class="card">
            <h3>{i18n.t(PairMsg::ChartTitle)}</h3>
            <MoneyChart months=months/>
        </div>
        <div class="pair-bottom">
            <button type="button" class="btn pair-wide" on:click=save data-testid="summary-csv">
                {i18n.t(PairMsg::DownloadCsv)}
            </button>
            <p role="status" class="hint">{move || note.get().map(|m| i18n.t(m))}</p>
        </div>
    }
}
