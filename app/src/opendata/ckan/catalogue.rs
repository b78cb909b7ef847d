//! The catalogue as CKAN sees it: each published dataset a package named by its
//! identifier, its creator an organisation, the files of its newest version resources.
//! Ids are UUIDs derived from names that never change (the identifier, the creator, the
//! file's role), so a harvester that keys on them keeps its records across publications.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use serde_json::{Value, json};

use super::super::format::{
    Format, STANDARD_VERSION_URL, StructureFormat, data_file_name, structure_file_name,
    transliterate,
};
use super::super::model::{DatasetInfo, VersionInfo};
use super::super::model::{LICENSE, LICENSE_TITLE};
use super::super::queries::{Datasets, LatestVersion};
use super::search::SearchDoc;
use platform::db::{self, DbPool};
use platform::error::AppError;

/// The namespace of every id this API derives: UUID v5 of
/// `urn:open-region:opendata:ckan` in the URL namespace of RFC 9562 (pinned by a test).
const NAMESPACE: [u8; 16] = [
    0x89, 0xad, 0xbd, 0xd5, 0xeb, 0x68, 0x5a, 0x0a, 0x9c, 0x00, 0x2a, 0xfa, 0x81, 0xec, 0xcd, 0x2e,
];

/// CKAN's licence id for Creative Commons Attribution: harvesters map licences by it.
pub(super) const LICENSE_ID: &str = "cc-by";

/// UUID version 5 (RFC 9562 §5.5: SHA-1 of namespace and name) of `name`, lowercase and
/// hyphenated.
pub(super) fn uuid_v5(namespace: &[u8; 16], name: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::from_bytes(*namespace), name.as_bytes()).to_string()
}

/// The id of the thing called `name` in this API's namespace.
fn portal_id(name: &str) -> String {
    uuid_v5(&NAMESPACE, name)
}

/// A time as CKAN writes it: ISO 8601 with microseconds and no zone, in UTC.
pub(super) fn ckan_time(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// A CKAN name (`[a-z0-9_-]{2,100}`) for an organisation: its name transliterated, runs
/// of anything else one hyphen. A name with nothing Latin or digits left gets a name from
/// its id, so every organisation has one.
pub(super) fn organization_slug(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in transliterate(title).chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    // Only ASCII was pushed, so any byte length is a character boundary.
    slug.truncate(100);
    let slug = slug.trim_end_matches('-');
    if slug.len() >= 2 {
        slug.to_string()
    } else {
        format!(
            "org-{}",
            &portal_id(&format!("organization-title:{title}"))[..8]
        )
    }
}

/// A keyword as a CKAN tag name: CKAN accepts only letters, digits, spaces, `-`, `_` and
/// `.`, 2 to 100 characters, and a harvester that copies a tag it would refuse fails the
/// whole dataset. Anything else becomes a space; a keyword with too little left is none.
pub(super) fn tag_name(keyword: &str) -> Option<String> {
    let cleaned: String = keyword
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.') {
                c
            } else {
                ' '
            }
        })
        .collect();
    let name: String = cleaned
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(100)
        .collect();
    let name = name.trim_end().to_string();
    (name.chars().count() >= 2).then_some(name)
}

/// What a resource of a package is: one of the newest version's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ResourceKind {
    /// The data file in a format; the CSV one is the datastore's table.
    Data(Format),
    /// The structure file (CSV) that describes the columns.
    Structure,
}

impl ResourceKind {
    /// Every resource of a package, in position order.
    pub const ALL: [ResourceKind; 4] = [
        ResourceKind::Data(Format::Csv),
        ResourceKind::Data(Format::Xml),
        ResourceKind::Data(Format::Json),
        ResourceKind::Structure,
    ];

