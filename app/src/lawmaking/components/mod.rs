//! Pieces the law-making pages share: the stage badge, a list card, the supports'
//! progress towards the threshold, the stage strip with its dates and the fields of the
//! editor's decision on a proposal.

use chrono::NaiveDateTime;
use leptos::prelude::*;
use leptos_router::components::A;

use super::model::drafting::{Disposition, NOTE_MAX};
use super::model::{InitiativeSummary, Stage};
use crate::i18n::{Locale, Message as _, Msg, format_date, format_integer, use_i18n};
use crate::organisation::components::Names;
use crate::ui::errors::FieldMessage;
use platform::error::AppError;

/// A coloured badge with the stage's name.
#[component]
pub fn StageBadge(stage: Stage) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge stage-{}", stage.as_db()) data-test="stage">
            {move || i18n.t(stage.msg())}
        </span>
    }
}

/// The level of an initiative: the region, or its municipality's name.
pub fn level_name(names: &Names, initiative: &InitiativeSummary, locale: Locale) -> String {
    match initiative.municipality_id {
        Some(municipality) => names.municipality(municipality, locale),
        None => Msg::LevelRegion.text(locale).to_string(),
    }
}

/// An initiative in a list.
#[component]
pub fn InitiativeCard(initiative: InitiativeSummary, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/lawmaking/{}", initiative.id);
    let supports = i64::from(initiative.support_count);
    let comments = i64::from(initiative.comment_count);
    let facts = {
        let initiative = initiative.clone();
        move || {
            format!(
                "№ {} · {} · {}",
                initiative.id,
                level_name(&names, &initiative, i18n.locale()),
                names.theme(initiative.theme_id, i18n.locale())
            )
        }
    };
    view! {
        <li class="problem-card" data-test="initiative-card">
            <div class="row">
                <StageBadge stage=initiative.stage />
                <StageEnd stage=initiative.stage ends=initiative.stage_ends_at />
            </div>
            <h2 class="problem-card-title"><A href=href>{initiative.title.clone()}</A></h2>
            <p class="muted">{facts}</p>
            <p class="problem-card-counts">
                <span>{move || format!("{}: {}", i18n.t(Msg::Supports), format_integer(i18n.locale(), supports))}</span>
                " · "
                <span>{move || format!("{}: {}", i18n.t(Msg::CommentsCount), format_integer(i18n.locale(), comments))}</span>
            </p>
        </li>
    }
}

/// "Until 12 March 2026": the published end of a concept's window or a discussion.
#[component]
pub fn StageEnd(stage: Stage, ends: Option<NaiveDateTime>) -> impl IntoView {
    let i18n = use_i18n();
    ends.filter(|_| !stage.is_final()).map(|ends| {
        view! {
            <span class="muted" data-test="stage-ends">
                {move || format!("{} {}", i18n.t(Msg::StageUntil), format_date(i18n.locale(), ends.date()))}
            </span>
        }
    })
}

/// A concept's supports against its threshold, as a labelled progress bar.
#[component]
pub fn SupportProgress(count: u32, threshold: u32) -> impl IntoView {
    let i18n = use_i18n();
    let (count, threshold) = (i64::from(count), i64::from(threshold.max(1)));
    let text = move || {
        format!(
            "{}: {} / {}",
            i18n.t(Msg::Supports),
            format_integer(i18n.locale(), count),
            format_integer(i18n.locale(), threshold)
        )
    };
    view! {
        <div class="support-progress stack" data-test="support-progress">
            <label for="support-progress-bar">{text}</label>
            <progress id="support-progress-bar" max=threshold.to_string() value=count.min(threshold).to_string()>{text}</progress>
        </div>
    }
}

/// The five working stages with the date each began; the current one is marked, and a
/// stage never reached shows a dash.
#[component]
pub fn StageStrip(current: Stage, dates: Vec<(Stage, Option<NaiveDateTime>)>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="stage-strip" data-test="stage-strip" aria-label=move || i18n.t(Msg::Stages)>
            {dates.into_iter().enumerate().map(|(index, (stage, began))| {
                let is_current = stage == current;
                view! {
                    <li class=if is_current { "stage-step current" } else if began.is_some() { "stage-step done" } else { "stage-step" }
                        aria-current=is_current.then_some("step") data-stage=stage.as_db()>
                        <span class="stage-number">{index + 1}</span>
                        <span class="stage-name">{move || i18n.t(stage.msg())}</span>
                        <span class="muted stage-date">
                            {move || began.map_or_else(|| "—".to_string(), |at| format_date(i18n.locale(), at.date()))}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The fields of the editor's decision on a proposal (an amendment or an expert remark):
/// the published reason and one of the three dispositions, each named by `name` (the
/// status it gives the proposal), with the refusal of either. `prefix` keeps the ids of
/// several forms on one page apart.
#[component]
pub fn DispositionFields(
    prefix: String,
    error: Signal<Option<AppError>>,
    name: fn(Disposition) -> Msg,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason_id = format!("{prefix}-reason");
    let label_for = reason_id.clone();
    view! {
        <div class="field">
            <label for=label_for>{move || i18n.t(Msg::DispositionReason)}</label>
            <textarea id=reason_id name="reason" rows="2" required=true maxlength=NOTE_MAX.to_string() data-test="disposition-reason"></textarea>
            <FieldMessage error field="reason" />
        </div>
        <fieldset class="field row">
            <legend>{move || i18n.t(Msg::Disposition)}</legend>
            {Disposition::ALL.into_iter().map(|disposition| {
                let input_id = format!("{prefix}-{}", disposition.as_db());
                let label_for = input_id.clone();
                view! {
                    <label class="checkbox" for=label_for>
                        <input type="radio" id=input_id name="disposition" value=disposition.as_db() required=true
                            data-test=format!("disposition-{}", disposition.as_db()) />
                        {move || i18n.t(name(disposition))}
                    </label>
                }
            }).collect_view()}
            <FieldMessage error field="disposition" />
        </fieldset>
    }
}
