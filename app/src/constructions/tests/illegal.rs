//! The registry of illegal constructions against a real MariaDB: a confirmed citizen's
//! report enters it (linked both ways) and nothing else does, a case moves forward with
//! its documents and stays closed, the public table filters and pages by keyset, and an
//! import is idempotent.

use super::*;
use crate::constructions::model::{
    FoundBy, ILLEGAL_PAGE_SIZE, IllegalConstructionId, IllegalFields, IllegalFilter, IllegalRecord,
    IllegalStatus, IllegalStep, number_from_report,
};
use crate::constructions::queries::{
    IllegalRegistry, apply_illegal_import, foreign_illegal_rows, plan_illegal_import,
};
use platform::db::schema::illegal_constructions;
use platform::geo::Viewport;
use platform::keyset::PageStart;

async fn illegal_count(conn: &mut AsyncMysqlConnection) -> i64 {
    illegal_constructions::table
        .count()
        .get_result(conn)
        .await
        .expect("count the illegal registry")
}

impl World {
    /// An illegal construction found by an inspection in `municipality`.
    fn illegal(
        &self,
        number: &str,
        municipality: MunicipalityId,
        identified: &str,
    ) -> IllegalFields {
        IllegalFields {
            registry_number: number.into(),
            object_name: "Металлический ангар".into(),
            address: format!("ул. Садовая, {number}"),
            point: LatLon {
                lat: 45.03,
                lon: 38.97,
            },
            municipality_id: municipality,
            cadastral_number: Some("23:43:0000000:1".into()),
            owner_name: None,
            floors: Some(1),
            total_area_m2: Some(420.0),
            found_by: FoundBy::Inspection,
            identified_on: date(identified),
        }
    }

    async fn enter_illegal(
        &self,
        conn: &mut AsyncMysqlConnection,
        fields: &IllegalFields,
    ) -> IllegalConstructionId {
        IllegalRegistry::create(conn, fields, None, self.official, at("2026-02-01 10:00:00"))
            .await
            .expect("enter an illegal construction")
    }
}

fn step(status: IllegalStatus, day: &str, document: &str) -> IllegalStep {
    IllegalStep {
        status,
        decided_on: date(day),
        document: (!document.is_empty()).then(|| document.to_string()),
    }
}