    /// The role's name in the resource's id: the same role keeps its id from version to
    /// version, as a CKAN resource keeps its id when its file is replaced.
    fn role(self) -> &'static str {
        match self {
            ResourceKind::Data(Format::Csv) => "data.csv",
            ResourceKind::Data(Format::Xml) => "data.xml",
            ResourceKind::Data(Format::Json) => "data.json",
            ResourceKind::Structure => "structure.csv",
        }
    }

    /// Whether the datastore serves this resource's rows.
    pub fn datastore_active(self) -> bool {
        self == ResourceKind::Data(Format::Csv)
    }
}

/// An organisation: the creator named in datasets' passports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Organization {
    /// UUID from the name.
    pub id: String,
    /// The CKAN name (see [`organization_slug`]).
    pub name: String,
    /// The creator as the first of its datasets (by name) spells it.
    pub title: String,
    /// When its first dataset was defined.
    pub created: NaiveDateTime,
    /// How many published datasets it has.
    pub package_count: usize,
}

/// A published dataset.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Package {
    /// UUID from the name.
    pub id: String,
    /// The identifier, lowercase.
    pub name: String,
    /// The passport.
    pub info: DatasetInfo,
    /// The newest version.
    pub latest: VersionInfo,
    /// When the first version was published.
    pub first_published: NaiveDateTime,
    /// Index of its organisation in [`Catalogue::organizations`].
    pub organization: usize,
    /// Tag names from the keywords.
    pub tags: Vec<String>,
}

impl Package {
    /// When the package last changed: its passport or its newest version.
    pub fn metadata_modified(&self) -> NaiveDateTime {
        self.info.updated_at.max(self.latest.published_at)
    }

    /// When the package was created: the dataset's definition.
    pub fn metadata_created(&self) -> NaiveDateTime {
        self.info.created_at
    }

    /// The id of its resource of `kind`.
    pub fn resource_id(&self, kind: ResourceKind) -> String {
        portal_id(&format!("resource:{}:{}", self.name, kind.role()))
    }
}

/// Every published dataset and organisation, as CKAN's actions read them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Catalogue {
    /// Packages by name.
    pub packages: Vec<Package>,
    /// Organisations by name.
    pub organizations: Vec<Organization>,
}

impl Catalogue {
    /// Reads the catalogue in two queries, whatever the number of datasets.
    pub async fn load(pool: &DbPool) -> Result<Self, AppError> {
        db::run(pool, |mut conn| async move {
            let datasets = Datasets::all(&mut conn).await?;
            let latest = Datasets::latest_versions(&mut conn).await?;
            Ok(Self::from_parts(datasets, latest))
        })
        .await
    }

    /// The catalogue of `datasets` with their newest versions. A dataset with no
    /// published version has no files yet: like a CKAN draft it is not in the API.
    pub fn from_parts(datasets: Vec<DatasetInfo>, latest: Vec<LatestVersion>) -> Self {
        let mut latest: HashMap<_, _> = latest.into_iter().map(|v| (v.dataset, v)).collect();
        let mut packages: Vec<Package> = datasets
            .into_iter()
            .filter_map(|info| {
                let newest = latest.remove(&info.id)?;
                let name = info.identifier.to_lowercase();
                let tags = info.subject.iter().filter_map(|k| tag_name(k)).collect();
                Some(Package {
                    id: portal_id(&format!("package:{name}")),
                    name,
                    latest: newest.version,
                    first_published: newest.first_published,
                    organization: 0,
                    tags,
                    info,
                })
            })
            .collect();
        packages.sort_by(|a, b| a.name.cmp(&b.name));
        // Organisations by name; the first package (by name) of each gives its title.
        let slugs: Vec<String> = packages
            .iter()
            .map(|package| organization_slug(&package.info.creator))
            .collect();
        let mut by_name: BTreeMap<&str, Organization> = BTreeMap::new();
        for (package, slug) in packages.iter().zip(&slugs) {
            let organization = by_name.entry(slug).or_insert_with(|| Organization {
                id: portal_id(&format!("organization:{slug}")),
                name: slug.clone(),
                title: package.info.creator.clone(),
                created: package.info.created_at,
                package_count: 0,
            });
            organization.package_count += 1;
            organization.created = organization.created.min(package.info.created_at);
        }
        let organizations: Vec<Organization> = by_name.into_values().collect();
        for (package, slug) in packages.iter_mut().zip(&slugs) {
            package.organization = organizations
                .iter()
                .position(|org| &org.name == slug)
                .unwrap_or_default();
        }
        Self {
            packages,
            organizations,
        }
    }

