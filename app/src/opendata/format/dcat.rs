//! DCAT-AP 3.0 catalog in JSON-LD (`catalog.jsonld`) for EU-style harvesters.
//!
//! The shape is the reference's minimal catalog that conforms to the DCAT-AP 3.0.1 SHACL
//! shapes. Links to controlled vocabularies (homepage, media type, format, licence) carry
//! an explicit `@type`, because validators that do not load the EU vocabularies otherwise
//! report class-constraint violations.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::names::{Format, data_file_name, iso_date};
use super::passport::Passport;
use super::text::{dataset_url, pretty_json};

/// Language tag of every literal: the portal publishes in Russian.
const LANGUAGE: &str = "ru";
/// Prefix of IANA media-type URIs.
const IANA_MEDIA_TYPES: &str = "http://www.iana.org/assignments/media-types/";
/// Prefix of the EU file-type authority table.
const EU_FILE_TYPES: &str = "http://publications.europa.eu/resource/authority/file-type/";

/// The catalog itself: the portal's open-data section.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CatalogInfo {
    /// URI of the catalog, e.g. `https://opendata.example.ru/catalog`.
    pub id: String,
    /// Title (Russian).
    pub title: String,
    /// Description (Russian).
    pub description: String,
    /// URI of the publishing organisation.
    pub publisher_id: String,
    /// Name of the publishing organisation (Russian).
    pub publisher_name: String,
    /// Home page of the portal.
    pub homepage: String,
}

/// One file of a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DcatDistribution {
    /// Page from which the file can be reached (the dataset folder); required by DCAT-AP.
    pub access_url: String,
    /// Direct URL of the file; also the distribution's URI.
    pub download_url: String,
    /// File format.
    pub format: Format,
    /// URI of the licence, e.g. `http://creativecommons.org/licenses/by/4.0/`.
    pub license: String,
}

/// One dataset of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DcatDataset {
    /// URI of the dataset (its folder URL without the final slash).
    pub id: String,
    /// v3.0 identifier `<ИНН>-<код>`.
    pub identifier: String,
    /// Title (Russian).
    pub title: String,
    /// Description (Russian).
    pub description: String,
    /// Keywords (Russian), one literal each.
    pub keywords: Vec<String>,
    /// Date of first publication.
    pub issued: NaiveDate,
    /// Date of the last change.
    pub modified: NaiveDate,
    /// Name of the responsible person.
    pub contact_name: String,
    /// E-mail of the responsible person (without `mailto:`).
    pub contact_email: String,
    /// Files of the dataset.
    pub distributions: Vec<DcatDistribution>,
}

impl DcatDataset {
    /// Maps a passport (reference §3.1): identifier, title, description, keywords,
    /// created → issued, modified, publisher → contact point, and one distribution per
    /// requested format of the latest data version (the portal writes every format of a
    /// version), licensed under `license`.
    pub fn from_passport(
        base_url: &str,
        passport: &Passport,
        formats: &[Format],
        license: &str,
    ) -> DcatDataset {
        let folder = dataset_url(base_url, &passport.identifier);
        let distributions = passport
            .latest_data_version()
            .map(|latest| {
                formats
                    .iter()
                    .map(|&format| DcatDistribution {
                        access_url: folder.clone(),
                        download_url: format!(
                            "{folder}{}",
                            data_file_name(latest.version, latest.structure, format)
                        ),
                        format,
                        license: license.to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        DcatDataset {
            id: folder.trim_end_matches('/').to_owned(),
            identifier: passport.identifier.clone(),
            title: passport.title.clone(),
            description: passport.description.clone(),
            keywords: passport.subject.clone(),
            issued: passport.created,
            modified: passport.modified,
            contact_name: passport.publisher_name.clone(),
            contact_email: passport.publisher_mbox.clone(),
            distributions,
        }
    }
}

/// `@context` prefixes.
#[derive(Serialize)]
struct Context {
    dcat: &'static str,
    dct: &'static str,
    foaf: &'static str,
    vcard: &'static str,
    xsd: &'static str,
}

const CONTEXT: Context = Context {
    dcat: "http://www.w3.org/ns/dcat#",
    dct: "http://purl.org/dc/terms/",
    foaf: "http://xmlns.com/foaf/0.1/",
    vcard: "http://www.w3.org/2006/vcard/ns#",
    xsd: "http://www.w3.org/2001/XMLSchema#",
};

/// A literal with a language tag.
#[derive(Serialize)]
struct LangString<'a> {
    #[serde(rename = "@value")]
    value: &'a str,
    #[serde(rename = "@language")]
    language: &'static str,
}

fn ru(value: &str) -> LangString<'_> {
    LangString {
        value,
        language: LANGUAGE,
    }
}

/// An `xsd:date` literal.
#[derive(Serialize)]
struct DateLiteral {
    #[serde(rename = "@value")]
    value: String,
    #[serde(rename = "@type")]
    kind: &'static str,
}

fn date(value: NaiveDate) -> DateLiteral {
    DateLiteral {
        value: iso_date(value),
        kind: "xsd:date",
    }
}

/// A link to a resource.
#[derive(Serialize)]
struct Ref {
    #[serde(rename = "@id")]
    id: String,
}

/// A link to a resource with its class stated.
#[derive(Serialize)]
struct TypedRef {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
}

/// `foaf:Agent` publishing the catalog.
#[derive(Serialize)]
struct Agent<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "foaf:name")]
    name: LangString<'a>,
}