#[tokio::test]
async fn a_confirmed_report_of_an_unregistered_construction_enters_the_illegal_registry() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let unregistered = w
        .report(&mut conn, None, w.krasnodar, at("2026-03-01 10:00:00"))
        .await;
    let dismissed = w
        .report(&mut conn, None, w.krasnodar, at("2026-03-01 11:00:00"))
        .await;
    let entry = w.create(&mut conn, &w.fields("РНС-2024-00020")).await;
    let differs = w
        .report(
            &mut conn,
            Some(entry),
            w.krasnodar,
            at("2026-03-01 12:00:00"),
        )
        .await;
    for id in [unregistered, dismissed, differs] {
        w.step(
            &mut conn,
            id,
            ReportAction::StartVerification,
            at("2026-03-02 09:00:00"),
        )
        .await
        .expect("start verification");
    }
    w.step(
        &mut conn,
        dismissed,
        ReportAction::Dismiss,
        at("2026-03-05 09:00:00"),
    )
    .await
    .expect("dismiss");
    w.step(
        &mut conn,
        differs,
        ReportAction::ConfirmViolation,
        at("2026-03-05 10:00:00"),
    )
    .await
    .expect("confirm a deviation from the permit");
    assert_eq!(
        illegal_count(&mut conn).await,
        0,
        "neither a dismissed report nor a deviation of a permitted entry is an illegal construction"
    );
    assert_eq!(
        counters(&mut conn, entry).await,
        (1, 1),
        "the deviation shows on its entry"
    );

    w.step(
        &mut conn,
        unregistered,
        ReportAction::ConfirmViolation,
        at("2026-03-06 15:00:00"),
    )
    .await
    .expect("confirm");
    assert_eq!(illegal_count(&mut conn).await, 1);
    let (id, number) = IllegalRegistry::of_report(&mut conn, unregistered)
        .await
        .expect("read the link")
        .expect("the report's construction is in the illegal registry");
    assert_eq!(number, number_from_report(unregistered));
    let detail = IllegalRegistry::detail(&mut conn, id, false)
        .await
        .expect("read the entry")
        .expect("the entry");
    let row = &detail.row;
    assert_eq!(
        row.report_id,
        Some(unregistered),
        "the entry links back to its report"
    );
    assert_eq!(row.found_by, FoundBy::CitizenReport);
    assert_eq!(row.status, IllegalStatus::Identified);
    assert_eq!(
        row.identified_on,
        date("2026-03-06"),
        "identified by the inspection's date"
    );
    assert_eq!(row.municipality_id, w.krasnodar);
    assert_eq!((row.point.lat, row.point.lon), (45.05, 38.98));
    assert_eq!(row.address, "ул. Уральская, 100");
    assert_eq!(row.decided_on, None);
    assert_eq!(detail.events.len(), 1);
    assert_eq!(
        detail.events[0].document.as_deref(),
        Some("Надстроены два этажа сверх разрешения."),
        "the published findings are the entry's first document"
    );
    assert!(detail.next.is_empty(), "the public records nothing");

    let report = Reports::detail(&mut conn, unregistered, None, &[])
        .await
        .expect("read the report")
        .expect("the report");
    assert_eq!(
        report.illegal_entry,
        Some((id, number)),
        "the report links to its entry"
    );
    let dismissed_report = Reports::detail(&mut conn, dismissed, None, &[])
        .await
        .expect("read the report")
        .expect("the report");
    assert_eq!(dismissed_report.illegal_entry, None);

    w.step(
        &mut conn,
        unregistered,
        ReportAction::TakeMeasures,
        at("2026-03-20 10:00:00"),
    )
    .await
    .expect("measures");
    assert_eq!(
        illegal_count(&mut conn).await,
        1,
        "measures enter nothing again"
    );

    let page = IllegalRegistry::page(&mut conn, &IllegalFilter::default(), &PageStart::First)
        .await
        .expect("the public table");
    assert_eq!(page.total, 1);
    assert_eq!(page.paged.rows[0].id, id);
    let region = Viewport::requested(43.0, 36.0, 47.0, 42.0, 7).expect("a viewport");
    let clusters = IllegalRegistry::clusters(&mut conn, &IllegalFilter::default(), region)
        .await
        .expect("the map");
    assert_eq!(clusters.iter().map(|cluster| cluster.count).sum::<u64>(), 1);
    assert_eq!(
        clusters[0].single,
        Some(id.0),
        "a marker of one entry names it"
    );
}

#[tokio::test]
async fn an_illegal_case_moves_forward_with_its_documents_and_stays_closed() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let id = w
        .enter_illegal(
            &mut conn,
            &w.illegal("СП-2026-0001", w.krasnodar, "2026-01-15"),
        )
        .await;
    let now = at("2026-06-01 10:00:00");
    let refused = IllegalRegistry::step(
        &mut conn,
        id,
        &step(IllegalStatus::Identified, "2026-02-01", ""),
        w.official,
        now,
    )
    .await;
    assert!(
        matches!(refused, Err(AppError::IllegalTransition { ref status, ref action })
            if status == "identified" && action == "identified"),
        "{refused:?}"
    );
    let before_found = IllegalRegistry::step(
        &mut conn,
        id,
        &step(IllegalStatus::Court, "2026-01-14", ""),
        w.official,
        now,
    )
    .await;
    assert_invalid(before_found, "decided_on", ErrorCode::NotAllowed);
    for (status, day) in [
        (IllegalStatus::Court, "2026-02-10"),
        (IllegalStatus::DemolitionOrdered, "2026-03-20"),
        (IllegalStatus::Demolished, "2026-05-30"),
    ] {
        let entered = IllegalRegistry::step(
            &mut conn,
            id,
            &step(status, day, "Решение суда № 2-1/2026"),
            w.official,
            now,
        )
        .await
        .expect("a step forward");
        assert_eq!(entered, status);
    }
    let detail = IllegalRegistry::detail(&mut conn, id, true)
        .await
        .expect("read")
        .expect("the entry");
    assert_eq!(detail.row.status, IllegalStatus::Demolished);
    assert_eq!(
        detail.row.decided_on,
        Some(date("2026-03-20")),
        "the first decision's date is kept: the demolition order, not the demolition"
    );
    assert_eq!(detail.row.days_to_decision(), Some(64));
    let statuses: Vec<IllegalStatus> = detail.events.iter().map(|event| event.status).collect();
    assert_eq!(
        statuses,
        [
            IllegalStatus::Identified,
            IllegalStatus::Court,
            IllegalStatus::DemolitionOrdered,
            IllegalStatus::Demolished
        ]
    );
    assert!(detail.next.is_empty(), "a closed case takes no step");
    let after_close = IllegalRegistry::step(
        &mut conn,
        id,
        &step(IllegalStatus::Legalised, "2026-05-31", "Решение"),
        w.official,
        now,
    )
    .await;
    assert!(matches!(
        after_close,
        Err(AppError::IllegalTransition { .. })
    ));
    let audit =
        civic::audit::AuditEntry::recent(&mut conn, Some(("illegal_construction", id.0)), 10)
            .await
            .expect("audit");
    assert_eq!(audit.len(), 3, "every recorded step is audited");
    assert!(audit.iter().all(|entry| entry.actor_id == Some(w.official)));
}

