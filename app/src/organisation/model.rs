//! Departments, themes and routing rules: wire types, input validation and the pure
//! routing decision.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::geography::model::MunicipalityId;
use crate::i18n::Locale;
use platform::error::{ErrorCode, FieldError, check_text, check_whole};
use platform::id_type;

pub use platform::ids::{DepartmentId, ThemeId};

/// A department, as a subject people follow for its official news.
pub const DEPARTMENT: civic::subject::SubjectKind = civic::subject::SubjectKind::new("department");

id_type!(
    /// A routing rule.
    RoutingRuleId
);

/// Regional (a body of the Krai) or municipal (part of one municipality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentLevel {
    /// A ministry or agency of the Krai.
    Regional,
    /// Part of one municipality's administration.
    Municipal,
}

impl DepartmentLevel {
    /// The value stored in `departments.level`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Regional => "regional",
            Self::Municipal => "municipal",
        }
    }

    /// The level stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "regional" => Some(Self::Regional),
            "municipal" => Some(Self::Municipal),
            _ => None,
        }
    }
}

/// A department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// Its id.
    pub id: DepartmentId,
    /// Stable Latin identifier.
    pub slug: String,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// Regional or municipal.
    pub level: DepartmentLevel,
    /// The municipality of a municipal department.
    pub municipality_id: Option<MunicipalityId>,
    /// Public e-mail.
    pub email: Option<String>,
    /// Public phone.
    pub phone: Option<String>,
    /// Whether it receives new work.
    pub is_active: bool,
    /// The department its overdue problems are escalated to, if any.
    pub supervisor_id: Option<DepartmentId>,
}

impl Department {
    /// The name in `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        locale.pick(&self.name_ru, &self.name_en)
    }
}

/// A problem theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// Its id.
    pub id: ThemeId,
    /// Stable Latin identifier (the Open311 service code).
    pub slug: String,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// Description in Russian.
    pub description_ru: String,
    /// Description in English.
    pub description_en: String,
    /// Whether reports wait for a moderator.
    pub premoderation: bool,
    /// Days until an official reaction is due.
    pub reaction_days: u32,
    /// Days after an answer that is neither a result nor a plan until one of them is due.
    pub result_days: u32,
    /// Position in lists.
    pub sort_order: i32,
    /// Whether it accepts new reports.
    pub is_active: bool,
}

impl Theme {
    /// The name in `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        locale.pick(&self.name_ru, &self.name_en)
    }
}

/// A routing rule with the names of what it links, as the admin list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRuleView {
    /// Its id.
    pub id: RoutingRuleId,
    /// The theme.
    pub theme_id: ThemeId,
    /// The theme's Russian and English names.
    pub theme_name: (String, String),
    /// The municipality; `None` for the regional fallback.
    pub municipality_id: Option<MunicipalityId>,
    /// The municipality's Russian and English names.
    pub municipality_name: Option<(String, String)>,
    /// The receiving department.
    pub department_id: DepartmentId,
    /// The department's Russian and English names.
    pub department_name: (String, String),
}

/// Picks the department for a report: the rule for exactly this municipality, else the
/// theme's regional rule. `rules` are (municipality, department) pairs of one theme.
pub fn pick_department(
    rules: &[(Option<MunicipalityId>, DepartmentId)],
    municipality: MunicipalityId,
) -> Option<DepartmentId> {
    let specific = rules.iter().find(|(m, _)| *m == Some(municipality));
    let regional = || rules.iter().find(|(m, _)| m.is_none());
    specific
        .or_else(regional)
        .map(|(_, department)| *department)
}

/// Why `department` may not be supervised by `supervisor`, given who supervises whom
/// now (`supervisors`: department to its supervisor): itself, or a department that
/// `department` already supervises, directly or down a chain (the deadline job would pass
/// overdue problems round in a loop). The existing chain is followed at most once round,
/// so even a loop already in the data cannot stall it.
pub fn check_supervisor(
    department: DepartmentId,
    supervisor: DepartmentId,
    supervisors: &HashMap<DepartmentId, DepartmentId>,
) -> Result<(), ErrorCode> {
    if supervisor == department {
        return Err(ErrorCode::SupervisesItself);
    }
    let mut seen = HashSet::new();
    let mut next = Some(supervisor);
    while let Some(current) = next {
        if current == department || !seen.insert(current) {
            return Err(ErrorCode::SupervisionCycle);
        }
        next = supervisors.get(&current).copied();
    }
    Ok(())
}

