//! Pieces that pages of several features share about the organisation of government.

use leptos::prelude::*;

use super::model::{Department, DepartmentId, Theme, ThemeId};
use crate::geography::model::{Municipality, MunicipalityId};
use crate::i18n::Locale;

/// The reference data that pages name things by: themes, municipalities, departments.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Names {
    /// Every theme.
    pub themes: Vec<Theme>,
    /// Every municipality.
    pub municipalities: Vec<Municipality>,
    /// Every department.
    pub departments: Vec<Department>,
}

impl Names {
    /// A theme's name.
    pub fn theme(&self, id: ThemeId, locale: Locale) -> String {
        self.themes
            .iter()
            .find(|theme| theme.id == id)
            .map(|theme| theme.name(locale).to_string())
            .unwrap_or_default()
    }

    /// A municipality's name.
    pub fn municipality(&self, id: MunicipalityId, locale: Locale) -> String {
        self.municipalities
            .iter()
            .find(|municipality| municipality.id == id)
            .map(|municipality| municipality.name(locale).to_string())
            .unwrap_or_default()
    }

    /// A department.
    pub fn department(&self, id: DepartmentId) -> Option<&Department> {
        self.departments
            .iter()
            .find(|department| department.id == id)
    }
}

/// Loads the reference data once for a page. Call it at the component's top level.
pub fn names_resource() -> Resource<Names> {
    Resource::new(
        || (),
        |_| async move {
            // Three small independent requests; each answers in a few milliseconds.
            let themes = crate::organisation::server_fns::list_themes().await;
            let municipalities = crate::geography::server_fns::list_municipalities().await;
            let departments = crate::organisation::server_fns::list_departments().await;
            Names {
                themes: themes.unwrap_or_default(),
                municipalities: municipalities.unwrap_or_default(),
                departments: departments.unwrap_or_default(),
            }
        },
    )
}
