//! The public list of municipalities with their administrative centres on the map.

use leptos::prelude::*;
use leptos_meta::Title;

use super::model::MunicipalityKind;
use super::server_fns::list_municipalities;
use crate::i18n::{Msg, format_decimal, use_i18n};
use crate::ui::map::{MapMarker, MapView};
use crate::ui::table::TableHead;

/// `/municipalities`: the 44 municipalities as a table and on the map.
#[component]
pub fn MunicipalitiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let municipalities = Resource::new(|| (), |_| list_municipalities());
    view! {
        <Title text=move || i18n.t(Msg::NavMunicipalities) />
        <h1 class="page-title">{move || i18n.t(Msg::NavMunicipalities)}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = municipalities.await.unwrap_or_default();
                let rows = list.clone();
                let markers = Signal::derive(move || {
                    let locale = i18n.locale();
                    list.iter().map(|m| MapMarker::new(m.centre, m.name(locale))).collect::<Vec<_>>()
                });
                view! {
                    <MapView markers label=Signal::derive(move || i18n.t(Msg::MunicipalitiesMapTitle).to_string()) />
                    <div class="table-wrap" tabindex="0">
                        <table class="data-table" data-test="municipalities-table">
                            <TableHead columns=&[Msg::Name, Msg::Kind, Msg::AdministrativeCentre, Msg::Coordinates] />
                            <tbody>
                                {rows.into_iter().map(|m| {
                                    let kind = match m.kind {
                                        MunicipalityKind::CityOkrug => Msg::CityOkrug,
                                        MunicipalityKind::MunicipalDistrict => Msg::MunicipalDistrict,
                                    };
                                    let name = m.clone();
                                    let centre = m.clone();
                                    view! {
                                        <tr>
                                            <td>{move || name.name(i18n.locale()).to_string()}</td>
                                            <td>{move || i18n.t(kind)}</td>
                                            <td>{move || centre.centre_name(i18n.locale()).to_string()}</td>
                                            <td>{move || format!("{}, {}",
                                                format_decimal(i18n.locale(), m.centre.lat, 4),
                                                format_decimal(i18n.locale(), m.centre.lon, 4))}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
        </Transition>
    }
}