/// Whether `slug` is a lower-case Latin identifier: letters, digits and single hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    (2..=64).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

/// Department input as typed in the admin form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentInput {
    /// Slug.
    pub slug: String,
    /// Russian name.
    pub name_ru: String,
    /// English name.
    pub name_en: String,
    /// Empty for a regional department, a municipality id for a municipal one.
    pub municipality_id: String,
    /// Optional e-mail.
    pub email: String,
    /// Optional phone.
    pub phone: String,
}

/// Department input that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDepartment {
    /// Slug.
    pub slug: String,
    /// Russian name.
    pub name_ru: String,
    /// English name.
    pub name_en: String,
    /// Regional or municipal, from whether a municipality was given.
    pub level: DepartmentLevel,
    /// The municipality of a municipal department.
    pub municipality_id: Option<MunicipalityId>,
    /// E-mail, if given.
    pub email: Option<String>,
    /// Phone, if given.
    pub phone: Option<String>,
}

impl DepartmentInput {
    /// Validates every field; the municipality's existence is checked by the caller.
    pub fn validate(&self) -> Result<ValidDepartment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let slug = self.slug.trim().to_string();
        if !is_valid_slug(&slug) {
            errors.push(FieldError::new("slug", ErrorCode::Malformed));
        }
        check_text("name_ru", &self.name_ru, 1, 255, &mut errors);
        check_text("name_en", &self.name_en, 1, 255, &mut errors);
        let municipality_id = match self.municipality_id.trim() {
            "" => None,
            text => match text.parse::<MunicipalityId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new(
                        "municipality_id",
                        ErrorCode::UnknownMunicipality,
                    ));
                    None
                }
            },
        };
        let email = Some(self.email.trim().to_lowercase()).filter(|e| !e.is_empty());
        if let Some(code) = email.as_deref().and_then(platform::email::check_email) {
            errors.push(FieldError::new("email", code));
        }
        let phone = Some(self.phone.trim().to_string()).filter(|p| !p.is_empty());
        let phone_ok = phone.as_deref().is_none_or(|p| {
            p.len() <= 32 && p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
        });
        if !phone_ok {
            errors.push(FieldError::new("phone", ErrorCode::Malformed));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidDepartment {
            slug,
            name_ru: self.name_ru.trim().to_string(),
            name_en: self.name_en.trim().to_string(),
            level: if municipality_id.is_some() {
                DepartmentLevel::Municipal
            } else {
                DepartmentLevel::Regional
            },
            municipality_id,
            email,
            phone,
        })
    }
}

/// Theme input as typed in the admin form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeInput {
    /// Slug.
    pub slug: String,
    /// Russian name.
    pub name_ru: String,
    /// English name.
    pub name_en: String,
    /// Russian description.
    pub description_ru: String,
    /// English description.
    pub description_en: String,
    /// "on" when reports wait for a moderator (an HTML checkbox).
    pub premoderation: Option<String>,
    /// Days until a reaction is due, 1 to 90.
    pub reaction_days: String,
    /// Days after an answer until a result or a plan is due, 1 to 365.
    pub result_days: String,
    /// Position in lists.
    pub sort_order: String,
}

/// Theme input that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTheme {
    /// Slug.
    pub slug: String,
    /// Russian name.
    pub name_ru: String,
    /// English name.
    pub name_en: String,
    /// Russian description.
    pub description_ru: String,
    /// English description.
    pub description_en: String,
    /// Whether reports wait for a moderator.
    pub premoderation: bool,
    /// Days until a reaction is due.
    pub reaction_days: u32,
    /// Days after an answer until a result or a plan is due.
    pub result_days: u32,
    /// Position in lists.
    pub sort_order: i32,
}

