//! Stable, linkable exports of public construction data as XLSX and PDF, taking the same
//! filters as the pages: the registry (`/constructions/export.xlsx?...`), the reports
//! (`/constructions/reports/export.xlsx?...`, the list's `ReportQuery`), the analytics
//! (`/constructions/analytics/export.xlsx?municipality=`) and the registry of illegal
//! constructions (`/constructions/illegal/export.xlsx?...`, its page's `IllegalQuery`),
//! each also as `.pdf`. No sign-in: everything in them is public. The language follows
//! the `lang` cookie.

use axum::extract::{FromRef, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::model::{ConstructionStatus, RegistryQuery, ReportQuery, ReportStatus};
use super::model::{IllegalQuery, IllegalStatus};
use super::queries::IllegalRegistry;
use super::queries::{Registry, Reports};
use crate::export::http::{
    Format, column, generated, in_export_slot, labels, locale_of, respond, text,
};
use crate::export::{ColumnKind, Document, Table, Value};
use crate::geography::model::{Municipality, MunicipalityId};
use crate::i18n::{Locale, Message as _, Msg};
use crate::ui::narrowed::days_part;
use platform::clock;
use platform::db::{self, DbPool};
use platform::recent::RecentAnswers;
use platform::routes::Routes;

/// Most rows one export holds.
pub const EXPORT_MAX_ROWS: u32 = 100_000;

/// The export at `uri` in the reader's language: from `recent` when it was rendered
/// within its window (a link shared in a chat, a second click), otherwise rendered by
/// `render` in one of the `EXPORTS` slots. The window bounds how far an export can lag a
/// change of the registry; the answer's `Age` says how old it is, and the document
/// states when it was generated.
async fn recent_or_rendered(
    recent: RecentAnswers,
    uri: Uri,
    headers: &HeaderMap,
    render: impl Future<Output = Response>,
) -> Response {
    let key = format!("{uri} {}", locale_of(headers).code());
    recent.or_render(key, in_export_slot(render)).await
}

/// The export routes.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: FromRef<S>,
    RecentAnswers: FromRef<S>,
{
    // Spelled out one by one: a `/constructions/{file}` pattern would swallow the pages
    // at `/constructions/:id`.
    let mut routes = Routes::new();
    for (extension, format) in Format::ALL {
        routes = routes
            .get(
                &format!("/constructions/export.{extension}"),
                move |State(recent), uri: Uri, state, query, headers: HeaderMap| async move {
                    let render = registry_export(state, format, query, headers.clone());
                    recent_or_rendered(recent, uri, &headers, render).await
                },
            )
            .get(
                &format!("/constructions/reports/export.{extension}"),
                move |State(recent), uri: Uri, state, query, headers: HeaderMap| async move {
                    let render = reports_export(state, format, query, headers.clone());
                    recent_or_rendered(recent, uri, &headers, render).await
                },
            )
            .get(
                &format!("/constructions/illegal/export.{extension}"),
                move |State(recent), uri: Uri, state, query, headers: HeaderMap| async move {
                    let render = illegal_export(state, format, query, headers.clone());
                    recent_or_rendered(recent, uri, &headers, render).await
                },
            )
            .get(
                &format!("/constructions/analytics/export.{extension}"),
                move |State(recent), uri: Uri, state, query, headers: HeaderMap| async move {
                    let render = analytics_export(state, format, query, headers.clone());
                    recent_or_rendered(recent, uri, &headers, render).await
                },
            );
    }
    routes
}

fn municipality_name(list: &[Municipality], id: MunicipalityId, locale: Locale) -> String {
    list.iter()
        .find(|m| m.id == id)
        .map(|m| m.name(locale).to_string())
        .unwrap_or_default()
}

/// The filters of a registry query as the document lists them.
fn registry_filters(
    query: &RegistryQuery,
    municipalities: &[Municipality],
    locale: Locale,
) -> Vec<(String, String)> {
    let filter = query.filter();
    let mut shown = Vec::new();
    let mut add = |label: Msg, value: String| shown.push((label.text(locale).to_string(), value));
    if let Some(id) = filter.municipality_id {
        add(
            Msg::FilterMunicipality,
            municipality_name(municipalities, id, locale),
        );
    }
    if let Some(status) = filter.status {
        add(Msg::FilterStatus, status.msg().text(locale).to_string());
    }
    if let Some(developer) = filter.developer_inn.or(filter.developer_name) {
        add(Msg::FilterDeveloper, developer);
    }
    if let Some(from) = filter.from {
        add(Msg::FilterPermitFrom, from.format("%d.%m.%Y").to_string());
    }
    if let Some(to) = filter.to {
        add(Msg::FilterPermitTo, to.format("%d.%m.%Y").to_string());
    }
    if !filter.words.is_empty() {
        add(Msg::FilterSearch, filter.words.join(" "));
    }
    shown
}

async fn registry_export(
    State(pool): State<DbPool>,
    format: Format,
    Query(query): Query<RegistryQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = locale_of(&headers);
    let loaded = db::run(&pool, move |mut conn| async move {
        let municipalities = Municipality::list(&mut conn).await?;
        let rows = Registry::all(&mut conn, &query.filter(), query.sort(), EXPORT_MAX_ROWS).await?;
        Ok((query, municipalities, rows))
    })
    .await;
    let (query, municipalities, rows) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error.into_response(),
    };
    use ColumnKind::{Date, Decimal, Integer, Text};
    let columns = vec![
        column(locale, Msg::ColRegistryNumber, Text, 18.0),
        column(locale, Msg::ColObject, Text, 34.0),
        column(locale, Msg::ColAddress, Text, 34.0),
        column(locale, Msg::ColMunicipality, Text, 26.0),
        column(locale, Msg::ColDeveloper, Text, 28.0),
        column(locale, Msg::ColInn, Text, 14.0),
        column(locale, Msg::ColPermitNumber, Text, 22.0),
        column(locale, Msg::ColPermitDate, Date, 12.0),
        column(locale, Msg::ColPermitIssuer, Text, 30.0),
        column(locale, Msg::ColPermittedUse, Text, 24.0),
        column(locale, Msg::ColFloors, Integer, 8.0),
        column(locale, Msg::ColArea, Decimal, 12.0),
        column(locale, Msg::ColPlannedCompletion, Date, 12.0),
        column(locale, Msg::ColStatus, Text, 18.0),
        column(locale, Msg::ColLatitude, Decimal, 10.0),
        column(locale, Msg::ColLongitude, Decimal, 10.0),
    ];
    let status_name = |status: ConstructionStatus| status.msg().text(locale);
    let table_rows = rows
        .into_iter()
        .map(|(row, issuer, permitted_use, area, planned)| {
            vec![
                text(row.registry_number),
                text(row.object_name),
                text(row.address),
                text(municipality_name(
                    &municipalities,
                    row.municipality_id,
                    locale,
                )),
                text(row.developer_name),
                text(row.developer_inn),
                text(row.permit_number),
                Value::Date(row.permit_date),
                text(issuer),
                text(permitted_use),
                row.floors
                    .map_or(Value::Empty, |f| Value::Integer(i64::from(f))),
                area.map_or(Value::Empty, Value::Decimal),
                planned.map_or(Value::Empty, Value::Date),
                text(status_name(row.status)),
                Value::Decimal(row.point.lat),
                Value::Decimal(row.point.lon),
            ]
        })
        .collect();
    let document = Document {
        title: Msg::ConstructionsTitle.text(locale).to_string(),
        filters: registry_filters(&query, &municipalities, locale),
        generated_at: generated(),
        labels: labels(locale),
        tables: vec![Table {
            name: Msg::ConstructionsTitle.text(locale).to_string(),
            columns,
            rows: table_rows,
        }],
    };
    respond(document, format, "registry").await
}