    /// The package whose name or id is `name_or_id`.
    pub fn package(&self, name_or_id: &str) -> Option<&Package> {
        let wanted = name_or_id.trim().to_lowercase();
        self.packages
            .iter()
            .find(|package| package.name == wanted || package.id == wanted)
    }

    /// The organisation whose name or id is `name_or_id`.
    pub fn organization(&self, name_or_id: &str) -> Option<&Organization> {
        let wanted = name_or_id.trim().to_lowercase();
        self.organizations
            .iter()
            .find(|org| org.name == wanted || org.id == wanted)
    }

    /// The organisation of `package`.
    pub fn organization_of(&self, package: &Package) -> Option<&Organization> {
        self.organizations.get(package.organization)
    }

    /// The resource whose id is `id`: its package and kind.
    pub fn resource(&self, id: &str) -> Option<(&Package, ResourceKind)> {
        let wanted = id.trim().to_lowercase();
        self.packages.iter().find_map(|package| {
            ResourceKind::ALL
                .into_iter()
                .find(|&kind| package.resource_id(kind) == wanted)
                .map(|kind| (package, kind))
        })
    }

    /// What `package_search` may look at in `package`.
    pub fn search_doc(&self, package: &Package) -> SearchDoc {
        let info = &package.info;
        let organization = self.organization_of(package);
        let title_text = format!("{} {}", info.title.0, info.title.1).to_lowercase();
        let notes_text = format!("{} {}", info.description.0, info.description.1).to_lowercase();
        let maintainer_text = info.publisher_name.to_lowercase();
        let all_text = format!(
            "{} {} {} {} {} {} {}",
            package.name,
            title_text,
            notes_text,
            package.tags.join(" ").to_lowercase(),
            info.creator.to_lowercase(),
            maintainer_text,
            package.latest.provenance.to_lowercase(),
        );
        SearchDoc {
            id: package.id.clone(),
            name: package.name.clone(),
            title: info.title.0.clone(),
            title_text,
            notes_text,
            maintainer_text,
            all_text,
            tags: package.tags.clone(),
            organization: organization.map(|org| org.name.clone()).unwrap_or_default(),
            organization_title: organization
                .map(|org| org.title.clone())
                .unwrap_or_default(),
            owner_org: organization.map(|org| org.id.clone()).unwrap_or_default(),
            formats: ResourceKind::ALL
                .into_iter()
                .filter_map(|kind| match kind {
                    ResourceKind::Data(format) => Some(format.extension().to_uppercase()),
                    ResourceKind::Structure => None,
                })
                .collect(),
            license_id: LICENSE_ID.to_string(),
            modified: package.metadata_modified(),
            created: package.metadata_created(),
        }
    }

