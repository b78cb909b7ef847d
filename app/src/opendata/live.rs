//! Live datasets: open data published from the portal's own tables.
//!
//! Each is a declaration: its passport texts, its columns and, for each column, the SQL
//! expression that fills it from the dataset's FROM clause. Publishing copies the rows
//! with one `INSERT ... SELECT` (see `queries::publish_live`), so a dataset of any size
//! moves inside the database, not through the server's memory. Adding a live dataset is
//! adding one entry to [`LIVE_DATASETS`]; the personal-data test checks its columns.

use chrono::NaiveDate;

use super::format::{Column, ColumnType, Structure};

/// One column of a live dataset.
#[derive(Debug, Clone, Copy)]
pub struct LiveColumn {
    /// Machine name (the CSV header, the XML element, the JSON key).
    pub name: &'static str,
    /// Description in English.
    pub english: &'static str,
    /// Description in Russian.
    pub russian: &'static str,
    /// Value type.
    pub kind: ColumnType,
    /// The SQL expression over the dataset's FROM clause. Dates must be DATE values and
    /// numbers numeric: `JSON_ARRAY` keeps their types.
    pub sql: &'static str,
}

/// A dataset published from the portal's tables.
#[derive(Debug, Clone, Copy)]
pub struct LiveDataset {
    /// The name of the definition (stored as `datasets.live_key`).
    pub key: &'static str,
    /// The identifier's code (`<INN>-<code>`).
    pub code: &'static str,
    /// Passport title, Russian and English.
    pub title: (&'static str, &'static str),
    /// Passport description, Russian and English.
    pub description: (&'static str, &'static str),
    /// Passport keywords.
    pub subject: &'static [&'static str],
    /// The columns, in order.
    pub columns: &'static [LiveColumn],
    /// Names of the latitude and longitude columns, when the rows have a place.
    pub coordinates: Option<(&'static str, &'static str)>,
    /// `FROM ... [WHERE ...]`: one row per record.
    pub from: &'static str,
    /// The order of the rows (an expression list; must be total, so versions compare).
    pub order_by: &'static str,
}

impl LiveDataset {
    /// The structure its columns make.
    pub fn structure(&self, version: NaiveDate) -> Structure {
        let columns: Vec<Column> = self
            .columns
            .iter()
            .map(|column| Column {
                name: column.name.to_string(),
                english: column.english.to_string(),
                russian: column.russian.to_string(),
                kind: column.kind,
            })
            .collect();
        let index = |name: &str| columns.iter().position(|column| column.name == name);
        let (latitude, longitude) = match self.coordinates {
            Some((lat, lon)) => (index(lat), index(lon)),
            None => (None, None),
        };
        Structure {
            version,
            columns,
            latitude,
            longitude,
        }
    }

    /// The statement that copies the rows into version `version_id`.
    pub fn copy_rows_sql(&self, version_id: u64) -> String {
        let cells: Vec<&str> = self.columns.iter().map(|column| column.sql).collect();
        format!(
            "INSERT INTO dataset_rows (version_id, row_no, cells) \
             SELECT {version_id}, ROW_NUMBER() OVER (ORDER BY {order}), JSON_ARRAY({cells}) \
             {from}",
            order = self.order_by,
            cells = cells.join(", "),
            from = self.from,
        )
    }

    /// The definition named `key`.
    pub fn find(key: &str) -> Option<&'static LiveDataset> {
        LIVE_DATASETS.iter().find(|dataset| dataset.key == key)
    }
}

const fn column(
    name: &'static str,
    english: &'static str,
    russian: &'static str,
    kind: ColumnType,
    sql: &'static str,
) -> LiveColumn {
    LiveColumn {
        name,
        english,
        russian,
        kind,
        sql,
    }
}

use ColumnType::{Date, Integer, Number, String as Text};

/// The month a problem was published in, for the datasets that count problems by month.
const PUBLICATION_MONTH: LiveColumn = column(
    "month",
    "Month of publication (first day)",
    "Месяц публикации (первое число)",
    Date,
    "DATE_FORMAT(p.published_at, '%Y-%m-01')",
);

