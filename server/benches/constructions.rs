//! `cargo bench -p server --bench constructions`: construction control at the scale.
//!
//! Seeds 100,000 registry entries across the 44 municipalities into the database
//! `or_bench_constructions` on `BENCH_DATABASE_URL` (default: the local MariaDB), kept
//! between runs, then measures:
//! - the registry table for several filters, each three ways in the same run: the page
//!   rendered on the server (`GET /constructions?...`, the whole HTML), `Registry::page`
//!   called directly, and the raw SQL it issues (`page_sql` + `count_sql`);
//! - the import of a 50,000-row workbook (built in memory with rust_xlsxwriter, registry
//!   numbers not yet in the registry): `read_registry` + `validate` (the CPU part of the
//!   dry run), `plan_import` and `apply_import` (the database part), rows/s and peak
//!   memory. The write goes into the seeded database inside a transaction that is rolled
//!   back afterwards, so every run starts from the same 100,000 entries;
//! - the XLSX and PDF exports of all 100,000 entries (`GET /constructions/export.xlsx`,
//!   `.pdf`): seconds, response size, peak memory.
//!
//! "Raw SQL" is the same SQL text run through the same pool and driver, rows read and
//! dropped: what the database and the wire cost before the application does anything.
//!
//! Memory: the import and each export run in a child process (this binary started again
//! with `CONSTRUCTIONS_BENCH_CHILD=<what>`), so one scenario's heap cannot inflate the
//! next one's numbers. The child reads its resident memory, resets the kernel's
//! high-water mark (`5` to `/proc/self/clear_refs`), runs the phase and reads the
//! high-water mark (`VmHWM`) again: "peak" is the whole process at its highest during the
//! phase, "base" what it held when the phase started (the phase's own peak is the
//! difference). `BENCH_ONLY=<text>` runs only the scenarios whose name contains it.

use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant};

use app::auth::model::UserId;
use app::constructions::import::ColumnMapping;
use app::constructions::import::workbook::{ValidationContext, read_registry, validate};
use app::constructions::importer::MunicipalityNames;
use app::constructions::model::{
    ConstructionFields, Editor, ImportId, Register, RegistryField, RegistryQuery, RegistrySort,
};
use app::constructions::queries::{Registry, apply_import, plan_import};
use app::geography::model::Municipality;
use chrono::{Datelike, NaiveDate};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, SimpleAsyncConnection};
use platform::db::{DbPool, build_pool};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

mod common;
use common::{
    RUNS, WARMUP, bench_database, bench_router, bench_server_url, count, get, http, measure, ms,
    raw, reset_peak, status_kib, wanted,
};

const DATABASE: &str = "or_bench_constructions";
const ENTRIES: u64 = 100_000;
/// Developers in the seeded registry (10-digit INNs `231` + 7 digits), ~50 entries each.
const DEVELOPERS: u64 = 1_999;
const IMPORT_ROWS: usize = 50_000;
/// Runs per export format (each in its own process); the table shows best and worst.
const EXPORT_RUNS: usize = 2;
const CHILD: &str = "CONSTRUCTIONS_BENCH_CHILD";

fn database_url() -> String {
    format!("{}/{DATABASE}", bench_server_url())
}

/// The INN of seeded developer `n` (the SQL below writes the same).
fn seeded_inn(n: u64) -> String {
    format!("231{n:07}")
}

