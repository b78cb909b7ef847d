//! Department, theme, routing-rule and department-token queries. Department systems'
//! tokens for the answers API are kept as SHA-256 only, each bound to one department and
//! to its own integration account, under whose name the system's steps are recorded.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use diesel::helper_types::{Asc, Desc};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    Department, DepartmentId, DepartmentLevel, DepartmentName, DepartmentToken, NameLists, Names,
    RoutingRuleId, RoutingRuleView, Theme, ThemeId, ThemeName, ValidDepartment, ValidTheme,
    check_supervisor, integration_account_name, pick_department,
};
use crate::auth::queries::Users;
use crate::auth::session::{hash_token, new_token};
use crate::geography::model::MunicipalityId;
use platform::db::schema::{department_tokens, departments, municipalities, routing_rules, themes};
use platform::db::{DbPool, last_insert_id};
use platform::error::{AppError, ErrorCode};
use platform::ids::UserId;
use platform::recent::RecentValue;

/// Themes in display order (the admin's list and the catalogue of names alike).
fn theme_order() -> (Asc<themes::sort_order>, Asc<themes::id>) {
    (themes::sort_order.asc(), themes::id.asc())
}

/// Departments as lists show them: regional first, then by Russian name.
fn department_order() -> (Desc<departments::level>, Asc<departments::name_ru>) {
    (departments::level.desc(), departments::name_ru.asc())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = departments)]
struct DepartmentRow {
    id: DepartmentId,
    slug: String,
    name_ru: String,
    name_en: String,
    level: String,
    municipality_id: Option<MunicipalityId>,
    email: Option<String>,
    phone: Option<String>,
    is_active: bool,
    supervisor_id: Option<DepartmentId>,
}

impl Names {
    /// The catalogue every name is looked up in; pages get it through
    /// `server_fns::reference_names`, which keeps it for a second.
    pub async fn load(conn: &mut AsyncMysqlConnection) -> QueryResult<Self> {
        let themes = themes::table
            .select(ThemeName::as_select())
            .order(theme_order())
            .load(conn)
            .await?;
        let municipalities = crate::geography::model::MunicipalityName::list(conn).await?;
        let departments = departments::table
            .select(DepartmentName::as_select())
            .order(department_order())
            .load(conn)
            .await?;
        Ok(Names::new(NameLists {
            themes,
            municipalities,
            departments,
        }))
    }
}

/// This instance's catalogue of names, kept for a window (the public cache's, a second by
/// default) so that busy pages do not load it for every request: in the server's state and
/// in every request's context. The organisation's writers of this instance forget it after
/// they commit; a rename through another instance shows within the window.
#[derive(Debug, Clone)]
pub struct RecentNames(Arc<RecentValue<Names>>);

impl RecentNames {
    /// A catalogue kept for `window`; zero loads it for every request.
    pub fn new(window: std::time::Duration) -> Self {
        Self(Arc::new(RecentValue::new(window)))
    }

    /// The kept catalogue, or one loaded now.
    pub async fn get(&self, pool: &DbPool) -> Result<Names, AppError> {
        self.0
            .get_or_load(|| async {
                platform::db::run(
                    pool,
                    |mut conn| async move { Ok(Names::load(&mut conn).await?) },
                )
                .await
            })
            .await
    }

    /// Drops the kept catalogue: a theme, municipality or department changed.
    pub fn forget(&self) {
        self.0.forget();
    }
}

impl From<DepartmentRow> for Department {
    fn from(row: DepartmentRow) -> Self {
        Department {
            id: row.id,
            slug: row.slug,
            name_ru: row.name_ru,
            name_en: row.name_en,
            // The CHECK constraint admits only the two levels.
            level: DepartmentLevel::from_db(&row.level).unwrap_or(DepartmentLevel::Regional),
            municipality_id: row.municipality_id,
            email: row.email,
            phone: row.phone,
            is_active: row.is_active,
            supervisor_id: row.supervisor_id,
        }
    }
}

