//! Importing the construction registry from Excel: the wire types of the dry run (row
//! problems, workbook problems), the column mapping with header recognition, and status
//! recognition.
//!
//! Everything here is pure and compiles for the browser too, so the mapping screen can
//! show and change the same [`ColumnMapping`] the server detected. Reading workbooks and
//! validating rows is server-only (`workbook`).

#[cfg(feature = "ssr")]
pub mod workbook;

use serde::{Deserialize, Serialize};

use crate::constructions::model::{
    ConstructionFields, ConstructionStatus, Register, RegistryField, RowError,
};
use crate::constructions::model::{FoundBy, IllegalStatus};

/// Which registry field each column of the sheet holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// One entry per sheet column (index = column, 0 = A); `None` = the column is skipped.
    pub columns: Vec<Option<RegistryField>>,
}

impl ColumnMapping {
    /// Recognises every header; a field recognised in several columns goes to the first
    /// of them (the others are skipped, so the official sees them unmapped).
    pub fn detect(headers: &[String], register: Register) -> Self {
        let mut taken = Vec::new();
        let columns = headers
            .iter()
            .map(|header| {
                let field = register.adopt(recognise_header(header)?)?;
                if taken.contains(&field) {
                    return None;
                }
                taken.push(field);
                Some(field)
            })
            .collect();
        Self { columns }
    }

    /// The required fields of `register` that no column holds, in registry order.
    pub fn missing_required(&self, register: Register) -> Vec<RegistryField> {
        register
            .fields()
            .iter()
            .copied()
            .filter(|field| register.is_required(*field) && self.column_of(*field).is_none())
            .collect()
    }

    /// The fields some column holds that `register` does not have (possible only in a
    /// mapping sent by hand).
    pub fn foreign(&self, register: Register) -> Vec<RegistryField> {
        self.fields()
            .into_iter()
            .filter(|field| !register.fields().contains(field))
            .collect()
    }

    /// The fields that more than one column holds (possible after the official edits the
    /// mapping), in registry order.
    pub fn duplicated(&self) -> Vec<RegistryField> {
        RegistryField::ALL
            .into_iter()
            .filter(|field| {
                self.columns
                    .iter()
                    .filter(|column| **column == Some(*field))
                    .count()
                    > 1
            })
            .collect()
    }

    /// The fields some column holds, in registry order.
    pub fn fields(&self) -> Vec<RegistryField> {
        RegistryField::ALL
            .into_iter()
            .filter(|field| self.column_of(*field).is_some())
            .collect()
    }

    /// The first column holding `field`.
    pub fn column_of(&self, field: RegistryField) -> Option<usize> {
        self.columns
            .iter()
            .position(|column| *column == Some(field))
    }
}

/// The longest text (in characters) a field may hold, as the database columns allow;
/// `None` for fields that are not free text.
pub fn max_text_chars(field: RegistryField) -> Option<u32> {
    match field {
        RegistryField::RegistryNumber | RegistryField::PermitNumber => Some(64),
        RegistryField::ObjectName
        | RegistryField::Address
        | RegistryField::DeveloperName
        | RegistryField::PermitIssuer => Some(500),
        RegistryField::PermittedUse => Some(255),
        RegistryField::CadastralNumber => Some(40),
        RegistryField::Owner => Some(500),
        _ => None,
    }
}

/// The outcome of validating a sheet: the rows that became records (of the registry of
/// permits by default, or `IllegalFields`), and every problem of every other row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validated<R = ConstructionFields> {
    /// Valid rows with their Excel row numbers, in sheet order.
    pub records: Vec<(u32, R)>,
    /// All problems found, in sheet order; a row with any problem yields no record.
    pub errors: Vec<RowError>,
}