async fn seed(pool: &DbPool) {
    let mut conn = pool.get().await.expect("connection");
    conn.batch_execute(
        "INSERT IGNORE INTO users (email, password_hash, display_name, home_municipality_id, locale, created_at, password_changed_at) \
         SELECT 'bench-official@example.test', 'x', 'Инспектор стройнадзора', MIN(id), 'ru', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM municipalities",
    )
    .await
    .expect("bench user");
    if count(&mut conn, "SELECT COUNT(*) AS n FROM constructions").await >= ENTRIES as i64 {
        println!("using the seeded data in {DATABASE}");
        return;
    }
    let started = Instant::now();
    // One statement, generated in the server by MariaDB's sequence engine. `k` is the
    // kind of object (name and permitted use go together), `d` the permit date over the
    // last five years, `dev` the developer.
    let permit_date = "(UTC_DATE() - INTERVAL ((s.seq * 7919) % 1826) DAY)";
    let kind = "(1 + s.seq % 12)";
    let dev = format!("(s.seq % {DEVELOPERS})");
    let sql = format!(
        "INSERT INTO constructions (registry_number, object_name, address, lat, lon, municipality_id, \
           developer_name, developer_inn, permit_number, permit_date, permit_issuer, permitted_use, \
           floors, total_area_m2, planned_completion, status, created_at, updated_at) \
         SELECT CONCAT('РНС-', YEAR({permit_date}), '-', LPAD(s.seq, 6, '0')), \
           CONCAT(ELT({kind}, 'Многоквартирный жилой дом', 'Жилой комплекс «', 'Многоквартирный жилой дом со встроенными помещениями общественного назначения', \
             'Индивидуальный жилой дом', 'Торгово-офисный центр', 'Школа на ', 'Детский сад на ', 'Гостиничный комплекс', 'Складской комплекс', \
             'Поликлиника на ', 'Автозаправочная станция с магазином сопутствующих товаров', 'Магазин'), \
             CASE {kind} \
               WHEN 2 THEN CONCAT(ELT(1 + s.seq % 10, 'Солнечный', 'Кубанская гавань', 'Южный квартал', 'Черноморский', 'Парковый', 'Светлый', \
                 'Лазурный берег', 'Новые горизонты', 'Екатеринодарский', 'Зелёная роща'), '», литер ', 1 + s.seq % 8) \
               WHEN 6 THEN CONCAT(ELT(1 + s.seq % 4, '550', '825', '1100', '1550'), ' мест') \
               WHEN 7 THEN CONCAT(ELT(1 + s.seq % 3, '160', '220', '280'), ' мест') \
               WHEN 10 THEN CONCAT(ELT(1 + s.seq % 3, '300', '500', '750'), ' посещений в смену') \
               ELSE '' END), \
           CONCAT(IF(m.kind = 'city_okrug', CONCAT('г. ', m.centre_name_ru), CONCAT(m.name_ru, ', ', m.centre_name_ru)), ', ', \
             ELT(1 + s.seq % 14, 'ул. Красная', 'ул. Ленина', 'ул. Мира', 'ул. Садовая', 'ул. Советская', 'ул. Школьная', 'ул. Северная', \
               'ул. Кирова', 'ул. Октябрьская', 'ул. Гагарина', 'ул. Набережная', 'ул. Кубанская', 'ул. Степная', 'ул. Пушкина'), \
             ', ', 1 + s.seq % 250), \
           m.centre_lat + (RAND(s.seq) - 0.5) * 0.06, m.centre_lon + (RAND(s.seq + 7) - 0.5) * 0.09, m.id, \
           CONCAT(ELT(1 + {dev} % 20, 'ООО СЗ «Южный квартал', 'ООО СЗ «Кубань-Девелопмент', 'АО «Черноморская строительная компания', \
             'ООО СЗ «Екатеринодар-Инвест', 'ООО СЗ «Новый горизонт', 'ООО «Азовстройинвест', 'ООО СЗ «Солнечный город', \
             'АО СЗ «Краевая жилищная корпорация', 'ООО «Гранит-Юг', 'ООО СЗ «Лазурный берег', 'ООО «Курортстрой', 'ООО СЗ «Парковый', \
             'ООО «Агрологистик-Кубань', 'ООО «Ритейл-Юг', 'ООО «Таманьтерминалстрой', 'ООО СЗ «Приморье', 'ООО «Отель-Сервис Сочи', \
             'ООО СЗ «Меридиан', 'ООО «Кубаньпромстрой', 'ООО СЗ «Дом на Набережной'), ' ', 1 + {dev} DIV 20, '»'), \
           CONCAT('231', LPAD({dev}, 7, '0')), \
           CONCAT('23-RU', 23300000 + m.id * 1000, '-', s.seq, '-', YEAR({permit_date})), \
           {permit_date}, \
           CONCAT('Управление архитектуры и градостроительства администрации муниципального образования ', m.name_ru), \
           ELT({kind}, 'Многоэтажная жилая застройка (высотная застройка)', 'Многоэтажная жилая застройка (высотная застройка)', \
             'Среднеэтажная жилая застройка', 'Для индивидуального жилищного строительства', 'Деловое управление', 'Образование и просвещение', \
             'Дошкольное, начальное и среднее общее образование', 'Гостиничное обслуживание', 'Склады', 'Амбулаторно-поликлиническое обслуживание', \
             'Объекты дорожного сервиса', 'Магазины'), \
           IF(s.seq % 11 = 0, NULL, ELT({kind}, 9 + s.seq % 16, 12 + s.seq % 14, 5 + s.seq % 4, 1 + s.seq % 3, 3 + s.seq % 6, 3 + s.seq % 2, \
             2 + s.seq % 2, 5 + s.seq % 10, 1 + s.seq % 2, 3 + s.seq % 3, 1, 1 + s.seq % 2)), \
           IF(s.seq % 9 = 0, NULL, ROUND(80 + (s.seq * 37) % 30000 + RAND(s.seq + 3), 1)), \
           IF(s.seq % 7 = 0, NULL, {permit_date} + INTERVAL (18 + s.seq % 30) MONTH), \
           ELT(1 + (s.seq DIV 3) % 10, 'permit_issued', 'under_construction', 'under_construction', 'under_construction', 'commissioned', \
             'commissioned', 'commissioned', 'permit_issued', 'suspended', 'revoked'), \
           {permit_date}, {permit_date} \
         FROM seq_1_to_{ENTRIES} s \
         JOIN municipalities m ON m.id = (SELECT MIN(id) FROM municipalities) + s.seq % 44"
    );
    conn.batch_execute(&sql).await.expect("seed statement");
    conn.batch_execute("ANALYZE TABLE constructions")
        .await
        .expect("analyze");
    println!("seeding took {:.0} s", started.elapsed().as_secs_f64());
}

