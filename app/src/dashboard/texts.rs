//! How the dashboard's periods and rows are named to a reader, shared by the page and the
//! downloads.

use super::model::{Period, PeriodName, month_from_key};
use crate::geography::model::MunicipalityId;
use crate::i18n::{Locale, Message as _, Msg, format_month};
use crate::organisation::components::Names;
use crate::organisation::model::{DepartmentId, ThemeId};

/// The name of `period` in `locale`.
pub fn period_label(locale: Locale, period: &Period) -> String {
    match period.name() {
        PeriodName::Month(month) => format_month(locale, month),
        PeriodName::Quarter(year, quarter) => Msg::DashQuarter
            .text(locale)
            .replace("{quarter}", &quarter.to_string())
            .replace("{year}", &year.to_string()),
        PeriodName::Year(year) => Msg::DashYear
            .text(locale)
            .replace("{year}", &year.to_string()),
        PeriodName::Months(first, last) => {
            format!(
                "{} – {}",
                format_month(locale, first),
                format_month(locale, last)
            )
        }
    }
}

/// The name of the row keyed `key` in a breakdown.
pub fn municipality_label(names: &Names, locale: Locale, key: u64) -> String {
    names.municipality(MunicipalityId(key), locale)
}

/// A department's name; key 0 is the problems no department has yet.
pub fn department_label(names: &Names, locale: Locale, key: u64) -> String {
    if key == 0 {
        return Msg::DashUnrouted.text(locale).to_string();
    }
    names
        .department(DepartmentId(key))
        .map(|department| department.name(locale).to_string())
        .unwrap_or_default()
}

/// A theme's name.
pub fn theme_label(names: &Names, locale: Locale, key: u64) -> String {
    names.theme(ThemeId(key), locale)
}

/// A month's name from its key.
pub fn month_key_label(locale: Locale, key: u64) -> String {
    month_from_key(key)
        .map(|month| format_month(locale, month))
        .unwrap_or_default()
}
