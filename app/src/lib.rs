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

pub mod account_data;
pub mod admin;
#[cfg(feature = "ssr")]
pub mod answers;
pub mod auth;
pub mod constructions;
pub mod dashboard;
pub mod discussion;
#[cfg(feature = "ssr")]
pub mod export;
pub mod galleries;
pub mod geography;
pub mod home;
pub mod i18n;
pub mod lawmaking;
pub mod layout;
pub mod links;
pub mod messages;
pub mod moderation;
pub mod notifications;
pub mod open311;
pub mod opendata;
pub mod organisation;
#[cfg(all(test, feature = "ssr"))]
mod parser_properties;
pub mod people;
pub mod photos;
pub mod priorities;
pub mod problems;
pub mod publications;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod services;
pub mod solutions;
pub mod subjects;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

use crate::account_data::components::YourDataSection;
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
use crate::galleries::pages::{GalleryPage, NewGalleryPage};
use crate::geography::pages::MunicipalitiesPage;
use crate::home::HomePage;
use crate::i18n::{Msg, provide_i18n};
use crate::lawmaking::model::INITIATIVE;
use crate::lawmaking::pages::{
    CompareVersionsPage, ExpertisePage, InitiativeModerationPage, InitiativePage,
    InitiativeTextPage, LawmakingPage, LawmakingWorkPage, LedgerPage, ProposeInitiativePage,
};
use crate::layout::{SiteFooter, SiteHeader};
use crate::links::components::LinkedSubjects;
use crate::messages::components::ProblemConversationsSection;
use crate::messages::pages::{ConversationPage, MessagesPage};
use crate::moderation::pages::ReportsQueuePage;
use crate::notifications::components::{NotificationSettingsSection, NotificationsPage};
use crate::open311::components::ApiKeySection;
use crate::opendata::pages::manage::{DatasetEditorPage, OpenDataManagePage};
use crate::opendata::pages::{DatasetPageView, OpenDataPage};
use crate::organisation::pages::{
    DepartmentIntegrationPage, DepartmentsPage, RoutingPage, ThemesPage,
};
use crate::people::components::ProfileSection;
use crate::people::pages::{ActivityFeedPage, PersonPage};
use crate::priorities::pages::{ManagePrioritiesPage, PriorityPage, RanksPage};
use crate::problems::model::PROBLEM;
use crate::problems::pages::{
    DepartmentStatsPage, ModerationPage, MyProblemsPage, ProblemPage, ProblemsPage,
    ReportProblemPage, WorkspacePage,
};
use crate::publications::pages::{CommunityPage, DepartmentNewsSection, PublicationPage};
use crate::services::pages::{ManageServicesPage, ServicePage, ServicesPage};
use crate::solutions::model::{CHALLENGE, SOLUTION};
use crate::solutions::pages::{ChallengePage, ChallengesPage, SolutionPage};
use crate::ui::errors::NotFoundPage;

/// Declares lazy routes, in groups: the browser downloads a group's code only when one of
/// its pages is opened (`build_site` cuts the bundle at each group, and the server names
/// the chunks of the page it renders for preloading), so a phone opening one problem from
/// a link downloads the shell and the problem pages, not the whole platform.
///
/// Each group is one cut, not each page: code shared by several cuts goes into a chunk
/// of its own for each combination of cuts that uses it, and one cut per page (sixty)
/// made 1,677 chunks, a page needing up to 569 of them.
macro_rules! lazy_route_groups {
    ($($group:ident { $($route:ident => $page:expr;)+ })+) => {
        $(
            mod $group {
                use super::*;

                /// The pages of this group, each named after its route.
                #[derive(Clone, Copy)]
                #[allow(clippy::enum_variant_names)]
                pub(super) enum Page {
                    $($route,)+
                }

                /// Renders one page of the group; its code is the group's chunk, named
                /// after the group.
                #[lazy($group)]
                pub(super) fn pages(page: Page) -> AnyView {
                    match page {
                        $(Page::$route => $page.into_any(),)+
                    }
                }
            }

            $(
                struct $route;

                impl LazyRoute for $route {
                    fn data() -> Self {
                        Self
                    }

                    async fn view(_this: Self) -> AnyView {
                        $group::pages($group::Page::$route).await
                    }

                    // Hydration waits for this before it hydrates the page, so the
                    // group's code must have arrived by then.
                    async fn preload() {
                        #[cfg(feature = "hydrate")]
                        $group::__preload_pages().await;
                    }
                }
            )+
        )+
    };
}