/// Measures one registry page three ways: SSR, `Registry::page`, raw SQL.
async fn registry_scenario(router: &axum::Router, pool: &DbPool, name: &str, query: RegistryQuery) {
    if !wanted(name) {
        return;
    }
    let (filter, sort, page) = (query.filter(), query.sort(), query.page());
    let path = format!("/constructions{}", query.to_query_string(page));
    let sqls = [
        Registry::page_sql(&filter, sort, page),
        Registry::count_sql(&filter),
    ];
    let mut conn = pool.get().await.expect("connection");
    let total = Registry::page(&mut conn, &filter, sort, page)
        .await
        .expect("registry page")
        .total;
    drop(conn);
    let ssr = http(router, &path, None).await;
    let direct = measure(|| async {
        let mut conn = pool.get().await.expect("connection");
        Registry::page(&mut conn, &filter, sort, page)
            .await
            .expect("registry page");
    })
    .await;
    let sql = raw(pool, &sqls).await;
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    println!(
        "{name:<30} {total:>7} | {:>7.2} {:>7.2} | {:>7.2} {:>7.2} | {:>7.2} {:>7.2} | {:>5.1}x {:>5.1}x | {:>5.2}x {:>5.2}x",
        ms(ssr.p50),
        ms(ssr.p95),
        ms(direct.p50),
        ms(direct.p95),
        ms(sql.p50),
        ms(sql.p95),
        ratio(ssr.p50, sql.p50),
        ratio(ssr.p95, sql.p95),
        ratio(direct.p50, sql.p50),
        ratio(direct.p95, sql.p95),
    );
}

/// The check digit of a 10-digit INN over its first nine digits.
fn inn_10(first_nine: u64) -> String {
    const WEIGHTS: [u64; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    let digits = format!("{first_nine:09}");
    let sum: u64 = digits
        .bytes()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u64::from(digit - b'0') * weight)
        .sum();
    format!("{digits}{}", sum % 11 % 10)
}