/// The catalog document.
#[derive(Serialize)]
struct Catalog<'a> {
    #[serde(rename = "@context")]
    context: Context,
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dct:title")]
    title: LangString<'a>,
    #[serde(rename = "dct:description")]
    description: LangString<'a>,
    #[serde(rename = "dct:publisher")]
    publisher: Agent<'a>,
    #[serde(rename = "foaf:homepage")]
    homepage: TypedRef,
    #[serde(rename = "dcat:dataset")]
    datasets: Vec<Dataset<'a>>,
}

/// `vcard:Kind` contact point.
#[derive(Serialize)]
struct Contact<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "vcard:fn")]
    name: &'a str,
    #[serde(rename = "vcard:hasEmail")]
    email: Ref,
}

/// `dcat:Dataset`.
#[derive(Serialize)]
struct Dataset<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dct:identifier")]
    identifier: &'a str,
    #[serde(rename = "dct:title")]
    title: LangString<'a>,
    #[serde(rename = "dct:description")]
    description: LangString<'a>,
    #[serde(rename = "dcat:keyword")]
    keywords: Vec<LangString<'a>>,
    #[serde(rename = "dct:issued")]
    issued: DateLiteral,
    #[serde(rename = "dct:modified")]
    modified: DateLiteral,
    #[serde(rename = "dcat:contactPoint")]
    contact: Contact<'a>,
    #[serde(rename = "dcat:distribution")]
    distributions: Vec<Distribution<'a>>,
}

/// `dcat:Distribution`.
#[derive(Serialize)]
struct Distribution<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dcat:accessURL")]
    access_url: Ref,
    #[serde(rename = "dcat:downloadURL")]
    download_url: Ref,
    #[serde(rename = "dcat:mediaType")]
    media_type: TypedRef,
    #[serde(rename = "dct:format")]
    format: TypedRef,
    #[serde(rename = "dct:license")]
    license: TypedRef,
}

fn link(id: &str) -> Ref {
    Ref { id: id.to_owned() }
}

fn typed(id: String, kind: &'static str) -> TypedRef {
    TypedRef { id, kind }
}

