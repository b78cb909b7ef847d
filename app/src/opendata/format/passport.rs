//! Dataset passport (`meta.csv|xml|json`) and the section registry (`list.csv|xml|json`)
//! of the v3.0 recommendations.

use std::collections::HashSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::names::{
    Format, compact_date, data_file_name, data_stem, date_in_range, meta_file_name,
    structure_file_name, structure_stem,
};
use super::text::{CsvText, XmlText, dataset_url, pretty_json};

/// Value of `standardversion`: the v3.0 recommendations the files conform to.
pub const STANDARD_VERSION_URL: &str = "http://opendata.gosmonitor.ru/standard/3.0";

/// Title of the `standardversion` row of `list.csv`.
const STANDARD_VERSION_TITLE: &str = "Версия методических рекомендаций";

/// One published data version (passport fields 8 and 16).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DataVersion {
    /// Date of the version (`data-<version>-…`, `created` in meta.xml/json).
    pub version: NaiveDate,
    /// Structure version the data conforms to (`…-structure-<structure>`).
    pub structure: NaiveDate,
    /// What changed in this version ("Изменение данных").
    pub provenance: String,
    /// Date up to which this version is current.
    pub valid: NaiveDate,
}

/// The passport of a dataset: the seventeen v3.0 fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passport {
    /// 1. `<ИНН>-<код>`, e.g. `7712345678-showrooms`; also the folder name.
    pub identifier: String,
    /// 2. Short title.
    pub title: String,
    /// 3. Extended description.
    pub description: String,
    /// 4. Organisation owning the dataset.
    pub creator: String,
    /// 5. Responsible person (ФИО, optionally ", должность").
    pub publisher_name: String,
    /// 6. Phone of the responsible person, e.g. `+74951234567`.
    pub publisher_phone: String,
    /// 7. E-mail of the responsible person.
    pub publisher_mbox: String,
    /// 15. Keywords; written comma-joined, so a keyword cannot contain a comma.
    pub subject: Vec<String>,
    /// 11. Date of first publication.
    pub created: NaiveDate,
    /// 12. Date of the last change.
    pub modified: NaiveDate,
    /// 13. What the last change was.
    pub provenance: String,
    /// 14. Date up to which the dataset is current.
    pub valid: NaiveDate,
    /// 9. Format the data versions are linked in.
    pub format: Format,
    /// 8 and 16. Every published data version, in any order (files list them newest first).
    pub data_versions: Vec<DataVersion>,
    /// 10 and 17. Every structure version date, in any order.
    pub structure_versions: Vec<NaiveDate>,
}

/// What is wrong with one passport field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldErrorKind {
    /// Required and empty (or only whitespace).
    Empty,
    /// Not `<10 or 12 digit ИНН>-<code>` with a lowercase latin/digit/hyphen code, ≤ 100 chars.
    InvalidIdentifier,
    /// Not shaped like an e-mail address.
    InvalidEmail,
    /// A keyword is empty or contains a comma (the separator of `subject`).
    InvalidKeyword,
    /// A date outside years 0001-9999.
    DateOutOfRange,
    /// `modified` is earlier than `created`.
    ModifiedBeforeCreated,
    /// The same version is listed twice.
    DuplicateVersion,
    /// A data version names a structure version the passport does not list.
    UnknownStructure,
}

impl fmt::Display for FieldErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldErrorKind::Empty => "is required",
            FieldErrorKind::InvalidIdentifier => {
                "must be <10 or 12 digit INN>-<code in lowercase latin letters, digits, hyphens>"
            }
            FieldErrorKind::InvalidEmail => "is not an e-mail address",
            FieldErrorKind::InvalidKeyword => "keywords must be non-empty and contain no comma",
            FieldErrorKind::DateOutOfRange => "date must be in years 0001-9999",
            FieldErrorKind::ModifiedBeforeCreated => "is earlier than created",
            FieldErrorKind::DuplicateVersion => "version is listed twice",
            FieldErrorKind::UnknownStructure => "refers to a structure version not listed",
        })
    }
}