const STREETS: [&str; 14] = [
    "ул. Красная",
    "ул. Ленина",
    "ул. Мира",
    "ул. Садовая",
    "ул. Советская",
    "ул. Школьная",
    "ул. Северная",
    "ул. Кирова",
    "ул. Октябрьская",
    "ул. Гагарина",
    "ул. Набережная",
    "ул. Кубанская",
    "ул. Степная",
    "ул. Пушкина",
];
/// Object names with their permitted use and usual floors.
const OBJECTS: [(&str, &str, u32); 8] = [
    (
        "Многоквартирный жилой дом",
        "Многоэтажная жилая застройка (высотная застройка)",
        17,
    ),
    (
        "Жилой комплекс «Новые горизонты», литер",
        "Многоэтажная жилая застройка (высотная застройка)",
        20,
    ),
    (
        "Индивидуальный жилой дом",
        "Для индивидуального жилищного строительства",
        2,
    ),
    ("Торгово-офисный центр", "Деловое управление", 5),
    (
        "Детский сад на 280 мест",
        "Дошкольное, начальное и среднее общее образование",
        3,
    ),
    ("Складской комплекс", "Склады", 1),
    (
        "Автозаправочная станция с магазином сопутствующих товаров",
        "Объекты дорожного сервиса",
        1,
    ),
    ("Гостиничный комплекс", "Гостиничное обслуживание", 9),
];
const STATUSES: [&str; 5] = [
    "Разрешение выдано",
    "Строительство ведётся",
    "Введён в эксплуатацию",
    "Приостановлено",
    "Разрешение отозвано",
];
const HEADERS: [&str; 16] = [
    "Реестровый номер",
    "Наименование объекта",
    "Адрес",
    "Широта",
    "Долгота",
    "Муниципальное образование",
    "Застройщик",
    "ИНН застройщика",
    "Номер разрешения",
    "Дата разрешения",
    "Кем выдано",
    "Разрешённое использование",
    "Этажность",
    "Общая площадь, м²",
    "Плановый срок ввода",
    "Статус",
];

/// A registry workbook of `IMPORT_ROWS` new entries, as an official would upload it.
fn import_workbook(municipalities: &[Municipality]) -> Vec<u8> {
    // A fixed linear congruential sequence: the same workbook on every run.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |below: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % below
    };
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let bold = Format::new().set_bold();
    for (col, title) in HEADERS.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *title, &bold)
            .expect("header");
    }
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).expect("a valid date");
    let excel = |d: NaiveDate| {
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
            .expect("a valid date")
    };
    for i in 0..IMPORT_ROWS {
        let row = i as u32 + 1;
        let m = &municipalities[next(municipalities.len() as u64) as usize];
        let (object, permitted_use, floors) = OBJECTS[next(OBJECTS.len() as u64) as usize];
        let permit_date = start + chrono::Duration::days(next(1800) as i64);
        let year = permit_date.year();
        let developer = next(500);
        let mut put = |col: u16, text: &str| {
            sheet.write_string(row, col, text).expect("cell");
        };
        put(0, &format!("РНС-{year}-{:06}", 500_001 + i));
        put(
            1,
            &if object.ends_with("литер") {
                format!("{object} {}", 1 + next(8))
            } else {
                object.to_string()
            },
        );
        put(
            2,
            &format!(
                "г. {}, {}, {}",
                m.centre_name_ru,
                STREETS[next(14) as usize],
                1 + next(250)
            ),
        );
        put(5, &m.name_ru);
        put(6, &format!("ООО СЗ «Кубань-Девелопмент {}»", developer + 1));
        put(7, &inn_10(231_000_000 + developer * 97));
        put(
            8,
            &format!(
                "23-RU{}-{}-{year}",
                23_300_000 + m.id.0 * 1000,
                1 + next(9000)
            ),
        );
        put(
            10,
            &format!(
                "Управление архитектуры и градостроительства администрации муниципального образования {}",
                m.name_ru
            ),
        );
        put(11, permitted_use);
        put(15, STATUSES[next(5) as usize]);
        let lat = m.centre.lat + (next(20_000) as f64 - 10_000.0) / 1_000_000.0;
        let lon = m.centre.lon + (next(30_000) as f64 - 15_000.0) / 1_000_000.0;
        sheet.write_number(row, 3, lat).expect("cell");
        sheet.write_number(row, 4, lon).expect("cell");
        sheet
            .write_datetime_with_format(row, 9, excel(permit_date), &date)
            .expect("cell");
        if next(10) != 0 {
            let f = (floors as u64 + next(floors as u64 / 2 + 1)).clamp(1, 200);
            sheet.write_number(row, 12, f as f64).expect("cell");
            sheet
                .write_number(row, 13, (f * (100 + next(900))) as f64 + 0.5)
                .expect("cell");
        }
        if next(5) != 0 {
            let planned = permit_date + chrono::Duration::days(365 + next(900) as i64);
            sheet
                .write_datetime_with_format(row, 14, excel(planned), &date)
                .expect("cell");
        }
    }
    workbook.save_to_buffer().expect("workbook")
}

