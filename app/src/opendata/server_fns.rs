//! The open-data pages' API: the catalogue with its search and filters, a dataset's
//! page, and its rows page by page. All public; the machine files are in `routes`.

use leptos::prelude::*;

use super::model::{Catalogue, DatasetPage, RowsPage};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{ColumnInfo, DatasetCard},
    super::queries::Datasets,
    super::routes::row_values,
    crate::db,
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

/// A page of the newest version's rows after row `after` (keyset paging: every page
/// costs what the first does).
#[server(endpoint = "opendata/rows", input = server_fn::codec::GetUrl)]
pub async fn opendata_rows(
    identifier: String,
    #[server(default)] after: u32,
) -> Result<RowsPage, AppError> {
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let info = Datasets::by_identifier(&mut conn, &identifier)
            .await?
            .ok_or(AppError::NotFound)?;
        let Some(latest) = Datasets::versions(&mut conn, info.id)
            .await?
            .into_iter()
            .next()
        else {
            return Ok(RowsPage {
                rows: Vec::new(),
                next_after: None,
            });
        };
        let structure = Datasets::structure(&mut conn, info.id, latest.structure)
            .await?
            .ok_or(AppError::Internal)?;
        let mut rows = Datasets::rows_after(&mut conn, latest.id, after, ROWS_PAGE + 1).await?;
        let more = rows.len() > ROWS_PAGE as usize;
        rows.truncate(ROWS_PAGE as usize);
        let next_after = more
            .then(|| rows.last().map(|(number, _)| *number))
            .flatten();
        let rows = rows
            .into_iter()
            .map(|(number, cells)| {
                let values = row_values(&cells, &structure).map_err(|error| {
                    tracing::error!(%error, "a stored row does not read");
                    AppError::Internal
                })?;
                Ok((number, values.iter().map(cell_text).collect()))
            })
            .collect::<Result<_, AppError>>()?;
        Ok(RowsPage { rows, next_after })
    })
    .await
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
