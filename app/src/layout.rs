//! The page frame: header with navigation, language switch and account menu; footer; and
//! the placeholder page of components still to come.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::auth::components::AccountMenu;
use crate::i18n::{Locale, Msg, use_i18n};
use crate::problems::components::NotificationBell;

/// The main navigation: every component of the portal.
const NAVIGATION: [(&str, Msg); 9] = [
    ("/problems", Msg::NavProblems),
    ("/constructions", Msg::NavConstructions),
    ("/lawmaking", Msg::NavLawmaking),
    ("/ranks", Msg::NavRanks),
    ("/services", Msg::NavServices),
    ("/solutions", Msg::NavSolutions),
    ("/community", Msg::NavCommunity),
    ("/opendata", Msg::NavOpenData),
    ("/municipalities", Msg::NavMunicipalities),
];

/// The site header.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">
                <img class="brand-logo" src="/icons/icon.svg" alt="" width="36" height="36" />
                <span class="brand-name">{move || i18n.t(Msg::SiteName)}</span>
            </A>
            <nav class="main-nav" aria-label=move || i18n.t(Msg::MainNavigation) data-test="nav">
                <ul>
                    {NAVIGATION
                        .into_iter()
                        .map(|(href, msg)| view! { <li><A href=href>{move || i18n.t(msg)}</A></li> })
                        .collect_view()}
                </ul>
            </nav>
            <div class="header-actions">
                <LanguageSwitch />
                <NotificationBell />
                <AccountMenu />
            </div>
        </header>
    }
}

/// Two buttons that switch the interface language; the choice is remembered in the browser
/// (cookie) and, for a signed-in user, on the account.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let switch = move |locale: Locale| {
        i18n.set_locale(locale);
        #[cfg(feature = "hydrate")]
        {
            crate::i18n::remember_in_browser(locale);
            leptos::task::spawn_local(async move {
                // The cookie is already set in the browser; the account is best effort.
                let _ = crate::auth::server_fns::set_locale(locale.code().to_string()).await;
            });
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || i18n.t(Msg::Language)>
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    view! {
                        <button
                            type="button"
                            lang=locale.code()
                            aria-pressed=move || (i18n.locale() == locale).to_string()
                            data-test=format!("lang-{}", locale.code())
                            on:click=move |_| switch(locale)
                        >
                            {match locale {
                                Locale::Ru => "RU",
                                Locale::En => "EN",
                            }}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The site footer.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{move || i18n.t(Msg::FooterAbout)}</p>
            <ul class="row">
                <li><A href="/opendata">{move || i18n.t(Msg::NavOpenData)}</A></li>
                <li><A href="/municipalities">{move || i18n.t(Msg::NavMunicipalities)}</A></li>
                <li>
                    <a href="https://www.openstreetmap.org/copyright" rel="noopener">
                        {move || i18n.t(Msg::FooterMapData)}
                    </a>
                </li>
            </ul>
        </footer>
    }
}

/// The page of a component that is not built yet.
#[component]
pub fn ComingPage(title: Msg) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t(title) />
        <section class="coming" data-test="coming">
            <h1 class="page-title">{move || i18n.t(title)}</h1>
            <p class="lead">{move || i18n.t(Msg::ComingSoon)}</p>
            <A href="/" attr:class="button secondary">{move || i18n.t(Msg::BackHome)}</A>
        </section>
    }
}