/// Every live dataset, in catalogue order.
pub const LIVE_DATASETS: &[LiveDataset] = &[
    LiveDataset {
        key: "municipalities",
        code: "municipalities",
        title: (
            "Муниципальные образования Краснодарского края",
            "Municipalities of Krasnodar Krai",
        ),
        description: (
            "Городские округа и муниципальные районы края: наименования, вид, административный центр и его координаты.",
            "The city okrugs and municipal districts of the Krai: names, kind, administrative centre and its coordinates.",
        ),
        subject: &[
            "муниципальные образования",
            "территория",
            "районы",
            "городские округа",
        ],
        columns: &[
            column(
                "code",
                "Code (stable Latin identifier)",
                "Код",
                Text,
                "m.slug",
            ),
            column("name", "Name in Russian", "Наименование", Text, "m.name_ru"),
            column(
                "name_en",
                "Name in English",
                "Наименование на английском языке",
                Text,
                "m.name_en",
            ),
            column(
                "kind",
                "Kind: city_okrug or municipal_district",
                "Вид: городской округ (city_okrug) или муниципальный район (municipal_district)",
                Text,
                "m.kind",
            ),
            column(
                "centre",
                "Administrative centre",
                "Административный центр",
                Text,
                "m.centre_name_ru",
            ),
            column(
                "lat",
                "Latitude of the centre (WGS84)",
                "Широта центра (WGS84)",
                Number,
                "m.centre_lat",
            ),
            column(
                "lon",
                "Longitude of the centre (WGS84)",
                "Долгота центра (WGS84)",
                Number,
                "m.centre_lon",
            ),
        ],
        coordinates: Some(("lat", "lon")),
        from: "FROM municipalities m",
        order_by: "m.slug",
    },
    LiveDataset {
        key: "departments",
        code: "departments",
        title: (
            "Органы власти, отвечающие на обращения граждан",
            "Government bodies answering citizens' reports",
        ),
        description: (
            "Региональные и муниципальные органы власти, которым портал направляет сообщения о проблемах, с публичными контактами.",
            "Regional and municipal bodies the portal routes problem reports to, with their public contacts.",
        ),
        subject: &["органы власти", "контакты", "обращения граждан"],
        columns: &[
            column(
                "code",
                "Code (stable Latin identifier)",
                "Код",
                Text,
                "d.slug",
            ),
            column("name", "Name in Russian", "Наименование", Text, "d.name_ru"),
            column(
                "name_en",
                "Name in English",
                "Наименование на английском языке",
                Text,
                "d.name_en",
            ),
            column(
                "level",
                "Level: regional or municipal",
                "Уровень: региональный (regional) или муниципальный (municipal)",
                Text,
                "d.level",
            ),
            column(
                "municipality",
                "Municipality code, for municipal bodies",
                "Код муниципального образования (для муниципальных органов)",
                Text,
                "m.slug",
            ),
            column(
                "email",
                "Public contact e-mail",
                "Адрес электронной почты для обращений",
                Text,
                "d.email",
            ),
            column(
                "phone",
                "Public contact phone",
                "Телефон для обращений",
                Text,
                "d.phone",
            ),
        ],
        coordinates: None,
        from: "FROM departments d LEFT JOIN municipalities m ON m.id = d.municipality_id WHERE d.is_active",
        order_by: "d.slug",
    },
    LiveDataset {
        key: "themes",
        code: "problem-themes",
        title: ("Темы сообщений о проблемах", "Themes of problem reports"),
        description: (
            "Темы, по которым граждане сообщают о проблемах на портале, со сроком официальной реакции в днях.",
            "The themes citizens report problems under on the portal, with the days allowed for an official reaction.",
        ),
        subject: &["обращения граждан", "темы", "сроки"],
        columns: &[
            column(
                "code",
                "Code (the Open311 service_code)",
                "Код (service_code в Open311)",
                Text,
                "t.slug",
            ),
            column("name", "Name in Russian", "Наименование", Text, "t.name_ru"),
            column(
                "name_en",
                "Name in English",
                "Наименование на английском языке",
                Text,
                "t.name_en",
            ),
            column(
                "description",
                "What belongs to the theme",
                "Что относится к теме",
                Text,
                "t.description_ru",
            ),
            column(
                "reaction_days",
                "Days allowed for an official reaction",
                "Срок официальной реакции, дней",
                Integer,
                "t.reaction_days",
            ),
        ],
        coordinates: None,
        from: "FROM themes t WHERE t.is_active",
        order_by: "t.sort_order, t.slug",
    },
    LiveDataset {
        key: "constructions",
        code: "construction-registry",
        title: (
            "Реестр объектов капитального строительства",
            "Registry of permitted constructions",
        ),
        description: (
            "Объекты, на строительство которых выданы разрешения: застройщик, разрешение, назначение, этажность, площадь, сроки и состояние, с координатами.",
            "Constructions with building permits: developer, permit, use, floors, area, dates and status, with coordinates.",
        ),
        subject: &[
            "строительство",
            "разрешения на строительство",
            "застройщики",
            "градостроительство",
        ],
        columns: &[
            column(
                "registry_number",
                "Registry number",
                "Реестровый номер",
                Text,
                "c.registry_number",
            ),
            column(
                "object_name",
                "What is built",
                "Наименование объекта",
                Text,
                "c.object_name",
            ),
            column("address", "Address", "Адрес", Text, "c.address"),
            column(
                "municipality",
                "Municipality code",
                "Код муниципального образования",
                Text,
                "m.slug",
            ),
            column("lat", "Latitude (WGS84)", "Широта (WGS84)", Number, "c.lat"),
            column(
                "lon",
                "Longitude (WGS84)",
                "Долгота (WGS84)",
                Number,
                "c.lon",
            ),
            column(
                "developer",
                "Developer",
                "Застройщик",
                Text,
                "c.developer_name",
            ),
            column(
                "developer_inn",
                "Developer's INN",
                "ИНН застройщика",
                Text,
                "c.developer_inn",
            ),
            column(
                "permit_number",
                "Building permit number",
                "Номер разрешения на строительство",
                Text,
                "c.permit_number",
            ),
            column(
                "permit_date",
                "Building permit date",
                "Дата разрешения на строительство",
                Date,
                "c.permit_date",
            ),
            column(
                "permit_issuer",
                "Permit issued by",
                "Кем выдано разрешение",
                Text,
                "c.permit_issuer",
            ),
            column(
                "permitted_use",
                "Permitted use",
                "Разрешённое использование",
                Text,
                "c.permitted_use",
            ),
            column(
                "floors",
                "Floors above ground",
                "Этажность",
                Integer,
                "c.floors",
            ),
            column(
                "total_area_m2",
                "Total area, m²",
                "Общая площадь, м²",
                Number,
                "c.total_area_m2",
            ),
            column(
                "planned_completion",
                "Planned completion",
                "Плановый срок завершения",
                Date,
                "c.planned_completion",
            ),
            column(
                "status",
                "Status: permit_issued, under_construction, commissioned, suspended or revoked",
                "Состояние: выдано разрешение (permit_issued), строится (under_construction), введён в эксплуатацию (commissioned), приостановлено (suspended), разрешение отозвано (revoked)",
                Text,
                "c.status",
            ),
            column(
                "confirmed_violations",
                "Confirmed violations",
                "Подтверждённых нарушений",
                Integer,
                "c.violation_count",
            ),
        ],
        coordinates: Some(("lat", "lon")),
        from: "FROM constructions c JOIN municipalities m ON m.id = c.municipality_id",
        order_by: "c.registry_number",
    },
    LiveDataset {
        key: "construction-violations",
        code: "construction-violations",
        title: (
            "Подтверждённые нарушения при строительстве",
            "Confirmed construction violations",
        ),
        description: (
            "Сообщения граждан о незаконном строительстве, по которым проверка подтвердила нарушение: место, дата проверки, выводы и принятые меры.",
            "Citizens' reports of illegal construction that an inspection confirmed: place, inspection date, findings and measures taken.",
        ),
        subject: &[
            "строительство",
            "нарушения",
            "самовольное строительство",
            "контроль",
        ],
        columns: &[
            column(
                "report",
                "Report number on the portal",
                "Номер сообщения на портале",
                Integer,
                "r.id",
            ),
            column(
                "kind",
                "not_in_registry or differs_from_permit",
                "Не в реестре (not_in_registry) или не соответствует разрешению (differs_from_permit)",
                Text,
                "r.kind",
            ),
            column(
                "registry_number",
                "Registry number of the construction, if registered",
                "Реестровый номер объекта, если он в реестре",
                Text,
                "c.registry_number",
            ),
            column(
                "municipality",
                "Municipality code",
                "Код муниципального образования",
                Text,
                "m.slug",
            ),
            column("address", "Address", "Адрес", Text, "r.address"),
            column("lat", "Latitude (WGS84)", "Широта (WGS84)", Number, "r.lat"),
            column(
                "lon",
                "Longitude (WGS84)",
                "Долгота (WGS84)",
                Number,
                "r.lon",
            ),
            column(
                "inspected_on",
                "Inspection date",
                "Дата проверки",
                Date,
                "r.verified_on",
            ),
            column(
                "findings",
                "Inspector's findings",
                "Выводы проверки",
                Text,
                "r.findings",
            ),
            column(
                "measures",
                "Measures taken",
                "Принятые меры",
                Text,
                "r.measures",
            ),
            column(
                "status",
                "violation_confirmed or measures_taken",
                "Нарушение подтверждено (violation_confirmed) или приняты меры (measures_taken)",
                Text,
                "r.status",
            ),
        ],
        coordinates: Some(("lat", "lon")),
        from: "FROM construction_reports r JOIN municipalities m ON m.id = r.municipality_id \
               LEFT JOIN constructions c ON c.id = r.construction_id \
               WHERE r.status IN ('violation_confirmed', 'measures_taken')",
        order_by: "r.id",
    },
    LiveDataset {
        key: "problems-by-month",
        code: "problems-by-month",
        title: (
            "Сообщения о проблемах по муниципалитетам, темам и месяцам",
            "Problem reports by municipality, theme and month",
        ),
        description: (
            "Число опубликованных сообщений граждан о проблемах и число решённых из них, по муниципальным образованиям, темам и месяцам публикации. Без персональных данных.",
            "Published citizens' problem reports and how many of them were resolved, by municipality, theme and month of publication. No personal data.",
        ),
        subject: &[
            "обращения граждан",
            "проблемы",
            "статистика",
            "городская среда",
        ],
        columns: &[
            PUBLICATION_MONTH,
            column(
                "municipality",
                "Municipality code",
                "Код муниципального образования",
                Text,
                "m.slug",
            ),
            column("theme", "Theme code", "Код темы", Text, "t.slug"),
            column(
                "reported",
                "Problems published",
                "Опубликовано сообщений",
                Integer,
                "COUNT(*)",
            ),
            column(
                "resolved",
                "Of those, resolved or closed",
                "Из них решено",
                Integer,
                "SUM(p.status IN ('resolved', 'closed'))",
            ),
        ],
        coordinates: None,
        from: "FROM problems p JOIN municipalities m ON m.id = p.municipality_id \
               JOIN themes t ON t.id = p.theme_id \
               WHERE p.published_at IS NOT NULL AND p.status NOT IN ('rejected', 'duplicate', 'moderation') \
               GROUP BY DATE_FORMAT(p.published_at, '%Y-%m-01'), m.slug, t.slug",
        order_by: "DATE_FORMAT(p.published_at, '%Y-%m-01'), m.slug, t.slug",
    },
    LiveDataset {
        key: "department-reactions",
        code: "department-reactions",
        title: (
            "Реакция органов власти на сообщения о проблемах по месяцам",
            "Government bodies' reactions to problem reports by month",
        ),
        description: (
            "Для каждого органа власти и месяца публикации: сколько сообщений получено, на сколько дана официальная реакция в срок, сколько просрочено и среднее время до первой реакции. Как на публичной странице органа; без персональных данных.",
            "For each government body and month of publication: reports received, reacted to on time, overdue, and the mean time to the first reaction. As on the body's public page; no personal data.",
        ),
        subject: &["обращения граждан", "органы власти", "сроки", "статистика"],
        columns: &[
            PUBLICATION_MONTH,
            column(
                "department",
                "Department code",
                "Код органа власти",
                Text,
                "d.slug",
            ),
            column(
                "received",
                "Problems received",
                "Получено сообщений",
                Integer,
                "COUNT(*)",
            ),
            column(
                "reacted_on_time",
                "Reacted to before the deadline",
                "Реакция дана в срок",
                Integer,
                "SUM(p.first_reaction_at IS NOT NULL AND (p.overdue_since IS NULL OR p.overdue_since > p.first_reaction_at))",
            ),
            column(
                "overdue",
                "Reacted to late, or not reacted to by the deadline",
                "Реакция с просрочкой или срок истёк без реакции",
                Integer,
                "SUM(IF(p.first_reaction_at IS NULL, p.overdue_since IS NOT NULL OR p.reaction_due_at < UTC_TIMESTAMP(), p.overdue_since IS NOT NULL AND p.overdue_since <= p.first_reaction_at))",
            ),
            column(
                "mean_reaction_hours",
                "Mean hours from publication to the first reaction",
                "Среднее время до первой реакции, часов",
                Number,
                "ROUND(AVG(TIMESTAMPDIFF(MINUTE, p.published_at, p.first_reaction_at)) / 60, 1)",
            ),
        ],
        coordinates: None,
        from: "FROM problems p JOIN departments d ON d.id = p.department_id \
               WHERE p.published_at IS NOT NULL AND p.status NOT IN ('rejected', 'duplicate', 'moderation') \
               GROUP BY DATE_FORMAT(p.published_at, '%Y-%m-01'), d.slug",
        order_by: "DATE_FORMAT(p.published_at, '%Y-%m-01'), d.slug",
    },
    LiveDataset {
        key: "initiatives",
        code: "lawmaking-initiatives",
        title: (
            "Законодательные инициативы граждан и органов власти",
            "Law-making initiatives of citizens and government bodies",
        ),
        description: (
            "Региональные и муниципальные инициативы, прошедшие модерацию: уровень, тема, ответственный орган, этап и его даты, поддержка и порог. Без персональных данных.",
            "Regional and municipal initiatives past moderation: level, theme, responsible body, stage and its dates, supports and threshold. No personal data.",
        ),
        subject: &[
            "законотворчество",
            "инициативы",
            "нормативные акты",
            "участие граждан",
        ],
        columns: &[
            column(
                "number",
                "Initiative number",
                "Номер инициативы",
                Integer,
                "i.id",
            ),
            column("title", "Title", "Название", Text, "i.title"),
            column(
                "level",
                "Level: regional or municipal",
                "Уровень: региональный (regional) или муниципальный (municipal)",
                Text,
                "IF(i.municipality_id IS NULL, 'regional', 'municipal')",
            ),
            column(
                "municipality",
                "Municipality code, for municipal initiatives",
                "Код муниципального образования (для муниципальных инициатив)",
                Text,
                "m.slug",
            ),
            column("theme", "Theme code", "Код темы", Text, "t.slug"),
            column(
                "department",
                "Responsible body code",
                "Код ответственного органа",
                Text,
                "d.slug",
            ),
            column(
                "stage",
                "Stage: concept, discussion, drafting, expertise, reaction, adopted, rejected, withdrawn or archived",
                "Этап: concept, discussion, drafting, expertise, reaction, adopted, rejected, withdrawn или archived",
                Text,
                "i.stage",
            ),
            column(
                "proposed_on",
                "Day proposed",
                "Дата предложения",
                Date,
                "DATE(i.created_at)",
            ),
            column(
                "stage_started_on",
                "Day the current stage began",
                "Дата начала текущего этапа",
                Date,
                "DATE(i.stage_started_at)",
            ),
            column(
                "stage_ends_on",
                "Published end of the current stage",
                "Объявленная дата окончания текущего этапа",
                Date,
                "DATE(i.stage_ends_at)",
            ),
            column(
                "supports",
                "Supports",
                "Поддержали",
                Integer,
                "i.support_count",
            ),
            column(
                "support_threshold",
                "Supports the concept needed",
                "Порог поддержки концепции",
                Integer,
                "i.support_threshold",
            ),
            column(
                "comment_count",
                "Comments",
                "Комментариев",
                Integer,
                "i.comment_count",
            ),
        ],
        coordinates: None,
        from: "FROM initiatives i JOIN themes t ON t.id = i.theme_id \
               LEFT JOIN municipalities m ON m.id = i.municipality_id \
               LEFT JOIN departments d ON d.id = i.department_id \
               WHERE i.stage NOT IN ('moderation', 'refused')",
        order_by: "i.id",
    },
    LiveDataset {
        key: "amendments",
        code: "lawmaking-amendments",
        title: (
            "Поправки граждан к проектам нормативных актов и решения по ним",
            "Citizens' amendments to draft regulations and what was decided",
        ),
        description: (
            "Каждая поправка к статье проекта: инициатива, статья и редакция, к которой она предложена, поддержка, решение ответственного органа (принята, принята частично, отклонена), его причина и редакция, в которую поправка вошла; поправка к изменённой позже статье — «устарела». Без персональных данных.",
            "Every amendment to an article of a draft: the initiative, the article and the version it amends, its supports, the responsible body's decision (accepted, partly accepted, rejected) with its reason and the version that took it in; an amendment to an article changed later is outdated. No personal data.",
        ),
        subject: &[
            "законотворчество",
            "поправки",
            "нормативные акты",
            "участие граждан",
        ],
        columns: &[
            column(
                "number",
                "Amendment number",
                "Номер поправки",
                Integer,
                "a.id",
            ),
            column(
                "initiative",
                "Initiative number",
                "Номер инициативы",
                Integer,
                "a.initiative_id",
            ),
            column(
                "article",
                "Article number (0: the preamble)",
                "Номер статьи (0 — преамбула)",
                Text,
                "a.article_label",
            ),
            column(
                "version",
                "Version of the text it amends",
                "Редакция текста, к которой предложена",
                Integer,
                "v.number",
            ),
            column(
                "status",
                "Status: open, accepted, partly_accepted, rejected or outdated",
                "Статус: open, accepted, partly_accepted, rejected или outdated",
                Text,
                "a.status",
            ),
            column(
                "reason",
                "The responsible body's reason",
                "Причина решения ответственного органа",
                Text,
                "a.reason",
            ),
            column(
                "taken_in_version",
                "Version that took it in",
                "Редакция, в которую вошла поправка",
                Integer,
                "tv.number",
            ),
            column(
                "supports",
                "Supports",
                "Поддержали",
                Integer,
                "a.support_count",
            ),
            column(
                "proposed_on",
                "Day proposed",
                "Дата предложения",
                Date,
                "DATE(a.created_at)",
            ),
            column(
                "decided_on",
                "Day decided or found outdated",
                "Дата решения или устаревания",
                Date,
                "DATE(a.decided_at)",
            ),
        ],
        coordinates: None,
        from: "FROM initiative_amendments a \
               JOIN initiative_versions v ON v.id = a.version_id \
               LEFT JOIN initiative_versions tv ON tv.id = a.taken_in_version_id",
        order_by: "a.id",
    },
    LiveDataset {
        key: "expert-remarks",
        code: "lawmaking-expert-remarks",
        title: (
            "Замечания экспертов к проектам нормативных актов и решения по ним",
            "Expert remarks on draft regulations and what was decided",
        ),
        description: (
            "Каждое замечание эксперта к статье проекта: инициатива, редакция на экспертизе, вывод заключения, категория (коррупциогенность, противоречие актам большей силы, юридическая техника, бюджет, регулирующее воздействие, другое), решение ответственного органа (учтено, учтено частично, отклонено), его причина и редакция, в которую замечание вошло. Без персональных данных.",
            "Every expert remark on an article of a draft: the initiative, the version under expertise, the conclusion's verdict, the category (corruption-prone wording, conflict with higher law, legal technique, budget, regulatory impact, other), the responsible body's decision (accepted, partly accepted, rejected) with its reason and the version that took it in. No personal data.",
        ),
        subject: &[
            "законотворчество",
            "экспертиза",
            "нормативные акты",
            "антикоррупционная экспертиза",
        ],
        columns: &[
            column(
                "number",
                "Remark number",
                "Номер замечания",
                Integer,
                "r.id",
            ),
            column(
                "initiative",
                "Initiative number",
                "Номер инициативы",
                Integer,
                "r.initiative_id",
            ),
            column(
                "article",
                "Article number (0: the preamble)",
                "Номер статьи (0 — преамбула)",
                Text,
                "r.article_label",
            ),
            column(
                "version",
                "Version under expertise",
                "Редакция на экспертизе",
                Integer,
                "v.number",
            ),
            column(
                "verdict",
                "The conclusion's verdict: support, support_with_remarks or reject",
                "Вывод заключения: support, support_with_remarks или reject",
                Text,
                "c.verdict",
            ),
            column(
                "category",
                "Category: corruption, higher_law, legal_technique, budget, regulatory or other",
                "Категория: corruption, higher_law, legal_technique, budget, regulatory или other",
                Text,
                "r.category",
            ),
            column("remark", "The remark", "Текст замечания", Text, "r.body"),
            column(
                "status",
                "Status: open, accepted, partly_accepted or rejected",
                "Статус: open, accepted, partly_accepted или rejected",
                Text,
                "r.status",
            ),
            column(
                "reason",
                "The responsible body's reason",
                "Причина решения ответственного органа",
                Text,
                "r.reason",
            ),
            column(
                "taken_in_version",
                "Version that took it in",
                "Редакция, в которую вошло замечание",
                Integer,
                "tv.number",
            ),
            column(
                "concluded_on",
                "Day the conclusion was published",
                "Дата заключения",
                Date,
                "DATE(c.created_at)",
            ),
            column(
                "decided_on",
                "Day decided",
                "Дата решения",
                Date,
                "DATE(r.decided_at)",
            ),
        ],
        coordinates: None,
        from: "FROM initiative_remarks r \
               JOIN initiative_conclusions c ON c.id = r.conclusion_id \
               JOIN initiative_versions v ON v.id = c.version_id \
               LEFT JOIN initiative_versions tv ON tv.id = r.taken_in_version_id",
        order_by: "r.id",
    },
    LiveDataset {
        key: "gov_services",
        code: "gov-services",
        title: (
            "Государственные и муниципальные услуги, которые граждане оценивают на портале",
            "Government services citizens rate on the portal",
        ),
        description: (
            "Каталог услуг, которые граждане оценивают по качеству, удобству и скорости: одна строка на услугу и её исполнителя (орган власти); услуга без исполнителей — одна строка без органа.",
            "The catalogue of services citizens rate on quality, convenience and speed: one row per service and provider (a government body); a service without providers is one row without a body.",
        ),
        subject: &["госуслуги", "оценка качества", "органы власти"],
        columns: &[
            column("code", "Service code", "Код услуги", Text, "g.slug"),
            column(
                "name",
                "Service name in Russian",
                "Наименование услуги",
                Text,
                "g.name_ru",
            ),
            column(
                "name_en",
                "Service name in English",
                "Наименование услуги на английском языке",
                Text,
                "g.name_en",
            ),
            column(
                "level",
                "Level: regional or municipal",
                "Уровень: regional или municipal",
                Text,
                "g.level",
            ),
            column(
                "description",
                "What the service is",
                "Описание услуги",
                Text,
                "g.description_ru",
            ),
            column(
                "department",
                "Code of the providing body (see the departments dataset)",
                "Код органа-исполнителя (см. набор органов власти)",
                Text,
                "d.slug",
            ),
            column(
                "status",
                "rated (open for rating) or closed",
                "rated — принимает оценки, closed — не принимает",
                Text,
                "IF(g.is_active AND o.is_active, 'rated', 'closed')",
            ),
        ],
        coordinates: None,
        from: "FROM gov_services g \
               LEFT JOIN service_offerings o ON o.service_id = g.id \
               LEFT JOIN departments d ON d.id = o.department_id",
        order_by: "g.slug, d.slug",
    },
    LiveDataset {
        key: "service_ranks",
        code: "gov-service-ranks",
        title: (
            "Ежемесячные рейтинги исполнителей госуслуг по оценкам граждан",
            "Monthly rankings of government service providers by citizens' ratings",
        ),
        description: (
            "Каждый месячный рейтинг, как он опубликован и больше не меняется: число оценок, средние по качеству, удобству и скорости, среднее услуги по краю (априорное), балл (байесовское среднее: (вес × среднее услуги + сумма средних оценок) / (вес + число оценок)) и места; место не присваивается при числе оценок меньше минимального. Вес, минимум и версия метода указаны в каждой строке.",
            "Every monthly ranking as it was published, never changed afterwards: the number of ratings, the means of quality, convenience and speed, the service's mean across the Krai (the prior), the score (a Bayesian average: (weight × service mean + sum of the ratings' means) / (weight + ratings)) and the ranks; no rank below the minimum count. The weight, the minimum and the method version are in every row.",
        ),
        subject: &["госуслуги", "рейтинг", "оценка качества"],
        columns: &[
            column(
                "month",
                "Month ranked (first day)",
                "Месяц рейтинга (первое число)",
                Date,
                "s.month",
            ),
            column(
                "code",
                "Service code (see the services dataset)",
                "Код услуги (см. набор услуг)",
                Text,
                "g.slug",
            ),
            column(
                "department",
                "Code of the providing body",
                "Код органа-исполнителя",
                Text,
                "d.slug",
            ),
            column(
                "ratings",
                "Ratings in the month",
                "Число оценок за месяц",
                Integer,
                "r.ratings",
            ),
            column(
                "mean_quality",
                "Mean quality, 1 to 5",
                "Среднее по качеству, от 1 до 5",
                Number,
                "ROUND(r.mean_quality, 4)",
            ),
            column(
                "mean_convenience",
                "Mean convenience, 1 to 5",
                "Среднее по удобству, от 1 до 5",
                Number,
                "ROUND(r.mean_convenience, 4)",
            ),
            column(
                "mean_speed",
                "Mean speed, 1 to 5",
                "Среднее по скорости, от 1 до 5",
                Number,
                "ROUND(r.mean_speed, 4)",
            ),
            column(
                "service_mean",
                "The service's mean across the Krai that month (the prior)",
                "Среднее услуги по краю за месяц (априорное)",
                Number,
                "ROUND(r.service_mean, 4)",
            ),
            column(
                "score",
                "Score (Bayesian average)",
                "Балл (байесовское среднее)",
                Number,
                "ROUND(r.score, 4)",
            ),
            column(
                "rank_in_service",
                "Rank among the service's providers; empty below the minimum count",
                "Место среди исполнителей услуги; пусто при малом числе оценок",
                Integer,
                "r.rank_in_service",
            ),
            column(
                "rank_overall",
                "Rank among all providers of all services; empty below the minimum count",
                "Место среди всех исполнителей; пусто при малом числе оценок",
                Integer,
                "r.rank_overall",
            ),
            column(
                "method_version",
                "Version of the method",
                "Версия метода",
                Integer,
                "s.method_version",
            ),
            column(
                "prior_weight",
                "Weight of the prior, in ratings",
                "Вес априорного среднего, в оценках",
                Integer,
                "s.prior_weight",
            ),
            column(
                "min_ratings",
                "Fewest ratings for a rank",
                "Минимальное число оценок для места",
                Integer,
                "s.min_ratings",
            ),
        ],
        coordinates: None,
        from: "FROM service_rank_rows r \
               JOIN service_rank_snapshots s ON s.id = r.snapshot_id \
               JOIN service_offerings o ON o.id = r.offering_id \
               JOIN gov_services g ON g.id = o.service_id \
               JOIN departments d ON d.id = o.department_id",
        order_by: "s.month, g.slug, d.slug",
    },
    LiveDataset {
        key: "priorities",
        code: "development-priorities",
        title: (
            "Приоритеты развития края и муниципалитетов, за которые голосуют граждане",
            "Development priorities of the region and the municipalities citizens vote for",
        ),
        description: (
            "Каталог приоритетов развития, открытых для голосования или с закрытым голосованием: региональные (муниципалитет пуст) и муниципальные. Предложения граждан попадают сюда после модерации.",
            "The catalogue of development priorities open for voting or with the voting closed: regional ones (empty municipality) and municipal ones. Citizens' proposals appear here once moderated.",
        ),
        subject: &["приоритеты развития", "голосование", "муниципалитеты"],
        columns: &[
            column(
                "number",
                "Priority number",
                "Номер приоритета",
                Integer,
                "p.id",
            ),
            column("title", "Title", "Название", Text, "p.title"),
            column(
                "description",
                "Description",
                "Описание",
                Text,
                "p.description",
            ),
            column(
                "level",
                "regional or municipal",
                "regional — краевой, municipal — муниципальный",
                Text,
                "IF(p.municipality_id IS NULL, 'regional', 'municipal')",
            ),
            column(
                "municipality",
                "Municipality code (see the municipalities dataset); empty for a regional priority",
                "Код муниципалитета (см. набор муниципалитетов); пусто для краевого приоритета",
                Text,
                "COALESCE(m.slug, '')",
            ),
            column("theme", "Theme code", "Код темы", Text, "t.slug"),
            column("lat", "Latitude (WGS84)", "Широта (WGS84)", Number, "p.lat"),
            column(
                "lon",
                "Longitude (WGS84)",
                "Долгота (WGS84)",
                Number,
                "p.lon",
            ),
            column(
                "status",
                "open (voting) or closed",
                "open — идёт голосование, closed — голосование закрыто",
                Text,
                "p.status",
            ),
            column(
                "proposed_on",
                "Date it was proposed or added",
                "Дата предложения или добавления",
                Date,
                "DATE(p.created_at)",
            ),
        ],
        coordinates: Some(("lat", "lon")),
        from: "FROM priorities p \
               JOIN themes t ON t.id = p.theme_id \
               LEFT JOIN municipalities m ON m.id = p.municipality_id \
               WHERE p.status IN ('open', 'closed')",
        order_by: "p.id",
    },
    LiveDataset {
        key: "priority_ranks",
        code: "priority-ranks",
        title: (
            "Ежеквартальные рейтинги приоритетов развития по голосам граждан: край и 44 муниципалитета",
            "Quarterly rankings of development priorities by citizens' votes: the region and its 44 municipalities",
        ),
        description: (
            "Каждый квартальный рейтинг, как он опубликован и больше не меняется: для края и каждого муниципалитета, где голосовали, — голоса за приоритет (голос учитывается в муниципалитете проживания голосовавшего на момент голосования), доля проголосовавших, место по голосам (пусто, если проголосовавших меньше минимума) и место в прошлом квартале; для края также взвешенная доля (сумма долей в муниципалитетах, где проголосовавших не меньше минимума, умноженных на долю их населения) и взвешенное место. Число проголосовавших, население и вес муниципалитета, версия метода, число голосов на человека и минимум указаны в каждой строке.",
            "Every quarterly ranking as it was published, never changed afterwards: for the region and each municipality where people voted, a priority's votes (a vote counts in the voter's home municipality when voting), the share of voters, the rank by votes (empty below the minimum number of voters) and the previous quarter's rank; for the region also the weighted share (the sum of the shares in the municipalities with at least the minimum of voters, each times its part of their population) and the weighted rank. The voters, population and weight of the municipality, the method version, the votes per person and the minimum are in every row.",
        ),
        subject: &["приоритеты развития", "рейтинг", "голосование"],
        columns: &[
            column(
                "quarter",
                "Quarter ranked (its first day)",
                "Квартал рейтинга (первый день)",
                Date,
                "s.quarter",
            ),
            column(
                "level",
                "region (the whole Krai) or municipality",
                "region — весь край, municipality — муниципалитет",
                Text,
                "IF(r.scope_id = 0, 'region', 'municipality')",
            ),
            column(
                "municipality",
                "Municipality code; empty for the region",
                "Код муниципалитета; пусто для края",
                Text,
                "COALESCE(m.slug, '')",
            ),
            column(
                "number",
                "Priority number (see the priorities dataset)",
                "Номер приоритета (см. набор приоритетов)",
                Integer,
                "r.priority_id",
            ),
            column(
                "title",
                "Priority title",
                "Название приоритета",
                Text,
                "p.title",
            ),
            column("votes", "Votes", "Голосов", Integer, "r.votes"),
            column(
                "share",
                "Share of the voters here who chose it",
                "Доля проголосовавших здесь, выбравших приоритет",
                Number,
                "ROUND(r.share, 6)",
            ),
            column(
                "rank",
                "Rank by votes; empty below the minimum number of voters",
                "Место по голосам; пусто, если проголосовавших меньше минимума",
                Integer,
                "r.vote_rank",
            ),
            column(
                "previous_rank",
                "Rank here in the previous quarter",
                "Место здесь в прошлом квартале",
                Integer,
                "r.previous_vote_rank",
            ),
            column(
                "weighted_share",
                "The region only: population-weighted share",
                "Только для края: доля, взвешенная по населению",
                Number,
                "ROUND(r.weighted_share, 6)",
            ),
            column(
                "weighted_rank",
                "The region only: rank by weighted share",
                "Только для края: место по взвешенной доле",
                Integer,
                "r.weighted_rank",
            ),
            column(
                "previous_weighted_rank",
                "The region only: weighted rank in the previous quarter",
                "Только для края: взвешенное место в прошлом квартале",
                Integer,
                "r.previous_weighted_rank",
            ),
            column(
                "voters",
                "People who voted here",
                "Число проголосовавших здесь",
                Integer,
                "sc.voters",
            ),
            column(
                "population",
                "Population used for the weighting (the region: of the weighted municipalities)",
                "Население для взвешивания (для края — взвешенных муниципалитетов)",
                Integer,
                "sc.population",
            ),
            column(
                "weight",
                "The municipality's weight in the regional weighted rank (0: too few voters)",
                "Вес муниципалитета во взвешенном рейтинге края (0 — мало проголосовавших)",
                Number,
                "ROUND(sc.weight, 6)",
            ),
            column(
                "method_version",
                "Version of the method",
                "Версия метода",
                Integer,
                "s.method_version",
            ),
            column(
                "votes_per_voter",
                "Votes each person had in the quarter",
                "Голосов у каждого в квартале",
                Integer,
                "s.votes_per_voter",
            ),
            column(
                "min_voters",
                "Fewest voters for a rank",
                "Минимальное число проголосовавших для места",
                Integer,
                "s.min_voters",
            ),
        ],
        coordinates: None,
        from: "FROM priority_rank_rows r \
               JOIN priority_rank_snapshots s ON s.id = r.snapshot_id \
               JOIN priority_rank_scopes sc ON sc.snapshot_id = r.snapshot_id \
                 AND sc.scope_id = r.scope_id \
               JOIN priorities p ON p.id = r.priority_id \
               LEFT JOIN municipalities m ON m.id = r.scope_id",
        order_by: "s.quarter, r.scope_id, r.priority_id",
    },
];

