//! Guessing a [`Structure`] from an uploaded table (CSV or XLSX already read into text).

use std::collections::HashSet;

use chrono::NaiveDate;

use super::structure::{Column, ColumnType, MAX_NAME_LEN, Structure, is_machine_name};
use super::value::{parse_boolean, parse_date, parse_integer, parse_number};

/// Latin spelling of one Cyrillic letter (lowercase), or `None` for non-Cyrillic.
///
/// The common "GOST-like" practical table (as in Russian URLs and passports since 2013 for
/// ц/х/щ): ц→ts, х→kh, щ→shch, й/ы→y, ю→yu, я→ya, ъ/ь dropped; Ukrainian letters too, since
/// regional names use them.
fn latin_for(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'й' | 'ы' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        'ї' => "yi",
        'є' => "ye",
        'ґ' => "g",
        _ => return None,
    })
}

/// Transliterates Cyrillic to Latin and lowercases everything ("Улица" → "ulitsa").
/// Characters with no Latin spelling are kept as they are.
pub fn transliterate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match latin_for(c) {
            Some(latin) => out.push_str(latin),
            None => out.push(c),
        }
    }
    out
}

/// A machine name for a header: transliterated, lowercase, runs of anything but `[a-z0-9]`
/// turned into one `_`, trimmed of `_`, cut to [`MAX_NAME_LEN`]; `"Название улицы"` →
/// `"nazvanie_ulitsy"`. A name that would start with a digit gets a `c_` prefix, and a header
/// with nothing usable becomes `column_<n>` (`n` counted from 1).
pub fn machine_name_from_header(header: &str, position: usize) -> String {
    let mut name = String::with_capacity(header.len());
    for c in transliterate(header).chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('_') {
            name.push('_');
        }
    }
    // Only ASCII was pushed, so any byte length is a character boundary.
    name.truncate(MAX_NAME_LEN);
    let trimmed = name.trim_end_matches('_');
    if trimmed.is_empty() {
        return format!("column_{}", position + 1);
    }
    if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        let mut prefixed = format!("c_{trimmed}");
        prefixed.truncate(MAX_NAME_LEN);
        return prefixed.trim_end_matches('_').to_owned();
    }
    trimmed.to_owned()
}

/// Makes `name` unique among `taken` by appending `_2`, `_3`, … (shortening it if the suffix
/// would pass [`MAX_NAME_LEN`]), and records it.
fn unique_name(name: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let mut n = 2usize;
    loop {
        let suffix = format!("_{n}");
        let mut base = name.clone();
        base.truncate(MAX_NAME_LEN - suffix.len());
        let candidate = format!("{}{suffix}", base.trim_end_matches('_'));
        if is_machine_name(&candidate) && taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// The narrowest type every non-empty sample value of a column parses as.
///
/// Order of preference: Boolean, Integer, Number, Date, String; a column with no values is
/// String. Integers with a leading zero (`007`, postal codes, ОКТМО) stay String, since
/// a number would lose the zero.
fn infer_type<'a>(values: impl Iterator<Item = &'a str> + Clone) -> ColumnType {
    let mut non_empty = values.map(str::trim).filter(|v| !v.is_empty()).peekable();
    if non_empty.peek().is_none() {
        return ColumnType::String;
    }
    let all = |test: fn(&str) -> bool| non_empty.clone().all(test);
    let no_leading_zero = |v: &str| {
        let digits = v.strip_prefix('-').unwrap_or(v);
        !(digits.len() > 1 && digits.starts_with('0') && !digits[1..].starts_with(['.', ',']))
    };
    if all(|v| parse_boolean(v).is_some()) {
        ColumnType::Boolean
    } else if all(|v| parse_integer(v).is_some()) {
        if non_empty.clone().all(no_leading_zero) {
            ColumnType::Integer
        } else {
            ColumnType::String
        }
    } else if all(|v| parse_number(v).is_some()) {
        if non_empty.clone().all(no_leading_zero) {
            ColumnType::Number
        } else {
            ColumnType::String
        }
    } else if all(|v| parse_date(v).is_some()) {
        ColumnType::Date
    } else {
        ColumnType::String
    }
}

/// Which coordinate a header names, judged by its words (`Широта`, `lat`, `Longitude, °`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Axis {
    Latitude,
    Longitude,
}

