//! The current view of the dashboard as XLSX and PDF
//! (`/manage/dashboard/export.xlsx?period=&municipality=`, also `.pdf`): the same figures
//! as the page, from the same aggregates. Analysts, moderators and admins only.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::model::{Dashboard, DashboardFilter, FigureRow, Period};
use super::queries::{DashboardStats, Source};
use super::texts::{
    department_label, month_key_label, municipality_label, period_label, theme_label,
};
use crate::auth::model::ANALYSTS;
use crate::auth::session::SignedIn;
use crate::export::http::{
    Format, column, generated, in_export_slot, labels, locale_of, respond, text,
};
use crate::export::{ColumnKind, Document, Table, Value};
use crate::i18n::{Locale, Message as _, Msg};
use crate::organisation::components::Names;
use platform::clock;
use platform::db::{self, DbPool};
use platform::error::AppError;
use platform::routes::Routes;

/// The view a download shows, as the page's URL names it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ViewParams {
    period: String,
    municipality: String,
}

/// The export routes.
pub fn routes<S>() -> Routes<S>
where
    S: Clone + Send + Sync + 'static,
    DbPool: axum::extract::FromRef<S>,
{
    let mut routes = Routes::new();
    for (extension, format) in Format::ALL {
        routes = routes.get(
            &format!("/manage/dashboard/export.{extension}"),
            move |signed_in: SignedIn, state, query, headers: HeaderMap| async move {
                in_export_slot(export(signed_in, state, format, query, headers)).await
            },
        );
    }
    routes
}

async fn export(
    SignedIn(user): SignedIn,
    State(pool): State<DbPool>,
    format: Format,
    Query(params): Query<ViewParams>,
    headers: HeaderMap,
) -> Response {
    if !ANALYSTS.iter().any(|role| user.has_role(*role)) {
        return AppError::Forbidden.into_response();
    }
    let locale = locale_of(&headers);
    let filter = DashboardFilter {
        period: Period::parse(&params.period, clock::now().date()),
        municipality_id: params.municipality.trim().parse().ok(),
    };
    let loaded = db::run(&pool, move |mut conn| async move {
        let names = Names::load(&mut conn).await?;
        let dashboard = DashboardStats::load(&mut conn, &filter, Source::Aggregates).await?;
        Ok((names, dashboard))
    })
    .await;
    match loaded {
        Ok((names, dashboard)) => {
            respond(document(&dashboard, &names, locale), format, "dashboard").await
        }
        Err(error) => error.into_response(),
    }
}

/// The document of one view: a table per breakdown, the totals first.
fn document(dashboard: &Dashboard, names: &Names, locale: Locale) -> Document {
    let figures_table =
        |name: Msg, key_header: Msg, rows: &[FigureRow], key: &dyn Fn(u64) -> String| {
            let mut columns = vec![column(locale, key_header, ColumnKind::Text, 36.0)];
            for header in [
                Msg::DashReceived,
                Msg::DashReacted,
                Msg::DashOnTime,
                Msg::DashOverdue,
                Msg::DashPlanned,
                Msg::DashResolved,
            ] {
                columns.push(column(locale, header, ColumnKind::Integer, 13.0));
            }
            columns.push(column(locale, Msg::DashMedian, ColumnKind::Decimal, 14.0));
            columns.push(column(locale, Msg::DashP90, ColumnKind::Decimal, 14.0));
            let hours = |value: Option<f64>| value.map_or(Value::Empty, Value::Decimal);
            Table {
                name: name.text(locale).to_string(),
                columns,
                rows: rows
                    .iter()
                    .map(|row| {
                        let f = &row.figures;
                        let mut cells = vec![text(key(row.key))];
                        for value in [
                            f.received,
                            f.reacted,
                            f.reacted_on_time,
                            f.overdue,
                            f.planned,
                            f.resolved,
                        ] {
                            cells.push(Value::Integer(value as i64));
                        }
                        cells.push(hours(f.median_hours));
                        cells.push(hours(f.p90_hours));
                        cells
                    })
                    .collect(),
            }
        };
    let area = dashboard
        .filter
        .municipality_id
        .map(|id| municipality_label(names, locale, id.0))
        .unwrap_or_else(|| Msg::DashWholeRegion.text(locale).to_string());
    let total = [FigureRow {
        key: 0,
        figures: dashboard.total,
    }];
    let mut tables = vec![figures_table(
        Msg::DashTitle,
        Msg::DashView,
        &total,
        &|_| area.clone(),
    )];
    if !dashboard.by_municipality.is_empty() {
        tables.push(figures_table(
            Msg::AnalyticsByMunicipality,
            Msg::ColMunicipality,
            &dashboard.by_municipality,
            &|key| municipality_label(names, locale, key),
        ));
    }
    tables.push(figures_table(
        Msg::FilterDepartment,
        Msg::FilterDepartment,
        &dashboard.by_department,
        &|key| department_label(names, locale, key),
    ));
    tables.push(figures_table(
        Msg::FilterTheme,
        Msg::FilterTheme,
        &dashboard.by_theme,
        &|key| theme_label(names, locale, key),
    ));
    tables.push(figures_table(
        Msg::AnalyticsByMonth,
        Msg::AnalyticsByMonth,
        &dashboard.by_month,
        &|key| month_key_label(locale, key),
    ));
    let mut construction_rows = vec![vec![
        text(area.clone()),
        Value::Integer(dashboard.constructions.reports as i64),
        Value::Integer(dashboard.constructions.confirmed as i64),
    ]];
    construction_rows.extend(dashboard.constructions_by_municipality.iter().map(|row| {
        vec![
            text(municipality_label(names, locale, row.municipality_id.0)),
            Value::Integer(row.figures.reports as i64),
            Value::Integer(row.figures.confirmed as i64),
        ]
    }));
    tables.push(Table {
        name: Msg::DashConstructionReports.text(locale).to_string(),
        columns: vec![
            column(locale, Msg::ColMunicipality, ColumnKind::Text, 36.0),
            column(
                locale,
                Msg::DashConstructionReports,
                ColumnKind::Integer,
                16.0,
            ),
            column(locale, Msg::DashViolations, ColumnKind::Integer, 16.0),
        ],
        rows: construction_rows,
    });
    let mut filters = vec![
        (
            Msg::DashPeriod.text(locale).to_string(),
            period_label(locale, &dashboard.filter.period),
        ),
        (Msg::DashView.text(locale).to_string(), area),
    ];
    if let Some(refreshed_at) = dashboard.refreshed_at {
        filters.push((
            Msg::DashFresh.text(locale).to_string(),
            crate::i18n::format_datetime(locale, refreshed_at),
        ));
    }
    Document {
        title: Msg::DashTitle.text(locale).to_string(),
        filters,
        generated_at: generated(),
        labels: labels(locale),
        tables,
    }
}