/// One problem found by [`Passport::validate`]: a stable field key plus a stable kind, so
/// the UI can say it in its own words.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldError {
    /// The v3.0 property name: `identifier`, `publishermbox`, `subject`, `data`, `structure`, ….
    pub field: &'static str,
    /// Position in `subject`, `data_versions` or `structure_versions`, when the error is about one item.
    pub index: Option<usize>,
    /// What is wrong.
    pub kind: FieldErrorKind,
}

impl FieldError {
    fn new(field: &'static str, kind: FieldErrorKind) -> Self {
        FieldError {
            field,
            index: None,
            kind,
        }
    }

    fn at(field: &'static str, index: usize, kind: FieldErrorKind) -> Self {
        FieldError {
            field,
            index: Some(index),
            kind,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(i) => write!(f, "{}[{}]: {}", self.field, i, self.kind),
            None => write!(f, "{}: {}", self.field, self.kind),
        }
    }
}

impl std::error::Error for FieldError {}

/// Longest identifier: CKAN package names are limited to 100 characters.
const MAX_IDENTIFIER_LEN: usize = 100;

/// `<10 or 12 digit ИНН>-<code>`, code `[a-z0-9]+(-[a-z0-9]+)*`.
///
/// Lowercase only, although a real Volgograd set is `3444200448-ForestDeath`: CKAN names and
/// Frictionless names are lowercase, and folder names must not differ only by case. The INN
/// check digit is not verified because the v3.0 example `7712345678` itself would fail it.
pub(crate) fn is_valid_identifier(identifier: &str) -> bool {
    let Some((inn, code)) = identifier.split_once('-') else {
        return false;
    };
    identifier.len() <= MAX_IDENTIFIER_LEN
        && matches!(inn.len(), 10 | 12)
        && inn.bytes().all(|b| b.is_ascii_digit())
        && code.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `local@domain.tld`: the shape check a form can do; deliverability is another matter.
pub(crate) fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(
                    c,
                    '@' | '<' | '>' | '(' | ')' | ',' | ';' | ':' | '"' | '[' | ']' | '\\'
                )
        })
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2)
}

impl Passport {
    /// Checks the passport against v3.0 and this portal's rules, returning every problem.
    ///
    /// All seventeen fields are treated as required (the reference: "all implementations
    /// emit all keys, so treat all as mandatory"): text fields non-empty, at least one
    /// keyword, one data version and one structure version, each data version's structure
    /// listed, no version twice, `modified` not before `created`.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        use FieldErrorKind::*;
        let mut errors = Vec::new();
        let blank = |s: &str| s.trim().is_empty();

        if blank(&self.identifier) {
            errors.push(FieldError::new("identifier", Empty));
        } else if !is_valid_identifier(&self.identifier) {
            errors.push(FieldError::new("identifier", InvalidIdentifier));
        }
        for (field, value) in [
            ("title", &self.title),
            ("description", &self.description),
            ("creator", &self.creator),
            ("publishername", &self.publisher_name),
            ("publisherphone", &self.publisher_phone),
            ("provenance", &self.provenance),
        ] {
            if blank(value) {
                errors.push(FieldError::new(field, Empty));
            }
        }
        if blank(&self.publisher_mbox) {
            errors.push(FieldError::new("publishermbox", Empty));
        } else if !is_valid_email(&self.publisher_mbox) {
            errors.push(FieldError::new("publishermbox", InvalidEmail));
        }

        if self.subject.is_empty() {
            errors.push(FieldError::new("subject", Empty));
        }
        for (i, keyword) in self.subject.iter().enumerate() {
            if blank(keyword) || keyword.contains(',') {
                errors.push(FieldError::at("subject", i, InvalidKeyword));
            }
        }