    /// CKAN's package dict of `package`; URLs start with `site` (`scheme://host`).
    pub fn package_dict(&self, package: &Package, site: &str) -> Value {
        let info = &package.info;
        let latest = &package.latest;
        let day = |date: chrono::NaiveDate| date.format("%Y%m%d").to_string();
        let tags: Vec<Value> = package
            .tags
            .iter()
            .map(|name| {
                json!({
                    "id": portal_id(&format!("tag:{name}")),
                    "name": name,
                    "display_name": name,
                    "state": "active",
                    "vocabulary_id": null,
                })
            })
            .collect();
        let resources: Vec<Value> = ResourceKind::ALL
            .into_iter()
            .map(|kind| self.resource_dict(package, kind, site))
            .collect();
        let organization = self.organization_of(package);
        let extras = [
            ("standardversion", STANDARD_VERSION_URL.to_string()),
            ("identifier", info.identifier.clone()),
            ("creator", info.creator.clone()),
            ("publisherphone", info.publisher_phone.clone()),
            ("created", day(package.first_published.date())),
            ("modified", day(latest.version)),
            ("valid", day(latest.valid_until)),
            ("provenance", latest.provenance.clone()),
            ("title_en", info.title.1.clone()),
            ("description_en", info.description.1.clone()),
        ];
        json!({
            "id": package.id,
            "name": package.name,
            "title": info.title.0,
            "notes": info.description.0,
            "type": "dataset",
            "state": "active",
            "private": false,
            "isopen": true,
            "license_id": LICENSE_ID,
            "license_title": LICENSE_TITLE,
            "license_url": LICENSE,
            "author": null,
            "author_email": null,
            "maintainer": info.publisher_name,
            "maintainer_email": info.publisher_mbox,
            "url": format!("{site}/opendata/{}", info.identifier),
            "version": day(latest.version),
            "metadata_created": ckan_time(package.metadata_created()),
            "metadata_modified": ckan_time(package.metadata_modified()),
            "creator_user_id": null,
            "owner_org": organization.map(|org| org.id.clone()),
            "organization": organization.map(package_organization_dict),
            "groups": [],
            "tags": tags,
            "num_tags": package.tags.len(),
            "extras": extras
                .into_iter()
                .map(|(key, value)| json!({"key": key, "value": value}))
                .collect::<Vec<_>>(),
            "resources": resources,
            "num_resources": ResourceKind::ALL.len(),
            "relationships_as_object": [],
            "relationships_as_subject": [],
        })
    }

    /// CKAN's resource dict of `package`'s resource of `kind`.
    pub fn resource_dict(&self, package: &Package, kind: ResourceKind, site: &str) -> Value {
        let latest = &package.latest;
        let (file, format, mimetype, resource_type, description) = match kind {
            ResourceKind::Data(format) => (
                data_file_name(latest.version, latest.structure, format),
                format,
                format.media_type(),
                "file",
                format!(
                    "Данные набора, версия от {}, структура от {} ({})",
                    latest.version.format("%d.%m.%Y"),
                    latest.structure.format("%d.%m.%Y"),
                    format.extension().to_uppercase()
                ),
            ),
            ResourceKind::Structure => (
                structure_file_name(latest.structure, StructureFormat::Csv),
                Format::Csv,
                Format::Csv.media_type(),
                "documentation",
                format!(
                    "Описание структуры набора, версия от {}",
                    latest.structure.format("%d.%m.%Y")
                ),
            ),
        };
        let position = ResourceKind::ALL
            .iter()
            .position(|&k| k == kind)
            .unwrap_or_default();
        json!({
            "id": package.resource_id(kind),
            "package_id": package.id,
            "position": position,
            "name": file,
            "description": description,
            "url": format!("{site}/opendata/{}/{file}", package.info.identifier),
            "format": format.extension().to_uppercase(),
            "mimetype": mimetype,
            "mimetype_inner": null,
            // Data files are generated while they stream: their size is not known ahead.
            "size": null,
            "hash": "",
            "created": ckan_time(package.first_published),
            "last_modified": ckan_time(latest.published_at),
            "metadata_modified": ckan_time(latest.published_at),
            "cache_url": null,
            "cache_last_updated": null,
            "resource_type": resource_type,
            "url_type": null,
            "state": "active",
            "datastore_active": kind.datastore_active(),
        })
    }

    /// CKAN's organisation dict (`organization_show`, `organization_list` with
    /// `all_fields`).
    pub fn organization_dict(&self, organization: &Organization) -> Value {
        let mut dict = organization_core(organization);
        if let Some(map) = dict.as_object_mut() {
            map.insert("package_count".into(), organization.package_count.into());
            map.insert("num_followers".into(), 0.into());
            for empty in ["extras", "groups", "tags", "users"] {
                map.insert(empty.into(), json!([]));
            }
        }
        dict
    }
}