#[tokio::test]
async fn the_illegal_registry_filters_and_pages_by_keyset() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let mut krasnodar = Vec::new();
    for index in 0..(2 * ILLEGAL_PAGE_SIZE + 7) {
        let municipality = if index % 3 == 0 { w.sochi } else { w.krasnodar };
        // Several entries share a day, so the id breaks the ties.
        let day = format!("2026-01-{:02}", 1 + index / 2);
        let id = w
            .enter_illegal(
                &mut conn,
                &w.illegal(&format!("СП-{index:04}"), municipality, &day),
            )
            .await;
        if municipality == w.krasnodar {
            krasnodar.push(id);
        }
    }
    let in_krasnodar = IllegalFilter {
        municipality_id: Some(w.krasnodar),
        ..IllegalFilter::default()
    };
    let mut seen = Vec::new();
    let mut start = PageStart::First;
    let mut pages = Vec::new();
    loop {
        let page = IllegalRegistry::page(&mut conn, &in_krasnodar, &start)
            .await
            .expect("a page");
        assert_eq!(page.total, krasnodar.len() as u64);
        assert!(
            page.paged
                .rows
                .iter()
                .all(|row| row.municipality_id == w.krasnodar)
        );
        seen.extend(page.paged.rows.iter().map(|row| row.id));
        pages.push((
            start,
            page.paged.rows.iter().map(|row| row.id).collect::<Vec<_>>(),
        ));
        let (_, next) = page.neighbours();
        match next {
            Some(next) => start = next,
            None => break,
        }
    }
    assert!(pages.len() >= 2, "more entries than one page holds");
    let mut expected = krasnodar.clone();
    expected.sort_by_key(|id| std::cmp::Reverse(*id));
    assert_eq!(
        seen, expected,
        "every entry exactly once, the latest identified first"
    );
    // Back from the last page: the previous page is the one that led to it.
    let last = IllegalRegistry::page(&mut conn, &in_krasnodar, &pages[pages.len() - 1].0)
        .await
        .expect("the last page");
    let (previous, _) = last.neighbours();
    let back = IllegalRegistry::page(
        &mut conn,
        &in_krasnodar,
        &previous.expect("a previous page"),
    )
    .await
    .expect("the page before");
    let ids: Vec<IllegalConstructionId> = back.paged.rows.iter().map(|row| row.id).collect();
    assert_eq!(ids, pages[pages.len() - 2].1);

    let searched = IllegalFilter {
        words: vec!["0004".into()],
        ..IllegalFilter::default()
    };
    let found = IllegalRegistry::page(&mut conn, &searched, &PageStart::First)
        .await
        .expect("search");
    assert_eq!(
        found.total, 1,
        "the search reads the registry number and the address"
    );
    let court = IllegalFilter {
        status: Some(IllegalStatus::Court),
        ..IllegalFilter::default()
    };
    assert_eq!(
        IllegalRegistry::page(&mut conn, &court, &PageStart::First)
            .await
            .expect("by status")
            .total,
        0
    );
    IllegalRegistry::step(
        &mut conn,
        krasnodar[0],
        &step(IllegalStatus::Court, "2026-02-01", ""),
        w.official,
        at("2026-02-02 10:00:00"),
    )
    .await
    .expect("to court");
    let in_court = IllegalRegistry::all(&mut conn, &court, 100)
        .await
        .expect("export rows");
    assert_eq!(
        in_court.iter().map(|row| row.id).collect::<Vec<_>>(),
        [krasnodar[0]]
    );
}