/// `catalog.jsonld`: the catalog with all its datasets, in the shape of the reference's
/// conforming example.
pub fn dcat_catalog_jsonld(catalog: &CatalogInfo, datasets: &[DcatDataset]) -> String {
    let doc = Catalog {
        context: CONTEXT,
        id: &catalog.id,
        kind: "dcat:Catalog",
        title: ru(&catalog.title),
        description: ru(&catalog.description),
        publisher: Agent {
            id: &catalog.publisher_id,
            kind: "foaf:Agent",
            name: ru(&catalog.publisher_name),
        },
        homepage: typed(catalog.homepage.clone(), "foaf:Document"),
        datasets: datasets
            .iter()
            .map(|d| Dataset {
                id: &d.id,
                kind: "dcat:Dataset",
                identifier: &d.identifier,
                title: ru(&d.title),
                description: ru(&d.description),
                keywords: d.keywords.iter().map(|k| ru(k)).collect(),
                issued: date(d.issued),
                modified: date(d.modified),
                contact: Contact {
                    kind: "vcard:Kind",
                    name: &d.contact_name,
                    email: link(&format!("mailto:{}", d.contact_email)),
                },
                distributions: d
                    .distributions
                    .iter()
                    .map(|x| Distribution {
                        id: &x.download_url,
                        kind: "dcat:Distribution",
                        access_url: link(&x.access_url),
                        download_url: link(&x.download_url),
                        media_type: typed(
                            format!("{IANA_MEDIA_TYPES}{}", x.format.media_type()),
                            "dct:MediaType",
                        ),
                        format: typed(
                            format!("{EU_FILE_TYPES}{}", x.format.eu_file_type()),
                            "dct:MediaTypeOrExtent",
                        ),
                        license: typed(x.license.clone(), "dct:LicenseDocument"),
                    })
                    .collect(),
            })
            .collect(),
    };
    pretty_json(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opendata::format::passport::DataVersion;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn passport() -> Passport {
        Passport {
            identifier: "2309000000-stops".into(),
            title: "Остановки".into(),
            description: "Остановки общественного транспорта".into(),
            creator: "Департамент транспорта".into(),
            publisher_name: "Петров Пётр".into(),
            publisher_phone: "+78612000000".into(),
            publisher_mbox: "petrov@krasnodar.ru".into(),
            subject: vec!["транспорт".into(), "остановки".into()],
            created: d(2020, 1, 15),
            modified: d(2024, 3, 1),
            provenance: "Обновление".into(),
            valid: d(2024, 6, 1),
            format: Format::Csv,
            data_versions: vec![
                DataVersion {
                    version: d(2024, 3, 1),
                    structure: d(2020, 1, 15),
                    provenance: "Обновление".into(),
                    valid: d(2024, 6, 1),
                },
                DataVersion {
                    version: d(2020, 1, 15),
                    structure: d(2020, 1, 15),
                    provenance: "Первая публикация".into(),
                    valid: d(2020, 6, 1),
                },
            ],
            structure_versions: vec![d(2020, 1, 15)],
        }
    }

    #[test]
    fn dataset_from_passport() {
        let ds = DcatDataset::from_passport(
            "https://opendata.krasnodar.ru/opendata/",
            &passport(),
            &[Format::Csv, Format::Json],
            "http://creativecommons.org/licenses/by/4.0/",
        );
        assert_eq!(
            ds.id,
            "https://opendata.krasnodar.ru/opendata/2309000000-stops"
        );
        assert_eq!(ds.issued, d(2020, 1, 15));
        assert_eq!(ds.keywords.len(), 2);
        assert_eq!(ds.distributions.len(), 2);
        assert_eq!(
            ds.distributions[1].download_url,
            "https://opendata.krasnodar.ru/opendata/2309000000-stops/data-20240301-structure-20200115.json"
        );
        assert_eq!(
            ds.distributions[0].access_url,
            "https://opendata.krasnodar.ru/opendata/2309000000-stops/"
        );
    }

    #[test]
    fn passport_without_versions_has_no_distributions() {
        let mut p = passport();
        p.data_versions.clear();
        let ds = DcatDataset::from_passport("https://e.ru/opendata", &p, &[Format::Csv], "x");
        assert!(ds.distributions.is_empty());
    }

    #[test]
    fn catalog_types_and_vocabularies() {
        let ds = DcatDataset::from_passport(
            "https://e.ru/opendata",
            &passport(),
            &[Format::Xml],
            "http://creativecommons.org/licenses/by/4.0/",
        );
        let info = CatalogInfo {
            id: "https://e.ru/catalog".into(),
            title: "Каталог".into(),
            description: "Описание".into(),
            publisher_id: "https://e.ru/org/2309000000".into(),
            publisher_name: "Администрация".into(),
            homepage: "https://e.ru/".into(),
        };
        let doc: serde_json::Value =
            serde_json::from_str(&dcat_catalog_jsonld(&info, &[ds])).expect("valid JSON");
        let dist = &doc["dcat:dataset"][0]["dcat:distribution"][0];
        assert_eq!(
            dist["dcat:mediaType"]["@id"],
            "http://www.iana.org/assignments/media-types/application/xml"
        );
        assert_eq!(
            dist["dct:format"]["@id"],
            "http://publications.europa.eu/resource/authority/file-type/XML"
        );
        assert_eq!(dist["dct:license"]["@type"], "dct:LicenseDocument");
        assert_eq!(
            doc["dcat:dataset"][0]["dcat:contactPoint"]["vcard:hasEmail"]["@id"],
            "mailto:petrov@krasnodar.ru"
        );
        assert_eq!(doc["dcat:dataset"][0]["dct:issued"]["@value"], "2020-01-15");
        assert_eq!(doc["foaf:homepage"]["@type"], "foaf:Document");
    }
}