/// What names a catalogue entry (a theme, a service) in both languages, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryNames {
    /// Slug.
    pub slug: String,
    /// Russian name.
    pub name_ru: String,
    /// English name.
    pub name_en: String,
    /// Russian description.
    pub description_ru: String,
    /// English description.
    pub description_en: String,
}

impl EntryNames {
    /// Checks a catalogue entry's fields `slug` (see [`is_valid_slug`]), `name_ru` and
    /// `name_en` (1 to 255 characters), `description_ru` and `description_en` (at most
    /// 1,000), records each refusal, and returns the trimmed values.
    pub fn check(
        slug: &str,
        [name_ru, name_en]: [&str; 2],
        [description_ru, description_en]: [&str; 2],
        errors: &mut Vec<FieldError>,
    ) -> EntryNames {
        let slug = slug.trim().to_string();
        if !is_valid_slug(&slug) {
            errors.push(FieldError::new("slug", ErrorCode::Malformed));
        }
        check_text("name_ru", name_ru, 1, 255, errors);
        check_text("name_en", name_en, 1, 255, errors);
        for (field, value) in [
            ("description_ru", description_ru),
            ("description_en", description_en),
        ] {
            if value.trim().chars().count() > 1000 {
                errors.push(FieldError::new(field, ErrorCode::TooLong { max: 1000 }));
            }
        }
        EntryNames {
            slug,
            name_ru: name_ru.trim().to_string(),
            name_en: name_en.trim().to_string(),
            description_ru: description_ru.trim().to_string(),
            description_en: description_en.trim().to_string(),
        }
    }
}

impl ThemeInput {
    /// Validates every field.
    pub fn validate(&self) -> Result<ValidTheme, Vec<FieldError>> {
        let mut errors = Vec::new();
        let names = EntryNames::check(
            &self.slug,
            [&self.name_ru, &self.name_en],
            [&self.description_ru, &self.description_en],
            &mut errors,
        );
        let reaction_days = check_whole("reaction_days", &self.reaction_days, 1..=90, &mut errors);
        let result_days = check_whole("result_days", &self.result_days, 1..=365, &mut errors);
        let sort_order = match self.sort_order.trim() {
            "" => Some(0),
            text => text.parse::<i32>().ok().filter(|n| n.abs() <= 1_000_000),
        };
        if sort_order.is_none() {
            errors.push(FieldError::new(
                "sort_order",
                ErrorCode::OutOfRange {
                    min: -1_000_000,
                    max: 1_000_000,
                },
            ));
        }
        match (reaction_days, result_days, sort_order) {
            (Some(reaction_days), Some(result_days), Some(sort_order)) if errors.is_empty() => {
                Ok(ValidTheme {
                    slug: names.slug,
                    name_ru: names.name_ru,
                    name_en: names.name_en,
                    description_ru: names.description_ru,
                    description_en: names.description_en,
                    premoderation: self
                        .premoderation
                        .as_deref()
                        .is_some_and(|v| v == "on" || v == "true"),
                    reaction_days,
                    result_days,
                    sort_order,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Longest name of a department system's token, so that the integration account's name
/// (`<system> · <department>`) stays readable.
pub const TOKEN_NAME_MAX: usize = 60;

/// A department system's token as the admins' list shows it. The token itself is shown
/// once, when it is issued, and never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(diesel::Queryable))]
pub struct DepartmentToken {
    /// Its id.
    pub id: u64,
    /// The system it was issued to.
    pub name: String,
    /// When it was issued (UTC).
    pub issued_at: chrono::NaiveDateTime,
    /// The last request made with it, to the minute (UTC).
    pub last_used_at: Option<chrono::NaiveDateTime>,
    /// When it was revoked (UTC); a revoked token is refused.
    pub revoked_at: Option<chrono::NaiveDateTime>,
}

/// The name of a new token, trimmed: 1 to [`TOKEN_NAME_MAX`] characters.
pub fn validate_token_name(name: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    check_text("name", name, 1, TOKEN_NAME_MAX, &mut errors);
    if errors.is_empty() {
        Ok(name.trim().to_string())
    } else {
        Err(errors)
    }
}

/// The name its integration account carries: the system's and the department's, cut to
/// the 100 characters of a display name.
pub fn integration_account_name(token_name: &str, department_name: &str) -> String {
    format!("{token_name} · {department_name}")
        .chars()
        .take(100)
        .collect()
}

/// The reference data that pages name things by: themes, municipalities, departments,
/// each with only what pages show of it (the catalogue is part of every page's data: with
/// theme descriptions, contacts and centres' names it was half of a list page's). Cloning
/// is cheap: every card of a list shares one catalogue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names(Arc<NameLists>);

/// The lists of a [`Names`] catalogue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NameLists {
    /// Every theme, in display order.
    pub themes: Vec<ThemeName>,
    /// Every municipality, city okrugs first.
    pub municipalities: Vec<crate::geography::model::MunicipalityName>,
    /// Every department, regional first.
    pub departments: Vec<DepartmentName>,
}

/// A theme as pages name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(diesel::Queryable, diesel::Selectable),
    diesel(table_name = platform::db::schema::themes)
)]
pub struct ThemeName {
    /// Its id.
    pub id: ThemeId,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// Whether it accepts new reports.
    pub is_active: bool,
}

/// A department as pages name and link it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(diesel::Queryable, diesel::Selectable),
    diesel(table_name = platform::db::schema::departments)
)]
pub struct DepartmentName {
    /// Its id.
    pub id: DepartmentId,
    /// Its address: `/departments/{slug}`.
    pub slug: String,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// Whether it receives new work.
    pub is_active: bool,
}

impl ThemeName {
    /// The name in `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        locale.pick(&self.name_ru, &self.name_en)
    }
}

