//! The home page: what the portal is for, the way into each component, and the map of the
//! Krai's municipalities.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::geography::server_fns::list_municipalities;
use crate::i18n::{Msg, use_i18n};
use crate::ui::map::{MapMarker, MapView};

/// The components shown as cards: (link, title, description). Only what works today.
const COMPONENTS: [(&str, Msg, Msg); 6] = [
    ("/problems", Msg::NavProblems, Msg::ProblemsBlurb),
    (
        "/constructions",
        Msg::NavConstructions,
        Msg::ConstructionsBlurb,
    ),
    ("/lawmaking", Msg::NavLawmaking, Msg::LawmakingBlurb),
    ("/ranks", Msg::NavRanks, Msg::PrioritiesBlurb),
    ("/services", Msg::NavServices, Msg::ServicesBlurb),
    ("/opendata", Msg::NavOpenData, Msg::OpenDataBlurb),
];

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let municipalities = Resource::new(|| (), |_| list_municipalities());
    view! {
        <Title text="" />
        <section class="stack">
            <h1 class="page-title">{move || i18n.t(Msg::HomeTitle)}</h1>
            <p class="lead">{move || i18n.t(Msg::HomeLead)}</p>
            // What a phone user opens the installed app for, first and within a thumb's
            // reach (the manifest offers the same two as the icon's shortcuts).
            <nav class="quick-actions row" aria-label=move || i18n.t(Msg::QuickActions)>
                <A href="/problems/new" attr:class="button primary" attr:data-test="quick-report">{move || i18n.t(Msg::ReportProblem)}</A>
                <A href="/problems/mine" attr:class="button" attr:data-test="quick-mine">{move || i18n.t(Msg::MyProblems)}</A>
            </nav>
        </section>
        <section class="cards" aria-label=move || i18n.t(Msg::Components)>
            {COMPONENTS
                .into_iter()
                .map(|(href, title, blurb)| {
                    view! {
                        <article class="card">
                            <h2><A href=href attr:class="card-link">{move || i18n.t(title)}</A></h2>
                            <p>{move || i18n.t(blurb)}</p>
                        </article>
                    }
                })
                .collect_view()}
        </section>
        <section class="stack">
            <h2>{move || i18n.t(Msg::MunicipalitiesMapTitle)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = municipalities.await.unwrap_or_default();
                    let count = list.len();
                    let markers = Signal::derive(move || {
                        let locale = i18n.locale();
                        list.iter()
                            .map(|m| MapMarker::new(m.centre, m.name(locale)))
                            .collect::<Vec<_>>()
                    });
                    view! {
                        <p class="muted" data-test="municipality-count">
                            {move || crate::i18n::municipalities_shown(count, i18n.locale())}
                        </p>
                        <MapView markers label=Signal::derive(move || i18n.t(Msg::MunicipalitiesMapTitle).to_string()) />
                    }
                })}
            </Transition>
        </section>
    }
}
