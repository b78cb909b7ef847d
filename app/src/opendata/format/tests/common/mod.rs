//! Fixtures shared by the tests of this folder: a structure with every column type and rows
//! full of the cells that break naive writers.

use crate::opendata::format::{Column, ColumnType, DataWriter, Format, Structure, Value};
use chrono::NaiveDate;

/// A valid date for fixtures.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

/// One column of every type, plus coordinates.
pub fn structure() -> Structure {
    Structure {
        version: d(2024, 5, 1),
        columns: vec![
            Column::new("name", "Name", "Наименование", ColumnType::String),
            Column::new(
                "note",
                "Note, free text",
                "Примечание & <разное>",
                ColumnType::String,
            ),
            Column::new("count", "Count", "Количество", ColumnType::Integer),
            Column::new("area", "Area", "Площадь", ColumnType::Number),
            Column::new("opened", "Opened", "Дата открытия", ColumnType::Date),
            Column::new("free", "Free entry", "Бесплатно", ColumnType::Boolean),
            Column::new("lat", "Latitude", "Широта", ColumnType::Number),
            Column::new("lon", "Longitude", "Долгота", ColumnType::Number),
        ],
        latitude: Some(6),
        longitude: Some(7),
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// Rows with Cyrillic, markup characters, quotes, separators, line breaks, formulas,
/// empty text, nulls, extreme numbers and dates.
pub fn rows() -> Vec<Vec<Value>> {
    vec![
        vec![
            text("Выставочный зал «Кубань»"),
            text("Вход с ул. Красной & Пушкина <угол>"),
            Value::Integer(42),
            Value::Number(1234.5),
            Value::Date(d(2013, 6, 1)),
            Value::Boolean(true),
            Value::Number(45.0355),
            Value::Number(38.9753),
        ],
        vec![
            text("Музей \"Юг\", филиал; 2-й корпус"),
            text("строка 1\nстрока 2\r\nстрока 3\tконец ]]> 'апостроф'"),
            Value::Integer(-7),
            Value::Integer(12),
            Value::Date(d(1, 1, 1)),
            Value::Boolean(false),
            Value::Number(-90.0),
            Value::Number(180.0),
        ],
        vec![
            text("=HYPERLINK(\"http://evil\")"),
            text(""),
            Value::Integer(i64::MIN),
            Value::Number(0.000001),
            Value::Date(d(9999, 12, 31)),
            Value::Null,
            Value::Null,
            Value::Null,
        ],
        vec![
            text("+79181234567"),
            text("-минус"),
            Value::Integer(i64::MAX),
            Value::Number(-0.5),
            Value::Date(d(2024, 2, 29)),
            Value::Boolean(true),
            Value::Number(0.0),
            Value::Number(-179.999999),
        ],
        vec![
            text("@user"),
            text("\tтаб"),
            Value::Null,
            Value::Number(1e15),
            Value::Null,
            Value::Null,
            Value::Number(44.99),
            Value::Number(39.0),
        ],
        vec![
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
        ],
    ]
}

/// Writes `rows` of `structure` in `format` into memory.
pub fn write(structure: &Structure, format: Format, rows: &[Vec<Value>]) -> Vec<u8> {
    let mut writer = DataWriter::new(Vec::new(), structure, format).expect("valid structure");
    for row in rows {
        writer.write_row(row).expect("row fits the structure");
    }
    writer.finish().expect("flushing into a Vec")
}

/// How a value is spelled in a CSV or XML cell (without CSV formula neutralisation).
pub fn spelled(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Text(s) => Some(s.clone()),
        Value::Integer(n) => Some(n.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
        Value::Boolean(b) => Some(b.to_string()),
    }
}