/// The keys every organisation dict has.
fn organization_core(organization: &Organization) -> Value {
    json!({
        "id": organization.id,
        "name": organization.name,
        "title": organization.title,
        "display_name": organization.title,
        "type": "organization",
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(organization.created),
        "is_organization": true,
        "approval_status": "approved",
        "state": "active",
    })
}

/// The organisation as a package dict embeds it. udata-ckan (data.gouv.fr's harvester)
/// validates this dict with every key required, including `revision_id` and
/// `revision_timestamp` of CKAN 2.8 and earlier, and refuses the whole dataset without
/// them: they are sent here (a revision id is empty, as there are no revisions) rather
/// than an organisation of `null`, which would lose the publisher for every harvester.
fn package_organization_dict(organization: &Organization) -> Value {
    let mut dict = organization_core(organization);
    if let Some(map) = dict.as_object_mut() {
        map.insert("revision_id".into(), "".into());
        map.insert(
            "revision_timestamp".into(),
            ckan_time(organization.created).into(),
        );
    }
    dict
}

#[cfg(test)]
pub(super) mod tests {
    use chrono::NaiveDate;

    use super::super::super::model::{DatasetId, DatasetSource, DatasetVersionId};
    use super::*;

    /// A passport for the tests.
    pub fn info(id: u64, identifier: &str, creator: &str, subject: &[&str]) -> DatasetInfo {
        let at = |day| {
            NaiveDate::from_ymd_opt(2026, 1, day)
                .and_then(|d| d.and_hms_opt(8, 0, 0))
                .unwrap_or_default()
        };
        DatasetInfo {
            id: DatasetId(id),
            identifier: identifier.into(),
            source: DatasetSource::Live,
            title: (format!("Набор {id}"), format!("Dataset {id}")),
            description: (format!("Описание {id}"), format!("Description {id}")),
            creator: creator.into(),
            subject: subject.iter().map(|s| s.to_string()).collect(),
            publisher_name: "Иванова Анна".into(),
            publisher_phone: "+78612000000".into(),
            publisher_mbox: "opendata@example.ru".into(),
            created_at: at(1),
            updated_at: at(2),
        }
    }

    /// A newest version of dataset `id`, published on `day` of March 2026.
    pub fn latest(id: u64, day: u32) -> LatestVersion {
        let date = NaiveDate::from_ymd_opt(2026, 3, day).unwrap_or_default();
        LatestVersion {
            dataset: DatasetId(id),
            version: VersionInfo {
                id: DatasetVersionId(id * 10),
                version: date,
                structure: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default(),
                provenance: "Изменение данных".into(),
                valid_until: date + chrono::Duration::days(30),
                row_count: 3,
                published_at: date.and_hms_opt(2, 30, 15).unwrap_or_default(),
            },
            first_published: NaiveDate::from_ymd_opt(2026, 2, 1)
                .and_then(|d| d.and_hms_opt(2, 0, 0))
                .unwrap_or_default(),
        }
    }

    /// Three published datasets of two creators, and one never published.
    pub fn catalogue() -> Catalogue {
        Catalogue::from_parts(
            vec![
                info(
                    1,
                    "2308000007-municipalities",
                    "Администрация Краснодарского края",
                    &["территория", "районы"],
                ),
                info(
                    2,
                    "2308000007-Problem-themes",
                    "Администрация Краснодарского края",
                    &["обращения граждан", "сроки"],
                ),
                info(
                    3,
                    "2309000000-schools",
                    "Министерство образования",
                    &["школы"],
                ),
                info(
                    4,
                    "2308000007-draft",
                    "Администрация Краснодарского края",
                    &[],
                ),
            ],
            vec![latest(1, 5), latest(2, 6), latest(3, 4)],
        )
    }