/// Prints `key value` lines for the parent.
fn emit(key: &str, value: impl std::fmt::Display) {
    println!("{key} {value}");
}

/// Where the parent leaves the workbook and the check leaves its records for the write.
fn scratch(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("or-bench-constructions-{name}"))
}

/// The CPU part of the dry run, as `read_and_validate` does it, in this (child) process:
/// the workbook is read from disk as the import reads it from its directory.
async fn import_check_child() {
    let mut conn = AsyncMysqlConnection::establish(&database_url())
        .await
        .expect("connect");
    let municipalities = Municipality::list(&mut conn).await.expect("municipalities");
    drop(conn);
    let bytes = std::fs::read(scratch("import.xlsx")).expect("the workbook");
    let base = reset_peak();
    let started = Instant::now();
    let sheet = read_registry(&bytes, "bench.xlsx").expect("the workbook reads");
    emit("read_s", started.elapsed().as_secs_f64());
    drop(bytes);
    let mapping = ColumnMapping::detect(&sheet.headers, Register::Permitted);
    assert!(
        mapping.missing_required(Register::Permitted).is_empty()
            && mapping.columns.iter().all(Option::is_some),
        "headers not recognised: {mapping:?}"
    );
    let names = MunicipalityNames::new(&municipalities);
    let resolve = |text: &str| names.resolve(text);
    let region = |point| platform::geo::in_region(point);
    let context = ValidationContext {
        municipality: &resolve,
        may_edit: &|_| true,
        in_region: &region,
    };
    let validating = Instant::now();
    let validated = validate(&sheet, &mapping, &context);
    emit("validate_s", validating.elapsed().as_secs_f64());
    emit("check_peak_kib", status_kib("VmHWM:"));
    emit("check_base_kib", base);
    assert!(
        validated.errors.is_empty(),
        "bad rows: {:?}",
        &validated.errors[..validated.errors.len().min(5)]
    );
    assert_eq!(validated.records.len(), IMPORT_ROWS);
    let records: Vec<_> = validated.records.into_iter().map(|(_, r)| r).collect();
    std::fs::write(
        scratch("records.json"),
        serde_json::to_vec(&records).expect("records as JSON"),
    )
    .expect("keep the records");
}

/// The database part, in this (child) process: the check's records (from JSON, so the
/// sheet's freed heap does not hide this phase's growth) planned and written in a
/// transaction rolled back at the end (`apply_import`'s own transaction becomes a
/// savepoint in it).
async fn import_write_child() {
    let records: Vec<ConstructionFields> = serde_json::from_slice(
        &std::fs::read(scratch("records.json")).expect("the check's records"),
    )
    .expect("records");
    let mut conn = AsyncMysqlConnection::establish(&database_url())
        .await
        .expect("connect");
    let official = count(
        &mut conn,
        "SELECT CAST(id AS SIGNED) AS n FROM users WHERE email = 'bench-official@example.test'",
    )
    .await;
    conn.begin_test_transaction().await.expect("transaction");
    conn.batch_execute(&format!(
        "INSERT INTO registry_imports (user_id, file_name, file_sha256, phase, total_rows, created_at) \
         VALUES ({official}, 'bench.xlsx', REPEAT('0', 64), 'committing', {IMPORT_ROWS}, UTC_TIMESTAMP())"
    ))
    .await
    .expect("import row");
    let import = ImportId(
        platform::db::last_insert_id(&mut conn)
            .await
            .expect("import id"),
    );
    let editor = Editor {
        user: UserId(official as u64),
        import: Some(import),
    };
    let base = reset_peak();
    let started = Instant::now();
    let columns = RegistryField::ALL;
    let planned = plan_import(&mut conn, &records, &columns)
        .await
        .expect("plan");
    emit("plan_s", started.elapsed().as_secs_f64());
    assert_eq!(planned.added as usize, IMPORT_ROWS, "{planned:?}");
    let applying = Instant::now();
    let applied = apply_import(
        &mut conn,
        &records,
        &columns,
        editor,
        platform::clock::now(),
        &|_| {},
    )
    .await
    .expect("apply");
    emit("apply_s", applying.elapsed().as_secs_f64());
    emit("write_peak_kib", status_kib("VmHWM:"));
    emit("write_base_kib", base);
    assert_eq!(applied, planned);
    let rolling_back = Instant::now();
    conn.batch_execute("ROLLBACK").await.expect("rollback");
    emit("rollback_s", rolling_back.elapsed().as_secs_f64());
}

