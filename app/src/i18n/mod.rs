//! The app's texts: every user-visible string is a variant of [`Msg`]; the `messages!`
//! table gives each its Russian and English text side by side, so a missing translation is
//! a compile error rather than a runtime fallback.
//!
//! The locale, its context and the formatting live in the platform (`platform::i18n`);
//! they are re-exported here so that a component imports its texts and the context from
//! one place.

mod messages;

pub use messages::{
    Msg, StatusName, error_code_text, error_text, error_text_naming, municipalities_shown,
    workbook_error_text,
};
#[cfg(feature = "hydrate")]
pub use platform::i18n::remember_in_browser;
pub use platform::i18n::{
    I18n, LOCALE_COOKIE, Locale, Message, format_date, format_datetime, format_decimal,
    format_integer, format_local_datetime, format_month, format_quarter, initial_locale,
    provide_i18n, use_i18n,
};