/// The filters of a query of the registry of illegal constructions as the document lists
/// them.
fn illegal_filters(
    query: &IllegalQuery,
    municipalities: &[Municipality],
    locale: Locale,
) -> Vec<(String, String)> {
    let filter = query.filter();
    let mut shown = Vec::new();
    let mut add = |label: Msg, value: String| shown.push((label.text(locale).to_string(), value));
    if let Some(id) = filter.municipality_id {
        add(
            Msg::FilterMunicipality,
            municipality_name(municipalities, id, locale),
        );
    }
    if let Some(status) = filter.status {
        add(Msg::FilterStatus, status.msg().text(locale).to_string());
    }
    if let Some(found_by) = filter.found_by {
        add(Msg::ColFoundBy, found_by.msg().text(locale).to_string());
    }
    if !filter.words.is_empty() {
        add(Msg::FilterSearch, filter.words.join(" "));
    }
    shown
}

async fn illegal_export(
    State(pool): State<DbPool>,
    format: Format,
    Query(query): Query<IllegalQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = locale_of(&headers);
    let loaded = db::run(&pool, move |mut conn| async move {
        let municipalities = Municipality::list(&mut conn).await?;
        let rows = IllegalRegistry::all(&mut conn, &query.filter(), EXPORT_MAX_ROWS).await?;
        Ok((query, municipalities, rows))
    })
    .await;
    let (query, municipalities, rows) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error.into_response(),
    };
    use ColumnKind::{Date, Decimal, Integer, Text};
    let columns = vec![
        column(locale, Msg::ColRegistryNumber, Text, 14.0),
        column(locale, Msg::ColObject, Text, 30.0),
        column(locale, Msg::ColAddress, Text, 34.0),
        column(locale, Msg::ColMunicipality, Text, 24.0),
        column(locale, Msg::ColCadastralNumber, Text, 20.0),
        column(locale, Msg::ColOwner, Text, 26.0),
        column(locale, Msg::ColFloors, Integer, 8.0),
        column(locale, Msg::ColArea, Decimal, 12.0),
        column(locale, Msg::ColFoundBy, Text, 20.0),
        column(locale, Msg::ColStatus, Text, 18.0),
        column(locale, Msg::ColIdentifiedOn, Date, 12.0),
        column(locale, Msg::ColDecidedOn, Date, 12.0),
        column(locale, Msg::ColDaysToDecision, Integer, 10.0),
        column(locale, Msg::ColLatitude, Decimal, 10.0),
        column(locale, Msg::ColLongitude, Decimal, 10.0),
    ];
    let table_rows = rows
        .into_iter()
        .map(|row| {
            let days = row.days_to_decision();
            vec![
                text(row.registry_number),
                text(row.object_name),
                text(row.address),
                text(municipality_name(
                    &municipalities,
                    row.municipality_id,
                    locale,
                )),
                row.cadastral_number.map_or(Value::Empty, text),
                row.owner_name.map_or(Value::Empty, text),
                row.floors
                    .map_or(Value::Empty, |f| Value::Integer(i64::from(f))),
                row.total_area_m2.map_or(Value::Empty, Value::Decimal),
                text(row.found_by.msg().text(locale)),
                text(row.status.msg().text(locale)),
                Value::Date(row.identified_on),
                row.decided_on.map_or(Value::Empty, Value::Date),
                days.map_or(Value::Empty, Value::Integer),
                Value::Decimal(row.point.lat),
                Value::Decimal(row.point.lon),
            ]
        })
        .collect();
    let document = Document {
        title: Msg::IllegalTitle.text(locale).to_string(),
        filters: illegal_filters(&query, &municipalities, locale),
        generated_at: generated(),
        labels: labels(locale),
        tables: vec![Table {
            name: Msg::IllegalTitle.text(locale).to_string(),
            columns,
            rows: table_rows,
        }],
    };
    respond(document, format, "illegal-constructions").await
}

