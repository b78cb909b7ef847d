//! Serving an export over HTTP: the format from the URL, the reader's language from the
//! `lang` cookie, the texts around the data, a few render slots per instance, and the
//! download response. Each feature's export routes build their [`Document`] and hand it
//! to [`respond`].

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDateTime;

use super::{
    Column, ColumnKind, Document, Labels, PDF_CONTENT_TYPE, Value, XLSX_CONTENT_TYPE, write_pdf,
    write_xlsx,
};
use crate::i18n::{Locale, Message as _, Msg};
use platform::capacity::Capacity;
use platform::clock;
use platform::error::AppError;

/// Exports one instance renders at once: a 100,000-row PDF keeps a core busy for seconds,
/// so more at once would only slow every page of the portal. A third is asked to come
/// back in 10 seconds.
static EXPORTS: Capacity = Capacity::new(2, 10);

/// The two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Excel workbook.
    Xlsx,
    /// PDF document.
    Pdf,
}

impl Format {
    /// Both, with the file extension each is served under.
    pub const ALL: [(&'static str, Format); 2] = [("xlsx", Format::Xlsx), ("pdf", Format::Pdf)];
}

/// Runs `export` in one of the `slots`, or answers `Busy` at once.
pub async fn one_of_few(slots: &Capacity, export: impl Future<Output = Response>) -> Response {
    match slots.enter() {
        Ok(_slot) => export.await,
        Err(busy) => busy.into_response(),
    }
}

/// Runs `export` in one of the instance's export slots, or answers `Busy` at once.
pub async fn in_export_slot(export: impl Future<Output = Response>) -> Response {
    one_of_few(&EXPORTS, export).await
}

/// The reader's language: the `lang` cookie, else Russian.
pub fn locale_of(headers: &HeaderMap) -> Locale {
    headers
        .get(header::COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(Locale::from_cookie_header)
        .unwrap_or_default()
}

/// The texts and number conventions around the data, in `locale`.
pub fn labels(locale: Locale) -> Labels {
    Labels {
        filters: Msg::ExportFilters.text(locale).to_string(),
        no_filters: Msg::ExportNoFilters.text(locale).to_string(),
        generated: Msg::ExportGenerated.text(locale).to_string(),
        page: Msg::ExportPage.text(locale).to_string(),
        about: Msg::ExportAbout.text(locale).to_string(),
        decimal_separator: if locale == Locale::Ru { ',' } else { '.' },
        thousands_separator: if locale == Locale::Ru { '\u{a0}' } else { ',' },
    }
}

/// A column headed by `header` in `locale`.
pub fn column(locale: Locale, header: Msg, kind: ColumnKind, width: f64) -> Column {
    Column {
        header: header.text(locale).to_string(),
        kind,
        width,
    }
}

/// A text cell.
pub fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

/// The export's time stamp in the region's local time (UTC+3), as the pages show times.
pub fn generated() -> NaiveDateTime {
    clock::now() + chrono::Duration::hours(platform::i18n::format::REGION_UTC_OFFSET_HOURS)
}

/// Renders `document` in `format` off the async threads and answers with it as a
/// download named `<stem>-<date>.<ext>`.
pub async fn respond(document: Document, format: Format, stem: &str) -> Response {
    let date = document.generated_at.format("%Y%m%d").to_string();
    let rendered = tokio::task::spawn_blocking(move || match format {
        Format::Xlsx => write_xlsx(&document),
        Format::Pdf => write_pdf(&document),
    })
    .await;
    let bytes = match rendered {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) => {
            tracing::error!(?error, "export failed");
            return AppError::Internal.into_response();
        }
        Err(_) => return AppError::Internal.into_response(),
    };
    let (content_type, extension) = match format {
        Format::Xlsx => (XLSX_CONTENT_TYPE, "xlsx"),
        Format::Pdf => (PDF_CONTENT_TYPE, "pdf"),
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{stem}-{date}.{extension}\""),
            ),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[tokio::test]
    async fn exports_beyond_the_free_slots_are_refused_at_once() {
        let slots = Capacity::new(1, 10);
        let held = slots.enter().expect("the one slot");
        let refused = one_of_few(&slots, async { StatusCode::OK.into_response() }).await;
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers()[header::RETRY_AFTER], "10");
        drop(held);
        let served = one_of_few(&slots, async { StatusCode::OK.into_response() }).await;
        assert_eq!(served.status(), StatusCode::OK);
    }
}
