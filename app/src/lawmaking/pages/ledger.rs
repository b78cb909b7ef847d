//! `/lawmaking/:id/ledger`: the disposition ledger, every citizen's amendment and every
//! expert's remark with its article, author, decision, reason and the version that took
//! it in, filtered by kind, decision and article in the URL.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::super::model::drafting::{AmendmentStatus, Disposition};
use super::super::model::expertise::RemarkStatus;
use super::super::model::ledger::{
    LEDGER_PAGE_SIZE, Ledger, LedgerEntry, LedgerQuery, ProposalKind,
};
use super::super::server_fns::get_ledger;
use crate::i18n::{Msg, format_integer, format_local_datetime, use_i18n};
use crate::ui::errors::ErrorPage;
use crate::ui::pager::Pager;

/// `/lawmaking/:id/ledger?kind=&status=&article=`.
#[component]
pub fn LedgerPage() -> impl IntoView {
    let params = use_params_map();
    let url = use_query_map();
    let query = Memo::new(move |_| {
        url.with(|map| LedgerQuery {
            kind: map.get("kind").unwrap_or_default(),
            status: map.get("status").unwrap_or_default(),
            article: map.get("article").unwrap_or_default(),
            page: map.get("page").unwrap_or_default(),
        })
    });
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let ledger = Resource::new(
        move || (id(), query.get()),
        |(id, query)| get_ledger(id, query),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match ledger.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(ledger) => view! { <LedgerView id=id() ledger query=query.get_untracked() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LedgerView(id: String, ledger: Ledger, query: LedgerQuery) -> impl IntoView {
    let i18n = use_i18n();
    let title = ledger.title.clone();
    let page_title = title.clone();
    let back = format!("/lawmaking/{id}");
    let shown = i64::try_from(ledger.matching).unwrap_or(i64::MAX);
    let total = i64::try_from(ledger.total).unwrap_or(i64::MAX);
    let empty = ledger.entries.is_empty();
    let page = ledger.page;
    let pages = format!("/lawmaking/{id}/ledger");
    let previous = (page > 1).then(|| format!("{pages}{}", query.to_query_string(page - 1)));
    let next = ledger
        .has_next()
        .then(|| format!("{pages}{}", query.to_query_string(page + 1)));
    let first_number = ((page - 1) * LEDGER_PAGE_SIZE + 1).to_string();
    let page = u32::try_from(page).unwrap_or(u32::MAX);
    view! {
        <Title text=move || format!("{} — {}", i18n.t(Msg::Ledger), page_title) />
        <article class="stack ledger" data-test="ledger">
            <p><A href=back>{move || format!("← {title}")}</A></p>
            <h1 class="page-title">{move || i18n.t(Msg::Ledger)}</h1>
            <LedgerFilters id=id.clone() query />
            <p class="muted" data-test="ledger-count">
                {move || format!("{}: {} / {}", i18n.t(Msg::LedgerShown), format_integer(i18n.locale(), shown), format_integer(i18n.locale(), total))}
            </p>
            {empty.then(|| view! { <p class="notice" data-test="ledger-empty">{move || i18n.t(Msg::LedgerEmpty)}</p> })}
            <ol class="stack ledger-list" start=first_number>
                {ledger.entries.into_iter().map(|entry| view! { <EntryView entry /> }).collect_view()}
            </ol>
            <Pager page previous next />
        </article>
    }
}

/// A GET form, so a filtered ledger can be linked.
#[component]
fn LedgerFilters(id: String, query: LedgerQuery) -> impl IntoView {
    let i18n = use_i18n();
    let action = format!("/lawmaking/{id}/ledger");
    let statuses = [
        AmendmentStatus::Open,
        AmendmentStatus::Decided(Disposition::Accepted),
        AmendmentStatus::Decided(Disposition::PartlyAccepted),
        AmendmentStatus::Decided(Disposition::Rejected),
        AmendmentStatus::Outdated,
    ];
    let LedgerQuery {
        kind,
        status,
        article,
        ..
    } = query;
    view! {
        <Form method="GET" action=action attr:class="filters" attr:data-test="ledger-filters">
            <div class="field">
                <label for="ledger-kind">{move || i18n.t(Msg::LedgerKind)}</label>
                <select id="ledger-kind" name="kind" data-test="ledger-kind">
                    <option value="">{move || i18n.t(Msg::FilterAny)}</option>
                    {ProposalKind::ALL.into_iter().map(|option| {
                        let is_selected = option.as_str() == kind;
                        view! { <option value=option.as_str() selected=is_selected>{move || i18n.t(kind_msg(option))}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="ledger-status">{move || i18n.t(Msg::Disposition)}</label>
                <select id="ledger-status" name="status" data-test="ledger-status">
                    <option value="">{move || i18n.t(Msg::FilterAny)}</option>
                    {statuses.into_iter().map(|option| {
                        let is_selected = option.as_db() == status;
                        view! { <option value=option.as_db() selected=is_selected>{move || i18n.t(option.msg())}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="ledger-article">{move || i18n.t(Msg::ColArticle)}</label>
                <input id="ledger-article" name="article" value=article size="6" inputmode="decimal" data-test="ledger-article" />
            </div>
            <button type="submit" class="secondary" data-test="ledger-apply">{move || i18n.t(Msg::FilterApply)}</button>
        </Form>
    }
}

fn kind_msg(kind: ProposalKind) -> Msg {
    match kind {
        ProposalKind::Amendment => Msg::LedgerAmendment,
        ProposalKind::Remark => Msg::LedgerRemark,
    }
}

/// One proposal: what, where, by whom, and what became of it.
#[component]
fn EntryView(entry: LedgerEntry) -> impl IntoView {
    let i18n = use_i18n();
    let kind = entry.kind;
    let status = entry.status;
    // A remark's decision reads in its own grammatical gender.
    let status_msg = match (kind, status) {
        (ProposalKind::Remark, AmendmentStatus::Decided(disposition)) => {
            RemarkStatus::Decided(disposition).msg()
        }
        (ProposalKind::Remark, _) => RemarkStatus::Open.msg(),
        (ProposalKind::Amendment, status) => status.msg(),
    };
    let at = entry.at;
    let (number, article, version) = (entry.number, entry.article.clone(), entry.version);
    let author = entry.author.clone();
    view! {
        <li class="ledger-entry stack" data-test="ledger-entry" data-kind=kind.as_str() data-status=status.as_db()>
            <p class="row">
                <strong>{move || format!("{} № {number}", i18n.t(kind_msg(kind)))}</strong>
                <span>{move || format!("{} {article} · {} {version}", i18n.t(Msg::ColArticle), i18n.t(Msg::Version))}</span>
                <span class=format!("badge amendment-{}", status.as_db()) data-test="ledger-status-badge">{move || i18n.t(status_msg)}</span>
            </p>
            {entry.category.map(|category| view! { <p class="muted">{move || i18n.t(category.msg())}</p> })}
            <p class="problem-description" data-test="ledger-text">{entry.text.clone()}</p>
            {entry.justification.clone().map(|text| view! {
                <p><strong>{move || format!("{}: ", i18n.t(Msg::AmendmentJustification))}</strong>{text}</p>
            })}
            <p class="muted">
                {move || format!("{} · {}", author.clone().unwrap_or_else(|| i18n.t(Msg::AuthorHidden).to_string()), format_local_datetime(i18n.locale(), at))}
            </p>
            {entry.reason.clone().map(|reason| view! {
                <p data-test="ledger-reason"><strong>{move || format!("{}: ", i18n.t(Msg::DispositionReason))}</strong>{reason}</p>
            })}
            {entry.taken_in.map(|number| view! {
                <p class="muted">{move || format!("{} {number}", i18n.t(Msg::TakenInVersion))}</p>
            })}
        </li>
    }
}
