//! The page frame: header with navigation, language switch and account menu; footer; and
//! the placeholder page of components still to come.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::components::AccountMenu;
use crate::i18n::{Locale, Msg, use_i18n};
use crate::messages::components::MessagesLink;
use crate::notifications::components::NotificationBell;

/// One entry of the main navigation: a section, or a group of sections under one name.
enum NavEntry {
    /// A section's page.
    Link(&'static str, Msg),
    /// Sections grouped under one menu, so that the bar stays one row as sections come.
    Group(Msg, &'static [(&'static str, Msg)]),
}

/// The main navigation: every component of the portal. The municipalities' page is linked
/// from the footer.
const NAVIGATION: [NavEntry; 5] = [
    NavEntry::Link("/problems", Msg::NavProblems),
    NavEntry::Link("/constructions", Msg::NavConstructions),
    NavEntry::Group(
        Msg::NavParticipation,
        &[
            ("/lawmaking", Msg::NavLawmaking),
            ("/ranks", Msg::NavRanks),
            ("/services", Msg::NavServices),
            ("/solutions", Msg::NavSolutions),
        ],
    ),
    NavEntry::Link("/community", Msg::NavCommunity),
    NavEntry::Link("/opendata", Msg::NavOpenData),
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
            <MainNavigation />
            <div class="header-actions">
                <LanguageSwitch />
                <MessagesLink />
                <NotificationBell />
                <AccountMenu />
            </div>
        </header>
    }
}

/// The main navigation: one row on a desktop; on a phone a menu button opens it as a list.
///
/// The menu opens through a checkbox and its label, so it works before the page is
/// hydrated; choosing a section closes the menu and the open group again.
#[component]
fn MainNavigation() -> impl IntoView {
    let i18n = use_i18n();
    let menu_open = RwSignal::new(false);
    let group_open = RwSignal::new(false);
    let close = move |_| {
        menu_open.set(false);
        group_open.set(false);
    };
    let entries = NAVIGATION
        .into_iter()
        .map(|entry| match entry {
            NavEntry::Link(href, msg) => view! {
                <li><A href=href on:click=close>{move || i18n.t(msg)}</A></li>
            }
            .into_any(),
            NavEntry::Group(title, links) => view! {
                <li>
                    <details class="nav-group" data-test="nav-group" prop:open=group_open
                        on:toggle=move |event| group_open.set(event_target::<leptos::web_sys::Element>(&event).has_attribute("open"))>
                        <summary>{move || i18n.t(title)}</summary>
                        <ul>
                            {links
                                .iter()
                                .map(|(href, msg)| view! { <li><A href=*href on:click=close>{move || i18n.t(*msg)}</A></li> })
                                .collect_view()}
                        </ul>
                    </details>
                </li>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <nav class="main-nav" aria-label=move || i18n.t(Msg::MainNavigation) data-test="nav">
            <input type="checkbox" id="nav-toggle" class="nav-toggle visually-hidden" prop:checked=menu_open
                on:change=move |event| menu_open.set(event_target_checked(&event)) />
            <label for="nav-toggle" class="nav-toggle-button" data-test="nav-toggle">
                <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24" fill="none"
                    stroke="currentColor" stroke-width="2" stroke-linecap="round">
                    <path d="M4 6h16M4 12h16M4 18h16" />
                </svg>
                <span>{move || i18n.t(Msg::NavMenu)}</span>
            </label>
            <ul class="nav-list">{entries}</ul>
        </nav>
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
