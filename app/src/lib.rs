//! Open Region: the open-government platform of Krasnodar Krai.
//!
//! This crate holds everything the server and the browser share: the Leptos components,
//! the wire types, and the server functions. The `ssr` feature adds the server side
//! (database, sessions); the `hydrate` feature adds the browser side (Leaflet, web APIs).
//! Each domain feature is one folder with the same shape: `model.rs`, `server_fns.rs`,
//! `queries.rs` (server only), `pages/` and `components/`.

// Leptos views are nested types; computing the layout of the hydration futures of the
// deeper pages (the open-data upload review) passes the default depth of 128 in release
// builds.
#![recursion_limit = "256"]

pub mod admin;
#[cfg(feature = "ssr")]
pub mod answers;
pub mod auth;
pub mod constructions;
pub mod dashboard;
pub mod discussion;
#[cfg(feature = "ssr")]
pub mod export;
pub mod geography;
pub mod home;
pub mod i18n;
pub mod lawmaking;
pub mod layout;
pub mod notifications;
pub mod open311;
pub mod opendata;
pub mod organisation;
#[cfg(all(test, feature = "ssr"))]
mod parser_properties;
pub mod photos;
pub mod priorities;
pub mod problems;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod services;
pub mod subjects;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::admin::pages::{
    AuditPage, BoundariesPage, ManageDashboardPage, ManageLayout, UsersPage,
};
use crate::auth::components::provide_auth;
use crate::auth::pages::{AccountPage, ConfirmRegistrationPage, LoginPage, RegisterPage};
use crate::constructions::pages::{
    AnalyticsPage, ConstructionEditPage, ConstructionPage, ConstructionReportPage,
    ConstructionReportsPage, IllegalConstructionPage, IllegalRegistryPage, ImportChangesPage,
    ImportLogPage, ImportPage, ImportUploadPage, RegistryPage, ReportConstructionPage,
    VerificationQueuePage,
};
use crate::dashboard::pages::RegionDashboardPage;
use crate::discussion::components::ReportedCommentsPage;
use crate::geography::pages::MunicipalitiesPage;
use crate::home::HomePage;
use crate::i18n::{Msg, provide_i18n};
use crate::lawmaking::pages::{
    CompareVersionsPage, ExpertisePage, InitiativeModerationPage, InitiativePage,
    InitiativeTextPage, LawmakingPage, LawmakingWorkPage, LedgerPage, ProposeInitiativePage,
};
use crate::layout::{ComingPage, SiteFooter, SiteHeader};
use crate::notifications::components::NotificationsPage;
use crate::open311::components::ApiKeySection;
use crate::opendata::pages::manage::{DatasetEditorPage, OpenDataManagePage};
use crate::opendata::pages::{DatasetPageView, OpenDataPage};
use crate::organisation::pages::{
    DepartmentIntegrationPage, DepartmentsPage, RoutingPage, ThemesPage,
};
use crate::priorities::pages::{ManagePrioritiesPage, PriorityPage, RanksPage};
use crate::problems::pages::{
    DepartmentStatsPage, ModerationPage, MyProblemsPage, ProblemPage, ProblemsPage,
    ReportProblemPage, WorkspacePage,
};
use crate::services::pages::{ManageServicesPage, ServicePage, ServicesPage};
use crate::ui::errors::NotFoundPage;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_page_policy();
    let locale = i18n::initial_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#0b4f9c" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
                // Leaflet binds to the global `L`, so it loads before hydration.
                <link rel="stylesheet" href="/vendor/leaflet/leaflet.css" />
                <script src="/vendor/leaflet/leaflet.js"></script>
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Sends the page's Content-Security-Policy, which admits the inline hydration scripts by
/// this render's nonce (the shell renders before any byte of the page is sent).
#[cfg(feature = "ssr")]
fn send_page_policy() {
    use axum::http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let tile_url = platform::config::AppConfig::current().public.tile_url;
    let policy = platform::csp::page_policy(&nonce, &tile_url);
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// The application: layout, routes, and the contexts every page uses.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_i18n();
    provide_auth();
    // Reports written without network are sent from any page once it returns.
    crate::problems::offline::provide_waiting();
    view! {
        <Stylesheet id="leptos" href="/pkg/open-region.css" />
        <Title formatter=move |page: String| {
            let site = i18n.t(Msg::SiteName);
            let title = if page.is_empty() { site.to_string() } else { format!("{page} — {site}") };
            // leptos_meta 0.8 writes the server's <title> unescaped, and a problem's title
            // is a citizen's text: "</title><script>" would end the element. The browser
            // sets the title as text, so only the server escapes it.
            #[cfg(feature = "ssr")]
            let title = crate::ui::escape_html(&title);
            title
        } />
        <Router>
            <a class="skip-link" href="#main">
                {move || i18n.t(Msg::SkipToContent)}
            </a>
            <SiteHeader />
            <main id="main" class="page">
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/problems") view=ProblemsPage />
                    <Route path=path!("/problems/new") view=ReportProblemPage />
                    <Route path=path!("/problems/mine") view=MyProblemsPage />
                    // Async: the status (404 for a hidden or unknown problem) is known before
                    // the first byte is sent.
                    <Route path=path!("/problems/:id") view=ProblemPage ssr=SsrMode::Async />
                    <Route path=path!("/departments/:slug") view=DepartmentStatsPage ssr=SsrMode::Async />
                    <Route path=path!("/notifications") view=NotificationsPage />
                    <Route path=path!("/constructions") view=RegistryPage />
                    <Route path=path!("/constructions/new") view=ConstructionEditPage />
                    <Route path=path!("/constructions/reports") view=ConstructionReportsPage />
                    <Route path=path!("/constructions/reports/new") view=ReportConstructionPage />
                    <Route path=path!("/constructions/reports/:id") view=ConstructionReportPage ssr=SsrMode::Async />
                    <Route path=path!("/constructions/analytics") view=AnalyticsPage />
                    <Route path=path!("/constructions/imports") view=ImportLogPage />
                    <Route path=path!("/constructions/imports/:id") view=ImportChangesPage ssr=SsrMode::Async />
                    <Route path=path!("/constructions/illegal") view=IllegalRegistryPage />
                    <Route path=path!("/constructions/illegal/:id") view=IllegalConstructionPage ssr=SsrMode::Async />
                    <Route path=path!("/constructions/:id") view=ConstructionPage ssr=SsrMode::Async />
                    <Route path=path!("/constructions/:id/edit") view=ConstructionEditPage />
                    <Route path=path!("/lawmaking") view=LawmakingPage />
                    <Route path=path!("/lawmaking/new") view=ProposeInitiativePage />
                    <Route path=path!("/lawmaking/:id") view=InitiativePage ssr=SsrMode::Async />
                    <Route path=path!("/lawmaking/:id/text") view=InitiativeTextPage ssr=SsrMode::Async />
                    <Route path=path!("/lawmaking/:id/compare") view=CompareVersionsPage ssr=SsrMode::Async />
                    <Route path=path!("/lawmaking/:id/expertise") view=ExpertisePage ssr=SsrMode::Async />
                    <Route path=path!("/lawmaking/:id/ledger") view=LedgerPage ssr=SsrMode::Async />
                    <Route path=path!("/ranks") view=RanksPage />
                    <Route path=path!("/ranks/priority/:id") view=PriorityPage ssr=SsrMode::Async />
                    <Route path=path!("/services") view=ServicesPage />
                    <Route path=path!("/services/:id") view=ServicePage ssr=SsrMode::Async />
                    <Route path=path!("/solutions") view=|| view! { <ComingPage title=Msg::NavSolutions /> } />
                    <Route path=path!("/community") view=|| view! { <ComingPage title=Msg::NavCommunity /> } />
                    <Route path=path!("/opendata") view=OpenDataPage />
                    <Route path=path!("/opendata/api") view=crate::opendata::pages::api::OpenDataApiPage />
                    <Route path=path!("/opendata/:identifier") view=DatasetPageView ssr=SsrMode::Async />
                    <Route path=path!("/municipalities") view=MunicipalitiesPage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/register") view=RegisterPage />
                    <Route path=path!("/register/confirm") view=ConfirmRegistrationPage />
                    <Route path=path!("/account") view=|| view! { <AccountPage><ApiKeySection /></AccountPage> } />
                    <ParentRoute path=path!("/manage") view=ManageLayout>
                        <Route path=path!("") view=ManageDashboardPage />
                        <Route path=path!("dashboard") view=RegionDashboardPage />
                        <Route path=path!("users") view=UsersPage />
                        <Route path=path!("moderation") view=ModerationPage />
                        <Route path=path!("initiatives") view=InitiativeModerationPage />
                        <Route path=path!("lawmaking") view=LawmakingWorkPage />
                        <Route path=path!("workspace") view=WorkspacePage />
                        <Route path=path!("verification") view=VerificationQueuePage />
                        <Route path=path!("registry-import") view=ImportUploadPage />
                        <Route path=path!("registry-import/:id") view=ImportPage />
                        <Route path=path!("departments") view=DepartmentsPage />
                        <Route path=path!("departments/:id/integration") view=DepartmentIntegrationPage />
                        <Route path=path!("themes") view=ThemesPage />
                        <Route path=path!("routing") view=RoutingPage />
                        <Route path=path!("services") view=ManageServicesPage />
                        <Route path=path!("priorities") view=ManagePrioritiesPage />
                        <Route path=path!("municipalities") view=BoundariesPage />
                        <Route path=path!("comments") view=|| view! { <ReportedCommentsPage subject_href=subjects::href /> } />
                        <Route path=path!("audit") view=AuditPage />
                        <Route path=path!("opendata") view=OpenDataManagePage />
                        <Route path=path!("opendata/new") view=DatasetEditorPage />
                        <Route path=path!("opendata/:identifier") view=DatasetEditorPage />
                    </ParentRoute>
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