/// Column names live datasets may publish. Anything naming a person (an author, a user,
/// an e-mail or phone of a citizen) is absent; `email` and `phone` are the public
/// contacts of government bodies only (see `PUBLIC_CONTACT_DATASETS`).
pub const ALLOWED_COLUMNS: &[&str] = &[
    "code",
    "name",
    "name_en",
    "kind",
    "centre",
    "lat",
    "lon",
    "level",
    "municipality",
    "email",
    "phone",
    "description",
    "reaction_days",
    "registry_number",
    "object_name",
    "address",
    "developer",
    "developer_inn",
    "permit_number",
    "permit_date",
    "permit_issuer",
    "permitted_use",
    "floors",
    "total_area_m2",
    "planned_completion",
    "status",
    "confirmed_violations",
    "report",
    "inspected_on",
    "findings",
    "measures",
    "month",
    "theme",
    "reported",
    "resolved",
    "department",
    "received",
    "reacted_on_time",
    "overdue",
    "mean_reaction_hours",
    "number",
    "title",
    "stage",
    "proposed_on",
    "stage_started_on",
    "stage_ends_on",
    "supports",
    "support_threshold",
    "comment_count",
    "initiative",
    "article",
    "version",
    "reason",
    "taken_in_version",
    "decided_on",
    "verdict",
    "category",
    "remark",
    "concluded_on",
    "ratings",
    "mean_quality",
    "mean_convenience",
    "mean_speed",
    "service_mean",
    "score",
    "rank_in_service",
    "rank_overall",
    "method_version",
    "prior_weight",
    "min_ratings",
    "proposed_on",
    "quarter",
    "votes",
    "share",
    "rank",
    "previous_rank",
    "weighted_share",
    "weighted_rank",
    "previous_weighted_rank",
    "voters",
    "population",
    "weight",
    "votes_per_voter",
    "min_voters",
];

