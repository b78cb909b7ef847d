//! `cargo bench -p server --bench export`: the table exports at the design's scale.
//!
//! Builds a registry-like document of 100,000 rows and 15 columns (Cyrillic text,
//! dates, money, percentages) and writes it as XLSX and as PDF, reporting for each the
//! time, the peak memory and the file size.
//!
//! Each export runs in a child process (this binary started again with
//! `EXPORT_BENCH_CHILD=<format>`), so one export's heap cannot inflate the next one's
//! numbers. The child builds the document, reads its resident memory, resets the
//! kernel's high-water mark (`5` to `/proc/self/clear_refs`), runs the export and reads
//! the high-water mark (`VmHWM`) again: "peak" is the whole process at its highest,
//! "export" is that peak less what the document already took.

use std::process::Command;
use std::time::Instant;

use app::export::{Column, ColumnKind, Document, Labels, Table, Value, write_pdf, write_xlsx};
use chrono::{Duration, NaiveDate};

mod common;
use common::{reset_peak, status_kib};

const ROWS: usize = 100_000;
/// Runs per format; the table shows the fastest and the largest peak.
const RUNS: usize = 3;
const CHILD: &str = "EXPORT_BENCH_CHILD";

const MUNICIPALITIES: [&str; 8] = [
    "Краснодар",
    "Сочи",
    "Новороссийск",
    "Армавир",
    "Анапа",
    "Геленджик",
    "Ейский район",
    "Старовеличковское сельское поселение",
];
const KINDS: [&str; 5] = [
    "Строительство",
    "Реконструкция",
    "Капитальный ремонт",
    "Благоустройство",
    "Техническое перевооружение",
];
const OBJECTS: [&str; 6] = [
    "Школа на 1100 мест",
    "Детский сад на 280 мест",
    "Поликлиника на 500 посещений в смену",
    "Автомобильная дорога",
    "Водопроводные сети",
    "Спортивный комплекс с плавательным бассейном",
];
const STATUSES: [&str; 4] = [
    "Проектирование",
    "Строится",
    "Приостановлено",
    "Введён в эксплуатацию",
];
const CONTRACTORS: [&str; 4] = [
    "ООО «Кубаньстрой»",
    "АО «Южная строительная компания»",
    "ООО «СтройИнвест-Юг»",
    "ГУП КК «Кубаньдорстрой»",
];

/// A registry of construction objects, shaped like the construction-control export.
fn registry() -> Document {
    let columns = vec![
        Column::new("№", ColumnKind::Integer, 7.0),
        Column::new("Наименование объекта", ColumnKind::Text, 40.0),
        Column::new("Муниципальное образование", ColumnKind::Text, 22.0),
        Column::new("Адрес", ColumnKind::Text, 30.0),
        Column::new("Вид работ", ColumnKind::Text, 18.0),
        Column::new("Заказчик", ColumnKind::Text, 24.0),
        Column::new("Подрядчик", ColumnKind::Text, 24.0),
        Column::new("Статус", ColumnKind::Text, 16.0),
        Column::new("Дата контракта", ColumnKind::Date, 12.0),
        Column::new("Плановый срок", ColumnKind::Date, 12.0),
        Column::new("Фактический срок", ColumnKind::Date, 12.0),
        Column::new("Стоимость контракта, руб.", ColumnKind::Decimal, 18.0),
        Column::new("Освоено, руб.", ColumnKind::Decimal, 18.0),
        Column::new("Готовность, %", ColumnKind::Integer, 10.0),
        Column::new("Примечание", ColumnKind::Text, 30.0),
    ];
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).expect("a valid date");
    // A fixed linear congruential sequence: the same document on every run.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |below: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % below
    };
    let rows = (0..ROWS)
        .map(|i| {
            let pick = |list: &[&str], n: u64| list[n as usize % list.len()].to_owned();
            let municipality = pick(&MUNICIPALITIES, next(8));
            let signed = start + Duration::days(next(1800) as i64);
            let planned = signed + Duration::days(180 + next(720) as i64);
            let cost = 1_000_000.0 + next(900_000_000) as f64 + next(100) as f64 / 100.0;
            let ready = next(101) as i64;
            vec![
                Value::Integer(i as i64 + 1),
                Value::Text(format!("{} № {}", pick(&OBJECTS, next(6)), i + 1)),
                Value::Text(municipality.clone()),
                Value::Text(format!("{municipality}, ул. Красная, д. {}", next(300) + 1)),
                Value::Text(pick(&KINDS, next(5))),
                Value::Text(format!("Администрация МО {municipality}")),
                Value::Text(pick(&CONTRACTORS, next(4))),
                Value::Text(pick(&STATUSES, next(4))),
                Value::Date(signed),
                Value::Date(planned),
                if ready == 100 {
                    Value::Date(planned + Duration::days(next(60) as i64 - 30))
                } else {
                    Value::Empty
                },
                Value::Decimal(cost),
                Value::Decimal(cost * ready as f64 / 100.0),
                Value::Integer(ready),
                if next(4) == 0 {
                    Value::Text("Отставание от графика; направлено уведомление подрядчику".into())
                } else {
                    Value::Empty
                },
            ]
        })
        .collect();
    Document {
        title: "Реестр объектов строительства".into(),
        filters: vec![
            ("Муниципальное образование".into(), "все".into()),
            ("Период".into(), "01.01.2020 – 31.12.2024".into()),
        ],
        generated_at: NaiveDate::from_ymd_opt(2025, 6, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("a valid time"),
        labels: Labels {
            filters: "Фильтры".into(),
            no_filters: "не заданы".into(),
            generated: "Сформировано".into(),
            page: "Страница {page} из {pages}".into(),
            about: "О выгрузке".into(),
            decimal_separator: ',',
            thousands_separator: '\u{a0}',
        },
        tables: vec![Table {
            name: "Реестр".into(),
            columns,
            rows,
        }],
    }
}

