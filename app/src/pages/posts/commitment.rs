//! 个人承诺: the post holder's commitment for the half-year (items and a
//! filing deadline), filed once; later each item's fulfilment is recorded
//! (the commitment is a mutable record: one `record_set` of `items`).
//! Core's `Commitment::new` validates and `with_fulfilment` makes the new
//! items; the filing date is today, so a late filing shows as late.

use leptos::prelude::*;
use leptos::task::spawn_local;
use xianfeng_core::calendar::{parse_date, HalfYear};
use xianfeng_core::ids::CommitmentId;
use xianfeng_core::posts::{Commitment, CommitmentItem, Fulfilment};
use xianfeng_core::Actor;

use super::data::today;
use super::detail::page_post;
use super::detail::PostPage;
use super::widgets::options;
use super::{lang, t};
use crate::i18n::PostMsg;
use crate::kit::{self, FieldError, FormError, Kind, OrForm, Save, Write};

const FIELDS: &[&str] = &["items", "item", "deadline"];

#[component]
pub(super) fn CommitmentCard(
    page: Memo<Option<PostPage>>,
    period: RwSignal<HalfYear>,
) -> impl IntoView {
    let actor = super::data::use_actor();
    let error = RwSignal::new(None::<FormError>);
    let items = RwSignal::new(String::new());
    let deadline = RwSignal::new(today());
    let save = Save::with_error(error);
    let busy = save.busy;
    // The items this screen last wrote: changes made in quick succession
    // build on each other, not on data that has not reloaded yet.
    let draft = RwSignal::new(None::<Commitment>);
    let lang = super::lang();
    let build = move || {
        let post = page_post(page, lang)?;
        let deadline = parse_date("deadline", &deadline.get_untracked()).or_form(lang)?;
        let today = parse_date("filed_on", &today()).or_form(lang)?;
        let lines = CommitmentItem::from_lines(&items.get_untracked());
        let id = CommitmentId::generate();
        let c = Commitment::new(
            id,
            post.member,
            period.get_untracked(),
            lines,
            deadline,
            today,
        )
        .or_form(lang)?;
        Ok((
            vec![Write::fields(
                actor.get_untracked(),
                *id.as_uuid(),
                &c,
                None,
                lang,
            )?],
            (),
        ))
    };
    let file = save.on_submit(lang, build, move |()| items.set(String::new()));
    let shown = move || {
        page.with(|p| {
            let p = p.as_ref()?;
            Some(match &p.commitment {
                Some((c, unsent)) => filed(
                    c.clone(),
                    *unsent,
                    p.may.commitment.then_some(actor),
                    error,
                    draft,
                )
                .into_any(),
                None if p.may.commitment => view! {
                    <form class="form" on:submit=file.clone() data-testid="commitment-form" novalidate>
                        <label class="field">
                            <span>{t(PostMsg::CommitmentItems)}</span>
                            <textarea name="items" rows="4" bind:value=items></textarea>
                        </label>
                        <p class="hint">{t(PostMsg::OneItemPerLine)}</p>
                        <FieldError error=error field="items"/>
                        <FieldError error=error field="item"/>
                        {kit::input(t(PostMsg::Deadline), "deadline", Kind::Date, deadline, error, "deadline")}
                        {kit::submit_row(Save { busy, error }, FIELDS, t(PostMsg::FileCommitment), None)}
                    </form>
                }
                .into_any(),
                None => view! { <p class="muted">{t(PostMsg::NoCommitment)}</p> }.into_any(),
            })
        })
    };
    view! {
        <div class="card" data-testid="commitment">
            <h3>{t(PostMsg::CommitmentTitle)}</h3>
            {shown}
        </div>
    }
}

/// A filed commitment: its items with their fulfilment (editable when
/// this phone may write it), deadline and filing date.
fn filed(
    c: Commitment,
    unsent: bool,
    editable: Option<Memo<Option<Actor>>>,
    error: RwSignal<Option<FormError>>,
    draft: RwSignal<Option<Commitment>>,
) -> impl IntoView {
    // Once the stored commitment shows what was written, the draft is done.
    if draft.with_untracked(|d| d.as_ref() == Some(&c)) {
        draft.set(None);
    }
    let late = c.is_late();
    let dates = format!("{} / {}", c.deadline, c.filed_on);
    let items = c
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let current = item.fulfilment;
            let c = c.clone();
            let label_id = format!("commitment-item-{i}");
            let control = if let Some(actor) = editable {
                let change = move |ev: leptos::ev::Event| {
                    let lang = super::lang();
                    let Ok(f) = event_target_value(&ev).parse::<Fulfilment>() else {
                        return;
                    };
                    let base = draft
                        .get_untracked()
                        .filter(|d| d.id == c.id)
                        .unwrap_or_else(|| c.clone());
                    let items = match base.with_fulfilment(i, f) {
                        Ok(items) => items,
                        Err(e) => {
                            error.set(Some(FormError::domain(&e, lang)));
                            return;
                        }
                    };
                    let edited = Commitment { items, ..base };
                    let only = [String::from("items")];
                    let id = *edited.id.as_uuid();
                    let write =
                        Write::fields(actor.get_untracked(), id, &edited, Some(&only), lang);
                    draft.set(Some(edited));
                    match write {
                        Ok(write) => spawn_local(async move {
                            if let Err(e) = write.commit().await {
                                error.try_set(Some(FormError::storage(&e, lang)));
                            }
                        }),
                        Err(e) => error.set(Some(e)),
                    }
                };
                view! {
                    <select aria-labelledby=label_id.clone() on:change=change>
                        {options(
                            Fulfilment::ALL
                                .iter()
                                .map(|f| (f.code().to_string(), f.label(lang()).to_string()))
                                .collect(),
                            current.code(),
                        )}
                    </select>
                }
                .into_any()
            } else {
                view! { <span class="grade-chip">{current.label(lang())}</span> }.into_any()
            };
            view! {
                <li class="commitment-item">
                    <span id=label_id>{item.text.clone()}</span>
                    {control}
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="commitment-items" data-testid="commitment-items">{items}</ol>
        <p class="muted">
            {t(PostMsg::DeadlineFiled)}
            " "
            {dates}
            {late.then(|| view! { <span class="late-tag">{t(PostMsg::Late)}</span> })}
            {unsent.then(|| view! { <span class="unsent-tag">{t(PostMsg::Unsent)}</span> })}
        </p>
        <kit::FormAlert error=error fields=&[]/>
    }
}
