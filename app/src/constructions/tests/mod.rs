//! Database tests of construction control against a real MariaDB (one database per test):
//! the registry's history, the import's idempotence and atomicity, the report workflow,
//! the registry filter and the analytics; and the demo data.

mod illegal;

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::importer::Imports;
use super::inn::check_inn;
use super::model::{
    AnalyticsFilter, CONSTRUCTION_REPORT, ConstructionFields, ConstructionId, ConstructionReportId,
    ConstructionStatus, DiffAspect, Editor, FieldChange, Footprint, IMPORT_INTERRUPTED,
    ImportCounts, ImportId, REGISTRY_PAGE_SIZE, Register, RegistryField, RegistryFilter,
    RegistryQuery, RegistryScope, RegistrySort, ReportAction, ReportKind, ReportStatus,
    ValidReport, ValidVerification,
};
use super::queries::{
    HistoryOf, Registry, Reports, apply_import, plan_import, registry_scope,
    supervision_departments, supervision_theme,
};
use crate::auth::model::{Role, UserId};
use crate::auth::queries::{Roles, Users};
use crate::auth::testing::{municipality_id, test_user_in};
use crate::geography::model::MunicipalityId;
use crate::organisation::model::DepartmentId;
use crate::organisation::queries::RoutingRules;
use platform::db::schema::{
    construction_changes, construction_reports, constructions, departments, notifications,
    registry_imports,
};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};
use platform::geo::LatLon;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a valid test time")
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a valid test date")
}

/// A valid organisation INN (its check digit is right).
const INN_A: &str = "7707083893";

struct World {
    db: TestDb,
    author: UserId,
    official: UserId,
    /// An official of another department (Krasnodar's administration).
    stranger: UserId,
    department: DepartmentId,
    stranger_department: DepartmentId,
    krasnodar: MunicipalityId,
    sochi: MunicipalityId,
}

async fn world() -> World {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let krasnodar = municipality_id(&mut conn, "krasnodar").await;
    let sochi = municipality_id(&mut conn, "sochi").await;
    let department = supervision_departments(&mut conn)
        .await
        .expect("supervision departments")
        .into_iter()
        .next()
        .expect("the reference data routes illegal construction somewhere");
    let stranger_department: DepartmentId = departments::table
        .filter(departments::slug.eq("admin-krasnodar"))
        .select(departments::id)
        .first(&mut conn)
        .await
        .expect("Krasnodar's administration");
    let author = test_user_in(&mut conn, "author", krasnodar).await;
    let official = test_user_in(&mut conn, "inspector", krasnodar).await;
    let stranger = test_user_in(&mut conn, "stranger", krasnodar).await;
    let now = at("2026-01-01 00:00:00");
    Roles::grant(
        &mut conn,
        official,
        Role::Official,
        Some(department),
        None,
        now,
    )
    .await
    .expect("grant");
    Roles::grant(
        &mut conn,
        stranger,
        Role::Official,
        Some(stranger_department),
        None,
        now,
    )
    .await
    .expect("grant");
    drop(conn);
    World {
        db,
        author,
        official,
        stranger,
        department,
        stranger_department,
        krasnodar,
        sochi,
    }
}

impl World {
    fn editor(&self) -> Editor {
        Editor {
            user: self.official,
            import: None,
        }
    }

    /// A complete entry in Krasnodar.
    fn fields(&self, number: &str) -> ConstructionFields {
        ConstructionFields {
            registry_number: number.into(),
            object_name: "Многоквартирный жилой дом".into(),
            address: "г. Краснодар, ул. Уральская, 100".into(),
            point: LatLon {
                lat: 45.04,
                lon: 39.03,
            },
            municipality_id: self.krasnodar,
            developer_name: "ООО СЗ «Южный квартал»".into(),
            developer_inn: INN_A.into(),
            permit_number: "23-RU23306000-1234-2024".into(),
            permit_date: date("2024-03-15"),
            permit_issuer: "Департамент архитектуры и градостроительства администрации \
                            муниципального образования город Краснодар"
                .into(),
            permitted_use: "Многоэтажная жилая застройка (высотная застройка)".into(),
            floors: Some(9),
            total_area_m2: Some(8_450.5),
            planned_completion: Some(date("2026-06-30")),
            status: ConstructionStatus::UnderConstruction,
            footprint: Some(square_footprint(45.04, 39.03)),
        }
    }

    async fn create(
        &self,
        conn: &mut AsyncMysqlConnection,
        fields: &ConstructionFields,
    ) -> ConstructionId {
        Registry::create(conn, fields, self.editor(), at("2026-01-10 10:00:00"))
            .await
            .expect("create entry")
    }

    /// Files a report about `entry` (differs from the permit) or, without one, about an
    /// unregistered construction in Krasnodar.
    async fn report(
        &self,
        conn: &mut AsyncMysqlConnection,
        entry: Option<ConstructionId>,
        municipality: MunicipalityId,
        now: NaiveDateTime,
    ) -> ConstructionReportId {
        let point = LatLon {
            lat: 45.05,
            lon: 38.98,
        };
        let report = ValidReport {
            kind: if entry.is_some() {
                ReportKind::DiffersFromPermit
            } else {
                ReportKind::NotInRegistry
            },
            construction_id: entry,
            aspect: entry.map(|_| DiffAspect::Floors),
            point: entry.is_none().then_some(point),
            address: "ул. Уральская, 100".into(),
            description: "Строят уже одиннадцатый этаж вместо девяти.".into(),
            photo_tokens: Vec::new(),
        };
        Reports::create(
            conn,
            self.author,
            &report,
            point,
            municipality,
            self.department,
            now,
        )
        .await
        .expect("file a report")
    }

    async fn step(
        &self,
        conn: &mut AsyncMysqlConnection,
        id: ConstructionReportId,
        action: ReportAction,
        now: NaiveDateTime,
    ) -> Result<ReportStatus, AppError> {
        Reports::step(
            conn,
            id,
            action,
            self.official,
            &[self.department],
            &verification(action, now),
            now,
        )
        .await
    }
}

/// What the official's form sends for `action`.
fn verification(action: ReportAction, now: NaiveDateTime) -> ValidVerification {
    let text = match action {
        ReportAction::StartVerification => "",
        ReportAction::ConfirmViolation => "Надстроены два этажа сверх разрешения.",
        ReportAction::Dismiss => "Нарушений не выявлено.",
        ReportAction::TakeMeasures => "Назначен штраф, выдано предписание.",
    };
    ValidVerification {
        verified_on: action.is_verdict().then(|| now.date()),
        text: text.into(),
        photo_tokens: Vec::new(),
        act: None,
    }
}

async fn history_rows(conn: &mut AsyncMysqlConnection) -> i64 {
    construction_changes::table
        .count()
        .get_result(conn)
        .await
        .expect("count history")
}

async fn counters(conn: &mut AsyncMysqlConnection, id: ConstructionId) -> (u32, u32) {
    constructions::table
        .find(id)
        .select((constructions::report_count, constructions::violation_count))
        .first(conn)
        .await
        .expect("counters")
}