fn record(fields: IllegalFields, status: Option<IllegalStatus>) -> IllegalRecord {
    IllegalRecord { fields, status }
}

#[tokio::test]
async fn importing_the_illegal_registry_again_changes_nothing_and_a_changed_status_is_a_step() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    // An entry already in the registry, which the file names in other letter case.
    let existing = w
        .enter_illegal(&mut conn, &w.illegal("СП-0001", w.krasnodar, "2026-01-10"))
        .await;
    let import = import_row(&mut conn, w.official).await;
    let editor = Editor {
        user: w.official,
        import: Some(import),
    };
    let all_columns = Register::Illegal.fields();
    let mut first = w.illegal("сп-0001", w.krasnodar, "2026-01-10");
    first.owner_name = Some("ООО «Ангар»".into());
    let records = vec![
        record(first, Some(IllegalStatus::Court)),
        record(w.illegal("СП-0002", w.krasnodar, "2026-02-01"), None),
        record(
            w.illegal("СП-0003", w.sochi, "2026-02-02"),
            Some(IllegalStatus::Demolished),
        ),
    ];
    let plan = plan_illegal_import(&mut conn, &records, all_columns)
        .await
        .expect("plan");
    let expected = ImportCounts {
        added: 2,
        updated: 1,
        unchanged: 0,
    };
    assert_eq!(plan, expected);
    let now = at("2026-03-01 10:00:00");
    let applied = apply_illegal_import(&mut conn, &records, all_columns, editor, now, &|_| {})
        .await
        .expect("apply");
    assert_eq!(applied, expected, "the dry run counts what the commit does");
    assert_eq!(illegal_count(&mut conn).await, 3);

    let updated = IllegalRegistry::detail(&mut conn, existing, false)
        .await
        .expect("read")
        .expect("the entry");
    assert_eq!(
        updated.row.registry_number, "СП-0001",
        "the number keeps its spelling"
    );
    assert_eq!(updated.row.status, IllegalStatus::Court);
    assert_eq!(updated.row.owner_name.as_deref(), Some("ООО «Ангар»"));
    let last = updated.events.last().expect("a step");
    assert_eq!(
        (last.status, last.import_id),
        (IllegalStatus::Court, Some(import))
    );
    let demolished = IllegalRegistry::page(
        &mut conn,
        &IllegalFilter {
            status: Some(IllegalStatus::Demolished),
            ..IllegalFilter::default()
        },
        &PageStart::First,
    )
    .await
    .expect("by status");
    assert_eq!(demolished.total, 1);
    assert_eq!(
        demolished.paged.rows[0].decided_on,
        Some(now.date()),
        "an entry imported as decided has a decision date"
    );
    assert_eq!(
        IllegalRegistry::of_import(&mut conn, import)
            .await
            .expect("the import's entries")
            .len(),
        3
    );

    // The same file again: nothing changes, no step is written.
    let events_before = illegal_events(&mut conn).await;
    let again = apply_illegal_import(&mut conn, &records, all_columns, editor, now, &|_| {})
        .await
        .expect("apply again");
    assert_eq!(
        again,
        ImportCounts {
            added: 0,
            updated: 0,
            unchanged: 3,
        }
    );
    assert_eq!(illegal_events(&mut conn).await, events_before);

    // A file without the owner and status columns keeps both.
    let mut narrow = w.illegal("сп-0001", w.krasnodar, "2026-01-10");
    narrow.owner_name = None;
    let without: Vec<RegistryField> = all_columns
        .iter()
        .copied()
        .filter(|field| !matches!(field, RegistryField::Owner | RegistryField::Status))
        .collect();
    assert_eq!(
        plan_illegal_import(&mut conn, &[record(narrow, None)], &without)
            .await
            .expect("plan"),
        ImportCounts {
            added: 0,
            updated: 0,
            unchanged: 1,
        }
    );

    // An official of Krasnodar's supervision may not change Sochi's entry by its number.
    let krasnodar = w.krasnodar;
    let only_krasnodar = move |municipality: MunicipalityId| municipality == krasnodar;
    let rows: Vec<(u32, IllegalRecord)> = records
        .into_iter()
        .zip(2u32..)
        .map(|(r, n)| (n, r))
        .collect();
    let refused = foreign_illegal_rows(&mut conn, &rows, &only_krasnodar)
        .await
        .expect("foreign rows");
    assert_eq!(refused, [4]);
}