fn axis_of(header: &str) -> Option<Axis> {
    let lower: String = header.chars().flat_map(char::to_lowercase).collect();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .find_map(|word| match word {
            "широта" | "lat" | "latitude" => Some(Axis::Latitude),
            "долгота" | "lon" | "lng" | "longitude" => Some(Axis::Longitude),
            _ => None,
        })
}

/// True when every non-empty value is a number within ±`limit`, and there is at least one.
fn numbers_within<'a>(values: impl Iterator<Item = &'a str>, limit: f64) -> bool {
    let mut any = false;
    for value in values.map(str::trim).filter(|v| !v.is_empty()) {
        match parse_number(value) {
            Some(n) if n.abs() <= limit => any = true,
            _ => return false,
        }
    }
    any
}

/// Guesses the structure of an uploaded table.
///
/// Each header becomes a column whose machine name is [`machine_name_from_header`]
/// (deduplicated with `_2`, `_3`…), whose Russian description is the header as given
/// (trimmed), and whose English description is the header when it has no Cyrillic, else
/// empty for an editor to fill. Types come from `sample_rows` (see [`super::parse_cell`]
/// for the forms accepted; short rows count as empty cells). The first header naming a
/// latitude (широта/lat/latitude) and the first naming a longitude (долгота/lon/lng/
/// longitude) become the coordinates, typed Number, when all their sample values are numbers
/// in range (±90 / ±180); only a complete pair is kept, as a map point needs both.
///
/// The result is a proposal for an editor to review; with no headers it has no columns
/// and [`Structure::validate`] says so.
pub fn infer_structure(
    headers: &[String],
    sample_rows: &[Vec<String>],
    version: NaiveDate,
) -> Structure {
    let mut taken = HashSet::with_capacity(headers.len());
    let cells = |index: usize| {
        sample_rows
            .iter()
            .map(move |row| row.get(index).map_or("", String::as_str))
    };
    let mut columns: Vec<Column> = headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let header = header.trim();
            let name = unique_name(machine_name_from_header(header, index), &mut taken);
            let has_cyrillic = header
                .chars()
                .flat_map(char::to_lowercase)
                .any(|c| latin_for(c).is_some());
            Column {
                name,
                english: if has_cyrillic {
                    String::new()
                } else {
                    header.to_owned()
                },
                russian: header.to_owned(),
                kind: infer_type(cells(index)),
            }
        })
        .collect();

    let find = |axis: Axis, limit: f64| {
        headers.iter().enumerate().position(|(index, header)| {
            axis_of(header) == Some(axis) && numbers_within(cells(index), limit)
        })
    };
    let (latitude, longitude) = match (find(Axis::Latitude, 90.0), find(Axis::Longitude, 180.0)) {
        (Some(lat), Some(lon)) if lat != lon => {
            columns[lat].kind = ColumnType::Number;
            columns[lon].kind = ColumnType::Number;
            (Some(lat), Some(lon))
        }
        _ => (None, None),
    };
    Structure {
        version,
        columns,
        latitude,
        longitude,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn version() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 5, 1).expect("valid date")
    }

    #[test]
    fn transliteration() {
        assert_eq!(transliterate("Название улицы"), "nazvanie ulitsy");
        assert_eq!(
            transliterate("Щёлково, Хутор Южный"),
            "shchelkovo, khutor yuzhnyy"
        );
        assert_eq!(transliterate("Подъезд Объекта"), "podezd obekta");
        assert_eq!(transliterate("Їжак Єва Ґанок"), "yizhak yeva ganok");
        assert_eq!(transliterate("ABC"), "abc");
    }

    #[test]
    fn machine_names_from_headers() {
        assert_eq!(
            machine_name_from_header("Название улицы", 0),
            "nazvanie_ulitsy"
        );
        assert_eq!(
            machine_name_from_header("  Широта (lat), ° ", 0),
            "shirota_lat"
        );
        assert_eq!(machine_name_from_header("2020 год", 0), "c_2020_god");
        assert_eq!(machine_name_from_header("№", 4), "column_5");
        assert_eq!(machine_name_from_header("", 0), "column_1");
        assert_eq!(machine_name_from_header("E-mail", 0), "e_mail");
        let long = machine_name_from_header(&"очень длинное название ".repeat(10), 0);
        assert!(
            long.len() <= MAX_NAME_LEN && is_machine_name(&long),
            "{long}"
        );
    }

    #[test]
    fn duplicate_names_get_suffixes() {
        let headers = strings(&["Адрес", "адрес", "Адрес!", "adres_2"]);
        let s = infer_structure(&headers, &[], version());
        let names: Vec<_> = s.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["adres", "adres_2", "adres_3", "adres_2_2"]);
        assert_eq!(s.validate(), Ok(()));
        let long = "a".repeat(MAX_NAME_LEN);
        let s = infer_structure(&[long.clone(), long], &[], version());
        assert_eq!(s.validate(), Ok(()));
        assert!(s.columns[1].name.ends_with("_2"));
    }

    #[test]
    fn descriptions() {
        let s = infer_structure(&strings(&[" Название ", "Phone"]), &[], version());
        assert_eq!(s.columns[0].russian, "Название");
        assert_eq!(s.columns[0].english, "");
        assert_eq!(s.columns[1].russian, "Phone");
        assert_eq!(s.columns[1].english, "Phone");
    }

    #[test]
    fn types_are_inferred() {
        let headers = strings(&[
            "Текст",
            "Целое",
            "Дробное",
            "Дата",
            "Флаг",
            "Индекс",
            "Пусто",
            "Телефон",
            "Смесь",
        ]);
        let rows = vec![
            strings(&[
                "Зал",
                "12",
                "45,5",
                "01.06.2013",
                "да",
                "350000",
                "",
                "+79181234567",
                "1",
            ]),
            strings(&[
                "Музей",
                "-3",
                "7",
                "2013-06-02",
                "Нет",
                "050000",
                " ",
                "+79181234568",
                "01.01.2020",
            ]),
            strings(&["Театр", "", "3.25", "", "TRUE"]),
        ];
        let s = infer_structure(&headers, &rows, version());
        let kinds: Vec<_> = s.columns.iter().map(|c| c.kind).collect();
        use ColumnType::*;
        assert_eq!(
            kinds,
            [
                String, Integer, Number, Date, Boolean, String, String, String, String
            ]
        );
        assert_eq!(s.latitude, None);
        assert_eq!(s.validate(), Ok(()));
    }

    #[test]
    fn decimal_with_leading_zero_is_a_number() {
        let rows = vec![strings(&["0,5"]), strings(&["0.25"]), strings(&["-0.1"])];
        let s = infer_structure(&strings(&["Доля"]), &rows, version());
        assert_eq!(s.columns[0].kind, ColumnType::Number);
    }

    #[test]
    fn coordinates_by_header_and_range() {
        let headers = strings(&["Название", "Широта", "Долгота"]);
        let rows = vec![
            strings(&["Зал", "45,0355", "38,9753"]),
            strings(&["Музей", "45", ""]),
        ];
        let s = infer_structure(&headers, &rows, version());
        assert_eq!((s.latitude, s.longitude), (Some(1), Some(2)));
        assert_eq!(
            s.columns[1].kind,
            ColumnType::Number,
            "integer-looking latitude made Number"
        );
        assert_eq!(s.validate(), Ok(()));

        let s = infer_structure(
            &strings(&["lat", "lng"]),
            &[strings(&["45.1", "38.9"])],
            version(),
        );
        assert_eq!((s.latitude, s.longitude), (Some(0), Some(1)));
        let s = infer_structure(
            &strings(&["Latitude", "Longitude"]),
            &[strings(&["45.1", "38.9"])],
            version(),
        );
        assert_eq!((s.latitude, s.longitude), (Some(0), Some(1)));
    }

    #[test]
    fn coordinates_need_range_values_and_both_axes() {
        // Latitude out of range (columns swapped in the upload): no map.
        let s = infer_structure(
            &strings(&["Широта", "Долгота"]),
            &[strings(&["138.9", "45.0"])],
            version(),
        );
        assert_eq!((s.latitude, s.longitude), (None, None));
        // Text in the column.
        let s = infer_structure(
            &strings(&["Широта", "Долгота"]),
            &[strings(&["север", "45.0"])],
            version(),
        );
        assert_eq!((s.latitude, s.longitude), (None, None));
        // No values at all.
        let s = infer_structure(&strings(&["Широта", "Долгота"]), &[], version());
        assert_eq!((s.latitude, s.longitude), (None, None));
        // Only one axis.
        let s = infer_structure(
            &strings(&["Широта", "Адрес"]),
            &[strings(&["45.0", "ул. Красная"])],
            version(),
        );
        assert_eq!((s.latitude, s.longitude), (None, None));
        // "Платформа" contains "lat" only inside a word: not a coordinate.
        assert!(axis_of("Platform").is_none());
        assert!(axis_of("Широта, град.") == Some(Axis::Latitude));
    }
}
