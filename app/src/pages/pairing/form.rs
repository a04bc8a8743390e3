//! Small pieces the section's forms share: a labelled input (with the
//! kit's error under it), a `<select>` of choices, label–value rows,
//! today's date, and the page frame that waits for the section's data.
//! Errors and saving are the kit's (`crate::kit`): every form refuses
//! bad input the same way, and nothing is stored until the whole record
//! passes core's checks.

use std::sync::Arc;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;
use xianfeng_core::ids::{HouseholdId, MemberId};
use xianfeng_core::Record;

use super::data::{self, Data, Shared};
use super::{card_href, route_id, NoHouseholds};
use crate::i18n::{I18n, PairMsg};
pub use crate::kit::{facts, Kind};
use crate::kit::{FieldError, FormError, Save, Write};
pub use crate::local_time::today;

/// The member chosen in a form's `member` select.
pub fn chosen_member(member: RwSignal<String>, i18n: I18n) -> Result<MemberId, FormError> {
    member
        .get_untracked()
        .parse()
        .map_err(|_| FormError::new(Some("member"), i18n.t(PairMsg::ChooseMember)))
}

/// A card's history (`<ol class="pair-timeline">`), or `none` in words
/// when it is empty.
pub fn history(items: Vec<AnyView>, none: PairMsg, testid: Option<&'static str>) -> AnyView {
    let i18n = I18n::use_context();
    if items.is_empty() {
        return view! { <p class="muted">{i18n.t(none)}</p> }.into_any();
    }
    view! { <ol class="pair-timeline" data-testid=testid>{items}</ol> }.into_any()
}

/// A labelled `<select>` bound to `value`; `choices` are (value, label).
#[component]
pub fn Select(
    id: &'static str,
    label: PairMsg,
    value: RwSignal<String>,
    choices: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = I18n::use_context();
    view! {
        <label class="field" for=id>
            <span>{i18n.t(label)}</span>
        </label>
        <select
            id=id
            class="pair-select"
            prop:value=move || value.get()
            on:change=move |ev| value.set(event_target_value(&ev))
        >
            {choices
                .into_iter()
                .map(|(v, text)| {
                    let selected = value.get_untracked() == v;
                    view! { <option value=v selected=selected>{text}</option> }.into_any()
                })
                .collect::<Vec<_>>()}
        </select>
    }
}

/// The section's page frame: waits for the data, then renders `body`
/// with it (or the storage error). `once`: load it once (forms), instead
/// of again after every write and pull. One non-generic frame for every
/// screen (each generic copy would cost bundle bytes).
#[component]
pub fn WithData(
    testid: &'static str,
    #[prop(optional)] title: Option<PairMsg>,
    #[prop(into)] body: Body,
    #[prop(optional)] once: bool,
) -> impl IntoView {
    let i18n = I18n::use_context();
    let shown = crate::kit::show(data::resource(!once), move |d| (body.0)(d));
    view! {
        <section class="page" data-testid=testid>
            {title.map(|title| view! { <h2>{i18n.t(title)}</h2> })}
            {shown}
        </section>
    }
}

/// The frame of a form about one household (`/pairing/h/:id/…`): the
/// title, then `form(data, household)` once the data has loaded (once: a
/// sync while typing must not redraw the form) and this phone may read
/// the card; otherwise why not.
#[component]
pub fn HouseholdForm(
    testid: &'static str,
    title: PairMsg,
    #[prop(into)] form: HouseholdBody,
) -> impl IntoView {
    let i18n = I18n::use_context();
    let id = route_id().map(HouseholdId::from_uuid);
    let body = move |d: Shared| {
        let found = id
            .and_then(|id| d.household(id))
            .filter(|h| d.may_read_household(h))
            .map(|h| h.id);
        match found {
            _ if !d.sees_households() => view! { <NoHouseholds data=d.clone()/> }.into_any(),
            Some(h) => (form.0)(d.clone(), h),
            None => view! { <p class="empty">{i18n.t(PairMsg::CardNotFound)}</p> }.into_any(),
        }
    };
    view! {
        <WithData testid=testid title=title once=true body=body/>
    }
}

/// What a household form draws, given the data and the household.
#[derive(Clone)]
pub struct HouseholdBody(Arc<dyn Fn(Shared, HouseholdId) -> AnyView + Send + Sync>);

impl<F: Fn(Shared, HouseholdId) -> AnyView + Send + Sync + 'static> From<F> for HouseholdBody {
    fn from(f: F) -> HouseholdBody {
        HouseholdBody(Arc::new(f))
    }
}