async fn illegal_events(conn: &mut AsyncMysqlConnection) -> i64 {
    platform::db::schema::illegal_construction_events::table
        .count()
        .get_result(conn)
        .await
        .expect("count the steps")
}

#[tokio::test]
async fn the_analytics_count_illegal_constructions_and_how_long_decisions_took() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-06-01 10:00:00");
    let decided = [
        (
            "СП-1",
            w.krasnodar,
            "2026-01-10",
            IllegalStatus::DemolitionOrdered,
            "2026-02-09",
        ),
        (
            "СП-2",
            w.krasnodar,
            "2026-03-01",
            IllegalStatus::Legalised,
            "2026-03-11",
        ),
    ];
    for (number, municipality, identified, status, day) in decided {
        let id = w
            .enter_illegal(&mut conn, &w.illegal(number, municipality, identified))
            .await;
        IllegalRegistry::step(
            &mut conn,
            id,
            &step(status, day, "Решение"),
            w.official,
            now,
        )
        .await
        .expect("a decision");
    }
    w.enter_illegal(&mut conn, &w.illegal("СП-3", w.sochi, "2026-02-01"))
        .await;
    // Identified before the twelve months: not counted.
    w.enter_illegal(&mut conn, &w.illegal("СП-4", w.sochi, "2025-01-01"))
        .await;

    let analytics = IllegalRegistry::analytics(&mut conn, None, date("2025-07-01"))
        .await
        .expect("analytics");
    let rows = |rows: &[crate::constructions::model::CountRow]| -> Vec<(String, u64, u64)> {
        rows.iter()
            .map(|row| (row.key.clone(), row.reports, row.violations))
            .collect()
    };
    assert_eq!(
        rows(&analytics.by_status),
        [
            ("demolition_ordered".to_string(), 1, 1),
            ("identified".to_string(), 1, 0),
            ("legalised".to_string(), 1, 1),
        ]
    );
    assert_eq!(
        rows(&analytics.by_month),
        [
            ("2026-01".to_string(), 1, 1),
            ("2026-02".to_string(), 1, 0),
            ("2026-03".to_string(), 1, 1),
        ]
    );
    assert_eq!(
        rows(&analytics.by_municipality),
        [(w.krasnodar.to_string(), 2, 2), (w.sochi.to_string(), 1, 0),]
    );
    let times = analytics.days_to_decision;
    assert_eq!(times.decided, 2);
    assert_eq!(times.median, Some(20.0), "30 and 10 days");
    assert_eq!(times.mean, Some(20.0));
    assert_eq!(
        analytics.density.iter().map(|cell| cell.count).sum::<u64>(),
        3
    );

    let sochi = IllegalRegistry::analytics(&mut conn, Some(w.sochi), date("2025-07-01"))
        .await
        .expect("analytics of Sochi");
    assert_eq!(rows(&sochi.by_status), [("identified".to_string(), 1, 0)]);
    assert_eq!(sochi.days_to_decision.decided, 0);
    assert_eq!(sochi.days_to_decision.median, None);
}
