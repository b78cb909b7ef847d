//! The summary of proposals ("сводка предложений") of an initiative's draft as XLSX and
//! PDF at stable URLs: `/lawmaking/{id}/summary.xlsx` and `.pdf` (`?version=N` for the
//! text of an earlier version). Every amendment with its article, author (or "hidden"),
//! supports, the responsible body's decision and reason and the version that took it in;
//! every expert remark with its category, expert, verdict and the same fate; then the
//! version's text article by article. No sign-in: everything in it is on the
//! public text page. The language follows the `lang` cookie.

use axum::extract::{FromRef, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::model::InitiativeId;
use super::model::drafting::{AmendmentStatus, DraftText};
use super::model::expertise::Conclusion;
use super::queries::drafting::Drafts;
use super::queries::expertise::Expertises;
use super::texts::article_name;
use crate::export::http::{
    Format, column, generated, in_export_slot, labels, locale_of, respond, text,
};
use crate::export::{ColumnKind, Document, Table, Value};
use crate::i18n::{Locale, Message as _, Msg};
use platform::db::{self, DbPool};
use platform::error::AppError;
use platform::routes::Routes;

/// The export routes.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
{
    let mut routes = Routes::new();
    for (extension, format) in Format::ALL {
        routes = routes.get(
            &format!("/lawmaking/{{id}}/summary.{extension}"),
            move |state: State<DbPool>,
                  path: Path<String>,
                  query: Query<SummaryQuery>,
                  headers: HeaderMap| async move {
                in_export_slot(summary(state, format, path, query, headers)).await
            },
        );
    }
    routes
}

/// The version whose text the summary carries; empty: the latest.
#[derive(Debug, Default, Deserialize)]
struct SummaryQuery {
    #[serde(default)]
    version: String,
}

async fn summary(
    State(pool): State<DbPool>,
    format: Format,
    Path(id): Path<String>,
    Query(query): Query<SummaryQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = locale_of(&headers);
    let Ok(id) = id.trim().parse::<InitiativeId>() else {
        return AppError::NotFound.into_response();
    };
    let version = match query.version.trim() {
        "" => None,
        number => match number.parse::<u32>() {
            Ok(number) => Some(number),
            Err(_) => return AppError::NotFound.into_response(),
        },
    };
    let loaded = db::run(&pool, move |mut conn| async move {
        let draft = Drafts::text(&mut conn, id, version, None).await?;
        let expertise = Expertises::view(&mut conn, id, None).await?;
        Ok::<_, AppError>((draft, expertise.conclusions))
    })
    .await;
    match loaded {
        Ok((draft, conclusions)) => {
            let stem = format!("initiative-{id}-summary");
            respond(document(id, &draft, &conclusions, locale), format, &stem).await
        }
        Err(error) => error.into_response(),
    }
}

/// The summary as a document of three tables: the amendments, the expert remarks, and
/// the text.
pub(super) fn document(
    id: InitiativeId,
    draft: &DraftText,
    conclusions: &[Conclusion],
    locale: Locale,
) -> Document {
    use ColumnKind::{Integer, Text};
    let preamble = Msg::Preamble.text(locale);
    let heading_of = |label: &str| {
        let written = draft
            .articles
            .iter()
            .find(|article| article.label == label)
            .map_or("", |article| article.heading.as_str());
        article_name(label, written, preamble)
    };
    let hidden = Msg::AuthorHidden.text(locale);
    let number = |value: Option<u32>| value.map_or(Value::Empty, |n| Value::Integer(i64::from(n)));
    let proposals = draft
        .amendments
        .iter()
        .map(|amendment| {
            vec![
                Value::Integer(i64::try_from(amendment.id.0).unwrap_or(i64::MAX)),
                text(heading_of(&amendment.article)),
                number(Some(amendment.version)),
                text(amendment.text.clone()),
                text(amendment.justification.clone()),
                text(
                    amendment
                        .author_name
                        .clone()
                        .unwrap_or_else(|| hidden.to_string()),
                ),
                number(Some(amendment.support_count)),
                text(amendment.status.msg().text(locale)),
                text(amendment.reason.clone().unwrap_or_default()),
                number(amendment.taken_in),
            ]
        })
        .collect();
    let remarks = conclusions
        .iter()
        .flat_map(|conclusion| {
            conclusion.remarks.iter().map(move |remark| {
                vec![
                    Value::Integer(i64::try_from(remark.id.0).unwrap_or(i64::MAX)),
                    text(heading_of(&remark.article)),
                    number(Some(conclusion.version)),
                    text(remark.category.msg().text(locale)),
                    text(remark.text.clone()),
                    text(conclusion.expert_name.clone()),
                    text(conclusion.verdict.msg().text(locale)),
                    text(remark.status.msg().text(locale)),
                    text(remark.reason.clone().unwrap_or_default()),
                    number(remark.taken_in),
                ]
            })
        })
        .collect();
    let articles = draft
        .articles
        .iter()
        .map(|article| {
            vec![
                text(article_name(&article.label, &article.heading, preamble)),
                text(article.body.clone()),
            ]
        })
        .collect();
    let open = draft
        .amendments
        .iter()
        .filter(|amendment| amendment.status == AmendmentStatus::Open)
        .count();
    let mut filters = vec![
        (
            Msg::InitiativeTitle.text(locale).to_string(),
            format!("№ {id} — {}", draft.title),
        ),
        (
            Msg::FilterStage.text(locale).to_string(),
            draft.stage.msg().text(locale).to_string(),
        ),
        (
            Msg::AmendmentOpen.text(locale).to_string(),
            open.to_string(),
        ),
    ];
    if let Some(shown) = draft.shown {
        filters.push((Msg::Version.text(locale).to_string(), shown.to_string()));
    }
    let text_name = match draft.shown {
        Some(shown) => format!("{} {shown}", Msg::Version.text(locale)),
        None => Msg::DraftText.text(locale).to_string(),
    };
    Document {
        title: Msg::ProposalSummary.text(locale).to_string(),
        filters,
        generated_at: generated(),
        labels: labels(locale),
        tables: vec![
            Table {
                name: Msg::Amendments.text(locale).to_string(),
                columns: vec![
                    column(locale, Msg::ColNumber, Integer, 8.0),
                    column(locale, Msg::ColArticle, Text, 12.0),
                    column(locale, Msg::Version, Integer, 9.0),
                    column(locale, Msg::AmendmentText, Text, 40.0),
                    column(locale, Msg::AmendmentJustification, Text, 30.0),
                    column(locale, Msg::InitiativeAuthor, Text, 18.0),
                    column(locale, Msg::Supports, Integer, 10.0),
                    column(locale, Msg::Disposition, Text, 16.0),
                    column(locale, Msg::DispositionReason, Text, 30.0),
                    column(locale, Msg::TakenInVersion, Integer, 10.0),
                ],
                rows: proposals,
            },
            Table {
                name: Msg::Remarks.text(locale).to_string(),
                columns: vec![
                    column(locale, Msg::ColNumber, Integer, 8.0),
                    column(locale, Msg::ColArticle, Text, 10.0),
                    column(locale, Msg::Version, Integer, 9.0),
                    column(locale, Msg::RemarkCategoryLabel, Text, 18.0),
                    column(locale, Msg::RemarkText, Text, 40.0),
                    column(locale, Msg::ExpertCandidate, Text, 18.0),
                    column(locale, Msg::ConclusionVerdict, Text, 16.0),
                    column(locale, Msg::Disposition, Text, 16.0),
                    column(locale, Msg::DispositionReason, Text, 30.0),
                    column(locale, Msg::TakenInVersion, Integer, 10.0),
                ],
                rows: remarks,
            },
            Table {
                name: text_name,
                columns: vec![
                    column(locale, Msg::ColArticle, Text, 14.0),
                    column(locale, Msg::VersionText, Text, 90.0),
                ],
                rows: articles,
            },
        ],
    }
}