/// Runs one export in this process and prints `seconds peak_kib base_kib bytes`.
fn child(format: &str) {
    let doc = registry();
    let base = reset_peak();
    let started = Instant::now();
    let bytes = match format {
        "xlsx" => write_xlsx(&doc),
        _ => write_pdf(&doc),
    }
    .expect("export");
    let seconds = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:");
    if let Ok(dir) = std::env::var("EXPORT_BENCH_KEEP") {
        std::fs::write(format!("{dir}/bench.{format}"), &bytes).expect("keep the file");
    }
    println!("{seconds} {peak} {base} {}", bytes.len());
}

fn main() {
    if let Ok(format) = std::env::var(CHILD) {
        child(&format);
        return;
    }
    let exe = std::env::current_exe().expect("this binary");
    println!("{ROWS} rows x 15 columns; {RUNS} runs per format, each in its own process\n");
    println!(
        "{:<6} {:>10} {:>10} {:>12} {:>12} {:>12} {:>10}",
        "format", "best s", "worst s", "peak RSS", "document", "export", "file"
    );
    for format in ["xlsx", "pdf"] {
        let mut runs = Vec::new();
        for _ in 0..RUNS {
            let output = Command::new(&exe)
                .env(CHILD, format)
                .output()
                .expect("run the child");
            assert!(
                output.status.success(),
                "{format}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let line = String::from_utf8_lossy(&output.stdout);
            let fields: Vec<f64> = line
                .split_whitespace()
                .filter_map(|field| field.parse().ok())
                .collect();
            assert_eq!(fields.len(), 4, "{format}: {line}");
            runs.push(fields);
        }
        let best = runs.iter().map(|r| r[0]).fold(f64::INFINITY, f64::min);
        let worst = runs.iter().map(|r| r[0]).fold(0.0, f64::max);
        let peak = runs.iter().map(|r| r[1]).fold(0.0, f64::max);
        let base = runs.iter().map(|r| r[2]).fold(0.0, f64::max);
        let mib = |kib: f64| kib / 1024.0;
        println!(
            "{format:<6} {best:>10.2} {worst:>10.2} {:>8.0} MiB {:>8.0} MiB {:>8.0} MiB {:>6.1} MiB",
            mib(peak),
            mib(base),
            mib(peak - base),
            runs[0][3] / 1024.0 / 1024.0,
        );
    }
}