        for (field, date) in [
            ("created", self.created),
            ("modified", self.modified),
            ("valid", self.valid),
        ] {
            if !date_in_range(date) {
                errors.push(FieldError::new(field, DateOutOfRange));
            }
        }
        if self.modified < self.created {
            errors.push(FieldError::new("modified", ModifiedBeforeCreated));
        }

        if self.structure_versions.is_empty() {
            errors.push(FieldError::new("structure", Empty));
        }
        let mut structures = HashSet::new();
        for (i, &date) in self.structure_versions.iter().enumerate() {
            if !date_in_range(date) {
                errors.push(FieldError::at("structure", i, DateOutOfRange));
            }
            if !structures.insert(date) {
                errors.push(FieldError::at("structure", i, DuplicateVersion));
            }
        }

        if self.data_versions.is_empty() {
            errors.push(FieldError::new("data", Empty));
        }
        let mut versions = HashSet::new();
        for (i, version) in self.data_versions.iter().enumerate() {
            if !date_in_range(version.version) || !date_in_range(version.valid) {
                errors.push(FieldError::at("data", i, DateOutOfRange));
            }
            if blank(&version.provenance) {
                errors.push(FieldError::at("data", i, Empty));
            }
            // Two entries with the same dates would be the same file name.
            if !versions.insert((version.version, version.structure)) {
                errors.push(FieldError::at("data", i, DuplicateVersion));
            }
            if !structures.contains(&version.structure) {
                errors.push(FieldError::at("data", i, UnknownStructure));
            }
        }

        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Data versions newest first (by version date, then structure date), as v3.0 lists them.
    pub fn data_versions_newest_first(&self) -> Vec<&DataVersion> {
        let mut versions: Vec<&DataVersion> = self.data_versions.iter().collect();
        versions.sort_by(|a, b| {
            b.version
                .cmp(&a.version)
                .then_with(|| b.structure.cmp(&a.structure))
        });
        versions
    }

    /// Structure versions newest first.
    pub fn structure_versions_newest_first(&self) -> Vec<NaiveDate> {
        let mut versions = self.structure_versions.clone();
        versions.sort_by(|a, b| b.cmp(a));
        versions
    }

    /// The newest data version, if any: the "current" data file of field 8.
    pub fn latest_data_version(&self) -> Option<&DataVersion> {
        self.data_versions_newest_first().into_iter().next()
    }

    /// Keywords joined with commas, as the `subject` field is written.
    pub fn subject_text(&self) -> String {
        self.subject.join(",")
    }

    /// URL of a data version file in the passport's format.
    fn data_url(&self, base_url: &str, version: &DataVersion) -> String {
        format!(
            "{}{}",
            dataset_url(base_url, &self.identifier),
            data_file_name(version.version, version.structure, self.format)
        )
    }

    /// URL of a structure file matching the passport's format.
    fn structure_url(&self, base_url: &str, version: NaiveDate) -> String {
        format!(
            "{}{}",
            dataset_url(base_url, &self.identifier),
            structure_file_name(version, self.format.structure_format())
        )
    }
}

/// `meta.csv`: `property,value` rows in the order of the real Volgograd file, then one row
/// per data version and per structure version, newest first, keyed by the file name without
/// extension and linking the files in the passport's format.
///
/// `base_url` is the open-data section, e.g. `http://example.com/opendata/`.
pub fn meta_csv(base_url: &str, passport: &Passport) -> String {
    let mut csv = CsvText::new();
    csv.record(["property", "value"]);
    let created = compact_date(passport.created);
    let modified = compact_date(passport.modified);
    let valid = compact_date(passport.valid);
    let subject = passport.subject_text();
    for (property, value) in [
        ("standardversion", STANDARD_VERSION_URL),
        ("identifier", &passport.identifier),
        ("title", &passport.title),
        ("description", &passport.description),
        ("creator", &passport.creator),
        ("created", &created),
        ("modified", &modified),
        ("subject", &subject),
        ("format", passport.format.extension()),
        ("provenance", &passport.provenance),
        ("valid", &valid),
        ("publishername", &passport.publisher_name),
        ("publisherphone", &passport.publisher_phone),
        ("publishermbox", &passport.publisher_mbox),
    ] {
        csv.record([property, value]);
    }
    for version in passport.data_versions_newest_first() {
        csv.record([
            data_stem(version.version, version.structure).as_str(),
            &passport.data_url(base_url, version),
        ]);
    }
    for version in passport.structure_versions_newest_first() {
        csv.record([
            structure_stem(version).as_str(),
            &passport.structure_url(base_url, version),
        ]);
    }
    csv.finish()
}