/// One export through the router, in this (child) process.
async fn export_child(format: &str) {
    let pool = build_pool(&database_url(), 4, platform::db::STATEMENT_TIMEOUT).expect("pool");
    let router = bench_router(&pool);
    let base = reset_peak();
    let started = Instant::now();
    let body = get(&router, &format!("/constructions/export.{format}"), None).await;
    emit("seconds", started.elapsed().as_secs_f64());
    emit("peak_kib", status_kib("VmHWM:"));
    emit("base_kib", base);
    emit("bytes", body.len());
    assert!(
        body.starts_with(b"PK") || body.starts_with(b"%PDF"),
        "not an export"
    );
}

/// Runs this binary as a child doing `what`; returns its `key value` lines.
fn child(what: &str) -> HashMap<String, f64> {
    let exe = std::env::current_exe().expect("this binary");
    let output = Command::new(exe)
        .env(CHILD, what)
        .output()
        .expect("run the child");
    assert!(
        output.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(' ')?;
            Some((key.to_string(), value.trim().parse().ok()?))
        })
        .collect()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|load| {
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

fn mib(kib: f64) -> f64 {
    kib / 1024.0
}

async fn import_report(pool: &DbPool) {
    let mut conn = pool.get().await.expect("connection");
    let municipalities = Municipality::list(&mut conn).await.expect("municipalities");
    drop(conn);
    let started = Instant::now();
    let bytes = import_workbook(&municipalities);
    let build_s = started.elapsed().as_secs_f64();
    std::fs::write(scratch("import.xlsx"), &bytes).expect("keep the workbook");
    let mut r = child("import-check");
    r.extend(child("import-write"));
    r.insert("build_s".into(), build_s);
    r.insert("file_bytes".into(), bytes.len() as f64);
    let rows = IMPORT_ROWS as f64;
    let v = |key: &str| r.get(key).copied().unwrap_or(f64::NAN);
    let (read, check, plan, apply) = (v("read_s"), v("validate_s"), v("plan_s"), v("apply_s"));
    println!(
        "workbook: {IMPORT_ROWS} rows x 16 columns, {:.1} MiB, built in {:.1} s (not counted)",
        v("file_bytes") / 1024.0 / 1024.0,
        v("build_s")
    );
    println!(
        "{:<34} {:>9} {:>10} {:>11} {:>11}",
        "phase", "seconds", "rows/s", "peak RSS", "base RSS"
    );
    let line = |name: &str, seconds: f64, peak: Option<(f64, f64)>| {
        let (peak, base) = peak.map_or((String::new(), String::new()), |(peak, base)| {
            (
                format!("{:.0} MiB", mib(peak)),
                format!("{:.0} MiB", mib(base)),
            )
        });
        println!(
            "{name:<34} {seconds:>9.2} {:>10.0} {peak:>11} {base:>11}",
            rows / seconds
        );
    };
    let check_peak = Some((v("check_peak_kib"), v("check_base_kib")));
    let write_peak = Some((v("write_peak_kib"), v("write_base_kib")));
    line("  read_registry", read, None);
    line("  validate", check, None);
    line("read_registry + validate (CPU)", read + check, check_peak);
    line("  plan_import", plan, None);
    line("  apply_import (one transaction)", apply, None);
    line("plan_import + apply_import (DB)", plan + apply, write_peak);
    line(
        "overall (read+validate+plan+apply)",
        read + check + plan + apply,
        None,
    );
    println!(
        "(one process doing both, as the commit does: at most {:.0} MiB = the check's peak plus the write's growth)",
        mib(v("check_peak_kib") + v("write_peak_kib") - v("write_base_kib"))
    );
    println!(
        "(the rows were rolled back afterwards in {:.1} s, not counted)",
        v("rollback_s")
    );
}

fn export_report() {
    println!(
        "{:<8} {:>8} {:>8} {:>11} {:>11} {:>10}",
        "export", "best s", "worst s", "peak RSS", "base RSS", "size"
    );
    for format in ["xlsx", "pdf"] {
        if !wanted(&format!("export {format}")) {
            continue;
        }
        let runs: Vec<HashMap<String, f64>> = (0..EXPORT_RUNS)
            .map(|_| child(&format!("export-{format}")))
            .collect();
        let field = |key: &str| -> Vec<f64> {
            runs.iter()
                .map(|r| r.get(key).copied().unwrap_or(0.0))
                .collect()
        };
        println!(
            "{format:<8} {:>8.2} {:>8.2} {:>7.0} MiB {:>7.0} MiB {:>6.1} MiB",
            field("seconds").into_iter().fold(f64::INFINITY, f64::min),
            field("seconds").into_iter().fold(0.0, f64::max),
            mib(field("peak_kib").into_iter().fold(0.0, f64::max)),
            mib(field("base_kib").into_iter().fold(0.0, f64::max)),
            field("bytes").into_iter().fold(0.0, f64::max) / 1024.0 / 1024.0,
        );
    }
}

#[tokio::main]
async fn main() {
    match std::env::var(CHILD).as_deref() {
        Ok("import-check") => return import_check_child().await,
        Ok("import-write") => return import_write_child().await,
        Ok(other) if other.starts_with("export-") => {
            return export_child(other.trim_start_matches("export-")).await;
        }
        _ => {}
    }
    let pool = bench_database(DATABASE, 16).await;
    seed(&pool).await;

    let mut conn = pool.get().await.expect("connection");
    let entries = count(&mut conn, "SELECT COUNT(*) AS n FROM constructions").await;
    let krasnodar = count(
        &mut conn,
        "SELECT CAST(id AS SIGNED) AS n FROM municipalities WHERE slug = 'krasnodar'",
    )
    .await;
    drop(conn);
    println!(
        "{entries} registry entries; load average {} (2 cores); {RUNS} runs after {WARMUP} warm-up runs each\n",
        load_average()
    );

    let router = bench_router(&pool);
    let today = platform::clock::now().date();
    let query = |f: &dyn Fn(&mut RegistryQuery)| {
        let mut query = RegistryQuery::default();
        f(&mut query);
        query
    };
    if wanted("registry") {
        println!(
            "{:<30} {:>7} | {:>15} | {:>15} | {:>15} | {:>13} | {:>13}",
            "registry table (ms)",
            "matches",
            "SSR p50 p95",
            "page() p50 p95",
            "raw SQL p50 p95",
            "SSR/raw",
            "page()/raw"
        );
    }
    let scenarios: Vec<(&str, RegistryQuery)> = vec![
        ("registry: no filter", RegistryQuery::default()),
        (
            "registry: municipality",
            query(&|q| q.municipality = krasnodar.to_string()),
        ),
        (
            "registry: status suspended",
            query(&|q| q.status = "suspended".into()),
        ),
        (
            "registry: developer INN",
            query(&|q| q.developer = seeded_inn(1234)),
        ),
        ("registry: q=жилой", query(&|q| q.q = "жилой".into())),
        (
            "registry: q=жилой комплекс",
            query(&|q| q.q = "жилой комплекс".into()),
        ),
        (
            "registry: permit dates 1 year",
            query(&|q| {
                q.from = (today - chrono::Duration::days(730)).to_string();
                q.to = (today - chrono::Duration::days(365)).to_string();
            }),
        ),
        ("registry: page 200", query(&|q| q.page = "200".into())),
        (
            "registry: page 200, sort=name",
            query(&|q| {
                q.page = "200".into();
                q.sort = RegistrySort::Name.as_str().into();
            }),
        ),
    ];
    for (name, q) in scenarios {
        registry_scenario(&router, &pool, name, q).await;
    }
    drop(router);

    if wanted("import") {
        println!(
            "\nimport ({IMPORT_ROWS} new rows; load average {})",
            load_average()
        );
        import_report(&pool).await;
    }
    if wanted("export") {
        println!(
            "\nexports of the whole registry (no filter), through the router; load average {}",
            load_average()
        );
        export_report();
    }
    println!("\nload average at the end: {}", load_average());
}