impl<R> Default for Validated<R> {
    fn default() -> Self {
        Self {
            records: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// The registry field a column header names, in Russian or English; `None` when the
/// header names none (a row index "№ п/п", a remark, ...).
///
/// Case, spacing, punctuation and ё/е do not matter. Headers of two-row layouts come
/// joined ("Разрешение на строительство Номер", "Застройщик ИНН") and are recognised by
/// their words: the rules below go from the most specific words to the most general, so
/// "Адрес объекта" is the address and "Наименование застройщика" the developer.
pub fn recognise_header(header: &str) -> Option<RegistryField> {
    use RegistryField as F;
    let words = header_words(header);
    let has = |stems: &[&str]| {
        words
            .iter()
            .any(|word| stems.iter().any(|stem| word.starts_with(stem)))
    };
    let has_word =
        |candidates: &[&str]| words.iter().any(|word| candidates.contains(&word.as_str()));

    let permit = has(&["разрешени", "permit"]) && !has(&["permitted"]);
    let date = has(&["дат", "date"]);

    let row_index = words
        .windows(2)
        .any(|pair| pair[0] == "п" && pair[1] == "п");
    if words.is_empty() || row_index {
        return None;
    }
    if has_word(&["инн", "inn", "tin"]) || has(&["taxpayer"]) {
        return Some(F::DeveloperInn);
    }
    if has(&["кадастр", "cadastr"]) {
        return Some(F::CadastralNumber);
    }
    if has(&["выявлен", "identified", "detected", "discovered"]) {
        let when = date || has_word(&["on", "when", "когда"]);
        return Some(if when { F::IdentifiedOn } else { F::FoundBy });
    }
    if has(&["источник", "способ", "source"]) || has_word(&["found"]) {
        return Some(F::FoundBy);
    }
    if has(&["собственник", "владел", "правооблад", "owner", "holder"]) {
        return Some(F::Owner);
    }
    if has(&[
        "контур",
        "footprint",
        "геометри",
        "geometry",
        "polygon",
        "полигон",
        "границ",
    ]) || has_word(&["wkt", "geojson"])
    {
        return Some(F::Footprint);
    }
    if has(&["широт", "latitude"]) || has_word(&["lat"]) {
        return Some(F::Latitude);
    }
    if has(&["долгот", "longitude"]) || has_word(&["lon", "lng", "long"]) {
        return Some(F::Longitude);
    }
    if has(&["использ", "usage", "permitted"]) || has_word(&["use"]) {
        return Some(F::PermittedUse);
    }
    if permit && has(&["ввод", "commission"]) {
        // The permit to put a building into operation, not the building permit.
        return None;
    }
    if permit && date {
        return Some(F::PermitDate);
    }
    if has(&["выдавш", "issuer", "authority"])
        || has_word(&["кем", "орган"])
        || (permit && has(&["issued"]))
    {
        return Some(F::PermitIssuer);
    }
    if permit {
        return Some(F::PermitNumber);
    }
    if has(&["реестр", "registry", "register", "registration"]) {
        return Some(F::RegistryNumber);
    }
    if has(&["застройщик", "developer", "builder"]) {
        return Some(F::DeveloperName);
    }
    if has(&["этаж", "floor", "storey", "stories"]) {
        return Some(F::Floors);
    }
    if has(&["площад", "area"]) {
        return Some(F::TotalArea);
    }
    if has(&["ввод", "заверш", "окончан", "completion", "commission"]) {
        return Some(F::PlannedCompletion);
    }
    if has(&["статус", "состояни", "status", "stage"]) {
        return Some(F::Status);
    }
    if has(&["муниципал", "municipal"]) || has_word(&["мо", "район", "округ", "district"])
    {
        return Some(F::Municipality);
    }
    if has(&["адрес", "address", "местоположени", "location"]) {
        return Some(F::Address);
    }
    if has(&[
        "объект",
        "наименовани",
        "object",
        "name",
        "building",
        "project",
    ]) {
        return Some(F::ObjectName);
    }
    None
}

/// A header as lowercase words: ё read as е, "№" as the word "номер", punctuation as
/// spaces (so "№ п/п" becomes "номер п п").
fn header_words(header: &str) -> Vec<String> {
    let mut text = String::with_capacity(header.len());
    for c in header.chars() {
        match c {
            'ё' | 'Ё' => text.push('е'),
            '№' => text.push_str(" номер "),
            c if c.is_alphanumeric() => text.extend(c.to_lowercase()),
            _ => text.push(' '),
        }
    }
    text.split_whitespace().map(str::to_string).collect()
}

/// The status a cell's text names, in Russian or English or as the database key
/// ("permit_issued"); case, spacing and ё/е do not matter.
pub fn recognise_status(text: &str) -> Option<ConstructionStatus> {
    use ConstructionStatus as S;
    let words = header_words(text);
    let joined = words.join(" ");
    if let Some(status) = ConstructionStatus::from_db(&joined.replace(' ', "_")) {
        return Some(status);
    }
    let has = |stems: &[&str]| {
        words
            .iter()
            .any(|word| stems.iter().any(|stem| word.starts_with(stem)))
    };
    if has(&["отозван", "аннулир", "прекращ", "revoked", "cancel"]) {
        Some(S::Revoked)
    } else if has(&["приостановл", "заморож", "suspended", "halted", "stopped"]) {
        Some(S::Suspended)
    } else if has(&[
        "введен",
        "эксплуатац",
        "завершен",
        "commissioned",
        "completed",
        "finished",
    ]) {
        Some(S::Commissioned)
    } else if has(&[
        "строит",
        "ведется",
        "возвод",
        "under",
        "construction",
        "building",
    ]) {
        Some(S::UnderConstruction)
    } else if has(&["выдан", "разрешени", "issued", "permit"]) {
        Some(S::PermitIssued)
    } else {
        None
    }
}

/// How an illegal construction was found, as a cell's text names it, in Russian or
/// English or as the database key.
pub fn recognise_found_by(text: &str) -> Option<FoundBy> {
    let words = header_words(text);
    if let Some(found_by) = FoundBy::from_db(&words.join("_")) {
        return Some(found_by);
    }
    let has = |stems: &[&str]| {
        words
            .iter()
            .any(|word| stems.iter().any(|stem| word.starts_with(stem)))
    };
    if has(&[
        "сообщени",
        "обращени",
        "гражда",
        "жител",
        "citizen",
        "report",
        "complaint",
    ]) {
        Some(FoundBy::CitizenReport)
    } else if has(&[
        "ведомств",
        "прокурат",
        "росреестр",
        "кадастр",
        "agency",
        "prosecutor",
    ]) {
        Some(FoundBy::Agency)
    } else if has(&[
        "провер",
        "осмотр",
        "надзор",
        "обследов",
        "рейд",
        "inspection",
        "survey",
    ]) {
        Some(FoundBy::Inspection)
    } else {
        None
    }
}

/// The status of an illegal construction's case a cell's text names, in Russian or
/// English or as the database key.
pub fn recognise_illegal_status(text: &str) -> Option<IllegalStatus> {
    use IllegalStatus as S;
    let words = header_words(text);
    if let Some(status) = IllegalStatus::from_db(&words.join("_")) {
        return Some(status);
    }
    let has = |stems: &[&str]| {
        words
            .iter()
            .any(|word| stems.iter().any(|stem| word.starts_with(stem)))
    };
    if has(&["узакон", "легализ", "признан", "legalis", "legaliz"]) {
        Some(S::Legalised)
    } else if has(&["снесен", "демонтирован", "demolished"]) {
        Some(S::Demolished)
    } else if has(&["снос", "demolition"]) {
        Some(S::DemolitionOrdered)
    } else if has(&["суд", "court", "иск", "lawsuit"]) {
        Some(S::Court)
    } else if has(&["дело", "производств", "протокол", "case"]) {
        Some(S::CaseOpened)
    } else if has(&["выявлен", "identified", "new", "нов"]) {
        Some(S::Identified)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constructions::inn::InnError;
    use crate::constructions::model::RowProblem;
    use RegistryField as F;

    #[test]
    fn russian_headers_are_recognised() {
        let cases = [
            ("Реестровый номер", F::RegistryNumber),
            ("№ в реестре", F::RegistryNumber),
            ("Номер в реестре", F::RegistryNumber),
            ("Объект", F::ObjectName),
            ("Наименование объекта", F::ObjectName),
            ("Адрес", F::Address),
            ("Адрес объекта", F::Address),
            ("Широта", F::Latitude),
            ("Долгота", F::Longitude),
            ("Муниципальное образование", F::Municipality),
            ("Муниципалитет", F::Municipality),
            ("Застройщик", F::DeveloperName),
            ("Наименование застройщика", F::DeveloperName),
            ("ИНН", F::DeveloperInn),
            ("ИНН застройщика", F::DeveloperInn),
            ("Номер разрешения", F::PermitNumber),
            ("№ разрешения на строительство", F::PermitNumber),
            ("Дата разрешения", F::PermitDate),
            ("Дата выдачи разрешения", F::PermitDate),
            ("Кем выдано", F::PermitIssuer),
            ("Орган, выдавший разрешение", F::PermitIssuer),
            ("Разрешённое использование", F::PermittedUse),
            ("Вид использования", F::PermittedUse),
            ("Этажность", F::Floors),
            ("Количество этажей", F::Floors),
            ("Общая площадь", F::TotalArea),
            ("Площадь, м²", F::TotalArea),
            ("Плановый срок ввода", F::PlannedCompletion),
            ("Плановый срок ввода в эксплуатацию", F::PlannedCompletion),
            ("Срок завершения", F::PlannedCompletion),
            ("Статус", F::Status),
            ("Статус объекта", F::Status),
        ];
        for (header, field) in cases {
            assert_eq!(recognise_header(header), Some(field), "{header}");
        }
    }

    #[test]
    fn an_illegal_registrys_headers_are_recognised_for_its_own_fields() {
        let headers: Vec<String> = [
            "№ п/п",
            "Реестровый номер",
            "Наименование объекта",
            "Адрес",
            "Широта",
            "Долгота",
            "Муниципальное образование",
            "Кадастровый номер",
            "Застройщик",
            "Как выявлена",
            "Дата выявления",
            "Статус",
            "Дата разрешения",
        ]
        .map(String::from)
        .to_vec();
        let mapping = ColumnMapping::detect(&headers, Register::Illegal);
        assert_eq!(
            mapping.columns,
            [
                None,
                Some(F::RegistryNumber),
                Some(F::ObjectName),
                Some(F::Address),
                Some(F::Latitude),
                Some(F::Longitude),
                Some(F::Municipality),
                Some(F::CadastralNumber),
                Some(F::Owner),
                Some(F::FoundBy),
                Some(F::IdentifiedOn),
                Some(F::Status),
                None,
            ],
            "the developer is the owner here, and a permit date names nothing"
        );
        assert!(mapping.missing_required(Register::Illegal).is_empty());
        assert_eq!(
            mapping.missing_required(Register::Permitted),
            [
                F::DeveloperName,
                F::DeveloperInn,
                F::PermitNumber,
                F::PermitDate,
                F::PermitIssuer,
                F::PermittedUse
            ]
        );
        assert_eq!(recognise_header("Identified on"), Some(F::IdentifiedOn));
        assert_eq!(recognise_header("Found by"), Some(F::FoundBy));
        assert_eq!(recognise_header("Собственник"), Some(F::Owner));
        assert_eq!(Register::Permitted.adopt(F::Owner), Some(F::DeveloperName));
        assert_eq!(Register::Permitted.adopt(F::CadastralNumber), None);
        assert_eq!(
            ColumnMapping {
                columns: vec![Some(F::PermitDate), Some(F::FoundBy)]
            }
            .foreign(Register::Illegal),
            [F::PermitDate]
        );
    }

    #[test]
    fn ways_of_finding_and_case_statuses_are_recognised() {
        assert_eq!(
            recognise_found_by("Сообщение гражданина"),
            Some(FoundBy::CitizenReport)
        );
        assert_eq!(recognise_found_by("проверка"), Some(FoundBy::Inspection));
        assert_eq!(
            recognise_found_by("Письмо прокуратуры"),
            Some(FoundBy::Agency)
        );
        assert_eq!(recognise_found_by("agency"), Some(FoundBy::Agency));
        assert_eq!(recognise_found_by("случайно"), None);
        let cases = [
            ("Выявлена", IllegalStatus::Identified),
            ("Возбуждено дело", IllegalStatus::CaseOpened),
            ("Рассматривается в суде", IllegalStatus::Court),
            ("Решение о сносе", IllegalStatus::DemolitionOrdered),
            ("Снесена", IllegalStatus::Demolished),
            ("Узаконена", IllegalStatus::Legalised),
            ("demolition_ordered", IllegalStatus::DemolitionOrdered),
        ];
        for (text, status) in cases {
            assert_eq!(recognise_illegal_status(text), Some(status), "{text}");
        }
        assert_eq!(recognise_illegal_status("в работе"), None);
    }

    #[test]
    fn english_headers_are_recognised() {
        let cases = [
            ("Registry number", F::RegistryNumber),
            ("Registry No.", F::RegistryNumber),
            ("Object name", F::ObjectName),
            ("Object", F::ObjectName),
            ("Address", F::Address),
            ("Latitude", F::Latitude),
            ("Lat", F::Latitude),
            ("Longitude", F::Longitude),
            ("Lng", F::Longitude),
            ("Municipality", F::Municipality),
            ("Developer", F::DeveloperName),
            ("Developer name", F::DeveloperName),
            ("INN", F::DeveloperInn),
            ("Developer INN", F::DeveloperInn),
            ("Permit number", F::PermitNumber),
            ("Permit No", F::PermitNumber),
            ("Permit date", F::PermitDate),
            ("Permit issued by", F::PermitIssuer),
            ("Issuer", F::PermitIssuer),
            ("Permitted use", F::PermittedUse),
            ("Floors", F::Floors),
            ("Number of storeys", F::Floors),
            ("Total area, m2", F::TotalArea),
            ("Planned completion", F::PlannedCompletion),
            ("Status", F::Status),
        ];
        for (header, field) in cases {
            assert_eq!(recognise_header(header), Some(field), "{header}");
        }
    }

    #[test]
    fn case_spacing_punctuation_and_yo_do_not_matter() {
        for header in [
            "  РАЗРЕШЕННОЕ   использование ",
            "разрешённое\u{a0}использование:",
            "Разрешенное-использование",
        ] {
            assert_eq!(recognise_header(header), Some(F::PermittedUse), "{header}");
        }
        assert_eq!(recognise_header("\nИНН\t"), Some(F::DeveloperInn));
        assert_eq!(recognise_header("реестровый №"), Some(F::RegistryNumber));
    }

    #[test]
    fn two_row_headers_joined_with_their_group_are_recognised() {
        let cases = [
            ("Разрешение на строительство Номер", F::PermitNumber),
            ("Разрешение на строительство Дата", F::PermitDate),
            ("Разрешение на строительство Кем выдано", F::PermitIssuer),
            ("Застройщик Наименование", F::DeveloperName),
            ("Застройщик ИНН", F::DeveloperInn),
            ("Координаты Широта", F::Latitude),
            ("Координаты Долгота", F::Longitude),
            ("Объект Адрес", F::Address),
            ("Объект Этажность", F::Floors),
            ("Permit Date", F::PermitDate),
        ];
        for (header, field) in cases {
            assert_eq!(recognise_header(header), Some(field), "{header}");
        }
    }

    #[test]
    fn headers_the_registry_of_permits_lacks_are_not_recognised() {
        for header in [
            "",
            "  ",
            "№ п/п",
            "№",
            "Примечание",
            "Кадастровый номер",
            "Номер разрешения на ввод в эксплуатацию",
            "Comment",
        ] {
            let field = recognise_header(header).and_then(|field| Register::Permitted.adopt(field));
            assert_eq!(field, None, "{header:?}");
        }
    }

    #[test]
    fn detection_gives_each_field_to_its_first_column() {
        let headers: Vec<String> = ["№ п/п", "Реестровый номер", "Адрес", "Адрес объекта", "ИНН"]
            .into_iter()
            .map(str::to_string)
            .collect();
        let mapping = ColumnMapping::detect(&headers, Register::Permitted);
        assert_eq!(
            mapping.columns,
            vec![
                None,
                Some(F::RegistryNumber),
                Some(F::Address),
                None,
                Some(F::DeveloperInn)
            ]
        );
        assert_eq!(mapping.column_of(F::Address), Some(2));
        assert_eq!(mapping.column_of(F::Status), None);
        assert!(mapping.duplicated().is_empty());
        let missing = mapping.missing_required(Register::Permitted);
        assert!(missing.contains(&F::ObjectName));
        assert!(!missing.contains(&F::Address));
        assert!(
            !missing.contains(&F::Floors),
            "optional fields are never missing"
        );
    }

    #[test]
    fn an_edited_mapping_reports_duplicates() {
        let mapping = ColumnMapping {
            columns: vec![
                Some(F::Address),
                None,
                Some(F::Address),
                Some(F::Status),
                Some(F::Status),
            ],
        };
        assert_eq!(mapping.duplicated(), vec![F::Address, F::Status]);
        assert_eq!(mapping.column_of(F::Status), Some(3));
    }

    #[test]
    fn statuses_are_recognised_in_both_languages_and_as_keys() {
        use ConstructionStatus as S;
        let cases = [
            ("Выдано разрешение", S::PermitIssued),
            ("Разрешение выдано", S::PermitIssued),
            ("Строится", S::UnderConstruction),
            ("Ведётся строительство", S::UnderConstruction),
            ("ведется  строительство", S::UnderConstruction),
            ("Введён в эксплуатацию", S::Commissioned),
            ("Приостановлено", S::Suspended),
            ("Строительство приостановлено", S::Suspended),
            ("Разрешение отозвано", S::Revoked),
            ("Permit issued", S::PermitIssued),
            ("Under construction", S::UnderConstruction),
            ("Commissioned", S::Commissioned),
            ("Suspended", S::Suspended),
            ("Revoked", S::Revoked),
            ("permit_issued", S::PermitIssued),
            ("under_construction", S::UnderConstruction),
            ("revoked", S::Revoked),
        ];
        for (text, status) in cases {
            assert_eq!(recognise_status(text), Some(status), "{text}");
        }
        assert_eq!(recognise_status("Непонятно"), None);
        assert_eq!(recognise_status(""), None);
    }

    #[test]
    fn problems_serialise_with_a_code_tag() {
        let json = |problem: RowProblem| serde_json::to_value(problem).expect("serialisable");
        assert_eq!(
            json(RowProblem::Missing),
            serde_json::json!({"code": "missing"})
        );
        assert_eq!(
            json(RowProblem::BadInn {
                reason: InnError::BadChecksum
            }),
            serde_json::json!({"code": "bad_inn", "reason": "bad_checksum"})
        );
        assert_eq!(
            json(RowProblem::DuplicateInFile { first_row: 3 }),
            serde_json::json!({"code": "duplicate_in_file", "first_row": 3})
        );
    }
}
