//! The i18n core: Russian first, English second.
//!
//! The locale, its negotiation (cookie, `Accept-Language`, `<html lang>`), number and date
//! formatting, and the [`I18n`] context. The texts themselves belong to whoever shows them:
//! any enum implementing [`Message`] (the app's `Msg` table) is looked up through the same
//! context. The current locale lives in a signal in context: read from the `lang` cookie on
//! the server (and from `<html lang>` in the browser, which the server wrote), so the
//! server and the browser render the same text.

pub mod format;

pub use format::{
    format_date, format_datetime, format_decimal, format_integer, format_local_datetime,
    format_month, format_quarter,
};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The cookie that remembers the language in this browser.
pub const LOCALE_COOKIE: &str = "lang";

/// A supported interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Russian, the default.
    #[default]
    Ru,
    /// English.
    En,
}

impl Locale {
    /// All locales, in the order the switcher shows them.
    pub const ALL: [Locale; 2] = [Locale::Ru, Locale::En];

    /// The BCP 47 code, as in `<html lang>` and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    /// Of a text kept in both languages, the one in this locale: every bilingual name
    /// (themes, departments, municipalities, columns) is read through here.
    pub fn pick<'a, T: ?Sized>(self, russian: &'a T, english: &'a T) -> &'a T {
        match self {
            Locale::Ru => russian,
            Locale::En => english,
        }
    }

    /// The locale for a code; `None` for unsupported ones.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ru" => Some(Locale::Ru),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The locale named by a `Cookie` header, if any.
    pub fn from_cookie_header(header: &str) -> Option<Self> {
        crate::cookies::find(header, LOCALE_COOKIE).and_then(Locale::from_code)
    }

    /// The supported locale an `Accept-Language` header prefers (`en-GB;q=0.8, ru`):
    /// the highest `q` among `ru*` and `en*`, the earlier on a tie; `None` when it names
    /// neither (the caller falls back to Russian).
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(Locale, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let primary = tag.split('-').next().unwrap_or_default();
            let Some(locale) = Locale::from_code(primary) else {
                continue;
            };
            let quality = parts
                .find_map(|param| param.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .filter(|q| (0.0..=1.0).contains(q) && *q > 0.0);
            if let Some(quality) = quality
                && best.is_none_or(|(_, q)| quality > q)
            {
                best = Some((locale, quality));
            }
        }
        best.map(|(locale, _)| locale)
    }

    /// The language a machine client asks for with `Accept-Language`; Russian when it
    /// names neither supported language (the APIs outside the pages, which have no cookie).
    #[cfg(feature = "ssr")]
    pub fn of_request(headers: &axum::http::HeaderMap) -> Self {
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .and_then(Self::from_accept_language)
            .unwrap_or_default()
    }
}

/// A user-visible text with a translation for every locale.
pub trait Message: Copy {
    /// The text in `locale`.
    fn text(self, locale: Locale) -> &'static str;
}

/// The current locale, shared by every component.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// The current locale (tracked).
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The text of `msg` in the current locale (tracked).
    pub fn t(&self, msg: impl Message) -> &'static str {
        msg.text(self.locale.get())
    }

    /// Switches the language of the page; the caller persists it.
    pub fn set_locale(&self, locale: Locale) {
        self.locale.set(locale);
    }
}

/// The locale the page is rendered in: from the request's cookie on the server, from the
/// server-written `<html lang>` in the browser.
pub fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(axum::http::header::COOKIE)
                    .and_then(|value| value.to_str().ok())
                    .and_then(Locale::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|lang| Locale::from_code(&lang))
            .unwrap_or_default()
    }
}

/// Puts the locale signal into context; called once by the app root.
pub fn provide_i18n() -> I18n {
    let i18n = I18n {
        locale: RwSignal::new(initial_locale()),
    };
    provide_context(i18n);
    i18n
}

/// The i18n context.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n {
        locale: RwSignal::new(Locale::default()),
    })
}

/// Remembers `locale` in this browser and on the page itself (`<html lang>`).
#[cfg(feature = "hydrate")]
pub fn remember_in_browser(locale: Locale) {
    use wasm_bindgen::JsCast;
    let doc = document();
    if let Some(html) = doc.document_element() {
        let _ = html.set_attribute("lang", locale.code());
    }
    if let Ok(html_doc) = doc.dyn_into::<web_sys::HtmlDocument>() {
        let _ = html_doc.set_cookie(&format!(
            "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            locale.code()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_locale() {
        for (header, locale) in [
            ("en", Some(Locale::En)),
            ("en-GB,en;q=0.9", Some(Locale::En)),
            ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", Some(Locale::Ru)),
            ("de-DE, en;q=0.5, ru;q=0.4", Some(Locale::En)),
            ("de, en;q=0.5, ru;q=0.9", Some(Locale::Ru)),
            ("EN-us", Some(Locale::En)),
            ("en;q=0, ru;q=0.1", Some(Locale::Ru)),
            ("en;q=abc", None),
            ("de, fr", None),
            ("*", None),
            ("", None),
        ] {
            assert_eq!(Locale::from_accept_language(header), locale, "{header:?}");
        }
    }

    #[test]
    fn a_bilingual_text_is_read_in_the_locale() {
        assert_eq!(Locale::Ru.pick("Транспорт", "Transport"), "Транспорт");
        assert_eq!(Locale::En.pick("Транспорт", "Transport"), "Transport");
    }

    #[test]
    fn locale_codes_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_code(locale.code()), Some(locale));
        }
        assert_eq!(Locale::from_code(" EN "), Some(Locale::En));
        assert_eq!(Locale::from_code("de"), None);
    }

    #[test]
    fn locale_is_read_from_the_cookie_header() {
        assert_eq!(
            Locale::from_cookie_header("a=1; lang=en; b=2"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_cookie_header("session=x"), None);
        assert_eq!(Locale::from_cookie_header("xlang=en"), None);
    }
}
