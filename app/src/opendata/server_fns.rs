//! The open-data pages' API: the catalogue with its search and filters, a dataset's
//! page, and its rows sorted, filtered and page by page. All public; the machine files
//! and the rows API are in `routes` and `rows_api`.

use leptos::prelude::*;

use super::model::{Catalogue, DatasetPage, RowsPage};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{ColumnInfo, DatasetCard},
    super::queries::Datasets,
    super::rows::row_values,
    super::rows::{RowParams, RowsError, read_rows},
    platform::db,
};

/// Rows per page of a dataset's table.
pub const ROWS_PAGE: u32 = 50;

/// The catalogue: datasets whose title, description or keywords contain every word of
/// `q`, with keyword `subject` and owner `creator` when given.
#[server(endpoint = "opendata/catalogue", input = server_fn::codec::GetUrl)]
pub async fn opendata_catalogue(
    #[server(default)] q: String,
    #[server(default)] subject: String,
    #[server(default)] creator: String,
) -> Result<Catalogue, AppError> {
    let pool = db::pool()?;
    let all = db::run(&pool, |mut conn| async move {
        let mut cards = Vec::new();
        for info in Datasets::all(&mut conn).await? {
            let latest = Datasets::versions(&mut conn, info.id)
                .await?
                .into_iter()
                .next();
            cards.push(DatasetCard { info, latest });
        }
        Ok(cards)
    })
    .await?;
    let mut subjects: Vec<String> = all
        .iter()
        .flat_map(|card| card.info.subject.iter().cloned())
        .collect();
    subjects.sort();
    subjects.dedup();
    let mut creators: Vec<String> = all.iter().map(|card| card.info.creator.clone()).collect();
    creators.sort();
    creators.dedup();
    let words: Vec<String> = q
        .to_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let total = all.len();
    let datasets = all
        .into_iter()
        .filter(|card| {
            let info = &card.info;
            let text = format!(
                "{} {} {} {} {}",
                info.title.0,
                info.title.1,
                info.description.0,
                info.description.1,
                info.subject.join(" ")
            )
            .to_lowercase();
            words.iter().all(|word| text.contains(word.as_str()))
                && (subject.is_empty() || info.subject.contains(&subject))
                && (creator.is_empty() || info.creator == creator)
        })
        .collect();
    Ok(Catalogue {
        datasets,
        total,
        subjects,
        creators,
    })
}

/// A dataset's page.
#[server(endpoint = "opendata/dataset", input = server_fn::codec::GetUrl)]
pub async fn opendata_dataset(identifier: String) -> Result<DatasetPage, AppError> {
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let info = Datasets::by_identifier(&mut conn, &identifier)
            .await?
            .ok_or(AppError::NotFound)?;
        let versions = Datasets::versions(&mut conn, info.id).await?;
        let structures = Datasets::structure_versions(&mut conn, info.id).await?;
        let structure = match versions.first() {
            Some(latest) => Datasets::structure(&mut conn, info.id, latest.structure).await?,
            None => None,
        };
        let has_coordinates = structure.as_ref().is_some_and(|s| s.latitude.is_some());
        let columns = structure
            .map(|structure| {
                structure
                    .columns
                    .into_iter()
                    .map(|column| ColumnInfo {
                        kind: column.kind.structure_format().to_string(),
                        name: column.name,
                        english: column.english,
                        russian: column.russian,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(DatasetPage {
            info,
            versions,
            structures,
            columns,
            has_coordinates,
        })
    })
    .await
}

/// A page of a dataset's rows for its table. `query` holds the table's parameters from
/// the page URL (`version`, `sort`, `filter.<column>`, `prefix.<column>`, `min.`/`max.`,
/// `cursor`), read exactly as the rows API reads them; pages have `ROWS_PAGE` rows and
/// continue by cursor (keyset: every page costs what the first does).
#[server(endpoint = "opendata/rows", input = server_fn::codec::GetUrl)]
pub async fn opendata_rows(
    identifier: String,
    #[server(default)] query: String,
) -> Result<RowsPage, AppError> {
    let pool = db::pool()?;
    let mut params = RowParams::parse(&query).map_err(RowsError::into_app_error)?;
    // The table's page size is the page's, whatever the URL says.
    params.limit = Some(ROWS_PAGE);
    let read = db::run(&pool, move |mut conn| async move {
        read_rows(&mut conn, &identifier, &params, ROWS_PAGE)
            .await
            .map_err(RowsError::into_app_error)
    })
    .await?;
    let rows = read
        .slice
        .rows
        .into_iter()
        .map(|(number, cells)| {
            let values = row_values(&cells, &read.structure).map_err(|error| {
                tracing::error!(%error, "a stored row does not read");
                AppError::Internal
            })?;
            Ok((number, values.iter().map(cell_text).collect()))
        })
        .collect::<Result<_, AppError>>()?;
    Ok(RowsPage {
        version: Some(read.version.version),
        rows,
        next: read.slice.next,
        partial: read.slice.partial,
    })
}

/// A value as the table shows it: numbers as written in the data files, dates ISO.
#[cfg(feature = "ssr")]
fn cell_text(value: &super::format::Value) -> String {
    use super::format::Value;
    match value {
        Value::Null => String::new(),
        Value::Text(text) => text.clone(),
        Value::Integer(number) => number.to_string(),
        Value::Number(number) => number.to_string(),
        Value::Date(date) => date.to_string(),
        Value::Boolean(truth) => truth.to_string(),
    }
}