impl DepartmentName {
    /// The name in `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        locale.pick(&self.name_ru, &self.name_en)
    }
}

impl Names {
    /// A catalogue of these lists.
    pub fn new(lists: NameLists) -> Self {
        Self(Arc::new(lists))
    }
}

/// A catalogue reads as its lists.
impl std::ops::Deref for Names {
    type Target = NameLists;

    fn deref(&self) -> &NameLists {
        &self.0
    }
}

/// On the wire a catalogue is its lists (serde's `Arc` support would need its `rc` feature
/// for every crate of the build).
impl Serialize for Names {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        NameLists::deserialize(deserializer).map(Self::new)
    }
}

impl NameLists {
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
    pub fn department(&self, id: DepartmentId) -> Option<&DepartmentName> {
        self.departments
            .iter()
            .find(|department| department.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_name_is_trimmed_and_bounded() {
        assert_eq!(
            validate_token_name("  СЭД «Дело» ").as_deref(),
            Ok("СЭД «Дело»")
        );
        let codes = |name: &str| {
            validate_token_name(name).err().map(|errors| {
                errors
                    .into_iter()
                    .map(|error| error.code)
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(codes("   "), Some(vec![ErrorCode::Required]));
        assert_eq!(
            codes(&"я".repeat(TOKEN_NAME_MAX + 1)),
            Some(vec![ErrorCode::TooLong {
                max: TOKEN_NAME_MAX as u32
            }])
        );
        assert_eq!(codes(&"я".repeat(TOKEN_NAME_MAX)), None);
    }

    #[test]
    fn an_integration_account_is_named_after_system_and_department_within_100_characters() {
        assert_eq!(
            integration_account_name("СЭД «Дело»", "Минтранс"),
            "СЭД «Дело» · Минтранс"
        );
        let long = integration_account_name(&"я".repeat(60), &"ж".repeat(255));
        assert_eq!(long.chars().count(), 100);
        assert!(long.starts_with(&"я".repeat(60)));
    }

    #[test]
    fn the_municipal_rule_wins_over_the_regional_fallback() {
        let (krasnodar, sochi) = (MunicipalityId(1), MunicipalityId(2));
        let rules = [
            (None, DepartmentId(10)),
            (Some(krasnodar), DepartmentId(20)),
        ];
        assert_eq!(pick_department(&rules, krasnodar), Some(DepartmentId(20)));
        assert_eq!(pick_department(&rules, sochi), Some(DepartmentId(10)));
        assert_eq!(
            pick_department(&rules[1..], sochi),
            None,
            "no rule: the moderators decide"
        );
        assert_eq!(pick_department(&[], sochi), None);
    }

    #[test]
    fn a_supervisor_is_neither_the_department_nor_below_it() {
        let (control, roads, sochi) = (DepartmentId(1), DepartmentId(2), DepartmentId(3));
        // sochi -> roads -> control
        let supervisors = HashMap::from([(sochi, roads), (roads, control)]);
        assert_eq!(check_supervisor(sochi, control, &supervisors), Ok(()));
        assert_eq!(check_supervisor(roads, control, &supervisors), Ok(()));
        assert_eq!(
            check_supervisor(roads, roads, &supervisors),
            Err(ErrorCode::SupervisesItself)
        );
        assert_eq!(
            check_supervisor(control, roads, &supervisors),
            Err(ErrorCode::SupervisionCycle),
            "roads is supervised by control"
        );
        assert_eq!(
            check_supervisor(control, sochi, &supervisors),
            Err(ErrorCode::SupervisionCycle),
            "sochi is under control through roads"
        );
        assert_eq!(
            check_supervisor(sochi, DepartmentId(99), &supervisors),
            Ok(()),
            "a department without a supervisor ends the chain"
        );
    }

    #[test]
    fn a_loop_already_in_the_data_is_refused_rather_than_followed_forever() {
        let (a, b, c) = (DepartmentId(1), DepartmentId(2), DepartmentId(3));
        let supervisors = HashMap::from([(a, b), (b, a)]);
        assert_eq!(
            check_supervisor(c, a, &supervisors),
            Err(ErrorCode::SupervisionCycle)
        );
    }

    #[test]
    fn slugs_are_lower_case_latin_with_single_hyphens() {
        for good in ["krasnodar", "min-transport", "admin-ust-labinsky", "a1"] {
            assert!(is_valid_slug(good), "{good}");
        }
        for bad in [
            "",
            "a",
            "Krasnodar",
            "min_transport",
            "-a",
            "a-",
            "a--b",
            "краснодар",
            "a b",
        ] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn department_level_follows_the_municipality() {
        let mut input = DepartmentInput {
            slug: "min-roads".into(),
            name_ru: "Минтранс".into(),
            name_en: "Roads".into(),
            ..Default::default()
        };
        assert_eq!(
            input.validate().expect("valid").level,
            DepartmentLevel::Regional
        );
        input.municipality_id = "3".into();
        let valid = input.validate().expect("valid");
        assert_eq!(
            (valid.level, valid.municipality_id),
            (DepartmentLevel::Municipal, Some(MunicipalityId(3)))
        );
        input.municipality_id = "x".into();
        input.email = "not-an-email".into();
        input.phone = "call me".into();
        let fields: Vec<String> = input
            .validate()
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["municipality_id", "email", "phone"]);
    }

    #[test]
    fn theme_reaction_days_must_be_1_to_90() {
        let mut input = ThemeInput {
            slug: "potholes".into(),
            name_ru: "Ямы".into(),
            name_en: "Potholes".into(),
            reaction_days: "10".into(),
            result_days: "30".into(),
            premoderation: Some("on".into()),
            ..Default::default()
        };
        let valid = input.validate().expect("valid");
        assert!(valid.premoderation);
        assert_eq!((valid.reaction_days, valid.sort_order), (10, 0));
        input.reaction_days = "0".into();
        assert_eq!(
            input.validate().expect_err("invalid")[0].field,
            "reaction_days"
        );
        input.reaction_days = "ten".into();
        assert!(input.validate().is_err());
    }

    #[test]
    fn theme_result_days_must_be_1_to_365() {
        let mut input = ThemeInput {
            slug: "potholes".into(),
            name_ru: "Ямы".into(),
            name_en: "Potholes".into(),
            reaction_days: "10".into(),
            result_days: "365".into(),
            ..Default::default()
        };
        assert_eq!(input.validate().expect("valid").result_days, 365);
        for wrong in ["0", "366", "", "месяц"] {
            input.result_days = wrong.into();
            let errors = input.validate().expect_err("invalid");
            assert_eq!(
                errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
                ["result_days"],
                "{wrong:?}"
            );
        }
    }
}