/// `meta.xml`: the element names of the Yii2 `ExportPassportXml`, nested as in `meta.json`.
pub fn meta_xml(base_url: &str, passport: &Passport) -> String {
    let mut xml = XmlText::new();
    xml.open("meta");
    xml.leaf("standardversion", STANDARD_VERSION_URL);
    xml.leaf("identifier", &passport.identifier);
    xml.leaf("title", &passport.title);
    xml.leaf("description", &passport.description);
    xml.leaf("creator", &passport.creator);
    xml.leaf("created", &compact_date(passport.created));
    xml.leaf("modified", &compact_date(passport.modified));
    xml.leaf("subject", &passport.subject_text());
    xml.leaf("format", passport.format.extension());
    xml.open("data");
    for version in passport.data_versions_newest_first() {
        xml.open("dataversion");
        xml.leaf("source", &passport.data_url(base_url, version));
        xml.leaf("created", &compact_date(version.version));
        xml.leaf("provenance", &version.provenance);
        xml.leaf("valid", &compact_date(version.valid));
        xml.leaf("structure", &compact_date(version.structure));
        xml.close("dataversion");
    }
    xml.close("data");
    xml.open("structure");
    for version in passport.structure_versions_newest_first() {
        xml.open("structureversion");
        xml.leaf("source", &passport.structure_url(base_url, version));
        xml.leaf("created", &compact_date(version));
        xml.close("structureversion");
    }
    xml.close("structure");
    xml.open("publisher");
    xml.leaf("name", &passport.publisher_name);
    xml.leaf("phone", &passport.publisher_phone);
    xml.leaf("mbox", &passport.publisher_mbox);
    xml.close("publisher");
    xml.close("meta");
    xml.finish()
}

/// `meta.json` document, fields in the order of the reference example.
#[derive(Serialize)]
struct MetaJson<'a> {
    standardversion: &'a str,
    identifier: &'a str,
    title: &'a str,
    description: &'a str,
    creator: &'a str,
    created: String,
    modified: String,
    subject: String,
    format: &'a str,
    data: Vec<MetaJsonData<'a>>,
    structure: Vec<MetaJsonStructure>,
    publisher: MetaJsonPublisher<'a>,
}

/// One `data` entry of `meta.json`.
#[derive(Serialize)]
struct MetaJsonData<'a> {
    source: String,
    created: String,
    provenance: &'a str,
    valid: String,
    structure: String,
}

/// One `structure` entry of `meta.json`.
#[derive(Serialize)]
struct MetaJsonStructure {
    source: String,
    created: String,
}

/// `publisher` of `meta.json` (`mbox`, as Yii2 writes it, not JeenJay's `email`).
#[derive(Serialize)]
struct MetaJsonPublisher<'a> {
    name: &'a str,
    phone: &'a str,
    mbox: &'a str,
}