/// Filters of the report and analytics exports.
async fn reports_export(
    State(pool): State<DbPool>,
    format: Format,
    Query(query): Query<ReportQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = locale_of(&headers);
    let filter = query.filter();
    let shown_filter = filter.clone();
    let loaded = db::run(&pool, move |mut conn| async move {
        let municipalities = Municipality::list(&mut conn).await?;
        let rows = Reports::list(&mut conn, &filter, EXPORT_MAX_ROWS, 0).await?;
        Ok((municipalities, rows))
    })
    .await;
    let (municipalities, rows) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error.into_response(),
    };
    use ColumnKind::{Date, Decimal, Integer, Text};
    let columns = vec![
        column(locale, Msg::ReportNumber, Integer, 10.0),
        column(locale, Msg::ReportKindLabel, Text, 26.0),
        column(locale, Msg::AspectLabel, Text, 16.0),
        column(locale, Msg::ColRegistryNumber, Text, 18.0),
        column(locale, Msg::ColMunicipality, Text, 26.0),
        column(locale, Msg::ColAddress, Text, 30.0),
        column(locale, Msg::ColStatus, Text, 22.0),
        column(locale, Msg::ImportWhen, Date, 12.0),
        column(locale, Msg::VerifiedOn, Date, 12.0),
        column(locale, Msg::ColLatitude, Decimal, 10.0),
        column(locale, Msg::ColLongitude, Decimal, 10.0),
    ];
    let table_rows = rows
        .into_iter()
        .map(|report| {
            vec![
                Value::Integer(report.id.0 as i64),
                text(report.kind.msg().text(locale)),
                report
                    .aspect
                    .map_or(Value::Empty, |a| text(a.msg().text(locale))),
                report
                    .construction
                    .map_or(Value::Empty, |(_, number)| text(number)),
                text(municipality_name(
                    &municipalities,
                    report.municipality_id,
                    locale,
                )),
                text(report.address),
                text(report.status.msg().text(locale)),
                Value::Date(report.created_at.date()),
                report.verified_on.map_or(Value::Empty, Value::Date),
                Value::Decimal(report.point.lat),
                Value::Decimal(report.point.lon),
            ]
        })
        .collect();
    let mut filters = Vec::new();
    if let Some(status) = shown_filter.status {
        filters.push((
            Msg::FilterStatus.text(locale).to_string(),
            status.msg().text(locale).to_string(),
        ));
    }
    if let Some(id) = shown_filter.municipality_id {
        filters.push((
            Msg::FilterMunicipality.text(locale).to_string(),
            municipality_name(&municipalities, id, locale),
        ));
    }
    if shown_filter.violations {
        filters.push((
            Msg::FilterStatus.text(locale).to_string(),
            Msg::DrillViolations.text(locale).to_string(),
        ));
    }
    if let Some(days) = days_part(
        locale,
        Msg::DrillSubmitted.text(locale),
        shown_filter.submitted,
    ) {
        filters.push((Msg::DashPeriod.text(locale).to_string(), days));
    }
    let document = Document {
        title: Msg::ConstructionReportsTitle.text(locale).to_string(),
        filters,
        generated_at: generated(),
        labels: labels(locale),
        tables: vec![Table {
            name: Msg::ConstructionReportsTitle.text(locale).to_string(),
            columns,
            rows: table_rows,
        }],
    };
    respond(document, format, "construction-reports").await
}