/// The only live datasets whose `email` and `phone` columns are allowed: organisations'
/// public contacts.
pub const PUBLIC_CONTACT_DATASETS: &[&str] = &["departments"];

/// Tables holding people's data, which no live dataset may read.
pub const PERSONAL_TABLES: &[&str] = &[
    "users",
    "sessions",
    "api_keys",
    "supports",
    "comments",
    "comment_reports",
    "follows",
    "notifications",
    "photos",
    "audit_log",
    "service_ratings",
    "priority_votes",
    "home_municipality_changes",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(sql: &str) -> Vec<String> {
        sql.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    #[test]
    fn no_live_dataset_publishes_personal_data() {
        for dataset in LIVE_DATASETS {
            for column in dataset.columns {
                assert!(
                    ALLOWED_COLUMNS.contains(&column.name),
                    "{}: column {} is not on the allow-list",
                    dataset.key,
                    column.name
                );
                if matches!(column.name, "email" | "phone") {
                    assert!(
                        PUBLIC_CONTACT_DATASETS.contains(&dataset.key),
                        "{}: contacts only for government bodies",
                        dataset.key
                    );
                }
            }
            let sql = words(&format!(
                "{} {}",
                dataset.from,
                dataset
                    .columns
                    .iter()
                    .map(|c| c.sql)
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
            for table in PERSONAL_TABLES {
                assert!(
                    !sql.iter().any(|word| word == table),
                    "{} reads {table}",
                    dataset.key
                );
            }
            for person_column in [
                "author_id",
                "user_id",
                "actor_id",
                "display_name",
                "email_verified",
            ] {
                assert!(
                    !sql.iter().any(|word| word == person_column),
                    "{} reads {person_column}",
                    dataset.key
                );
            }
        }
    }

    #[test]
    fn definitions_make_valid_structures_with_unique_keys_and_codes() {
        let version = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a date");
        for (index, dataset) in LIVE_DATASETS.iter().enumerate() {
            let structure = dataset.structure(version);
            assert_eq!(structure.validate(), Ok(()), "{}", dataset.key);
            assert_eq!(
                structure.latitude.is_some(),
                dataset.coordinates.is_some(),
                "{}",
                dataset.key
            );
            for other in &LIVE_DATASETS[index + 1..] {
                assert_ne!(dataset.key, other.key);
                assert_ne!(dataset.code, other.code);
            }
            assert_eq!(
                LiveDataset::find(dataset.key).map(|d| d.code),
                Some(dataset.code)
            );
        }
        let sql = LiveDataset::find("themes")
            .expect("themes")
            .copy_rows_sql(7);
        assert!(sql.starts_with(
            "INSERT INTO dataset_rows (version_id, row_no, cells) SELECT 7, ROW_NUMBER() OVER (ORDER BY t.sort_order, t.slug), JSON_ARRAY(t.slug, "
        ), "{sql}");
    }
}
