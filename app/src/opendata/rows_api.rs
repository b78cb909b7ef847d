//! The rows API: `GET /api/opendata/{identifier}/rows.{json,xml,csv}`, one page of a
//! version's rows, sorted, filtered and continued by cursor (the query is `rows`'s).
//!
//! Parameters: `version=YYYYMMDD` (default: the newest), `limit` (1-1000, default 100),
//! `cursor` (from `next`), `sort=<column>` / `sort=-<column>`, `filter.<column>=<value>`,
//! `prefix.<column>=<text>` (text columns), `min.<column>=` / `max.<column>=` (numbers,
//! integers, dates; inclusive). JSON and XML carry the fields, the typed rows and the
//! absolute URL of the next page (`null` / `xsi:nil` after the last); CSV is a data file
//! of the page's rows, and every format also links the next page in a `Link` header.
//! A page may hold fewer than `limit` rows, even none, while `next` is set: filters that
//! must be checked row by row stop at a scan budget. Follow `next` until it is null.
//!
//! Refusals are 400 (404 for an unknown dataset or version) in the format asked for,
//! `{"error": {"code", "message", "parameter"}}` or `<error><code/><message/>
//! <parameter/></error>` (CSV: a `code,message,parameter` table), the message worded by
//! `Accept-Language` (Russian unless English is preferred).
//!
//! Whole versions are streamed as data files under `/opendata/{identifier}/`.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::format::{DataWriter, Format, Structure};
use super::http::site_url;
use super::rows::row_values;
use super::rows::{DEFAULT_LIMIT, RowParams, RowsError, RowsRead, read_rows};
use crate::i18n::Locale;
use platform::config::AppConfig;
use platform::db::{self, DbPool};
use platform::error::AppError;
use platform::xml::escaped;

/// How long a page of the newest version may be cached: a publication changes it.
const NEWEST_MAX_AGE: u32 = 60;
/// How long a page of a named version may be cached: published versions never change.
const VERSION_MAX_AGE: u32 = 86_400;

/// The format a `rows.*` file name asks for.
fn format_of(file: &str) -> Option<Format> {
    match file {
        "rows.json" => Some(Format::Json),
        "rows.xml" => Some(Format::Xml),
        "rows.csv" => Some(Format::Csv),
        _ => None,
    }
}