/// The analytics page's one filter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AnalyticsParams {
    municipality: String,
}

async fn analytics_export(
    State(pool): State<DbPool>,
    format: Format,
    Query(params): Query<AnalyticsParams>,
    headers: HeaderMap,
) -> Response {
    let locale = locale_of(&headers);
    let filter = super::model::AnalyticsFilter {
        municipality_id: params.municipality.trim().parse().ok(),
    };
    let shown = filter.municipality_id;
    let loaded = db::run(&pool, move |mut conn| async move {
        let municipalities = Municipality::list(&mut conn).await?;
        let analytics = Reports::analytics(&mut conn, &filter, clock::now().date()).await?;
        Ok((municipalities, analytics))
    })
    .await;
    let (municipalities, analytics) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return error.into_response(),
    };
    let counted = |name: String,
                   key_header: Msg,
                   rows: &[super::model::CountRow],
                   key: &dyn Fn(&str) -> String,
                   (total, part): (Msg, Msg)| Table {
        name,
        columns: vec![
            column(locale, key_header, ColumnKind::Text, 34.0),
            column(locale, total, ColumnKind::Integer, 14.0),
            column(locale, part, ColumnKind::Integer, 14.0),
        ],
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    text(key(&row.key)),
                    Value::Integer(row.reports as i64),
                    Value::Integer(row.violations as i64),
                ]
            })
            .collect(),
    };
    let municipality_key = |key: &str| {
        key.parse()
            .map(|id| municipality_name(&municipalities, id, locale))
            .unwrap_or_else(|_| key.to_string())
    };
    let status_key = |key: &str| {
        ReportStatus::from_db(key)
            .map(|s| s.msg().text(locale).to_string())
            .unwrap_or_else(|| key.to_string())
    };
    let month_key = |key: &str| key.to_string();
    let illegal_status_key = |key: &str| {
        IllegalStatus::from_db(key)
            .map(|s| s.msg().text(locale).to_string())
            .unwrap_or_else(|| key.to_string())
    };
    let reports = (Msg::AnalyticsReports, Msg::AnalyticsViolations);
    let entries = (Msg::AnalyticsIllegalEntries, Msg::AnalyticsIllegalDecided);
    // Short: a workbook's sheet takes at most 31 characters of its name.
    let illegal_name = |part: Msg| {
        format!(
            "{} {}",
            Msg::AnalyticsIllegalShort.text(locale),
            part.text(locale).to_lowercase()
        )
    };
    let times = analytics.illegal.days_to_decision;
    let days = |value: Option<f64>| value.map_or(Value::Empty, Value::Decimal);
    let decision_times = Table {
        name: Msg::AnalyticsDaysToDecision.text(locale).to_string(),
        columns: vec![
            column(locale, Msg::AnalyticsDecisions, ColumnKind::Integer, 14.0),
            column(locale, Msg::AnalyticsMedianDays, ColumnKind::Decimal, 14.0),
            column(locale, Msg::AnalyticsMeanDays, ColumnKind::Decimal, 14.0),
        ],
        rows: vec![vec![
            Value::Integer(times.decided as i64),
            days(times.median),
            days(times.mean),
        ]],
    };
    let mut filters = vec![(
        Msg::AnalyticsPeriod.text(locale).to_string(),
        analytics.first_month.format("%d.%m.%Y").to_string(),
    )];
    if let Some(id) = shown {
        filters.push((
            Msg::FilterMunicipality.text(locale).to_string(),
            municipality_name(&municipalities, id, locale),
        ));
    }
    let document = Document {
        title: Msg::ConstructionAnalyticsTitle.text(locale).to_string(),
        filters,
        generated_at: generated(),
        labels: labels(locale),
        tables: vec![
            counted(
                Msg::AnalyticsByMonth.text(locale).to_string(),
                Msg::AnalyticsByMonth,
                &analytics.by_month,
                &month_key,
                reports,
            ),
            counted(
                Msg::AnalyticsByStatus.text(locale).to_string(),
                Msg::ColStatus,
                &analytics.by_status,
                &status_key,
                reports,
            ),
            counted(
                Msg::AnalyticsByMunicipality.text(locale).to_string(),
                Msg::ColMunicipality,
                &analytics.by_municipality,
                &municipality_key,
                reports,
            ),
            decision_times,
            counted(
                illegal_name(Msg::AnalyticsByMonth),
                Msg::AnalyticsByMonth,
                &analytics.illegal.by_month,
                &month_key,
                entries,
            ),
            counted(
                illegal_name(Msg::AnalyticsByStatus),
                Msg::ColStatus,
                &analytics.illegal.by_status,
                &illegal_status_key,
                entries,
            ),
            counted(
                illegal_name(Msg::AnalyticsByMunicipality),
                Msg::ColMunicipality,
                &analytics.illegal.by_municipality,
                &municipality_key,
                entries,
            ),
        ],
    };
    respond(document, format, "construction-analytics").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_filters_are_listed_in_the_readers_language() {
        let query = RegistryQuery {
            status: "commissioned".into(),
            developer: "7707083893".into(),
            from: "2024-01-31".into(),
            ..RegistryQuery::default()
        };
        let shown = registry_filters(&query, &[], Locale::Ru);
        assert_eq!(
            shown,
            vec![
                ("Статус".to_string(), "Введён в эксплуатацию".to_string()),
                (
                    "Застройщик (название или ИНН)".to_string(),
                    "7707083893".to_string()
                ),
                ("Разрешение выдано с".to_string(), "31.01.2024".to_string()),
            ]
        );
    }
}