    #[test]
    fn uuid_v5_matches_rfc_9562_and_the_pinned_namespace() {
        let dns = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4,
            0x30, 0xc8,
        ];
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
        assert_eq!(
            uuid_v5(&dns, "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d"
        );
        let url = [
            0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4,
            0x30, 0xc8,
        ];
        let namespace = uuid_v5(&url, "urn:open-region:opendata:ckan");
        assert_eq!(namespace, "89adbdd5-eb68-5a0a-9c00-2afa81eccd2e");
        assert_eq!(namespace.replace('-', ""), hex::encode(NAMESPACE));
    }

    #[test]
    fn package_and_resource_ids_depend_only_on_names() {
        let first = catalogue();
        let package = first
            .package("2308000007-municipalities")
            .expect("published");
        // Python: uuid.uuid5(<namespace>, "package:2308000007-municipalities").
        assert_eq!(package.id, "98c8e5b8-a9af-5805-b42c-27b76a9bd532");
        // A newer version keeps the package's and the resources' ids.
        let newer = Catalogue::from_parts(
            vec![info(
                1,
                "2308000007-municipalities",
                "Администрация Краснодарского края",
                &[],
            )],
            vec![latest(1, 20)],
        );
        let again = &newer.packages[0];
        assert_eq!(again.id, package.id);
        for kind in ResourceKind::ALL {
            assert_eq!(again.resource_id(kind), package.resource_id(kind));
        }
        let ids: std::collections::HashSet<String> = ResourceKind::ALL
            .into_iter()
            .map(|kind| package.resource_id(kind))
            .collect();
        assert_eq!(ids.len(), 4, "each resource its own id");
    }

    #[test]
    fn times_are_in_ckan_format() {
        let at = NaiveDate::from_ymd_opt(2026, 3, 5)
            .and_then(|d| d.and_hms_micro_opt(2, 30, 15, 42))
            .expect("a time");
        assert_eq!(ckan_time(at), "2026-03-05T02:30:15.000042");
        let whole = NaiveDate::from_ymd_opt(2026, 3, 5)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("a time");
        assert_eq!(ckan_time(whole), "2026-03-05T00:00:00.000000");
    }

    #[test]
    fn organisations_and_tags_get_ckan_names() {
        assert_eq!(
            organization_slug("Администрация Краснодарского края"),
            "administratsiya-krasnodarskogo-kraya"
        );
        assert_eq!(
            organization_slug("  ГКУ «Центр» (г. Краснодар) "),
            "gku-tsentr-g-krasnodar"
        );
        let fallback = organization_slug("№");
        assert!(
            fallback.starts_with("org-") && fallback.len() == 12,
            "{fallback}"
        );
        assert_eq!(organization_slug(&"а".repeat(300)).len(), 100);
        assert_eq!(
            tag_name("обращения граждан").as_deref(),
            Some("обращения граждан")
        );
        assert_eq!(
            tag_name("ГИС/ЖКХ (реестр)").as_deref(),
            Some("ГИС ЖКХ реестр")
        );
        assert_eq!(tag_name(" ! "), None);
        assert_eq!(
            tag_name(&"б".repeat(150)).map(|t| t.chars().count()),
            Some(100)
        );
    }