lazy_route_groups! {
    home_pages {
        HomeRoute => view! { <HomePage /> };
        MunicipalitiesRoute => view! { <MunicipalitiesPage /> };
    }
    problem_pages {
        ProblemsRoute => view! { <ProblemsPage /> };
        ReportProblemRoute => view! { <ReportProblemPage /> };
        MyProblemsRoute => view! { <MyProblemsPage /> };
        ProblemRoute => view! { <ProblemPage><LinkedSubjects kind=PROBLEM /><ProblemConversationsSection /></ProblemPage> };
        DepartmentStatsRoute => view! { <DepartmentStatsPage><DepartmentNewsSection /></DepartmentStatsPage> };
    }
    construction_pages {
        RegistryRoute => view! { <RegistryPage /> };
        ConstructionEditRoute => view! { <ConstructionEditPage /> };
        ConstructionReportsRoute => view! { <ConstructionReportsPage /> };
        ReportConstructionRoute => view! { <ReportConstructionPage /> };
        ConstructionReportRoute => view! { <ConstructionReportPage /> };
        AnalyticsRoute => view! { <AnalyticsPage /> };
        ImportLogRoute => view! { <ImportLogPage /> };
        ImportChangesRoute => view! { <ImportChangesPage /> };
        IllegalRegistryRoute => view! { <IllegalRegistryPage /> };
        IllegalConstructionRoute => view! { <IllegalConstructionPage /> };
        ConstructionRoute => view! { <ConstructionPage /> };
    }
    lawmaking_pages {
        LawmakingRoute => view! { <LawmakingPage /> };
        ProposeInitiativeRoute => view! { <ProposeInitiativePage /> };
        InitiativeRoute => view! { <InitiativePage><LinkedSubjects kind=INITIATIVE /></InitiativePage> };
        InitiativeTextRoute => view! { <InitiativeTextPage /> };
        CompareVersionsRoute => view! { <CompareVersionsPage /> };
        ExpertiseRoute => view! { <ExpertisePage /> };
        LedgerRoute => view! { <LedgerPage /> };
    }
    solution_pages {
        ChallengesRoute => view! { <ChallengesPage /> };
        ChallengeRoute => view! { <ChallengePage><LinkedSubjects kind=CHALLENGE /></ChallengePage> };
        SolutionRoute => view! { <SolutionPage><LinkedSubjects kind=SOLUTION /></SolutionPage> };
    }
    people_pages {
        CommunityRoute => view! { <CommunityPage /> };
        ActivityRoute => view! { <ActivityFeedPage /> };
        PublicationRoute => view! { <PublicationPage /> };
        GalleryRoute => view! { <GalleryPage /> };
        NewGalleryRoute => view! { <NewGalleryPage /> };
        PersonRoute => view! { <PersonPage /> };
        MessagesRoute => view! { <MessagesPage /> };
        ConversationRoute => view! { <ConversationPage /> };
    }
    rank_pages {
        RanksRoute => view! { <RanksPage /> };
        PriorityRoute => view! { <PriorityPage /> };
        ServicesRoute => view! { <ServicesPage /> };
        ServiceRoute => view! { <ServicePage /> };
    }
    opendata_pages {
        OpenDataRoute => view! { <OpenDataPage /> };
        OpenDataApiRoute => view! { <crate::opendata::pages::api::OpenDataApiPage /> };
        DatasetRoute => view! { <DatasetPageView /> };
    }
    account_pages {
        LoginRoute => view! { <LoginPage /> };
        RegisterRoute => view! { <RegisterPage /> };
        ConfirmRegistrationRoute => view! { <ConfirmRegistrationPage /> };
        AccountRoute => view! { <AccountPage><ProfileSection /><NotificationSettingsSection /><ApiKeySection /><YourDataSection /></AccountPage> };
        NotificationsRoute => view! { <NotificationsPage /> };
    }
    manage_pages {
        ManageDashboardRoute => view! { <ManageDashboardPage /> };
        RegionDashboardRoute => view! { <RegionDashboardPage /> };
        UsersRoute => view! { <UsersPage /> };
        ModerationRoute => view! { <ModerationPage /> };
        InitiativeModerationRoute => view! { <InitiativeModerationPage /> };
        LawmakingWorkRoute => view! { <LawmakingWorkPage /> };
        WorkspaceRoute => view! { <WorkspacePage /> };
        VerificationQueueRoute => view! { <VerificationQueuePage /> };
        ImportUploadRoute => view! { <ImportUploadPage /> };
        ImportRoute => view! { <ImportPage /> };
        DepartmentsRoute => view! { <DepartmentsPage /> };
        DepartmentIntegrationRoute => view! { <DepartmentIntegrationPage /> };
        ThemesRoute => view! { <ThemesPage /> };
        RoutingRoute => view! { <RoutingPage /> };
        ManageServicesRoute => view! { <ManageServicesPage /> };
        ManagePrioritiesRoute => view! { <ManagePrioritiesPage /> };
        BoundariesRoute => view! { <BoundariesPage /> };
        ReportedCommentsRoute => view! { <ReportedCommentsPage subject_href=subjects::href /> };
        ReportsQueueRoute => view! { <ReportsQueuePage /> };
        AuditRoute => view! { <AuditPage /> };
        OpenDataManageRoute => view! { <OpenDataManagePage /> };
        DatasetEditorRoute => view! { <DatasetEditorPage /> };
    }
}

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
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
                // Leaflet's script loads with the first map (`ui::map`); its small style
                // sheet stays here, so a map never draws unstyled.
                <link rel="stylesheet" href="/vendor/leaflet/leaflet.css" />
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
                    <Route path=path!("/") view={Lazy::<HomeRoute>::new()} />
                    <Route path=path!("/problems") view={Lazy::<ProblemsRoute>::new()} />
                    <Route path=path!("/problems/new") view={Lazy::<ReportProblemRoute>::new()} />
                    <Route path=path!("/problems/mine") view={Lazy::<MyProblemsRoute>::new()} />
                    // Async: the status (404 for a hidden or unknown problem) is known before
                    // the first byte is sent.
                    <Route path=path!("/problems/:id") view={Lazy::<ProblemRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/departments/:slug") view={Lazy::<DepartmentStatsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()} />
                    <Route path=path!("/constructions") view={Lazy::<RegistryRoute>::new()} />
                    <Route path=path!("/constructions/new") view={Lazy::<ConstructionEditRoute>::new()} />
                    <Route path=path!("/constructions/reports") view={Lazy::<ConstructionReportsRoute>::new()} />
                    <Route path=path!("/constructions/reports/new") view={Lazy::<ReportConstructionRoute>::new()} />
                    <Route path=path!("/constructions/reports/:id") view={Lazy::<ConstructionReportRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/constructions/analytics") view={Lazy::<AnalyticsRoute>::new()} />
                    <Route path=path!("/constructions/imports") view={Lazy::<ImportLogRoute>::new()} />
                    <Route path=path!("/constructions/imports/:id") view={Lazy::<ImportChangesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/constructions/illegal") view={Lazy::<IllegalRegistryRoute>::new()} />
                    <Route path=path!("/constructions/illegal/:id") view={Lazy::<IllegalConstructionRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/constructions/:id") view={Lazy::<ConstructionRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/constructions/:id/edit") view={Lazy::<ConstructionEditRoute>::new()} />
                    <Route path=path!("/lawmaking") view={Lazy::<LawmakingRoute>::new()} />
                    <Route path=path!("/lawmaking/new") view={Lazy::<ProposeInitiativeRoute>::new()} />
                    <Route path=path!("/lawmaking/:id") view={Lazy::<InitiativeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lawmaking/:id/text") view={Lazy::<InitiativeTextRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lawmaking/:id/compare") view={Lazy::<CompareVersionsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lawmaking/:id/expertise") view={Lazy::<ExpertiseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/lawmaking/:id/ledger") view={Lazy::<LedgerRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/ranks") view={Lazy::<RanksRoute>::new()} />
                    <Route path=path!("/ranks/priority/:id") view={Lazy::<PriorityRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/services") view={Lazy::<ServicesRoute>::new()} />
                    <Route path=path!("/services/:id") view={Lazy::<ServiceRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/solutions") view={Lazy::<ChallengesRoute>::new()} />
                    <Route path=path!("/solutions/challenges/:id") view={Lazy::<ChallengeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/solutions/:id") view={Lazy::<SolutionRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/community") view={Lazy::<CommunityRoute>::new()} />
                    <Route path=path!("/community/activity") view={Lazy::<ActivityRoute>::new()} />
                    <Route path=path!("/publications/:id") view={Lazy::<PublicationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/people/:id") view={Lazy::<PersonRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/galleries/new") view={Lazy::<NewGalleryRoute>::new()} />
                    <Route path=path!("/galleries/:id") view={Lazy::<GalleryRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/messages") view={Lazy::<MessagesRoute>::new()} />
                    <Route path=path!("/messages/:id") view={Lazy::<ConversationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/opendata") view={Lazy::<OpenDataRoute>::new()} />
                    <Route path=path!("/opendata/api") view={Lazy::<OpenDataApiRoute>::new()} />
                    <Route path=path!("/opendata/:identifier") view={Lazy::<DatasetRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/municipalities") view={Lazy::<MunicipalitiesRoute>::new()} />
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} />
                    <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()} />
                    <Route path=path!("/register/confirm") view={Lazy::<ConfirmRegistrationRoute>::new()} />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} />
                    <ParentRoute path=path!("/manage") view=ManageLayout>
                        <Route path=path!("") view={Lazy::<ManageDashboardRoute>::new()} />
                        <Route path=path!("dashboard") view={Lazy::<RegionDashboardRoute>::new()} />
                        <Route path=path!("users") view={Lazy::<UsersRoute>::new()} />
                        <Route path=path!("moderation") view={Lazy::<ModerationRoute>::new()} />
                        <Route path=path!("initiatives") view={Lazy::<InitiativeModerationRoute>::new()} />
                        <Route path=path!("lawmaking") view={Lazy::<LawmakingWorkRoute>::new()} />
                        <Route path=path!("workspace") view={Lazy::<WorkspaceRoute>::new()} />
                        <Route path=path!("verification") view={Lazy::<VerificationQueueRoute>::new()} />
                        <Route path=path!("registry-import") view={Lazy::<ImportUploadRoute>::new()} />
                        <Route path=path!("registry-import/:id") view={Lazy::<ImportRoute>::new()} />
                        <Route path=path!("departments") view={Lazy::<DepartmentsRoute>::new()} />
                        <Route path=path!("departments/:id/integration") view={Lazy::<DepartmentIntegrationRoute>::new()} />
                        <Route path=path!("themes") view={Lazy::<ThemesRoute>::new()} />
                        <Route path=path!("routing") view={Lazy::<RoutingRoute>::new()} />
                        <Route path=path!("services") view={Lazy::<ManageServicesRoute>::new()} />
                        <Route path=path!("priorities") view={Lazy::<ManagePrioritiesRoute>::new()} />
                        <Route path=path!("municipalities") view={Lazy::<BoundariesRoute>::new()} />
                        <Route path=path!("comments") view={Lazy::<ReportedCommentsRoute>::new()} />
                        <Route path=path!("reports") view={Lazy::<ReportsQueueRoute>::new()} />
                        <Route path=path!("audit") view={Lazy::<AuditRoute>::new()} />
                        <Route path=path!("opendata") view={Lazy::<OpenDataManageRoute>::new()} />
                        <Route path=path!("opendata/new") view={Lazy::<DatasetEditorRoute>::new()} />
                        <Route path=path!("opendata/:identifier") view={Lazy::<DatasetEditorRoute>::new()} />
                    </ParentRoute>
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