/// `GET /api/opendata/{identifier}/{file}`: a page of rows, or a refusal.
pub async fn rows_file(
    State(pool): State<DbPool>,
    State(config): State<AppConfig>,
    Path((identifier, file)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let locale = Locale::of_request(&headers);
    let Some(format) = format_of(&file) else {
        return refusal(Format::Json, locale, &RowsError::NotFound);
    };
    let params = match RowParams::parse(query.as_deref().unwrap_or_default()) {
        Ok(params) => params,
        Err(error) => return refusal(format, locale, &error),
    };
    let read = {
        let params = params.clone();
        db::run(&pool, move |mut conn| async move {
            Ok(read_rows(&mut conn, &identifier, &params, DEFAULT_LIMIT).await)
        })
        .await
        .unwrap_or_else(|error| Err(error.into()))
    };
    let read = match read {
        Ok(read) => read,
        Err(error) => return refusal(format, locale, &error),
    };
    let version = read.version.version;
    let next = read.slice.next.as_deref().map(|cursor| {
        format!(
            "{}/api/opendata/{}/{file}?{}",
            site_url(&headers, &config),
            read.identifier,
            params.to_query(version, Some(cursor))
        )
    });
    let body = match page_body(&read, format, next.as_deref()) {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, version = %read.version.id, "a rows page could not be written");
            return refusal(format, locale, &RowsError::Failed(AppError::Internal));
        }
    };
    let max_age = if params.version.is_some() {
        VERSION_MAX_AGE
    } else {
        NEWEST_MAX_AGE
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    set(headers, header::CONTENT_TYPE, format.content_type());
    set(
        headers,
        header::CACHE_CONTROL,
        &format!("public, max-age={max_age}"),
    );
    // Browser apps on other origins read open data.
    set(headers, header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    set(headers, header::ACCESS_CONTROL_EXPOSE_HEADERS, "Link");
    if let Some(next) = &next {
        set(headers, header::LINK, &format!("<{next}>; rel=\"next\""));
    }
    response
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// The body of a page in `format`.
fn page_body(read: &RowsRead, format: Format, next: Option<&str>) -> Result<String, String> {
    let structure = &read.structure;
    let rows = |writer: std::io::Result<DataWriter<Vec<u8>>>| -> Result<String, String> {
        let mut writer = writer.map_err(|e| e.to_string())?;
        for (number, cells) in &read.slice.rows {
            let values = row_values(cells, structure).map_err(|e| format!("row {number}: {e}"))?;
            writer.write_row(&values).map_err(|e| e.to_string())?;
        }
        let bytes = writer.finish().map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    };
    let version = read.version.version.format("%Y-%m-%d").to_string();
    match format {
        Format::Csv => rows(DataWriter::new(Vec::new(), structure, Format::Csv)),
        Format::Json => {
            let items = rows(DataWriter::rows(Vec::new(), structure, Format::Json))?;
            let fields: Vec<serde_json::Value> = structure
                .columns
                .iter()
                .map(|column| {
                    serde_json::json!({"name": column.name, "type": column.kind.structure_format()})
                })
                .collect();
            Ok(format!(
                "{{\"dataset\":{},\"version\":{},\"fields\":{},\"rows\":[{items}{}],\"next\":{}}}\n",
                json(&read.identifier),
                json(&version),
                json(&fields),
                if read.slice.rows.is_empty() { "" } else { "\n" },
                json(&next),
            ))
        }
        Format::Xml => {
            let items = rows(DataWriter::rows(Vec::new(), structure, Format::Xml))?;
            Ok(format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
                 <rows xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n\
                 <dataset>{}</dataset>\n<version>{version}</version>\n<fields>\n{}</fields>\n\
                 <data>\n{items}</data>\n{}\n</rows>\n",
                escaped(&read.identifier),
                fields_xml(structure),
                match next {
                    Some(next) => format!("<next>{}</next>", escaped(next)),
                    None => "<next xsi:nil=\"true\"/>".to_string(),
                },
            ))
        }
    }
}

/// `value` as JSON text (serde_json cannot fail on the strings and lists given here).
fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

/// `<field><name/><type/></field>` per column.
fn fields_xml(structure: &Structure) -> String {
    structure
        .columns
        .iter()
        .map(|column| {
            format!(
                "<field><name>{}</name><type>{}</type></field>\n",
                column.name,
                column.kind.structure_format()
            )
        })
        .collect()
}

/// A refusal in `format`, worded in `locale`.
fn refusal(format: Format, locale: Locale, error: &RowsError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let (code, message, parameter) = (error.code(), error.message(locale), error.parameter());
    let body = match format {
        Format::Json => {
            let mut inner = serde_json::json!({"code": code, "message": message});
            if let Some(parameter) = parameter {
                inner["parameter"] = parameter.into();
            }
            format!("{}\n", serde_json::json!({ "error": inner }))
        }
        Format::Xml => format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<error><code>{code}</code><message>{}</message>{}</error>\n",
            escaped(&message),
            parameter
                .map(|p| format!("<parameter>{}</parameter>", escaped(p)))
                .unwrap_or_default()
        ),
        Format::Csv => {
            let mut table = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            let written = table
                .write_record(["code", "message", "parameter"])
                .and_then(|()| table.write_record([code, &message, parameter.unwrap_or_default()]));
            match (written, table.into_inner()) {
                (Ok(()), Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
                _ => format!("code\r\n{code}\r\n"),
            }
        }
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    set(headers, header::CONTENT_TYPE, format.content_type());
    set(headers, header::CACHE_CONTROL, "no-store");
    set(headers, header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    set(headers, header::CONTENT_LANGUAGE, locale.code());
    set(headers, header::VARY, "Accept-Language");
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rows_files_have_a_format() {
        assert_eq!(format_of("rows.json"), Some(Format::Json));
        assert_eq!(format_of("rows.xml"), Some(Format::Xml));
        assert_eq!(format_of("rows.csv"), Some(Format::Csv));
        assert_eq!(format_of("rows.txt"), None);
        assert_eq!(format_of("meta.json"), None);
    }
}