/// What a screen draws once the data is there.
#[derive(Clone)]
pub struct Body(Arc<dyn Fn(Shared) -> AnyView + Send + Sync>);

impl<F: Fn(Shared) -> AnyView + Send + Sync + 'static> From<F> for Body {
    fn from(f: F) -> Body {
        Body(Arc::new(f))
    }
}

/// `record` as a fact to save, if core lets this phone write it where it
/// goes (as the server will check).
pub fn allowed_fact<T: Record>(
    data: &Shared,
    id: Uuid,
    record: &T,
    i18n: I18n,
) -> Result<Write, FormError> {
    Write::fact(data.actor(), id, record, i18n)
}

/// What a helper fact page is called (ids, labels, the fields it shows
/// errors under; others show above the button).
pub struct HelperFact {
    pub page_testid: &'static str,
    pub title: PairMsg,
    pub form_testid: &'static str,
    pub select_id: &'static str,
    pub select_label: PairMsg,
    pub save_label: PairMsg,
    pub fields: &'static [&'static str],
}

/// Whether this phone may name `member` on the page's fact about the
/// household on a day (a probe record with placeholder texts, asked of
/// [`Data::may_write`](super::data::Data::may_write)).
pub type Probe = fn(&Data, HouseholdId, MemberId, time::Date) -> bool;

/// What a helper fact form builds: the record for the helper `member`
/// (ending in [`allowed_fact`]), or why not.
pub type Build =
    Arc<dyn Fn(&Shared, HouseholdId, MemberId) -> Result<Write, FormError> + Send + Sync>;

/// A page recording a fact about a household that names the member who
/// helped (a visit, a support item, a dispute resolved): the card's head,
/// the page's `inputs`, the helper `<select>` (the members `build` may
/// name, the paired one first), the errors and the save button; saved,
/// back to the card. A page holds only its fields and `build`.
pub fn helper_fact_page(
    spec: HelperFact,
    error: RwSignal<Option<FormError>>,
    inputs: impl Fn() -> AnyView + Send + Sync + 'static,
    probe: Probe,
    build: Build,
) -> impl IntoView {
    let member = RwSignal::new(String::new());
    let spec = Arc::new(spec);
    let inputs = Arc::new(inputs);
    let testid = spec.page_testid;
    let title = spec.title;
    view! {
        <HouseholdForm
            testid=testid
            title=title
            form=move |d: Shared, h: HouseholdId| {
                helper_fact_form(&d, h, (member, error), &spec, inputs(), (probe, build.clone()))
            }
        />
    }
}

fn helper_fact_form(
    data: &Shared,
    household: HouseholdId,
    (member, error): (RwSignal<String>, RwSignal<Option<FormError>>),
    spec: &HelperFact,
    inputs: AnyView,
    (probe, build): (Probe, Build),
) -> AnyView {
    let i18n = I18n::use_context();
    let Ok(on) = xianfeng_core::calendar::parse_date("on", &today()) else {
        return ().into_any();
    };
    let choices: Vec<(String, String)> = data
        .members_for(
            household,
            &|m| probe(data, household, m, on),
            i18n.t(PairMsg::PairedMemberUnnamed),
        )
        .into_iter()
        .map(|(m, name)| (m.to_string(), name))
        .collect();
    if choices.is_empty() {
        return view! { <p class="empty">{i18n.t(PairMsg::PairFirst)}</p> }.into_any();
    }
    if let Some((first, _)) = choices.first() {
        if member.with_untracked(String::is_empty) {
            member.set(first.clone());
        }
    }
    let head = data
        .household(household)
        .map(|h| h.head.clone())
        .unwrap_or_default();
    let save = Save {
        busy: RwSignal::new(false),
        error,
    };
    let navigate = use_navigate();
    let d = data.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let built = chosen_member(member, i18n).and_then(|m| build(&d, household, m));
        let navigate = navigate.clone();
        save.write(i18n, built, move || {
            navigate(&card_href(household, ""), Default::default())
        });
    };
    view! {
        <form class="card form" data-testid=spec.form_testid on:submit=submit novalidate>
            <p class="hint">{head}</p>
            {inputs}
            <Select id=spec.select_id label=spec.select_label value=member choices=choices/>
            <FieldError error=error field="member"/>
            {crate::kit::submit_row(save, spec.fields, i18n.t(spec.save_label), None)}
        </form>
    }
    .into_any()
}