/// `meta.json`: the JeenJay/Yii2 shape with `publisher.mbox`.
pub fn meta_json(base_url: &str, passport: &Passport) -> String {
    let doc = MetaJson {
        standardversion: STANDARD_VERSION_URL,
        identifier: &passport.identifier,
        title: &passport.title,
        description: &passport.description,
        creator: &passport.creator,
        created: compact_date(passport.created),
        modified: compact_date(passport.modified),
        subject: passport.subject_text(),
        format: passport.format.extension(),
        data: passport
            .data_versions_newest_first()
            .into_iter()
            .map(|v| MetaJsonData {
                source: passport.data_url(base_url, v),
                created: compact_date(v.version),
                provenance: &v.provenance,
                valid: compact_date(v.valid),
                structure: compact_date(v.structure),
            })
            .collect(),
        structure: passport
            .structure_versions_newest_first()
            .into_iter()
            .map(|v| MetaJsonStructure {
                source: passport.structure_url(base_url, v),
                created: compact_date(v),
            })
            .collect(),
        publisher: MetaJsonPublisher {
            name: &passport.publisher_name,
            phone: &passport.publisher_phone,
            mbox: &passport.publisher_mbox,
        },
    };
    pretty_json(&doc)
}

/// One dataset in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegistryEntry {
    /// Dataset identifier `<ИНН>-<код>`.
    pub identifier: String,
    /// Dataset title.
    pub title: String,
    /// Format of the passport file the registry links (`meta.<format>`).
    pub format: Format,
}

impl RegistryEntry {
    /// URL of the entry's passport under the section `base_url`.
    pub fn link(&self, base_url: &str) -> String {
        format!(
            "{}{}",
            dataset_url(base_url, &self.identifier),
            meta_file_name(self.format)
        )
    }
}

/// `list.csv`: `property,title,value,format`, a `standardversion` row first (Приложение 7).
pub fn list_csv(base_url: &str, entries: &[RegistryEntry]) -> String {
    let mut csv = CsvText::new();
    csv.record(["property", "title", "value", "format"]);
    csv.record([
        "standardversion",
        STANDARD_VERSION_TITLE,
        STANDARD_VERSION_URL,
        "",
    ]);
    for entry in entries {
        csv.record([
            entry.identifier.as_str(),
            &entry.title,
            &entry.link(base_url),
            entry.format.extension(),
        ]);
    }
    csv.finish()
}

/// `list.xml`: `<list><standardversion/><meta><item>…</item></meta></list>` (Yii2 `ExportListXml`).
pub fn list_xml(base_url: &str, entries: &[RegistryEntry]) -> String {
    let mut xml = XmlText::new();
    xml.open("list");
    xml.leaf("standardversion", STANDARD_VERSION_URL);
    xml.open("meta");
    for entry in entries {
        xml.open("item");
        xml.leaf("identifier", &entry.identifier);
        xml.leaf("title", &entry.title);
        xml.leaf("link", &entry.link(base_url));
        xml.leaf("format", entry.format.extension());
        xml.close("item");
    }
    xml.close("meta");
    xml.close("list");
    xml.finish()
}

/// `list.json` document.
#[derive(Serialize)]
struct ListJson<'a> {
    standardversion: &'a str,
    meta: Vec<ListJsonItem<'a>>,
}

/// One `meta` entry of `list.json`.
#[derive(Serialize)]
struct ListJsonItem<'a> {
    identifier: &'a str,
    title: &'a str,
    link: String,
    format: &'a str,
}