/// Every field the admin form edits; the supervisor is set on its own
/// (`Department::set_supervisor`), so saving the form never changes it.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = departments, treat_none_as_null = true)]
struct DepartmentChanges<'a> {
    slug: &'a str,
    name_ru: &'a str,
    name_en: &'a str,
    level: &'a str,
    municipality_id: Option<MunicipalityId>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
}

impl<'a> From<&'a ValidDepartment> for DepartmentChanges<'a> {
    fn from(valid: &'a ValidDepartment) -> Self {
        DepartmentChanges {
            slug: &valid.slug,
            name_ru: &valid.name_ru,
            name_en: &valid.name_en,
            level: valid.level.as_db(),
            municipality_id: valid.municipality_id,
            email: valid.email.as_deref(),
            phone: valid.phone.as_deref(),
        }
    }
}

impl Department {
    /// All departments: regional first, then municipal, each by Russian name.
    pub async fn list(conn: &mut AsyncMysqlConnection) -> QueryResult<Vec<Department>> {
        let rows: Vec<DepartmentRow> = departments::table
            .select(DepartmentRow::as_select())
            .order(department_order())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One department.
    pub async fn find(
        conn: &mut AsyncMysqlConnection,
        id: DepartmentId,
    ) -> QueryResult<Department> {
        departments::table
            .find(id)
            .select(DepartmentRow::as_select())
            .first(conn)
            .await
            .map(Into::into)
    }

    /// The department with this slug, if any.
    pub async fn find_by_slug(
        conn: &mut AsyncMysqlConnection,
        slug: &str,
    ) -> QueryResult<Option<Department>> {
        departments::table
            .filter(departments::slug.eq(slug))
            .select(DepartmentRow::as_select())
            .first(conn)
            .await
            .optional()
            .map(|row| row.map(Into::into))
    }

    /// Creates a department.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        valid: &ValidDepartment,
    ) -> QueryResult<DepartmentId> {
        diesel::insert_into(departments::table)
            .values(DepartmentChanges::from(valid))
            .execute(conn)
            .await?;
        last_insert_id(conn).await.map(DepartmentId)
    }

    /// Replaces a department's fields; `false` if it does not exist.
    pub async fn update(
        conn: &mut AsyncMysqlConnection,
        id: DepartmentId,
        valid: &ValidDepartment,
    ) -> QueryResult<bool> {
        let exists: bool = diesel::select(diesel::dsl::exists(departments::table.find(id)))
            .get_result(conn)
            .await?;
        if exists {
            diesel::update(departments::table.find(id))
                .set(DepartmentChanges::from(valid))
                .execute(conn)
                .await?;
        }
        Ok(exists)
    }