    #[test]
    fn the_catalogue_holds_published_datasets_by_name_and_their_creators() {
        let catalogue = catalogue();
        let names: Vec<&str> = catalogue.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "2308000007-municipalities",
                "2308000007-problem-themes",
                "2309000000-schools"
            ],
            "by name, lowercase, the draft left out"
        );
        let orgs: Vec<(&str, usize)> = catalogue
            .organizations
            .iter()
            .map(|o| (o.name.as_str(), o.package_count))
            .collect();
        assert_eq!(
            orgs,
            [
                ("administratsiya-krasnodarskogo-kraya", 2),
                ("ministerstvo-obrazovaniya", 1)
            ]
        );
        let schools = catalogue.package("2309000000-SCHOOLS").expect("by name");
        assert_eq!(
            catalogue.organization_of(schools).map(|o| o.title.as_str()),
            Some("Министерство образования")
        );
        assert_eq!(
            catalogue.package(&schools.id).map(|p| &p.name),
            Some(&schools.name)
        );
        assert!(catalogue.package("2308000007-draft").is_none());
        let org = &catalogue.organizations[1];
        assert_eq!(catalogue.organization(&org.id), Some(org));
        assert_eq!(
            catalogue.organization("ministerstvo-obrazovaniya"),
            Some(org)
        );
        let csv = schools.resource_id(ResourceKind::Data(Format::Csv));
        assert_eq!(
            catalogue
                .resource(&csv.to_uppercase())
                .map(|(p, k)| (&p.name, k)),
            Some((&schools.name, ResourceKind::Data(Format::Csv)))
        );
    }

    #[test]
    fn a_package_dict_has_the_keys_harvesters_require() {
        let catalogue = catalogue();
        let package = catalogue
            .package("2308000007-problem-themes")
            .expect("published");
        let dict = catalogue.package_dict(package, "https://portal.test");
        assert_eq!(dict["name"], "2308000007-problem-themes");
        assert_eq!(dict["title"], "Набор 2");
        assert_eq!(dict["license_id"], "cc-by");
        assert_eq!(dict["license_url"], LICENSE);
        assert_eq!(
            dict["url"],
            "https://portal.test/opendata/2308000007-Problem-themes"
        );
        assert_eq!(dict["version"], "20260306");
        assert_eq!(dict["metadata_created"], "2026-01-01T08:00:00.000000");
        assert_eq!(dict["metadata_modified"], "2026-03-06T02:30:15.000000");
        assert_eq!(dict["maintainer_email"], "opendata@example.ru");
        assert_eq!(
            dict["organization"]["name"],
            "administratsiya-krasnodarskogo-kraya"
        );
        assert_eq!(dict["organization"]["revision_id"], "");
        assert_eq!(dict["owner_org"], dict["organization"]["id"]);
        assert_eq!(dict["tags"][0]["name"], "обращения граждан");
        assert_eq!(dict["num_tags"], 2);
        let extras = dict["extras"].as_array().expect("extras");
        assert!(extras.contains(&json!({"key": "valid", "value": "20260405"})));
        assert!(extras.contains(
            &json!({"key": "standardversion", "value": "http://opendata.gosmonitor.ru/standard/3.0"})
        ));
        let resources = dict["resources"].as_array().expect("resources");
        assert_eq!(resources.len(), 4);
        let csv = &resources[0];
        assert_eq!(csv["format"], "CSV");
        assert_eq!(csv["mimetype"], "text/csv");
        assert_eq!(csv["datastore_active"], true);
        assert_eq!(
            csv["url"],
            "https://portal.test/opendata/2308000007-Problem-themes/data-20260306-structure-20260201.csv"
        );
        assert_eq!(csv["package_id"], dict["id"]);
        assert_eq!(resources[1]["format"], "XML");
        assert_eq!(resources[2]["mimetype"], "application/json");
        assert_eq!(resources[2]["datastore_active"], false);
        assert_eq!(resources[3]["resource_type"], "documentation");
        assert_eq!(resources[3]["name"], "structure-20260201.csv");
        assert_eq!(resources[3]["position"], 3);
        for key in [
            "id",
            "name",
            "title",
            "notes",
            "license_id",
            "license_title",
            "tags",
            "metadata_created",
            "metadata_modified",
            "organization",
            "resources",
            "private",
            "type",
            "author",
            "author_email",
            "maintainer",
            "maintainer_email",
            "state",
        ] {
            assert!(dict.get(key).is_some(), "package lacks {key}");
        }
        for key in [
            "id",
            "position",
            "name",
            "description",
            "format",
            "mimetype",
            "size",
            "hash",
            "created",
            "last_modified",
            "url",
            "resource_type",
        ] {
            assert!(csv.get(key).is_some(), "resource lacks {key}");
        }
    }
}