fn changed_fields(changes: &[FieldChange]) -> Vec<RegistryField> {
    changes.iter().map(|change| change.field).collect()
}

fn assert_invalid(result: Result<impl std::fmt::Debug, AppError>, field: &str, code: ErrorCode) {
    match result {
        Err(AppError::Invalid { errors }) => {
            assert!(
                errors.iter().any(|e| e.field == field && e.code == code),
                "expected {field}: {code:?}, got {errors:?}"
            );
        }
        other => panic!("expected an Invalid error on {field}, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn registry_history_records_exactly_the_changed_fields() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let original = w.fields("РНС-2024-00001");
    let id = w.create(&mut conn, &original).await;

    let history = Registry::history(&mut conn, HistoryOf::Entry(id), 10)
        .await
        .expect("history");
    assert_eq!(history.len(), 1);
    assert!(history[0].created);
    assert_eq!(history[0].actor_name.as_deref(), Some("inspector"));
    assert_eq!(history[0].import_id, None);
    // A new entry lists every field it has, with nothing before.
    assert_eq!(
        changed_fields(&history[0].changes),
        Register::Permitted.fields().to_vec()
    );
    assert!(history[0].changes.iter().all(|c| c.before.is_none()));

    let changed = ConstructionFields {
        floors: Some(12),
        status: ConstructionStatus::Suspended,
        ..original.clone()
    };
    let did_change = Registry::update(
        &mut conn,
        id,
        &changed,
        w.editor(),
        at("2026-02-01 09:00:00"),
    )
    .await
    .expect("update");
    assert!(did_change);
    let history = Registry::history(&mut conn, HistoryOf::Entry(id), 10)
        .await
        .expect("history");
    assert_eq!(history.len(), 2);
    assert!(!history[0].created, "newest first");
    assert_eq!(
        history[0].changes,
        vec![
            FieldChange {
                field: RegistryField::Floors,
                before: Some("9".into()),
                after: Some("12".into()),
            },
            FieldChange {
                field: RegistryField::Status,
                before: Some("under_construction".into()),
                after: Some("suspended".into()),
            },
        ]
    );
    assert_eq!(history[0].at, at("2026-02-01 09:00:00"));
    assert_eq!(
        Registry::fields(&mut conn, id).await.expect("fields"),
        Some(changed.clone())
    );

    // Clearing an optional field is a change to nothing.
    let cleared = ConstructionFields {
        planned_completion: None,
        ..changed.clone()
    };
    assert!(
        Registry::update(
            &mut conn,
            id,
            &cleared,
            w.editor(),
            at("2026-02-02 09:00:00")
        )
        .await
        .expect("update")
    );
    let history = Registry::history(&mut conn, HistoryOf::Entry(id), 10)
        .await
        .expect("history");
    assert_eq!(
        history[0].changes,
        vec![FieldChange {
            field: RegistryField::PlannedCompletion,
            before: Some("2026-06-30".into()),
            after: None,
        }]
    );

    // Saving the same data again changes nothing and records nothing.
    assert!(
        !Registry::update(
            &mut conn,
            id,
            &cleared,
            w.editor(),
            at("2026-02-03 09:00:00")
        )
        .await
        .expect("update")
    );
    assert_eq!(history_rows(&mut conn).await, 3);

    // Registry numbers are unique, on creation and on renumbering.
    assert_invalid(
        Registry::create(&mut conn, &original, w.editor(), at("2026-02-04 09:00:00")).await,
        "registry_number",
        ErrorCode::Duplicate,
    );
    let other = w.create(&mut conn, &w.fields("РНС-2024-00002")).await;
    assert_invalid(
        Registry::update(
            &mut conn,
            other,
            &original,
            w.editor(),
            at("2026-02-04 09:00:00"),
        )
        .await,
        "registry_number",
        ErrorCode::Duplicate,
    );
    assert_eq!(history_rows(&mut conn).await, 4);
    assert!(matches!(
        Registry::update(
            &mut conn,
            ConstructionId(999_999),
            &original,
            w.editor(),
            at("2026-02-04 09:00:00")
        )
        .await,
        Err(AppError::NotFound)
    ));
}

/// Inserts the import row the history entries of an import point to.
async fn import_row(conn: &mut AsyncMysqlConnection, user: UserId) -> ImportId {
    diesel::insert_into(registry_imports::table)
        .values((
            registry_imports::user_id.eq(user),
            registry_imports::file_name.eq("реестр.xlsx"),
            registry_imports::file_sha256.eq("0".repeat(64)),
            registry_imports::phase.eq("committing"),
            registry_imports::created_at.eq(at("2026-03-01 10:00:00")),
        ))
        .execute(conn)
        .await
        .expect("import row");
    ImportId(platform::db::last_insert_id(conn).await.expect("id"))
}

fn import_records(w: &World, count: usize) -> Vec<ConstructionFields> {
    (1..=count)
        .map(|n| ConstructionFields {
            permit_number: format!("23-RU23306000-{}-2024", 1000 + n),
            floors: Some(5 + n as u16),
            ..w.fields(&format!("ИМП-2024-{n:05}"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn importing_the_same_records_again_changes_nothing() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let import = import_row(&mut conn, w.official).await;
    let editor = Editor {
        user: w.official,
        import: Some(import),
    };
    let records = import_records(&w, 7);
    let progress = AtomicU32::new(0);
    let report = |done: u32| progress.store(done, Ordering::SeqCst);

    let plan = plan_import(&mut conn, &records, &RegistryField::ALL)
        .await
        .expect("plan");
    let done = apply_import(
        &mut conn,
        &records,
        &RegistryField::ALL,
        editor,
        at("2026-03-01 10:05:00"),
        &report,
    )
    .await
    .expect("apply");
    let added = ImportCounts {
        added: 7,
        updated: 0,
        unchanged: 0,
    };
    assert_eq!((plan, done), (added, added));
    assert_eq!(
        AtomicU32::load(&progress, Ordering::SeqCst),
        7,
        "progress reaches the end"
    );
    assert_eq!(Registry::count(&mut conn).await.expect("count"), 7);
    assert_eq!(history_rows(&mut conn).await, 7);

    // The same file again: nothing to do, nothing written.
    let plan = plan_import(&mut conn, &records, &RegistryField::ALL)
        .await
        .expect("plan");
    let done = apply_import(
        &mut conn,
        &records,
        &RegistryField::ALL,
        editor,
        at("2026-03-02 10:05:00"),
        &report,
    )
    .await
    .expect("apply again");
    let same = ImportCounts {
        added: 0,
        updated: 0,
        unchanged: 7,
    };
    assert_eq!((plan, done), (same, same));
    assert_eq!(Registry::count(&mut conn).await.expect("count"), 7);
    assert_eq!(history_rows(&mut conn).await, 7);

    // One field of one record changed: exactly one update naming that field.
    let mut changed = records.clone();
    changed[3].object_name = "Многоквартирный жилой дом со встроенными помещениями".into();
    changed.push(w.fields("ИМП-2024-00099"));
    let plan = plan_import(&mut conn, &changed, &RegistryField::ALL)
        .await
        .expect("plan");
    let done = apply_import(
        &mut conn,
        &changed,
        &RegistryField::ALL,
        editor,
        at("2026-03-03 10:05:00"),
        &report,
    )
    .await
    .expect("apply the change");
    let expected = ImportCounts {
        added: 1,
        updated: 1,
        unchanged: 6,
    };
    assert_eq!((plan, done), (expected, expected));
    assert_eq!(history_rows(&mut conn).await, 9);
    let change_list = Registry::history(&mut conn, HistoryOf::Import(import), 100)
        .await
        .expect("change list");
    assert_eq!(change_list.len(), 9, "every change names the import");
    let update = change_list
        .iter()
        .find(|entry| !entry.created)
        .expect("the update is listed");
    assert_eq!(update.registry_number, "ИМП-2024-00004");
    assert_eq!(
        changed_fields(&update.changes),
        vec![RegistryField::ObjectName]
    );
    assert_eq!(update.import_id, Some(import));
    assert_eq!(
        update.changes[0].after.as_deref(),
        Some("Многоквартирный жилой дом со встроенными помещениями")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_import_writes_nothing() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let existing = w.fields("ИМП-2024-00001");
    let id = w.create(&mut conn, &existing).await;
    let mut records = import_records(&w, 4);
    records[0].status = ConstructionStatus::Commissioned;
    // Valid rows first, then one the database refuses (no such municipality).
    records[3].municipality_id = MunicipalityId(999_999);
    let plan = plan_import(&mut conn, &records, &RegistryField::ALL)
        .await
        .expect("plan");
    assert_eq!(
        plan,
        ImportCounts {
            added: 3,
            updated: 1,
            unchanged: 0,
        }
    );
    let result = apply_import(
        &mut conn,
        &records,
        &RegistryField::ALL,
        w.editor(),
        at("2026-03-01 10:05:00"),
        &|_| {},
    )
    .await;
    assert!(result.is_err(), "the foreign key refuses the last row");
    assert_eq!(Registry::count(&mut conn).await.expect("count"), 1);
    assert_eq!(history_rows(&mut conn).await, 1);
    assert_eq!(
        Registry::fields(&mut conn, id).await.expect("fields"),
        Some(existing),
        "the update of the first row was rolled back too"
    );
    // The connection is usable again (the transaction ended).
    let records = import_records(&w, 2);
    let done = apply_import(
        &mut conn,
        &records,
        &RegistryField::ALL,
        w.editor(),
        at("2026-03-01 10:06:00"),
        &|_| {},
    )
    .await
    .expect("a good import after the failed one");
    assert_eq!(done.added, 1);
}

/// A workbook that writes a registry number in other letter case (or with a trailing
/// space) than the registry updates that entry: the unique key's collation ignores case,
/// so counting the row as new would make the whole import fail on that key.
#[tokio::test(flavor = "multi_thread")]
async fn an_import_matches_registry_numbers_as_the_database_does() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    w.create(&mut conn, &w.fields("РНС-2024-00001")).await;
    let records = vec![ConstructionFields {
        floors: Some(10),
        ..w.fields("рнс-2024-00001")
    }];
    let expected = ImportCounts {
        added: 0,
        updated: 1,
        unchanged: 0,
    };
    assert_eq!(
        plan_import(&mut conn, &records, &RegistryField::ALL)
            .await
            .expect("plan"),
        expected
    );
    let done = apply_import(
        &mut conn,
        &records,
        &RegistryField::ALL,
        w.editor(),
        at("2026-03-01 10:05:00"),
        &|_| {},
    )
    .await
    .expect("apply");
    assert_eq!(done, expected);
}

async fn notification_count(
    conn: &mut AsyncMysqlConnection,
    user: UserId,
    report: ConstructionReportId,
) -> i64 {
    notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::subject_kind.eq(CONSTRUCTION_REPORT.as_str()))
        .filter(notifications::subject_id.eq(report.0))
        .count()
        .get_result(conn)
        .await
        .expect("count notifications")
}

fn assert_illegal(result: Result<ReportStatus, AppError>, status: &str, action: &str) {
    match result {
        Err(AppError::IllegalTransition {
            status: got_status,
            action: got_action,
        }) => assert_eq!((got_status.as_str(), got_action.as_str()), (status, action)),
        other => panic!("expected an illegal transition, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_walks_through_verification_to_measures() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let entry = w.create(&mut conn, &w.fields("РНС-2024-00010")).await;
    let id = w
        .report(
            &mut conn,
            Some(entry),
            w.krasnodar,
            at("2026-03-01 10:00:00"),
        )
        .await;
    assert_eq!(counters(&mut conn, entry).await, (1, 0));
    assert_eq!(
        notification_count(&mut conn, w.official, id).await,
        1,
        "the department's official hears of the new report"
    );
    assert_eq!(
        Reports::parties(&mut conn, id).await.expect("parties"),
        Some(super::model::ReportParties {
            author_id: w.author,
            department_id: w.department,
        })
    );

    assert_illegal(
        w.step(
            &mut conn,
            id,
            ReportAction::TakeMeasures,
            at("2026-03-01 11:00:00"),
        )
        .await,
        "submitted",
        "take_measures",
    );
    assert_illegal(
        w.step(
            &mut conn,
            id,
            ReportAction::ConfirmViolation,
            at("2026-03-01 11:00:00"),
        )
        .await,
        "submitted",
        "confirm_violation",
    );
    let stranger = Reports::step(
        &mut conn,
        id,
        ReportAction::StartVerification,
        w.stranger,
        &[w.stranger_department],
        &verification(ReportAction::StartVerification, at("2026-03-01 11:00:00")),
        at("2026-03-01 11:00:00"),
    )
    .await;
    assert!(matches!(stranger, Err(AppError::Forbidden)), "{stranger:?}");

    let steps = [
        (
            ReportAction::StartVerification,
            ReportStatus::UnderVerification,
            "2026-03-02 09:00:00",
        ),
        (
            ReportAction::ConfirmViolation,
            ReportStatus::ViolationConfirmed,
            "2026-03-10 15:00:00",
        ),
        (
            ReportAction::TakeMeasures,
            ReportStatus::MeasuresTaken,
            "2026-04-01 12:00:00",
        ),
    ];
    for (action, expected, when) in steps {
        assert_eq!(
            w.step(&mut conn, id, action, at(when)).await.expect("step"),
            expected
        );
    }
    assert_eq!(
        counters(&mut conn, entry).await,
        (1, 1),
        "one confirmed violation"
    );
    assert_eq!(
        notification_count(&mut conn, w.author, id).await,
        3,
        "one per step"
    );
    assert_illegal(
        w.step(
            &mut conn,
            id,
            ReportAction::TakeMeasures,
            at("2026-04-02 12:00:00"),
        )
        .await,
        "measures_taken",
        "take_measures",
    );

    let detail = Reports::detail(&mut conn, id, Some(w.author), &[])
        .await
        .expect("detail")
        .expect("exists");
    assert_eq!(detail.summary.status, ReportStatus::MeasuresTaken);
    assert_eq!(detail.summary.kind, ReportKind::DiffersFromPermit);
    assert_eq!(detail.summary.aspect, Some(DiffAspect::Floors));
    assert_eq!(
        detail.summary.construction,
        Some((entry, "РНС-2024-00010".to_string()))
    );
    assert_eq!(detail.summary.verified_on, Some(date("2026-03-10")));
    assert_eq!(
        detail.findings.as_deref(),
        Some("Надстроены два этажа сверх разрешения.")
    );
    assert_eq!(
        detail.measures.as_deref(),
        Some("Назначен штраф, выдано предписание.")
    );
    assert!(detail.is_author);
    assert!(detail.actions.is_empty());
    let statuses: Vec<ReportStatus> = detail.events.iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        vec![
            ReportStatus::Submitted,
            ReportStatus::UnderVerification,
            ReportStatus::ViolationConfirmed,
            ReportStatus::MeasuresTaken,
        ],
        "one event per step"
    );
    assert_eq!(detail.events[1].actor_name.as_deref(), Some("inspector"));
    assert_eq!(detail.events[3].at, at("2026-04-01 12:00:00"));

    // A second report, dismissed: no violation counted; dismissing twice is refused.
    let other = w
        .report(
            &mut conn,
            Some(entry),
            w.krasnodar,
            at("2026-03-05 10:00:00"),
        )
        .await;
    let officials_view = Reports::detail(&mut conn, other, Some(w.official), &[w.department])
        .await
        .expect("detail")
        .expect("exists");
    assert_eq!(
        officials_view.actions,
        vec![ReportAction::StartVerification]
    );
    assert!(!officials_view.is_author);
    w.step(
        &mut conn,
        other,
        ReportAction::StartVerification,
        at("2026-03-06 10:00:00"),
    )
    .await
    .expect("start");
    assert_eq!(
        w.step(
            &mut conn,
            other,
            ReportAction::Dismiss,
            at("2026-03-07 10:00:00")
        )
        .await
        .expect("dismiss"),
        ReportStatus::NotConfirmed
    );
    assert_illegal(
        w.step(
            &mut conn,
            other,
            ReportAction::Dismiss,
            at("2026-03-08 10:00:00"),
        )
        .await,
        "not_confirmed",
        "dismiss",
    );
    assert_eq!(counters(&mut conn, entry).await, (2, 1));
    assert!(matches!(
        w.step(
            &mut conn,
            ConstructionReportId(999_999),
            ReportAction::StartVerification,
            at("2026-03-08 10:00:00")
        )
        .await,
        Err(AppError::NotFound)
    ));
    let about_entry = Reports::of_construction(&mut conn, entry)
        .await
        .expect("reports of the entry");
    assert_eq!(
        about_entry.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![other, id],
        "newest first"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn registry_rights_follow_the_municipalities_of_the_supervision_rules() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let official = Users::session_user(&mut conn, w.official)
        .await
        .expect("user");
    let stranger = Users::session_user(&mut conn, w.stranger)
        .await
        .expect("user");
    let author = Users::session_user(&mut conn, w.author)
        .await
        .expect("user");
    let scope = registry_scope(&mut conn, &official).await.expect("scope");
    assert_eq!(
        scope,
        RegistryScope::Region,
        "the regional rule's department"
    );
    assert_eq!(
        registry_scope(&mut conn, &stranger).await.expect("scope"),
        RegistryScope::Municipalities(Vec::new())
    );
    assert!(
        !registry_scope(&mut conn, &author)
            .await
            .expect("scope")
            .edits_anything()
    );

    // One municipal rule gives that municipality's registry, not the region's.
    let theme = supervision_theme(&mut conn)
        .await
        .expect("theme")
        .expect("the supervision theme");
    RoutingRules::set(&mut conn, theme, Some(w.krasnodar), w.stranger_department)
        .await
        .expect("rule");
    let scope = registry_scope(&mut conn, &stranger).await.expect("scope");
    assert_eq!(scope, RegistryScope::Municipalities(vec![w.krasnodar]));
    assert!(scope.covers(w.krasnodar) && !scope.covers(w.sochi));
}

/// Rows of a registry page, by registry number.
async fn numbers(conn: &mut AsyncMysqlConnection, filter: &RegistryFilter) -> (Vec<String>, u64) {
    let page = Registry::page(conn, filter, RegistrySort::Number, 1)
        .await
        .expect("page");
    (
        page.rows
            .into_iter()
            .map(|row| row.registry_number)
            .collect(),
        page.total,
    )
}

fn query(edit: impl FnOnce(&mut RegistryQuery)) -> RegistryFilter {
    let mut query = RegistryQuery::default();
    edit(&mut query);
    query.filter()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_registry_filter_narrows_pages_and_counts() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    // Created one by one outside any transaction: InnoDB's full-text index only sees
    // committed rows.
    let school = ConstructionFields {
        object_name: "Школа на 1100 мест".into(),
        address: "г. Сочи, ул. Ясногорская, 16".into(),
        point: LatLon {
            lat: 43.59,
            lon: 39.73,
        },
        municipality_id: w.sochi,
        developer_name: "ГКУ КК «Дирекция по строительству объектов социальной сферы»".into(),
        developer_inn: "2308125006".into(),
        permit_date: date("2023-05-20"),
        status: ConstructionStatus::Commissioned,
        ..w.fields("РНС-2023-00001")
    };
    let hotel = ConstructionFields {
        object_name: "Гостиничный комплекс «Лазурный берег»".into(),
        address: "г. Сочи, Курортный пр-т, 72".into(),
        municipality_id: w.sochi,
        developer_name: "ООО «Курортстрой»".into(),
        permit_date: date("2025-02-01"),
        status: ConstructionStatus::Suspended,
        ..w.fields("РНС-2025-00001")
    };
    let house = ConstructionFields {
        object_name: "Индивидуальный жилой дом".into(),
        developer_name: "Петренко Ольга Викторовна".into(),
        developer_inn: "500100732259".into(),
        permit_date: date("2025-08-01"),
        status: ConstructionStatus::PermitIssued,
        ..w.fields("РНС-2025-00002")
    };
    for fields in [&school, &hotel, &house] {
        check_inn(&fields.developer_inn).expect("the test INNs are valid");
        w.create(&mut conn, fields).await;
    }
    // Plain Krasnodar blocks by the first developer, enough for a second page.
    for n in 1..=25 {
        let fields = ConstructionFields {
            permit_date: date("2024-01-01") + chrono::Duration::days(n),
            ..w.fields(&format!("РНС-2024-{n:05}"))
        };
        w.create(&mut conn, &fields).await;
    }

    let all = Registry::page(
        &mut conn,
        &RegistryFilter::default(),
        RegistrySort::PermitNewest,
        1,
    )
    .await
    .expect("page");
    assert_eq!(all.total, 28);
    assert_eq!(all.rows.len(), REGISTRY_PAGE_SIZE as usize);
    assert!(all.has_more);
    assert_eq!(
        all.rows[0].registry_number, "РНС-2025-00002",
        "newest permit first"
    );
    let second = Registry::page(
        &mut conn,
        &RegistryFilter::default(),
        RegistrySort::PermitNewest,
        2,
    )
    .await
    .expect("page 2");
    assert_eq!(
        (second.rows.len(), second.has_more, second.page),
        (3, false, 2)
    );
    assert_eq!(
        second.rows.last().map(|row| row.registry_number.as_str()),
        Some("РНС-2023-00001"),
        "oldest permit last"
    );

    let sochi = query(|q| q.municipality = w.sochi.to_string());
    assert_eq!(
        numbers(&mut conn, &sochi).await,
        (vec!["РНС-2023-00001".into(), "РНС-2025-00001".into()], 2)
    );
    let suspended = query(|q| q.status = "suspended".into());
    assert_eq!(numbers(&mut conn, &suspended).await.1, 1);
    let sochi_commissioned = query(|q| {
        q.municipality = w.sochi.to_string();
        q.status = "commissioned".into();
    });
    assert_eq!(
        numbers(&mut conn, &sochi_commissioned).await,
        (vec!["РНС-2023-00001".into()], 1)
    );
    let by_inn = query(|q| q.developer = " 500100732259 ".into());
    assert_eq!(by_inn.developer_inn.as_deref(), Some("500100732259"));
    assert_eq!(
        numbers(&mut conn, &by_inn).await,
        (vec!["РНС-2025-00002".into()], 1)
    );
    assert_eq!(
        numbers(&mut conn, &query(|q| q.developer = INN_A.into()))
            .await
            .1,
        26
    );
    let by_name = query(|q| q.developer = "ООО СЗ".into());
    assert_eq!(by_name.developer_name.as_deref(), Some("ООО СЗ"));
    assert_eq!(numbers(&mut conn, &by_name).await.1, 25);
    // A name prefix is a prefix, with LIKE's wildcards taken literally.
    assert_eq!(
        numbers(&mut conn, &query(|q| q.developer = "СЗ".into()))
            .await
            .1,
        0
    );
    assert_eq!(
        numbers(&mut conn, &query(|q| q.developer = "ООО%".into()))
            .await
            .1,
        0
    );
    let range = query(|q| {
        q.from = "2024-01-01".into();
        q.to = "15.01.2024".into();
    });
    assert_eq!(numbers(&mut conn, &range).await.1, 14);
    let since_2025 = query(|q| q.from = "2025-01-01".into());
    assert_eq!(numbers(&mut conn, &since_2025).await.1, 2);

    // Full-text words: every word must occur, as a word prefix, case-insensitively.
    let words = query(|q| q.q = "школа Ясногорская".into());
    assert_eq!(
        numbers(&mut conn, &words).await,
        (vec!["РНС-2023-00001".into()], 1)
    );
    assert_eq!(
        numbers(&mut conn, &query(|q| q.q = "курорт".into()))
            .await
            .1,
        1
    );
    assert_eq!(
        numbers(&mut conn, &query(|q| q.q = "жилой".into())).await.1,
        26
    );
    assert_eq!(
        numbers(&mut conn, &query(|q| q.q = "жилой петренко".into()))
            .await
            .1,
        1
    );
    assert_eq!(
        numbers(&mut conn, &query(|q| q.q = "школа курортный".into()))
            .await
            .1,
        0
    );
    assert_eq!(
        numbers(&mut conn, &query(|q| q.q = "ru23306000".into()))
            .await
            .1,
        28
    );
    // Quotes and operators in the text are dropped, not interpreted.
    assert_eq!(
        numbers(&mut conn, &query(|q| q.q = "\"школа\" -жилой +'".into()))
            .await
            .1,
        0
    );
    // Words combine with the other filters.
    let combined = query(|q| {
        q.q = "жилой".into();
        q.municipality = w.sochi.to_string();
    });
    assert_eq!(numbers(&mut conn, &combined).await.1, 0);

    // Second pages: the deferred join keeps the order, the search keeps its count.
    let mut by_name = Vec::new();
    for page in 1..=2 {
        let rows = Registry::page(
            &mut conn,
            &RegistryFilter::default(),
            RegistrySort::Name,
            page,
        )
        .await
        .expect("page by name")
        .rows;
        by_name.extend(rows.into_iter().map(|row| (row.object_name, row.id)));
    }
    assert_eq!(by_name.len(), 28, "every entry once over the two pages");
    assert!(
        by_name.windows(2).all(|pair| pair[0] <= pair[1]),
        "{by_name:?}"
    );
    let words_second = Registry::page(
        &mut conn,
        &query(|q| q.q = "жилой".into()),
        RegistrySort::Number,
        2,
    )
    .await
    .expect("second page of a search");
    assert_eq!(
        (
            words_second.total,
            words_second.rows.len(),
            words_second.has_more
        ),
        (26, 26 - REGISTRY_PAGE_SIZE as usize, false)
    );
}

fn square_footprint(lat: f64, lon: f64) -> Footprint {
    Footprint::new(vec![
        LatLon { lat, lon },
        LatLon {
            lat,
            lon: lon + 0.001,
        },
        LatLon {
            lat: lat + 0.0007,
            lon: lon + 0.001,
        },
        LatLon {
            lat: lat + 0.0007,
            lon,
        },
    ])
    .expect("a valid outline")
}

#[tokio::test(flavor = "multi_thread")]
async fn footprints_are_kept_and_their_changes_listed() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let outlined = ConstructionFields {
        footprint: Some(square_footprint(45.04, 39.03)),
        ..w.fields("КОН-2024-00001")
    };
    let id = w.create(&mut conn, &outlined).await;
    assert_eq!(
        Registry::fields(&mut conn, id).await.expect("fields"),
        Some(outlined.clone())
    );
    let moved = ConstructionFields {
        footprint: Some(square_footprint(45.041, 39.03)),
        ..outlined.clone()
    };
    Registry::update(&mut conn, id, &moved, w.editor(), at("2026-01-11 10:00:00"))
        .await
        .expect("update");
    let history = Registry::history(&mut conn, HistoryOf::Entry(id), 10)
        .await
        .expect("history");
    assert_eq!(
        changed_fields(&history[0].changes),
        vec![RegistryField::Footprint]
    );
    assert_eq!(
        history[0].changes[0]
            .after
            .as_deref()
            .and_then(Footprint::from_stored),
        moved.footprint
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_keeps_what_its_file_has_no_column_for() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let entry = ConstructionFields {
        footprint: Some(square_footprint(45.04, 39.03)),
        ..w.fields("ИМП-2024-00001")
    };
    let id = w.create(&mut conn, &entry).await;
    // A sheet with only the required columns and a new object name.
    let row = ConstructionFields {
        object_name: "Жилой дом со встроенными помещениями".into(),
        floors: None,
        total_area_m2: None,
        planned_completion: None,
        status: ConstructionStatus::PermitIssued,
        footprint: None,
        ..entry.clone()
    };
    let columns: Vec<RegistryField> = RegistryField::ALL
        .into_iter()
        .filter(|field| Register::Permitted.is_required(*field))
        .collect();
    let expected = ImportCounts {
        added: 0,
        updated: 1,
        unchanged: 0,
    };
    let rows = [row.clone()];
    assert_eq!(
        plan_import(&mut conn, &rows, &columns).await.expect("plan"),
        expected
    );
    let done = apply_import(
        &mut conn,
        &rows,
        &columns,
        w.editor(),
        at("2026-03-01 10:05:00"),
        &|_| {},
    )
    .await
    .expect("apply");
    assert_eq!(done, expected);
    let after = Registry::fields(&mut conn, id).await.expect("fields");
    assert_eq!(
        after,
        Some(ConstructionFields {
            object_name: row.object_name.clone(),
            ..entry.clone()
        }),
        "only the name changed; what the sheet lacks is kept"
    );
    // A sheet that has the columns, blank, does clear them.
    let done = apply_import(
        &mut conn,
        &rows,
        &RegistryField::ALL,
        w.editor(),
        at("2026-03-02 10:05:00"),
        &|_| {},
    )
    .await
    .expect("apply with every column");
    assert_eq!(done, expected);
    assert_eq!(
        Registry::fields(&mut conn, id).await.expect("fields"),
        Some(row)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn imports_whose_server_died_are_marked_failed() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-03-01 12:00:00");
    let mut ids = Vec::new();
    for (phase, heartbeat) in [
        ("committing", Some(at("2026-03-01 11:50:00"))),
        ("checking", None),
        ("checking", Some(at("2026-03-01 11:59:30"))),
        ("checked", Some(at("2026-03-01 11:00:00"))),
    ] {
        let id = import_row(&mut conn, w.official).await;
        diesel::update(registry_imports::table.find(id))
            .set((
                registry_imports::phase.eq(phase),
                registry_imports::heartbeat_at.eq(heartbeat),
            ))
            .execute(&mut conn)
            .await
            .expect("set phase");
        ids.push(id);
    }
    assert_eq!(
        Imports::fail_interrupted(&mut conn, now)
            .await
            .expect("sweep"),
        2
    );
    let mut states = Vec::new();
    for id in &ids {
        states.push(
            registry_imports::table
                .find(*id)
                .select((registry_imports::phase, registry_imports::failure))
                .first::<(String, Option<String>)>(&mut conn)
                .await
                .expect("import"),
        );
    }
    let failed = || ("failed".to_string(), Some(IMPORT_INTERRUPTED.to_string()));
    assert_eq!(
        states,
        vec![
            failed(),
            failed(),
            ("checking".to_string(), None),
            ("checked".to_string(), None),
        ]
    );
    assert_eq!(
        Imports::fail_interrupted(&mut conn, now)
            .await
            .expect("sweep again"),
        0,
        "the sweep is idempotent"
    );
}

/// Issue 19, finding 8: workbooks left uploaded, checked or failed for a week are removed
/// and their imports say so; running or committed imports are left alone.
#[tokio::test(flavor = "multi_thread")]
async fn abandoned_workbooks_are_removed_after_a_week() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let directory = tempfile::tempdir().expect("a directory");
    let mut ids = Vec::new();
    for phase in ["uploaded", "checked", "failed", "committing", "committed"] {
        let id = import_row(&mut conn, w.official).await;
        diesel::update(registry_imports::table.find(id))
            .set(registry_imports::phase.eq(phase))
            .execute(&mut conn)
            .await
            .expect("set phase");
        std::fs::write(
            super::importer::file_path(directory.path(), id),
            b"workbook",
        )
        .expect("a workbook");
        ids.push(id);
    }
    let young = at("2026-03-01 09:00:00");
    let expired = Imports::expire_abandoned(&mut conn, directory.path(), young).await;
    assert_eq!(expired.expect("sweep"), 0, "younger than the cutoff");

    let cutoff = at("2026-03-08 10:00:01");
    let expired = Imports::expire_abandoned(&mut conn, directory.path(), cutoff).await;
    assert_eq!(expired.expect("sweep"), 3);
    let mut kept = Vec::new();
    for id in &ids {
        let state: (String, Option<String>) = registry_imports::table
            .find(*id)
            .select((registry_imports::phase, registry_imports::failure))
            .first(&mut conn)
            .await
            .expect("import");
        let file = super::importer::file_path(directory.path(), *id).exists();
        kept.push((state.0, state.1, file));
    }
    let gone = || {
        (
            "failed".to_string(),
            Some("file_missing".to_string()),
            false,
        )
    };
    assert_eq!(
        kept,
        vec![
            gone(),
            gone(),
            gone(),
            ("committing".to_string(), None, true),
            ("committed".to_string(), None, true),
        ]
    );
    let again = Imports::expire_abandoned(&mut conn, directory.path(), cutoff).await;
    assert_eq!(again.expect("sweep again"), 0, "the sweep is idempotent");
}

/// Searching a registry or permit number as printed ("РНС-2024-00001",
/// "23-RU23306000-1234-2024") finds it. It does not yet: their parts of one or two
/// characters ("23") are below InnoDB's minimum token size, and a required word the index
/// never holds ("+23*") makes the boolean search match nothing. `search_words` should
/// drop such words (or the filter match them another way).
#[tokio::test(flavor = "multi_thread")]
async fn searching_a_printed_permit_number_finds_the_entry() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    w.create(&mut conn, &w.fields("РНС-2024-00001")).await;
    let filter = query(|q| q.q = "23-RU23306000-1234-2024".into());
    assert_eq!(numbers(&mut conn, &filter).await.1, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn analytics_count_reports_by_municipality_status_and_month() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let entry = w.create(&mut conn, &w.fields("РНС-2024-00001")).await;
    // Older than the twelve months counted.
    w.report(&mut conn, None, w.krasnodar, at("2025-06-20 10:00:00"))
        .await;
    let confirmed = w
        .report(
            &mut conn,
            Some(entry),
            w.krasnodar,
            at("2026-01-10 10:00:00"),
        )
        .await;
    for (action, when) in [
        (ReportAction::StartVerification, "2026-01-11 10:00:00"),
        (ReportAction::ConfirmViolation, "2026-01-20 10:00:00"),
    ] {
        w.step(&mut conn, confirmed, action, at(when))
            .await
            .expect("step");
    }
    w.report(&mut conn, None, w.sochi, at("2026-01-25 10:00:00"))
        .await;
    let dismissed = w
        .report(&mut conn, None, w.krasnodar, at("2026-03-03 10:00:00"))
        .await;
    for (action, when) in [
        (ReportAction::StartVerification, "2026-03-04 10:00:00"),
        (ReportAction::Dismiss, "2026-03-05 10:00:00"),
    ] {
        w.step(&mut conn, dismissed, action, at(when))
            .await
            .expect("step");
    }

    let analytics = Reports::analytics(&mut conn, &AnalyticsFilter::default(), date("2026-06-15"))
        .await
        .expect("analytics");
    assert_eq!(analytics.first_month, date("2025-07-01"));
    let rows = |rows: &[super::model::CountRow]| -> Vec<(String, u64, u64)> {
        rows.iter()
            .map(|row| (row.key.clone(), row.reports, row.violations))
            .collect()
    };
    let mut by_municipality = vec![(w.krasnodar.to_string(), 2, 1), (w.sochi.to_string(), 1, 0)];
    by_municipality.sort();
    assert_eq!(rows(&analytics.by_municipality), by_municipality);
    assert_eq!(
        rows(&analytics.by_status),
        vec![
            ("not_confirmed".to_string(), 1, 0),
            ("submitted".to_string(), 1, 0),
            ("violation_confirmed".to_string(), 1, 1),
        ]
    );
    assert_eq!(
        rows(&analytics.by_month),
        vec![("2026-01".to_string(), 2, 1), ("2026-03".to_string(), 1, 0)]
    );
    assert_eq!(
        analytics.density.iter().map(|cell| cell.count).sum::<u64>(),
        3,
        "the density layer counts the same reports"
    );

    let sochi_only = AnalyticsFilter {
        municipality_id: Some(w.sochi),
    };
    let analytics = Reports::analytics(&mut conn, &sochi_only, date("2026-06-15"))
        .await
        .expect("analytics");
    assert_eq!(
        rows(&analytics.by_month),
        vec![("2026-01".to_string(), 1, 0)]
    );
    assert_eq!(
        rows(&analytics.by_municipality),
        vec![(w.sochi.to_string(), 1, 0)]
    );
}

#[test]
fn demo_inns_pass_the_checksum() {
    let mut dice = platform::dice::Dice(0xC0_4E57_2023);
    for _ in 0..200 {
        for person in [false, true] {
            let inn = super::seed::demo_inn(&mut dice, person);
            assert_eq!(inn.len(), if person { 12 } else { 10 });
            assert!(inn.starts_with("23"), "{inn} is a Kuban INN");
            assert!(check_inn(&inn).is_ok(), "{inn} is valid");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_construction_data_covers_every_state_and_is_made_once() {
    let db = TestDb::new().await;
    crate::seed::seed_demo_for_test(db.pool()).await;
    let mut conn = db.conn().await;
    let entries: Vec<(ConstructionId, String, MunicipalityId, String, f64, f64)> =
        constructions::table
            .select((
                constructions::id,
                constructions::status,
                constructions::municipality_id,
                constructions::developer_inn,
                constructions::lat,
                constructions::lon,
            ))
            .load(&mut conn)
            .await
            .expect("entries");
    assert_eq!(entries.len(), super::seed::DEMO_ENTRIES);
    for status in ConstructionStatus::ALL {
        assert!(
            entries.iter().any(|e| e.1 == status.as_db()),
            "no demo entry is {status:?}"
        );
    }
    let mut places: Vec<MunicipalityId> = entries.iter().map(|e| e.2).collect();
    places.sort();
    places.dedup();
    assert_eq!(places.len(), 44, "every municipality has entries");
    for (_, _, _, inn, lat, lon) in &entries {
        assert!(check_inn(inn).is_ok(), "demo INN {inn} is valid");
        assert!(
            platform::geo::in_region(LatLon {
                lat: *lat,
                lon: *lon
            }),
            "({lat}, {lon}) is in the region"
        );
    }
    let changed: i64 = construction_changes::table
        .filter(construction_changes::kind.eq("updated"))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count updates");
    assert!(changed > 10, "some entries changed later ({changed})");

    // Status, kind, aspect, filed, findings, measures.
    type ReportRow = (
        String,
        String,
        Option<String>,
        NaiveDateTime,
        Option<String>,
        Option<String>,
    );
    let reports: Vec<ReportRow> = construction_reports::table
        .select((
            construction_reports::status,
            construction_reports::kind,
            construction_reports::aspect,
            construction_reports::created_at,
            construction_reports::findings,
            construction_reports::measures,
        ))
        .load(&mut conn)
        .await
        .expect("reports");
    assert_eq!(reports.len(), super::seed::DEMO_REPORTS);
    for status in ReportStatus::ALL {
        assert!(
            reports.iter().any(|r| r.0 == status.as_db()),
            "no demo report is {status:?}"
        );
    }
    for kind in ReportKind::ALL {
        assert!(
            reports.iter().any(|r| r.1 == kind.as_db()),
            "no {kind:?} report"
        );
    }
    // The illegal registry: the inspections' entries in every status, and one entry per
    // confirmed "not in the registry" report.
    let illegal: Vec<(String, Option<u64>)> = platform::db::schema::illegal_constructions::table
        .select((
            platform::db::schema::illegal_constructions::status,
            platform::db::schema::illegal_constructions::report_id,
        ))
        .load(&mut conn)
        .await
        .expect("illegal constructions");
    for status in crate::constructions::model::IllegalStatus::ALL {
        assert!(
            illegal.iter().any(|entry| entry.0 == status.as_db()),
            "no demo illegal construction is {status:?}"
        );
    }
    let confirmed_unregistered = reports
        .iter()
        .filter(|r| {
            r.1 == "not_in_registry"
                && ReportStatus::from_db(&r.0).is_some_and(ReportStatus::is_violation)
        })
        .count();
    assert!(confirmed_unregistered > 0);
    assert_eq!(
        illegal.iter().filter(|entry| entry.1.is_some()).count(),
        confirmed_unregistered
    );
    assert_eq!(
        illegal.len(),
        super::seed::DEMO_ILLEGAL + confirmed_unregistered
    );
    for aspect in DiffAspect::ALL {
        assert!(
            reports
                .iter()
                .any(|r| r.2.as_deref() == Some(aspect.as_db())),
            "no report about {aspect:?}"
        );
    }
    for (status, _, _, _, findings, measures) in &reports {
        let status = ReportStatus::from_db(status).expect("a known status");
        assert_eq!(
            findings.is_some(),
            status.has_result(),
            "{status:?} findings"
        );
        assert_eq!(
            measures.is_some(),
            status == ReportStatus::MeasuresTaken,
            "{status:?} measures"
        );
    }
    let mut months: Vec<String> = reports
        .iter()
        .map(|r| r.3.format("%Y-%m").to_string())
        .collect();
    months.sort();
    months.dedup();
    assert!(
        months.len() >= 10,
        "reports spread over the year: {months:?}"
    );
    let counts: Vec<(u32, u32)> = constructions::table
        .select((constructions::report_count, constructions::violation_count))
        .load(&mut conn)
        .await
        .expect("counters");
    let report_total: i64 = counts.iter().map(|c| i64::from(c.0)).sum();
    let violation_total: i64 = counts.iter().map(|c| i64::from(c.1)).sum();
    let differs = reports
        .iter()
        .filter(|r| r.1 == ReportKind::DiffersFromPermit.as_db())
        .count() as i64;
    let differing_violations = reports
        .iter()
        .filter(|r| r.1 == ReportKind::DiffersFromPermit.as_db())
        .filter(|r| ReportStatus::from_db(&r.0).is_some_and(ReportStatus::is_violation))
        .count() as i64;
    assert_eq!(report_total, differs);
    assert_eq!(violation_total, differing_violations);

    // The documented demo official may edit the registry and verify reports.
    let (official, _) =
        Users::credentials(&mut conn, "staff-construction-supervision@openregion.demo")
            .await
            .expect("query")
            .expect("the supervision official exists");
    let official = Users::session_user(&mut conn, official)
        .await
        .expect("user");
    assert_eq!(
        registry_scope(&mut conn, &official).await.expect("scope"),
        RegistryScope::Region
    );

    drop(conn);
    crate::seed::seed_demo_for_test(db.pool()).await;
    let mut conn = db.conn().await;
    assert_eq!(
        Registry::count(&mut conn).await.expect("count") as usize,
        super::seed::DEMO_ENTRIES
    );
    let again: i64 = construction_reports::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count reports");
    assert_eq!(again as usize, super::seed::DEMO_REPORTS);
}

#[tokio::test(flavor = "multi_thread")]
async fn verification_steps_and_imports_leave_audit_rows() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w
        .report(&mut conn, None, w.krasnodar, at("2026-03-01 10:00:00"))
        .await;
    for (action, minute) in [
        (ReportAction::StartVerification, "11"),
        (ReportAction::Dismiss, "12"),
    ] {
        w.step(
            &mut conn,
            id,
            action,
            at(&format!("2026-03-02 10:{minute}:00")),
        )
        .await
        .expect("step");
    }
    let audit =
        civic::audit::AuditEntry::recent(&mut conn, Some(("construction_report", id.0)), 10)
            .await
            .expect("audit");
    let actions = civic::testing::audit_trail(&mut conn, "construction_report", id.0).await;
    assert_eq!(
        actions,
        [
            ("construction_report.dismiss".to_string(), Some(w.official)),
            (
                "construction_report.start_verification".to_string(),
                Some(w.official)
            ),
        ],
        "newest first; filing the report is a citizen's step, not audited"
    );
    assert!(
        audit[0].details.contains("\"to\":\"not_confirmed\""),
        "{}",
        audit[0].details
    );

    let import = import_row(&mut conn, w.official).await;
    let editor = Editor {
        user: w.official,
        import: Some(import),
    };
    apply_import(
        &mut conn,
        &import_records(&w, 3),
        &RegistryField::ALL,
        editor,
        at("2026-03-03 10:00:00"),
        &|_| {},
    )
    .await
    .expect("apply");
    let audit =
        civic::audit::AuditEntry::recent(&mut conn, Some(("registry_import", import.0)), 10)
            .await
            .expect("audit");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "registry.import");
    assert_eq!(audit[0].actor_id, Some(w.official));
    assert!(
        audit[0].details.contains("\"added\":3"),
        "{}",
        audit[0].details
    );
}

/// The act's row, as `(report, attached)`, or `None` once it is removed.
async fn act_row(
    conn: &mut AsyncMysqlConnection,
    key: &str,
) -> Option<(ConstructionReportId, bool)> {
    use platform::db::schema::inspection_acts;
    inspection_acts::table
        .find(key)
        .select((
            inspection_acts::report_id,
            inspection_acts::attached_at.is_not_null(),
        ))
        .first(conn)
        .await
        .optional()
        .expect("an act query")
}

/// The official confirms the violation of `report`, naming act `act`.
async fn verdict_naming(
    w: &World,
    conn: &mut AsyncMysqlConnection,
    report: ConstructionReportId,
    act: &str,
    now: NaiveDateTime,
) -> Result<ReportStatus, AppError> {
    let input = ValidVerification {
        act: Some(act.to_string()),
        ..verification(ReportAction::ConfirmViolation, now)
    };
    let action = ReportAction::ConfirmViolation;
    Reports::step(
        conn,
        report,
        action,
        w.official,
        &[w.department],
        &input,
        now,
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_verdict_names_only_its_own_reports_unused_act_and_unnamed_acts_are_removed() {
    use super::acts::{act_file, remove_unattached_once};
    use super::queries::Acts;
    let w = world().await;
    let mut conn = w.db.conn().await;
    let directory = tempfile::tempdir().expect("a directory");
    let media = platform::media::MediaStore::in_directory(directory.path());
    let uploaded = at("2026-03-01 09:00:00");
    let ours = w.report(&mut conn, None, w.krasnodar, uploaded).await;
    let other = w.report(&mut conn, None, w.krasnodar, uploaded).await;
    for (key, report) in [("a1", ours), ("b2", other), ("c3", ours)] {
        Acts::record(&mut conn, key, report, w.official, uploaded)
            .await
            .expect("record an act");
        let file = act_file(key).expect("a plain key");
        media.put(&file, b"%PDF-1.7").await.expect("an act file");
    }
    w.step(&mut conn, ours, ReportAction::StartVerification, uploaded)
        .await
        .expect("start");
    // Another report's act, and one never uploaded, are refused and change nothing.
    for act in ["b2", "zz"] {
        let refused = verdict_naming(&w, &mut conn, ours, act, uploaded).await;
        assert!(
            matches!(&refused, Err(AppError::Invalid { errors })
                if errors[0].field == "act" && errors[0].code == ErrorCode::ActMissing),
            "{act}: {refused:?}"
        );
    }
    assert_eq!(act_row(&mut conn, "b2").await, Some((other, false)));
    let status: String = construction_reports::table
        .find(ours)
        .select(construction_reports::status)
        .first(&mut conn)
        .await
        .expect("the report");
    assert_eq!(
        status, "under_verification",
        "a refused verdict is not published"
    );
    verdict_naming(&w, &mut conn, ours, "a1", uploaded)
        .await
        .expect("the verdict");
    assert_eq!(act_row(&mut conn, "a1").await, Some((ours, true)));

    // A day after the upload, the acts no verdict named go, rows and files; the named one
    // stays. A second run finds nothing.
    let young = uploaded + chrono::Duration::hours(23);
    let removed = remove_unattached_once(&mut conn, "test", &media, young).await;
    assert_eq!(removed.expect("cleanup"), Some(0));
    let later = uploaded + chrono::Duration::hours(25);
    let removed = remove_unattached_once(&mut conn, "test", &media, later).await;
    assert_eq!(removed.expect("cleanup"), Some(2));
    for (key, kept) in [("a1", true), ("b2", false), ("c3", false)] {
        assert_eq!(act_row(&mut conn, key).await.is_some(), kept, "{key}'s row");
        let file = act_file(key).expect("a plain key");
        assert_eq!(media.contains(&file).await.ok(), Some(kept), "{key}'s file");
    }
    // A released lease is free again from the next second on.
    let next = later + chrono::Duration::seconds(1);
    let again = remove_unattached_once(&mut conn, "test", &media, next).await;
    assert_eq!(again.expect("cleanup"), Some(0));
}