    /// Whether department `id` exists.
    pub async fn exists(conn: &mut AsyncMysqlConnection, id: DepartmentId) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(departments::table.find(id)))
            .get_result(conn)
            .await
    }

    /// Refuses field `department_id` unless department `id` exists and is active: only an
    /// active department takes new work.
    pub async fn require_active(
        conn: &mut AsyncMysqlConnection,
        id: DepartmentId,
    ) -> Result<(), AppError> {
        let active: Option<bool> = departments::table
            .find(id)
            .select(departments::is_active)
            .first(conn)
            .await
            .optional()?;
        if active == Some(true) {
            Ok(())
        } else {
            Err(AppError::invalid(
                "department_id",
                ErrorCode::UnknownDepartment,
            ))
        }
    }

    /// Activates or deactivates a department; `false` if it does not exist.
    pub async fn set_active(
        conn: &mut AsyncMysqlConnection,
        id: DepartmentId,
        active: bool,
    ) -> QueryResult<bool> {
        let exists = Self::exists(conn, id).await?;
        diesel::update(departments::table.find(id))
            .set(departments::is_active.eq(active))
            .execute(conn)
            .await?;
        Ok(exists)
    }

    /// Sets the department that `id`'s overdue problems are escalated to (`None`: no
    /// escalation); returns the previous one. Refuses an unknown department (`NotFound`),
    /// an unknown supervisor, the department itself, and a supervisor that `id` already
    /// supervises (`check_supervisor`). Call it in a transaction: it reads every
    /// department's supervisor `FOR UPDATE`, so two admins changing supervisors at once are
    /// served one after the other and cannot close a loop between them.
    pub async fn set_supervisor(
        conn: &mut AsyncMysqlConnection,
        id: DepartmentId,
        supervisor: Option<DepartmentId>,
    ) -> Result<Option<DepartmentId>, AppError> {
        let all: Vec<(DepartmentId, Option<DepartmentId>, bool)> = departments::table
            .select((
                departments::id,
                departments::supervisor_id,
                departments::is_active,
            ))
            .order(departments::id.asc())
            .for_update()
            .load(conn)
            .await?;
        let Some(previous) = all
            .iter()
            .find(|(department, _, _)| *department == id)
            .map(|(_, previous, _)| *previous)
        else {
            return Err(AppError::NotFound);
        };
        if let Some(supervisor) = supervisor {
            let Some((_, _, active)) = all
                .iter()
                .find(|(department, _, _)| *department == supervisor)
            else {
                return Err(AppError::invalid(
                    "supervisor_id",
                    ErrorCode::UnknownDepartment,
                ));
            };
            // Keeping a supervisor that was deactivated later is allowed (the page offers
            // it), choosing a deactivated one anew is not.
            if !active && previous != Some(supervisor) {
                return Err(AppError::invalid(
                    "supervisor_id",
                    ErrorCode::InactiveSupervisor,
                ));
            }
            let supervisors: HashMap<DepartmentId, DepartmentId> = all
                .iter()
                .filter_map(|(department, above, _)| above.map(|above| (*department, above)))
                .collect();
            check_supervisor(id, supervisor, &supervisors)
                .map_err(|code| AppError::invalid("supervisor_id", code))?;
        }
        diesel::update(departments::table.find(id))
            .set(departments::supervisor_id.eq(supervisor))
            .execute(conn)
            .await?;
        Ok(previous)
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = themes)]
struct ThemeRow {
    id: ThemeId,
    slug: String,
    name_ru: String,
    name_en: String,
    description_ru: String,
    description_en: String,
    premoderation: bool,
    reaction_days: u32,
    result_days: u32,
    sort_order: i32,
    is_active: bool,
}

impl From<ThemeRow> for Theme {
    fn from(row: ThemeRow) -> Self {
        Theme {
            id: row.id,
            slug: row.slug,
            name_ru: row.name_ru,
            name_en: row.name_en,
            description_ru: row.description_ru,
            description_en: row.description_en,
            premoderation: row.premoderation,
            reaction_days: row.reaction_days,
            result_days: row.result_days,
            sort_order: row.sort_order,
            is_active: row.is_active,
        }
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = themes)]
struct ThemeChanges<'a> {
    slug: &'a str,
    name_ru: &'a str,
    name_en: &'a str,
    description_ru: &'a str,
    description_en: &'a str,
    premoderation: bool,
    reaction_days: u32,
    result_days: u32,
    sort_order: i32,
}

impl<'a> From<&'a ValidTheme> for ThemeChanges<'a> {
    fn from(valid: &'a ValidTheme) -> Self {
        ThemeChanges {
            slug: &valid.slug,
            name_ru: &valid.name_ru,
            name_en: &valid.name_en,
            description_ru: &valid.description_ru,
            description_en: &valid.description_en,
            premoderation: valid.premoderation,
            reaction_days: valid.reaction_days,
            result_days: valid.result_days,
            sort_order: valid.sort_order,
        }
    }
}

impl Theme {
    /// All themes in their display order.
    pub async fn list(conn: &mut AsyncMysqlConnection) -> QueryResult<Vec<Theme>> {
        let rows: Vec<ThemeRow> = themes::table
            .select(ThemeRow::as_select())
            .order(theme_order())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Creates a theme.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        valid: &ValidTheme,
    ) -> QueryResult<ThemeId> {
        diesel::insert_into(themes::table)
            .values(ThemeChanges::from(valid))
            .execute(conn)
            .await?;
        last_insert_id(conn).await.map(ThemeId)
    }

