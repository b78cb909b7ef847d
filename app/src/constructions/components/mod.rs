//! Pieces the construction pages share: status badges, the report card, the change list.

use leptos::prelude::*;
use leptos_router::components::A;

use super::model::{
    ChangeEntry, ConstructionStatus, Footprint, IllegalStatus, RegistryField, ReportStatus,
    ReportSummary,
};
use crate::i18n::{Locale, Message as _, Msg, format_date, format_local_datetime, use_i18n};
use crate::organisation::components::Names;

/// A badge with a registry entry's status.
#[component]
pub fn ConstructionBadge(status: ConstructionStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge construction-{}", status.as_db()) data-test="construction-status">
            {move || i18n.t(status.msg())}
        </span>
    }
}

/// A badge with a citizen report's status.
#[component]
pub fn ReportBadge(status: ReportStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge report-{}", status.as_db()) data-test="report-status">
            {move || i18n.t(status.msg())}
        </span>
    }
}

/// A badge with the status of an illegal construction's case.
#[component]
pub fn IllegalBadge(status: IllegalStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge illegal-{}", status.as_db()) data-test="illegal-status">
            {move || i18n.t(status.msg())}
        </span>
    }
}

/// A report in a list.
#[component]
pub fn ReportCard(report: ReportSummary, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/constructions/reports/{}", report.id);
    let municipality = move || names.municipality(report.municipality_id, i18n.locale());
    let aspect = report.aspect;
    let entry = report.construction.clone();
    view! {
        <li class="card stack" data-test="report-card">
            <div class="row">
                <A href=href.clone()>{move || format!("{} {}", i18n.t(Msg::ReportNumber), report.id)}</A>
                <ReportBadge status=report.status />
            </div>
            <p>
                <strong>{move || i18n.t(report.kind.msg())}</strong>
                {aspect.map(|aspect| view! { " · " {move || i18n.t(aspect.msg())} })}
                {entry.map(|(id, number)| view! { " · " <A href=format!("/constructions/{id}")>{number}</A> })}
            </p>
            <p class="muted">{municipality} " · " {move || format_local_datetime(i18n.locale(), report.created_at)}</p>
            <p>{report.excerpt.clone()}</p>
            {report.findings.clone().map(|findings| view! {
                <p class="verification" data-test="report-findings">
                    <strong>{move || i18n.t(Msg::VerificationResult)}</strong>
                    {report.verified_on.map(|date| view! { " " {move || format_date(i18n.locale(), date)} })}
                    ": " {findings}
                </p>
            })}
        </li>
    }
}

/// A history or change list: each change with its fields' old and new values.
#[component]
pub fn ChangeList(entries: Vec<ChangeEntry>, #[prop(optional)] show_entry: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="stack history" data-test="change-list">
            {entries.into_iter().map(|entry| {
                let heading = if entry.created { Msg::HistoryCreated } else { Msg::HistoryUpdated };
                let import = entry.import_id;
                let actor = entry.actor_name.clone().unwrap_or_default();
                let link = show_entry.then(|| view! {
                    <A href=format!("/constructions/{}", entry.construction_id)>{entry.registry_number.clone()}</A> " "
                });
                view! {
                    <li class="card" data-test="change">
                        <p>
                            {link}
                            <strong>{move || i18n.t(heading)}</strong>
                            " · " {move || format_local_datetime(i18n.locale(), entry.at)}
                            " · " {actor}
                            {import.map(|id| view! { " · " <A href=format!("/constructions/imports/{id}")>{move || format!("{} {id}", i18n.t(Msg::HistoryByImport))}</A> })}
                        </p>
                        <table class="data-table">
                            <tbody>
                                {entry.changes.into_iter().map(|change| {
                                    let empty = move || i18n.t(Msg::HistoryEmptyValue).to_string();
                                    let field = change.field;
                                    let before = change.before.clone();
                                    let after = change.after.clone();
                                    view! {
                                        <tr>
                                            <th scope="row">{move || i18n.t(change.field.msg())}</th>
                                            <td class="muted"><del>{move || before.as_deref().map(|value| change_value(field, value, i18n.locale())).unwrap_or_else(empty)}</del></td>
                                            <td><ins>{move || after.as_deref().map(|value| change_value(field, value, i18n.locale())).unwrap_or_else(empty)}</ins></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// A value of a change list as the viewer reads it: statuses named, dates in the
/// viewer's format, an outline by its size (its GeoJSON is on the entry's page).
fn change_value(field: RegistryField, value: &str, locale: Locale) -> String {
    match field {
        RegistryField::Status => {
            ConstructionStatus::from_db(value).map(|status| status.msg().text(locale).to_string())
        }
        RegistryField::PermitDate | RegistryField::PlannedCompletion => value
            .parse::<chrono::NaiveDate>()
            .ok()
            .map(|date| format_date(locale, date)),
        RegistryField::Footprint => Footprint::from_stored(value).map(|footprint| {
            format!(
                "{}: {}",
                Msg::FootprintVertices.text(locale),
                footprint.vertices().len()
            )
        }),
        _ => None,
    }
    .unwrap_or_else(|| value.to_string())
}

/// A date in the viewer's format, or a dash.
pub fn date_or_dash(locale: crate::i18n::Locale, date: Option<chrono::NaiveDate>) -> String {
    date.map(|date| format_date(locale, date))
        .unwrap_or_else(|| "—".to_string())
}