/// `list.json`: `{"standardversion", "meta": [{"identifier", "title", "link", "format"}]}`.
pub fn list_json(base_url: &str, entries: &[RegistryEntry]) -> String {
    pretty_json(&ListJson {
        standardversion: STANDARD_VERSION_URL,
        meta: entries
            .iter()
            .map(|e| ListJsonItem {
                identifier: &e.identifier,
                title: &e.title,
                link: e.link(base_url),
                format: e.format.extension(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn passport() -> Passport {
        Passport {
            identifier: "7712345678-showrooms".into(),
            title: "Список выставочных залов".into(),
            description: "Описание".into(),
            creator: "Министерство культуры".into(),
            publisher_name: "Иванов Иван Иванович".into(),
            publisher_phone: "+74951234567".into(),
            publisher_mbox: "ivanov@example.com".into(),
            subject: vec!["культура".into(), "выставочный зал".into()],
            created: d(2013, 4, 1),
            modified: d(2013, 6, 1),
            provenance: "Изменение данных".into(),
            valid: d(2013, 7, 1),
            format: Format::Csv,
            data_versions: vec![
                DataVersion {
                    version: d(2013, 4, 1),
                    structure: d(2013, 4, 1),
                    provenance: "Первая публикация".into(),
                    valid: d(2013, 5, 1),
                },
                DataVersion {
                    version: d(2013, 6, 1),
                    structure: d(2013, 6, 1),
                    provenance: "Изменение данных".into(),
                    valid: d(2013, 7, 1),
                },
            ],
            structure_versions: vec![d(2013, 4, 1), d(2013, 6, 1)],
        }
    }

    #[test]
    fn valid_passport_passes() {
        assert_eq!(passport().validate(), Ok(()));
    }

    #[test]
    fn identifiers() {
        for ok in [
            "7712345678-showrooms",
            "771234567890-a",
            "2618017120-subdivisions",
            "4705031037-representative-authority-structure",
            "7730176610-mask44dop",
        ] {
            assert!(is_valid_identifier(ok), "{ok}");
        }
        for bad in [
            "3444200448-ForestDeath",
            "7712345678",
            "7712345678-",
            "771234567-x",
            "77123456789-x",
            "7712345678--x",
            "7712345678-x-",
            "7712345678-x_y",
            "7712345678-набор",
            "77123456a8-x",
            &format!("7712345678-{}", "a".repeat(90)),
        ] {
            assert!(!is_valid_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "ivanov@example.com",
            "a.b+c@mail.krasnodar.ru",
            "info@почта.рф",
        ] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "ivanov",
            "ivanov@",
            "@example.com",
            "ivanov@example",
            "iv anov@example.com",
            "a@b@example.com",
            "ivanov@example..com",
            "ivanov@-example.com",
            "ivanov@example.c",
            ".a@example.com",
            "a..b@example.com",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn reports_every_problem() {
        let mut p = passport();
        p.identifier = "Showrooms".into();
        p.title = " ".into();
        p.publisher_mbox = "nobody".into();
        p.subject = vec!["a,b".into(), "".into()];
        p.modified = d(2013, 1, 1);
        p.data_versions[1].structure = d(2014, 1, 1);
        p.data_versions.push(p.data_versions[0].clone());
        p.structure_versions.push(d(2013, 4, 1));
        let errors = p.validate().expect_err("invalid passport");
        let found: Vec<_> = errors.iter().map(|e| (e.field, e.index, e.kind)).collect();
        use FieldErrorKind::*;
        assert_eq!(
            found,
            [
                ("identifier", None, InvalidIdentifier),
                ("title", None, Empty),
                ("publishermbox", None, InvalidEmail),
                ("subject", Some(0), InvalidKeyword),
                ("subject", Some(1), InvalidKeyword),
                ("modified", None, ModifiedBeforeCreated),
                ("structure", Some(2), DuplicateVersion),
                ("data", Some(1), UnknownStructure),
                ("data", Some(2), DuplicateVersion),
            ]
        );
        assert_eq!(errors[0].to_string().split(':').next(), Some("identifier"));
        assert_eq!(
            errors[3].to_string(),
            "subject[0]: keywords must be non-empty and contain no comma"
        );
    }

    #[test]
    fn empty_required_fields_and_versions() {
        let mut p = passport();
        p.identifier.clear();
        p.description.clear();
        p.creator.clear();
        p.publisher_name.clear();
        p.publisher_phone.clear();
        p.publisher_mbox.clear();
        p.provenance.clear();
        p.subject.clear();
        p.data_versions.clear();
        p.structure_versions.clear();
        p.valid = d(0, 1, 1);
        let errors = p.validate().expect_err("invalid passport");
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "identifier",
                "description",
                "creator",
                "publishername",
                "publisherphone",
                "provenance",
                "publishermbox",
                "subject",
                "valid",
                "structure",
                "data"
            ]
        );
        assert!(errors.iter().all(|e| e.kind == FieldErrorKind::Empty
            || (e.field == "valid" && e.kind == FieldErrorKind::DateOutOfRange)));
    }

    #[test]
    fn versions_are_listed_newest_first() {
        let p = passport();
        let csv = meta_csv("http://example.com/opendata", &p);
        let newer = csv.find("data-20130601-structure-20130601,").expect("row");
        let older = csv.find("data-20130401-structure-20130401,").expect("row");
        assert!(newer < older);
        let s_newer = csv.find("structure-20130601,").expect("row");
        let s_older = csv.find("structure-20130401,").expect("row");
        assert!(s_newer < s_older);
        assert_eq!(
            p.latest_data_version().map(|v| v.version),
            Some(d(2013, 6, 1))
        );
    }

    #[test]
    fn links_follow_the_passport_format() {
        let mut p = passport();
        p.format = Format::Json;
        let xml = meta_xml("http://example.com/opendata/", &p);
        assert!(xml.contains(
            "<source>http://example.com/opendata/7712345678-showrooms/data-20130601-structure-20130601.json</source>"
        ));
        assert!(xml.contains(
            "<source>http://example.com/opendata/7712345678-showrooms/structure-20130401.json</source>"
        ));
        assert!(xml.contains("<format>json</format>"));
    }

    #[test]
    fn metadata_text_is_escaped() {
        let mut p = passport();
        p.title = "Залы \"А & Б\", <новые>".into();
        let xml = meta_xml("http://e.ru/opendata", &p);
        assert!(xml.contains("<title>Залы \"А &amp; Б\", &lt;новые&gt;</title>"));
        let json: serde_json::Value =
            serde_json::from_str(&meta_json("http://e.ru/opendata", &p)).expect("valid JSON");
        assert_eq!(json["title"], "Залы \"А & Б\", <новые>");
        let csv = meta_csv("http://e.ru/opendata", &p);
        assert!(csv.contains("title,\"Залы \"\"А & Б\"\", <новые>\"\r\n"));
    }

    #[test]
    fn registry_link() {
        let entry = RegistryEntry {
            identifier: "7712345678-staff".into(),
            title: "Штат".into(),
            format: Format::Xml,
        };
        assert_eq!(
            entry.link("https://opendata.krasnodar.ru"),
            "https://opendata.krasnodar.ru/7712345678-staff/meta.xml"
        );
    }

    #[test]
    fn registry_xml_and_json() {
        let entries = [RegistryEntry {
            identifier: "7712345678-staff".into(),
            title: "Штат & кадры".into(),
            format: Format::Json,
        }];
        assert_eq!(
            list_xml("http://example.com/opendata/", &entries),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <list>\n  <standardversion>http://opendata.gosmonitor.ru/standard/3.0</standardversion>\n  <meta>\n    <item>\n      <identifier>7712345678-staff</identifier>\n      <title>Штат &amp; кадры</title>\n      <link>http://example.com/opendata/7712345678-staff/meta.json</link>\n      <format>json</format>\n    </item>\n  </meta>\n</list>\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&list_json("http://example.com/opendata/", &entries))
                .expect("valid JSON");
        assert_eq!(
            json,
            serde_json::json!({"standardversion": STANDARD_VERSION_URL, "meta": [{
                "identifier": "7712345678-staff", "title": "Штат & кадры",
                "link": "http://example.com/opendata/7712345678-staff/meta.json", "format": "json"}]})
        );
        assert_eq!(
            list_json("http://example.com/opendata/", &[]),
            "{\n  \"standardversion\": \"http://opendata.gosmonitor.ru/standard/3.0\",\n  \"meta\": []\n}\n"
        );
    }
}