    /// Replaces a theme's fields; `false` if it does not exist.
    pub async fn update(
        conn: &mut AsyncMysqlConnection,
        id: ThemeId,
        valid: &ValidTheme,
    ) -> QueryResult<bool> {
        let exists: bool = diesel::select(diesel::dsl::exists(themes::table.find(id)))
            .get_result(conn)
            .await?;
        if exists {
            diesel::update(themes::table.find(id))
                .set(ThemeChanges::from(valid))
                .execute(conn)
                .await?;
        }
        Ok(exists)
    }

    /// Activates or deactivates a theme; `false` if it does not exist.
    pub async fn set_active(
        conn: &mut AsyncMysqlConnection,
        id: ThemeId,
        active: bool,
    ) -> QueryResult<bool> {
        let exists: bool = diesel::select(diesel::dsl::exists(themes::table.find(id)))
            .get_result(conn)
            .await?;
        diesel::update(themes::table.find(id))
            .set(themes::is_active.eq(active))
            .execute(conn)
            .await?;
        Ok(exists)
    }
}

/// Queries on `routing_rules`.
pub struct RoutingRules;

impl RoutingRules {
    /// Every rule with the names it links, by theme order then municipality (fallback first).
    pub async fn list(conn: &mut AsyncMysqlConnection) -> QueryResult<Vec<RoutingRuleView>> {
        type Row = (
            RoutingRuleId,
            ThemeId,
            String,
            String,
            Option<MunicipalityId>,
            Option<String>,
            Option<String>,
            DepartmentId,
            String,
            String,
        );
        let rows: Vec<Row> = routing_rules::table
            .inner_join(themes::table)
            .inner_join(departments::table)
            .left_join(municipalities::table)
            .select((
                routing_rules::id,
                themes::id,
                themes::name_ru,
                themes::name_en,
                routing_rules::municipality_id,
                municipalities::name_ru.nullable(),
                municipalities::name_en.nullable(),
                departments::id,
                departments::name_ru,
                departments::name_en,
            ))
            .order((
                themes::sort_order.asc(),
                themes::id.asc(),
                routing_rules::municipality_key.asc(),
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    theme_id,
                    theme_ru,
                    theme_en,
                    municipality_id,
                    m_ru,
                    m_en,
                    department_id,
                    d_ru,
                    d_en,
                )| {
                    RoutingRuleView {
                        id,
                        theme_id,
                        theme_name: (theme_ru, theme_en),
                        municipality_id,
                        municipality_name: m_ru.zip(m_en),
                        department_id,
                        department_name: (d_ru, d_en),
                    }
                },
            )
            .collect())
    }

    /// Sets the department for (theme, municipality), replacing any existing rule.
    pub async fn set(
        conn: &mut AsyncMysqlConnection,
        theme: ThemeId,
        municipality: Option<MunicipalityId>,
        department: DepartmentId,
    ) -> QueryResult<()> {
        diesel::replace_into(routing_rules::table)
            .values((
                routing_rules::theme_id.eq(theme),
                routing_rules::municipality_id.eq(municipality),
                routing_rules::department_id.eq(department),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Deletes a rule; `false` if it did not exist.
    pub async fn delete(conn: &mut AsyncMysqlConnection, id: RoutingRuleId) -> QueryResult<bool> {
        diesel::delete(routing_rules::table.find(id))
            .execute(conn)
            .await
            .map(|n| n > 0)
    }

    /// The department that receives reports of `theme` in `municipality`: the most specific
    /// rule, else the theme's regional rule; `None` sends the report to the moderators.
    pub async fn resolve(
        conn: &mut AsyncMysqlConnection,
        theme: ThemeId,
        municipality: MunicipalityId,
    ) -> QueryResult<Option<DepartmentId>> {
        let candidates: Vec<(Option<MunicipalityId>, DepartmentId)> = routing_rules::table
            .inner_join(departments::table)
            .filter(routing_rules::theme_id.eq(theme))
            .filter(
                routing_rules::municipality_id
                    .eq(municipality)
                    .or(routing_rules::municipality_id.is_null()),
            )
            .filter(departments::is_active.eq(true))
            .select((routing_rules::municipality_id, routing_rules::department_id))
            .load(conn)
            .await?;
        Ok(pick_department(&candidates, municipality))
    }

    /// The department responsible for `theme` at a level: a municipality's (as
    /// [`RoutingRules::resolve`]), or the region's (`None`: the theme's regional rule only).
    pub async fn resolve_level(
        conn: &mut AsyncMysqlConnection,
        theme: ThemeId,
        municipality: Option<MunicipalityId>,
    ) -> QueryResult<Option<DepartmentId>> {
        match municipality {
            Some(municipality) => Self::resolve(conn, theme, municipality).await,
            None => routing_rules::table
                .inner_join(departments::table)
                .filter(routing_rules::theme_id.eq(theme))
                .filter(routing_rules::municipality_id.is_null())
                .filter(departments::is_active.eq(true))
                .select(routing_rules::department_id)
                .first(conn)
                .await
                .optional(),
        }
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use diesel_async::AsyncConnection;

    use super::*;
    use crate::geography::model::Municipality;
    use platform::db::testing::TestDb;

    async fn department(conn: &mut AsyncMysqlConnection, slug: &str) -> DepartmentId {
        Department::find_by_slug(conn, slug)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("{slug} is in the reference data"))
            .id
    }

    /// `Department::set_supervisor` in its own transaction, as the server function runs it.
    async fn supervise(
        conn: &mut AsyncMysqlConnection,
        id: DepartmentId,
        supervisor: Option<DepartmentId>,
    ) -> Result<Option<DepartmentId>, AppError> {
        conn.transaction(async move |conn| Department::set_supervisor(conn, id, supervisor).await)
            .await
    }

    async fn supervisor_of(
        conn: &mut AsyncMysqlConnection,
        id: DepartmentId,
    ) -> Option<DepartmentId> {
        Department::find(conn, id)
            .await
            .expect("department")
            .supervisor_id
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_supervisor_is_another_known_department_that_closes_no_loop() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let control = department(&mut conn, "governor-control").await;
        let krasnodar = department(&mut conn, "admin-krasnodar").await;
        let sochi = department(&mut conn, "admin-sochi").await;
        assert_eq!(
            supervisor_of(&mut conn, krasnodar).await,
            Some(control),
            "the reference data puts every department under the governor's control office"
        );
        let refusal = |code| Err(AppError::invalid("supervisor_id", code));

        assert_eq!(
            supervise(&mut conn, krasnodar, Some(krasnodar)).await,
            refusal(ErrorCode::SupervisesItself)
        );
        assert_eq!(
            supervise(&mut conn, control, Some(krasnodar)).await,
            refusal(ErrorCode::SupervisionCycle),
            "Krasnodar's administration is under control's supervision"
        );
        assert_eq!(
            supervise(&mut conn, krasnodar, Some(DepartmentId(999_999))).await,
            refusal(ErrorCode::UnknownDepartment)
        );
        assert_eq!(
            supervise(&mut conn, DepartmentId(999_999), None).await,
            Err(AppError::NotFound)
        );
        assert_eq!(
            supervisor_of(&mut conn, krasnodar).await,
            Some(control),
            "refusals change nothing"
        );
        assert_eq!(supervisor_of(&mut conn, control).await, None);

        // sochi -> krasnodar -> control: control cannot go under sochi either.
        assert_eq!(
            supervise(&mut conn, sochi, Some(krasnodar)).await,
            Ok(Some(control)),
            "the previous supervisor comes back for the audit log"
        );
        assert_eq!(
            supervise(&mut conn, control, Some(sochi)).await,
            refusal(ErrorCode::SupervisionCycle)
        );
        // Once Krasnodar has no supervisor, the chain ends there and control may go under it.
        assert_eq!(
            supervise(&mut conn, krasnodar, None).await,
            Ok(Some(control))
        );
        assert_eq!(supervisor_of(&mut conn, krasnodar).await, None);
        assert_eq!(supervise(&mut conn, control, Some(sochi)).await, Ok(None));
        assert_eq!(supervisor_of(&mut conn, control).await, Some(sochi));

        // A deactivated department is refused as a new supervisor, but one deactivated after
        // it was chosen may be kept.
        diesel::update(departments::table.find(sochi))
            .set(departments::is_active.eq(false))
            .execute(&mut conn)
            .await
            .expect("deactivate");
        // Anapa's administration is outside the sochi-krasnodar chain: no loop either way.
        let anapa = department(&mut conn, "admin-anapa").await;
        assert_eq!(
            supervise(&mut conn, anapa, Some(sochi)).await,
            refusal(ErrorCode::InactiveSupervisor)
        );
        assert_eq!(supervisor_of(&mut conn, anapa).await, Some(control));
        assert_eq!(
            supervise(&mut conn, control, Some(sochi)).await,
            Ok(Some(sochi))
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn two_admins_closing_a_loop_at_once_cannot_both_succeed() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let control = department(&mut conn, "governor-control").await;
        let krasnodar = department(&mut conn, "admin-krasnodar").await;
        let sochi = department(&mut conn, "admin-sochi").await;
        drop(conn);
        for _ in 0..5 {
            let mut tasks = Vec::new();
            for (id, supervisor) in [(krasnodar, sochi), (sochi, krasnodar)] {
                let pool = db.pool().clone();
                tasks.push(tokio::spawn(async move {
                    let mut conn = pool.get().await.expect("connection");
                    supervise(&mut conn, id, Some(supervisor)).await
                }));
            }
            let mut outcomes = Vec::new();
            for task in tasks {
                outcomes.push(task.await.expect("task"));
            }
            outcomes.sort_by_key(Result::is_err);
            assert_eq!(
                outcomes,
                [
                    Ok(Some(control)),
                    Err(AppError::invalid(
                        "supervisor_id",
                        ErrorCode::SupervisionCycle
                    ))
                ]
            );
            let mut conn = db.conn().await;
            for id in [krasnodar, sochi] {
                supervise(&mut conn, id, Some(control))
                    .await
                    .expect("reset");
            }
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn reference_data_routes_every_theme_somewhere() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let themes = Theme::list(&mut conn).await.expect("themes");
        assert!(
            themes.len() >= 12,
            "at least 12 themes are seeded, got {}",
            themes.len()
        );
        let municipalities = Municipality::list(&mut conn).await.expect("municipalities");
        for theme in &themes {
            for municipality in &municipalities {
                let department = RoutingRules::resolve(&mut conn, theme.id, municipality.id)
                    .await
                    .expect("resolve");
                assert!(
                    department.is_some(),
                    "{} in {} has no department",
                    theme.slug,
                    municipality.slug
                );
            }
        }
        let departments = Department::list(&mut conn).await.expect("departments");
        let municipal = departments
            .iter()
            .filter(|d| d.level == DepartmentLevel::Municipal)
            .count();
        assert!(municipal >= 44, "each municipality has an administration");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_municipal_rule_overrides_and_deactivation_falls_back() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let theme = Theme::list(&mut conn)
            .await
            .expect("themes")
            .into_iter()
            .find(|t| t.slug == "healthcare")
            .expect("theme");
        let sochi = Municipality::list(&mut conn)
            .await
            .expect("m")
            .into_iter()
            .find(|m| m.slug == "sochi")
            .expect("sochi");
        let regional = RoutingRules::resolve(&mut conn, theme.id, sochi.id)
            .await
            .expect("resolve")
            .expect("fallback");
        let local = Department::create(
            &mut conn,
            &ValidDepartment {
                slug: "sochi-health".into(),
                name_ru: "Управление здравоохранения Сочи".into(),
                name_en: "Sochi Health Office".into(),
                level: DepartmentLevel::Municipal,
                municipality_id: Some(sochi.id),
                email: None,
                phone: None,
            },
        )
        .await
        .expect("create");
        RoutingRules::set(&mut conn, theme.id, Some(sochi.id), local)
            .await
            .expect("rule");
        assert_eq!(
            RoutingRules::resolve(&mut conn, theme.id, sochi.id)
                .await
                .expect("resolve"),
            Some(local)
        );
        // Setting the same (theme, municipality) again replaces the rule instead of adding one.
        RoutingRules::set(&mut conn, theme.id, Some(sochi.id), local)
            .await
            .expect("again");
        let count = RoutingRules::list(&mut conn)
            .await
            .expect("list")
            .iter()
            .filter(|r| r.theme_id == theme.id && r.municipality_id == Some(sochi.id))
            .count();
        assert_eq!(count, 1);
        Department::set_active(&mut conn, local, false)
            .await
            .expect("deactivate");
        assert_eq!(
            RoutingRules::resolve(&mut conn, theme.id, sochi.id)
                .await
                .expect("resolve"),
            Some(regional)
        );
    }
}

/// How stale `last_used_at` may get: a busy system must not turn every read into a write.
const LAST_USE_PRECISION: Duration = Duration::minutes(1);

/// Who a request of the answers API comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepartmentSystem {
    /// The token's id.
    pub token: u64,
    /// The only department it may act for.
    pub department: DepartmentId,
    /// The integration account its steps are recorded as.
    pub account: UserId,
}

/// Queries on `department_tokens`.
pub struct DepartmentTokens;

impl DepartmentTokens {
    /// Issues a token named `name` for `department`, with a new integration account;
    /// returns its id and the token, which is never stored and cannot be shown again.
    /// Call it in a transaction (the account and the token belong together).
    pub async fn issue(
        conn: &mut AsyncMysqlConnection,
        department: &Department,
        name: &str,
        admin: UserId,
        now: NaiveDateTime,
    ) -> QueryResult<(u64, String)> {
        let home = match department.municipality_id {
            Some(municipality) => municipality,
            // A regional department has no municipality. The account cannot vote, so its
            // home is never used; the column only needs a real one.
            None => {
                municipalities::table
                    .select(municipalities::id)
                    .order(municipalities::id.asc())
                    .first::<MunicipalityId>(conn)
                    .await?
            }
        };
        let account_name = integration_account_name(name, &department.name_ru);
        let account = Users::create_integration(conn, &account_name, home, now).await?;
        let (token, token_hash) = new_token();
        diesel::insert_into(department_tokens::table)
            .values((
                department_tokens::department_id.eq(department.id),
                department_tokens::account_id.eq(account),
                department_tokens::name.eq(name),
                department_tokens::token_hash.eq(&token_hash),
                department_tokens::issued_by.eq(admin),
                department_tokens::issued_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok((last_insert_id(conn).await?, token))
    }

    /// The tokens of `department`, newest first, revoked ones included.
    pub async fn list(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
    ) -> QueryResult<Vec<DepartmentToken>> {
        department_tokens::table
            .filter(department_tokens::department_id.eq(department))
            .order(department_tokens::id.desc())
            .select((
                department_tokens::id,
                department_tokens::name,
                department_tokens::issued_at,
                department_tokens::last_used_at,
                department_tokens::revoked_at,
            ))
            .load(conn)
            .await
    }

    /// Revokes token `token` of `department`; `false` when it has no such live token.
    pub async fn revoke(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
        token: u64,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let revoked = diesel::update(
            department_tokens::table
                .find(token)
                .filter(department_tokens::department_id.eq(department))
                .filter(department_tokens::revoked_at.is_null()),
        )
        .set(department_tokens::revoked_at.eq(now))
        .execute(conn)
        .await?;
        Ok(revoked == 1)
    }

    /// The system a presented token belongs to, if it is live; notes its use.
    pub async fn authenticate(
        conn: &mut AsyncMysqlConnection,
        token: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Option<DepartmentSystem>> {
        let found: Option<(u64, DepartmentId, UserId, Option<NaiveDateTime>)> =
            department_tokens::table
                .filter(department_tokens::token_hash.eq(hash_token(token)))
                .filter(department_tokens::revoked_at.is_null())
                .select((
                    department_tokens::id,
                    department_tokens::department_id,
                    department_tokens::account_id,
                    department_tokens::last_used_at,
                ))
                .first(conn)
                .await
                .optional()?;
        let Some((id, department, account, last_used_at)) = found else {
            return Ok(None);
        };
        if last_used_at.is_none_or(|last| now - last >= LAST_USE_PRECISION) {
            diesel::update(department_tokens::table.find(id))
                .set(department_tokens::last_used_at.eq(now))
                .execute(conn)
                .await?;
        }
        Ok(Some(DepartmentSystem {
            token: id,
            department,
            account,
        }))
    }
}
