//! Registry workbooks: reading one (through `platform::workbook`, which bounds and parses
//! the file), its cells as registry values, and validating its rows into registry
//! records. Server only.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::constructions::footprint::{Footprint, FootprintError};
use crate::constructions::import::{
    ColumnMapping, Validated, max_text_chars, recognise_found_by, recognise_illegal_status,
    recognise_status,
};
use crate::constructions::inn::{InnError, check_inn, normalise_inn};
use crate::constructions::model::{
    ConstructionFields, ConstructionStatus, Register, RegistryField, RowError, RowProblem,
};
use crate::constructions::model::{FoundBy, IllegalFields, IllegalRecord, IllegalStatus};
use crate::geography::model::MunicipalityId;
use platform::error::WorkbookError;
use platform::geo::LatLon;
pub use platform::workbook::{Cell, MAX_FILE_BYTES, Sheet, SheetRow, parse_text};
use platform::workbook::{EXACT_INTEGER_LIMIT, is_blank, read_workbook};

/// Reads a registry workbook: its header is found by the registry's own column names
/// (see `platform::workbook::read_workbook` for the bounds and the formats).
pub fn read_registry(bytes: &[u8], file_name: &str) -> Result<Sheet, WorkbookError> {
    read_workbook(bytes, file_name, recognised_fields)
}

/// How many fields a header line maps, for the registry it maps best.
fn recognised_fields(headers: &[String]) -> usize {
    Register::ALL
        .into_iter()
        .map(|register| {
            ColumnMapping::detect(headers, register)
                .columns
                .iter()
                .flatten()
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// The earliest date the import takes (anything earlier is a typo).
fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The latest date the import takes.
fn latest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// A cell as a date: a date-formatted cell, an Excel serial number (1900 date system,
/// with its phantom 29 February 1900), or text "dd.mm.yyyy", "d.m.yyyy" (optionally
/// followed by "г."), or "yyyy-mm-dd" (optionally with a time). Impossible dates such as
/// 31.02.2024 are `BadDate`, never rolled over; dates outside 1900-2100 are `OutOfRange`.
/// A whole number from 1900 to 2100 is `BadDate`: it is a year, not the serial date in
/// 1905 it would otherwise be.
pub fn parse_date(cell: &Cell) -> Result<Option<NaiveDate>, RowProblem> {
    let date = match cell {
        Cell::Empty => return Ok(None),
        Cell::Formula(_) => return Err(RowProblem::Formula),
        Cell::Bool(_) | Cell::Error => return Err(RowProblem::BadDate),
        Cell::Date(date_time) => date_time.date(),
        Cell::Number(serial) => date_from_serial(*serial)?,
        Cell::Text(text) => match parse_text(cell) {
            None => return Ok(None),
            Some(_) => date_from_text(text)?,
        },
    };
    if date < earliest_date() || date > latest_date() {
        return Err(RowProblem::OutOfRange);
    }
    Ok(Some(date))
}

/// An Excel serial date of the 1900 system: day 1 is 1900-01-01, and day 60 is the
/// 29 February 1900 that Lotus 1-2-3 invented and Excel kept, so from day 61 on the serial
/// is one ahead of a plain day count. A time of day (the fraction) is dropped.
fn date_from_serial(serial: f64) -> Result<NaiveDate, RowProblem> {
    if !serial.is_finite() {
        return Err(RowProblem::BadDate);
    }
    let days = serial.floor();
    if (1900.0..=2100.0).contains(&days) {
        return Err(RowProblem::BadDate);
    }
    if !(1.0..=2_958_465.0).contains(&days) {
        return Err(RowProblem::OutOfRange);
    }
    if days == 60.0 {
        return Err(RowProblem::BadDate);
    }
    let days = days as i64;
    let (epoch, offset) = if days < 60 {
        ((1899, 12, 31), days)
    } else {
        ((1899, 12, 30), days)
    };
    NaiveDate::from_ymd_opt(epoch.0, epoch.1, epoch.2)
        .and_then(|epoch| epoch.checked_add_signed(chrono::TimeDelta::days(offset)))
        .ok_or(RowProblem::OutOfRange)
}

fn date_from_text(text: &str) -> Result<NaiveDate, RowProblem> {
    let text = text.trim_matches(is_blank);
    let text = text
        .strip_suffix("г.")
        .or_else(|| text.strip_suffix('г'))
        .map_or(text, |rest| rest.trim_end_matches(is_blank));
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = text.split('.').collect();
    let (year, month, day) = if let [day, month, year] = parts.as_slice() {
        (
            number(year, 4..=4),
            number(month, 1..=2),
            number(day, 1..=2),
        )
    } else {
        // ISO, possibly with a time part ("2024-03-15T10:30:00", "2024-03-15 10:30").
        let date_part = text.split(['T', ' ']).next().unwrap_or_default();
        let time_part = &text[date_part.len()..];
        let time_ok = time_part
            .chars()
            .skip(1)
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.');
        match date_part.split('-').collect::<Vec<_>>().as_slice() {
            [year, month, day] if time_ok => (
                number(year, 4..=4),
                number(month, 1..=2),
                number(day, 1..=2),
            ),
            _ => (None, None, None),
        }
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(RowProblem::BadDate);
    };
    let year = i32::try_from(year).map_err(|_| RowProblem::BadDate)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(RowProblem::BadDate)
}

/// A cell as a decimal number: a number cell, or text with a decimal comma or dot and
/// spaces (incl. no-break spaces) or the other mark as thousands separators
/// ("1 234,5", "1.234,5", "1,234.5"). A lone comma is the decimal mark ("12,5" = 12.5),
/// as in Russian. Anything ambiguous or not a number ("1,234.5,6", "12 м²") is `BadNumber`.
pub fn parse_decimal(cell: &Cell) -> Result<Option<f64>, RowProblem> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Formula(_) => Err(RowProblem::Formula),
        Cell::Number(number) if number.is_finite() => Ok(Some(*number)),
        Cell::Text(text) => {
            let compact: String = text.chars().filter(|c| !is_blank(*c)).collect();
            if compact.is_empty() {
                return Ok(None);
            }
            decimal_from_text(&compact)
                .map(Some)
                .ok_or(RowProblem::BadNumber)
        }
        Cell::Number(_) | Cell::Bool(_) | Cell::Date(_) | Cell::Error => Err(RowProblem::BadNumber),
    }
}

fn decimal_from_text(text: &str) -> Option<f64> {
    let (negative, digits) = match text.chars().next()? {
        '-' | '\u{2212}' => (true, &text[text.chars().next()?.len_utf8()..]),
        '+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let commas = digits.matches(',').count();
    let dots = digits.matches('.').count();
    let (decimal_mark, thousands_mark) = match (commas, dots) {
        (0, 0) => (None, None),
        (1, 0) => (Some(','), None),
        (0, 1) => (Some('.'), None),
        (_, 0) => (None, Some(',')),
        (0, _) => (None, Some('.')),
        _ => {
            // Both marks: the last one is the decimal mark and occurs once.
            let last = digits.chars().rev().find(|c| *c == ',' || *c == '.')?;
            let other = if last == ',' { '.' } else { ',' };
            if digits.matches(last).count() != 1 {
                return None;
            }
            (Some(last), Some(other))
        }
    };
    let (whole, fraction) = match decimal_mark {
        Some(mark) => digits.split_once(mark)?,
        None => (digits, ""),
    };
    if decimal_mark.is_some() && fraction.is_empty() {
        return None;
    }
    let whole = match thousands_mark {
        Some(mark) => {
            let mut groups = whole.split(mark);
            let first = groups.next()?;
            let grouped =
                (1..=3).contains(&first.len()) && groups.clone().all(|group| group.len() == 3);
            if !grouped {
                return None;
            }
            std::iter::once(first).chain(groups).collect::<String>()
        }
        None => whole.to_string(),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let plain = format!(
        "{}{}.{}",
        if negative { "-" } else { "" },
        if whole.is_empty() { "0" } else { &whole },
        if fraction.is_empty() { "0" } else { fraction }
    );
    plain.parse::<f64>().ok().filter(|value| value.is_finite())
}

/// A cell as a whole number (see [`parse_decimal`] for the accepted text); a fraction is
/// `BadNumber`.
pub fn parse_integer(cell: &Cell) -> Result<Option<i64>, RowProblem> {
    match parse_decimal(cell)? {
        None => Ok(None),
        Some(value) if value.fract() == 0.0 && value.abs() < EXACT_INTEGER_LIMIT => {
            Ok(Some(value as i64))
        }
        Some(_) => Err(RowProblem::BadNumber),
    }
}

/// What validation needs from the database, as plain functions so this stays pure.
pub struct ValidationContext<'a> {
    /// The municipality a cell's trimmed text names (name, slug or centre), if any.
    pub municipality: &'a dyn Fn(&str) -> Option<MunicipalityId>,
    /// Whether the importing official may change entries of a municipality.
    pub may_edit: &'a dyn Fn(MunicipalityId) -> bool,
    /// Whether a point lies in the region.
    pub in_region: &'a dyn Fn(LatLon) -> bool,
}

/// Floors a registry building may have.
const FLOORS: std::ops::RangeInclusive<i64> = 1..=200;
/// Total area in square metres must lie strictly between 0 and this.
const MAX_AREA_M2: f64 = 10_000_000.0;

/// Validates every row of `sheet` as `mapping` reads it, as entries of the registry of
/// permits. Every problem of every row is reported; rows without problems become records.
/// A required field without a column is `Missing` (with no column) on every row: callers
/// check [`ColumnMapping::missing_required`] first. Registry numbers repeated in the file
/// are reported on the later rows (compared case-insensitively, like the database's
/// unique key).
pub fn validate(sheet: &Sheet, mapping: &ColumnMapping, ctx: &ValidationContext<'_>) -> Validated {
    validate_rows(sheet, mapping, Register::Permitted, |check, numbers| {
        check.record(ctx, numbers)
    })
}

/// Validates every row of `sheet` as entries of the registry of illegal constructions,
/// as [`validate`] does for the registry of permits; no day of identification may lie
/// after `today`.
pub fn validate_illegal(
    sheet: &Sheet,
    mapping: &ColumnMapping,
    ctx: &ValidationContext<'_>,
    today: NaiveDate,
) -> Validated<IllegalRecord> {
    validate_rows(sheet, mapping, Register::Illegal, |check, numbers| {
        check.illegal_record(ctx, numbers, today)
    })
}

/// Runs `record` over every row of `sheet`, collecting the records and the problems.
fn validate_rows<R>(
    sheet: &Sheet,
    mapping: &ColumnMapping,
    register: Register,
    record: impl Fn(&mut RowCheck<'_>, &mut HashMap<String, u32>) -> Option<R>,
) -> Validated<R> {
    let columns: Vec<Option<usize>> = RegistryField::ALL
        .iter()
        .map(|field| mapping.column_of(*field))
        .collect();
    let mut validated = Validated::default();
    let mut first_row_of_number: HashMap<String, u32> = HashMap::new();
    for row in &sheet.rows {
        let mut check = RowCheck {
            sheet,
            row,
            register,
            columns: &columns,
            errors: &mut validated.errors,
            clean: true,
        };
        if let Some(found) = record(&mut check, &mut first_row_of_number) {
            validated.records.push((row.number, found));
        }
    }
    validated
}

/// The fields both registries have, as one row gives them.
struct Common {
    registry_number: Option<String>,
    object_name: Option<String>,
    address: Option<String>,
    point: Option<LatLon>,
    municipality_id: Option<MunicipalityId>,
}

/// The validation of one row: collects its problems into `errors`.
struct RowCheck<'a> {
    sheet: &'a Sheet,
    row: &'a SheetRow,
    register: Register,
    columns: &'a [Option<usize>],
    errors: &'a mut Vec<RowError>,
    clean: bool,
}

impl RowCheck<'_> {
    /// The number (checked against the file's earlier rows), object, address, point and
    /// municipality (checked against the official's rights).
    fn common(
        &mut self,
        ctx: &ValidationContext<'_>,
        first_row_of_number: &mut HashMap<String, u32>,
    ) -> Common {
        use RegistryField as F;
        let registry_number = self.text(F::RegistryNumber);
        if let Some(number) = &registry_number {
            let key = number.to_lowercase();
            match first_row_of_number.get(&key) {
                Some(&first_row) => {
                    self.report(F::RegistryNumber, RowProblem::DuplicateInFile { first_row })
                }
                None => {
                    first_row_of_number.insert(key, self.row.number);
                }
            }
        }
        let object_name = self.text(F::ObjectName);
        let address = self.text(F::Address);
        let point = self.point(ctx);
        let municipality_id =
            self.text(F::Municipality)
                .and_then(|name| match (ctx.municipality)(&name) {
                    None => {
                        self.report(F::Municipality, RowProblem::UnknownMunicipality);
                        None
                    }
                    Some(found) if !(ctx.may_edit)(found) => {
                        self.report(F::Municipality, RowProblem::NotYourMunicipality);
                        None
                    }
                    found => found,
                });
        Common {
            registry_number,
            object_name,
            address,
            point,
            municipality_id,
        }
    }

    /// An illegal construction's row.
    fn illegal_record(
        &mut self,
        ctx: &ValidationContext<'_>,
        first_row_of_number: &mut HashMap<String, u32>,
        today: NaiveDate,
    ) -> Option<IllegalRecord> {
        use RegistryField as F;
        let common = self.common(ctx, first_row_of_number);
        let cadastral_number = self.text(F::CadastralNumber);
        let owner_name = self.text(F::Owner);
        let floors = self.floors();
        let total_area_m2 = self.area();
        let found_by = self.found_by();
        let identified_on = self.date(F::IdentifiedOn).and_then(|day| {
            if day > today {
                self.report(F::IdentifiedOn, RowProblem::FutureDate);
                None
            } else {
                Some(day)
            }
        });
        let status = self.illegal_status();
        if !self.clean {
            return None;
        }
        Some(IllegalRecord {
            fields: IllegalFields {
                registry_number: common.registry_number?,
                object_name: common.object_name?,
                address: common.address?,
                point: common.point?,
                municipality_id: common.municipality_id?,
                cadastral_number,
                owner_name,
                floors,
                total_area_m2,
                found_by: found_by?,
                identified_on: identified_on?,
            },
            status: status?,
        })
    }

    /// A permitted construction's row.
    fn record(
        &mut self,
        ctx: &ValidationContext<'_>,
        first_row_of_number: &mut HashMap<String, u32>,
    ) -> Option<ConstructionFields> {
        use RegistryField as F;
        let Common {
            registry_number,
            object_name,
            address,
            point,
            municipality_id,
        } = self.common(ctx, first_row_of_number);
        let developer_name = self.text(F::DeveloperName);
        let developer_inn = self.inn();
        let permit_number = self.text(F::PermitNumber);
        let permit_date = self.date(F::PermitDate);
        let permit_issuer = self.text(F::PermitIssuer);
        let permitted_use = self.text(F::PermittedUse);
        let floors = self.floors();
        let total_area_m2 = self.area();
        let planned_completion = self.date(F::PlannedCompletion);
        let status = self.status();
        let footprint = self.footprint();
        if !self.clean {
            return None;
        }
        Some(ConstructionFields {
            registry_number: registry_number?,
            object_name: object_name?,
            address: address?,
            point: point?,
            municipality_id: municipality_id?,
            developer_name: developer_name?,
            developer_inn: developer_inn?,
            permit_number: permit_number?,
            permit_date: permit_date?,
            permit_issuer: permit_issuer?,
            permitted_use: permitted_use?,
            floors,
            total_area_m2,
            planned_completion,
            status: status?,
            footprint,
        })
    }

    fn column(&self, field: RegistryField) -> Option<usize> {
        let slot = RegistryField::ALL
            .iter()
            .position(|candidate| *candidate == field)?;
        self.columns.get(slot).copied().flatten()
    }

    fn cell(&self, field: RegistryField) -> &Cell {
        self.column(field)
            .and_then(|column| self.row.cells.get(column))
            .unwrap_or(&Cell::Empty)
    }

    fn report(&mut self, field: RegistryField, problem: RowProblem) {
        self.clean = false;
        let column = self
            .column(field)
            .and_then(|column| self.sheet.headers.get(column))
            .cloned();
        self.errors.push(RowError {
            row: self.row.number,
            column,
            field: Some(field),
            problem,
        });
    }

    /// The cell's value through `parse`, reporting formulas, parse problems and a missing
    /// required value.
    fn parsed<T>(
        &mut self,
        field: RegistryField,
        parse: impl Fn(&Cell) -> Result<Option<T>, RowProblem>,
    ) -> Option<T> {
        let cell = self.cell(field);
        let result = if matches!(cell, Cell::Formula(_)) {
            Err(RowProblem::Formula)
        } else {
            parse(cell)
        };
        match result {
            Ok(Some(value)) => Some(value),
            Ok(None) => {
                if self.register.is_required(field) {
                    self.report(field, RowProblem::Missing);
                }
                None
            }
            Err(problem) => {
                self.report(field, problem);
                None
            }
        }
    }

    fn text(&mut self, field: RegistryField) -> Option<String> {
        let text = self.parsed(field, |cell| Ok(parse_text(cell)))?;
        match max_text_chars(field) {
            Some(max) if text.chars().count() > max as usize => {
                self.report(field, RowProblem::TooLong { max });
                None
            }
            _ => Some(text),
        }
    }

    fn date(&mut self, field: RegistryField) -> Option<NaiveDate> {
        self.parsed(field, parse_date)
    }

    fn coordinate(
        &mut self,
        field: RegistryField,
        range: std::ops::RangeInclusive<f64>,
    ) -> Option<f64> {
        let value = self.parsed(field, parse_decimal)?;
        if range.contains(&value) {
            Some(value)
        } else {
            self.report(field, RowProblem::OutOfRange);
            None
        }
    }

    fn point(&mut self, ctx: &ValidationContext<'_>) -> Option<LatLon> {
        let lat = self.coordinate(RegistryField::Latitude, -90.0..=90.0);
        let lon = self.coordinate(RegistryField::Longitude, -180.0..=180.0);
        let point = LatLon::new(lat?, lon?)?;
        if (ctx.in_region)(point) {
            Some(point)
        } else {
            self.report(RegistryField::Latitude, RowProblem::OutsideRegion);
            None
        }
    }

    /// The INN with its grouping spaces removed. An INN stored as a number has lost its
    /// leading zero (regions 01-09): a 9- or 11-digit number whose zero-padded form passes
    /// the checksum is taken padded.
    fn inn(&mut self) -> Option<String> {
        let field = RegistryField::DeveloperInn;
        let was_number = matches!(self.cell(field), Cell::Number(_));
        let inn = normalise_inn(&self.parsed(field, |cell| Ok(parse_text(cell)))?);
        let padded = format!("0{inn}");
        if was_number && matches!(inn.len(), 9 | 11) && check_inn(&padded).is_ok() {
            return Some(padded);
        }
        match check_inn(&inn) {
            Ok(()) => Some(inn),
            Err(InnError::Empty) => {
                self.report(field, RowProblem::Missing);
                None
            }
            Err(reason) => {
                self.report(field, RowProblem::BadInn { reason });
                None
            }
        }
    }

    fn floors(&mut self) -> Option<u16> {
        let floors = self.parsed(RegistryField::Floors, parse_integer)?;
        let valid = FLOORS
            .contains(&floors)
            .then(|| u16::try_from(floors).ok())
            .flatten();
        if valid.is_none() {
            self.report(RegistryField::Floors, RowProblem::OutOfRange);
        }
        valid
    }

    fn footprint(&mut self) -> Option<Footprint> {
        let text = self.parsed(RegistryField::Footprint, |cell| Ok(parse_text(cell)))?;
        match Footprint::parse(&text) {
            Ok(footprint) => Some(footprint),
            Err(FootprintError::OutsideRegion) => {
                self.report(RegistryField::Footprint, RowProblem::OutsideRegion);
                None
            }
            Err(_) => {
                self.report(RegistryField::Footprint, RowProblem::BadFootprint);
                None
            }
        }
    }

    fn area(&mut self) -> Option<f64> {
        let area = self.parsed(RegistryField::TotalArea, parse_decimal)?;
        if area > 0.0 && area < MAX_AREA_M2 {
            Some(area)
        } else {
            self.report(RegistryField::TotalArea, RowProblem::OutOfRange);
            None
        }
    }

    /// The status; an empty cell (or no status column) means the permit is issued.
    fn status(&mut self) -> Option<ConstructionStatus> {
        let field = RegistryField::Status;
        if matches!(self.cell(field), Cell::Formula(_)) {
            self.report(field, RowProblem::Formula);
            return None;
        }
        let Some(text) = parse_text(self.cell(field)) else {
            return Some(ConstructionStatus::PermitIssued);
        };
        let status = recognise_status(&text);
        if status.is_none() {
            self.report(field, RowProblem::UnknownStatus);
        }
        status
    }

    /// How an illegal construction was found; an empty cell (or no such column) means the
    /// supervision's own inspection. `None` only for a bad cell.
    fn found_by(&mut self) -> Option<FoundBy> {
        let field = RegistryField::FoundBy;
        let clean_before = self.clean;
        let Some(text) = self.parsed(field, |cell| Ok(parse_text(cell))) else {
            return (self.clean == clean_before).then_some(FoundBy::Inspection);
        };
        let found_by = recognise_found_by(&text);
        if found_by.is_none() {
            self.report(field, RowProblem::UnknownFoundBy);
        }
        found_by
    }

    /// An illegal construction's status: `Some(None)` for an empty cell (or no such
    /// column: a new entry is identified, an existing one keeps its status), `None` only
    /// for a bad cell.
    fn illegal_status(&mut self) -> Option<Option<IllegalStatus>> {
        let field = RegistryField::Status;
        let clean_before = self.clean;
        let Some(text) = self.parsed(field, |cell| Ok(parse_text(cell))) else {
            return (self.clean == clean_before).then_some(None);
        };
        let status = recognise_illegal_status(&text);
        if status.is_none() {
            self.report(field, RowProblem::UnknownStatus);
        }
        status.map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError as WriteError};

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

    /// An .xlsx whose first sheet `fill` writes.
    fn xlsx(fill: impl FnOnce(&mut Worksheet) -> Result<(), WriteError>) -> Vec<u8> {
        let mut workbook = Workbook::new();
        fill(workbook.add_worksheet()).expect("the test sheet is writable");
        workbook.save_to_buffer().expect("the test workbook saves")
    }

    fn write_headers(sheet: &mut Worksheet, row: u32) -> Result<(), WriteError> {
        for (column, header) in (0u16..).zip(HEADERS) {
            sheet.write_string(row, column, header)?;
        }
        Ok(())
    }

    /// A complete, valid registry row.
    fn write_valid_row(sheet: &mut Worksheet, row: u32, number: &str) -> Result<(), WriteError> {
        sheet.write_string(row, 0, number)?;
        sheet.write_string(row, 1, "Многоквартирный жилой дом")?;
        sheet.write_string(row, 2, "г. Краснодар, ул. Красная, 1")?;
        sheet.write_number(row, 3, 45.0355)?;
        sheet.write_number(row, 4, 38.9753)?;
        sheet.write_string(row, 5, "Краснодар")?;
        sheet.write_string(row, 6, "ООО «Кубаньстрой»")?;
        sheet.write_string(row, 7, "2310031475")?;
        sheet.write_string(row, 8, "23-43-101-2024")?;
        sheet.write_number(row, 9, 45366.0)?;
        sheet.write_string(row, 10, "Департамент архитектуры")?;
        sheet.write_string(row, 11, "многоквартирный жилой дом")?;
        sheet.write_number(row, 12, 9.0)?;
        sheet.write_number(row, 13, 5400.5)?;
        sheet.write_string(row, 15, "Строится")?;
        Ok(())
    }

    fn municipality(name: &str) -> Option<MunicipalityId> {
        matches!(name, "Краснодар" | "krasnodar").then_some(MunicipalityId(1))
    }

    fn in_krai(point: LatLon) -> bool {
        (43.0..=47.5).contains(&point.lat) && (36.0..=42.0).contains(&point.lon)
    }

    fn validate_default(sheet: &Sheet) -> Validated {
        let mapping = ColumnMapping::detect(&sheet.headers, Register::Permitted);
        let ctx = ValidationContext {
            municipality: &municipality,
            may_edit: &|_| true,
            in_region: &in_krai,
        };
        validate(sheet, &mapping, &ctx)
    }

    #[test]
    fn an_illegal_registrys_rows_are_validated_with_their_own_fields() {
        let bytes = xlsx(|sheet| {
            let headers = [
                "Номер в реестре",
                "Объект",
                "Адрес",
                "Широта",
                "Долгота",
                "Муниципальное образование",
                "Кадастровый номер",
                "Собственник",
                "Как выявлена",
                "Дата выявления",
                "Статус",
            ];
            for (column, header) in (0u16..).zip(headers) {
                sheet.write_string(0, column, header)?;
            }
            let rows: [[&str; 11]; 4] = [
                [
                    "СП-1",
                    "Ангар",
                    "ул. Садовая, 1",
                    "45,03",
                    "38,97",
                    "Краснодар",
                    "23:43:1:1",
                    "ООО «Ангар»",
                    "Проверка",
                    "01.03.2026",
                    "Рассматривается в суде",
                ],
                [
                    "СП-2",
                    "Кафе",
                    "ул. Речная, 2",
                    "45,04",
                    "38,98",
                    "Краснодар",
                    "",
                    "",
                    "",
                    "2026-02-10",
                    "",
                ],
                [
                    "СП-3",
                    "Гараж",
                    "ул. Лесная, 3",
                    "45,05",
                    "38,99",
                    "Краснодар",
                    "",
                    "",
                    "слухи",
                    "01.01.2030",
                    "в работе",
                ],
                [
                    "СП-1",
                    "Склад",
                    "",
                    "45,06",
                    "38,90",
                    "Краснодар",
                    "",
                    "",
                    "",
                    "",
                    "",
                ],
            ];
            for (row, values) in (1u32..).zip(rows) {
                for (column, value) in (0u16..).zip(values) {
                    if !value.is_empty() {
                        sheet.write_string(row, column, value)?;
                    }
                }
            }
            Ok(())
        });
        let sheet = read(&bytes).expect("the workbook reads");
        let mapping = ColumnMapping::detect(&sheet.headers, Register::Illegal);
        assert!(mapping.missing_required(Register::Illegal).is_empty());
        let ctx = ValidationContext {
            municipality: &municipality,
            may_edit: &|_| true,
            in_region: &in_krai,
        };
        let validated = validate_illegal(&sheet, &mapping, &ctx, date(2026, 12, 1));
        let numbers: Vec<&str> = validated
            .records
            .iter()
            .map(|(_, record)| record.fields.registry_number.as_str())
            .collect();
        assert_eq!(numbers, ["СП-1", "СП-2"]);
        let (_, first) = &validated.records[0];
        assert_eq!(first.status, Some(IllegalStatus::Court));
        assert_eq!(first.fields.found_by, FoundBy::Inspection);
        assert_eq!(first.fields.identified_on, date(2026, 3, 1));
        assert_eq!(first.fields.cadastral_number.as_deref(), Some("23:43:1:1"));
        assert_eq!(first.fields.owner_name.as_deref(), Some("ООО «Ангар»"));
        let (_, second) = &validated.records[1];
        assert_eq!(second.status, None, "an empty status keeps the entry's own");
        assert_eq!(
            second.fields.found_by,
            FoundBy::Inspection,
            "an empty way means an inspection"
        );
        assert_eq!(second.fields.owner_name, None);
        use RegistryField as F;
        let mut third = problems_of(&validated, 4);
        third.sort_by_key(|(field, _)| field.map(F::key));
        assert_eq!(
            third,
            [
                (Some(F::FoundBy), RowProblem::UnknownFoundBy),
                (Some(F::IdentifiedOn), RowProblem::FutureDate),
                (Some(F::Status), RowProblem::UnknownStatus),
            ]
        );
        let mut fourth = problems_of(&validated, 5);
        fourth.sort_by_key(|(field, _)| field.map(F::key));
        assert_eq!(
            fourth,
            [
                (Some(F::Address), RowProblem::Missing),
                (Some(F::IdentifiedOn), RowProblem::Missing),
                (
                    Some(F::RegistryNumber),
                    RowProblem::DuplicateInFile { first_row: 2 }
                ),
            ]
        );
    }

    fn read(bytes: &[u8]) -> Result<Sheet, WorkbookError> {
        read_registry(bytes, "registry.xlsx")
    }

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a real date")
    }

    fn problems_of<R>(
        validated: &Validated<R>,
        row: u32,
    ) -> Vec<(Option<RegistryField>, RowProblem)> {
        validated
            .errors
            .iter()
            .filter(|error| error.row == row)
            .map(|error| (error.field, error.problem))
            .collect()
    }

    #[test]
    fn a_russian_registry_with_mixed_date_and_number_styles_imports() {
        let date_format = Format::new().set_num_format("dd.mm.yyyy");
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            write_valid_row(sheet, 1, "РС-001")?;
            write_valid_row(sheet, 2, "РС-002")?;
            sheet.write_string(2, 3, " 45,0355\u{a0}")?;
            sheet.write_string(2, 4, "38,9753")?;
            sheet.write_string(2, 5, "  Краснодар ")?;
            sheet.write_string(2, 6, "ООО   «Кубаньстрой»\u{a0}")?;
            sheet.write_string(2, 7, "2310 031 475")?;
            sheet.write_string(2, 9, " 15.03.2024 г. ")?;
            sheet.write_string(2, 12, " 9 ")?;
            sheet.write_string(2, 13, "1\u{a0}234,5")?;
            sheet.write_string(2, 14, "2026-12-31")?;
            sheet.write_string(2, 15, " \u{a0}")?;
            write_valid_row(sheet, 3, "РС-003")?;
            sheet.write_number(3, 0, 1234.0)?;
            sheet.write_number_with_format(3, 9, 45366.0, &date_format)?;
            sheet.write_string(3, 14, "1.7.2027")?;
            sheet.write_string(3, 15, "Введён в эксплуатацию")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.headers, HEADERS.map(str::to_string).to_vec());
        assert_eq!(
            sheet.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
            vec![2, 3, 4]
        );
        assert_eq!(
            sheet.rows[2].cells[9],
            Cell::Date(date(2024, 3, 15).and_time(chrono::NaiveTime::MIN))
        );

        let validated = validate_default(&sheet);
        assert_eq!(validated.errors, vec![]);
        let records: Vec<_> = validated
            .records
            .iter()
            .map(|(row, record)| (*row, record))
            .collect();
        assert_eq!(records.len(), 3);
        for (_, record) in &records {
            assert_eq!(record.permit_date, date(2024, 3, 15));
            assert_eq!(
                record.point,
                LatLon {
                    lat: 45.0355,
                    lon: 38.9753
                }
            );
            assert_eq!(record.municipality_id, MunicipalityId(1));
            assert_eq!(record.developer_name, "ООО «Кубаньстрой»");
            assert_eq!(record.developer_inn, "2310031475");
            assert_eq!(record.floors, Some(9));
        }
        let (row, second) = records[1];
        assert_eq!(row, 3);
        assert_eq!(second.total_area_m2, Some(1234.5));
        assert_eq!(second.planned_completion, Some(date(2026, 12, 31)));
        assert_eq!(second.status, ConstructionStatus::PermitIssued);
        assert_eq!(records[0].1.status, ConstructionStatus::UnderConstruction);
        assert_eq!(records[2].1.registry_number, "1234");
        assert_eq!(records[2].1.planned_completion, Some(date(2027, 7, 1)));
        assert_eq!(records[2].1.status, ConstructionStatus::Commissioned);

        // An official whose department keeps another municipality's registry imports none.
        let elsewhere = ValidationContext {
            municipality: &municipality,
            may_edit: &|id| id != MunicipalityId(1),
            in_region: &in_krai,
        };
        let refused = validate(
            &sheet,
            &ColumnMapping::detect(&sheet.headers, Register::Permitted),
            &elsewhere,
        );
        assert!(refused.records.is_empty());
        assert_eq!(refused.errors.len(), 3);
        assert!(
            refused
                .errors
                .iter()
                .all(|error| error.problem == RowProblem::NotYourMunicipality
                    && error.field == Some(RegistryField::Municipality))
        );
    }

    #[test]
    fn merged_group_titles_combine_with_their_sub_headers() {
        let merged = Format::new();
        let bytes = xlsx(|sheet| {
            // Columns without sub-headers are merged down over both header rows.
            sheet.merge_range(0, 0, 1, 0, "Реестровый номер", &merged)?;
            sheet.merge_range(0, 1, 1, 1, "Объект", &merged)?;
            sheet.merge_range(0, 2, 1, 2, "Адрес", &merged)?;
            sheet.merge_range(0, 3, 0, 4, "Координаты", &merged)?;
            sheet.write_string(1, 3, "Широта")?;
            sheet.write_string(1, 4, "Долгота")?;
            sheet.merge_range(0, 5, 1, 5, "Муниципалитет", &merged)?;
            sheet.merge_range(0, 6, 0, 7, "Застройщик", &merged)?;
            sheet.write_string(1, 6, "Наименование")?;
            sheet.write_string(1, 7, "ИНН")?;
            sheet.merge_range(0, 8, 0, 10, "Разрешение на строительство", &merged)?;
            sheet.write_string(1, 8, "Номер")?;
            sheet.write_string(1, 9, "Дата")?;
            sheet.write_string(1, 10, "Кем выдано")?;
            for (column, header) in (11u16..).zip(&HEADERS[11..]) {
                sheet.merge_range(0, column, 1, column, header, &merged)?;
            }
            write_valid_row(sheet, 2, "РС-001")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.headers[3], "Координаты Широта");
        assert_eq!(sheet.headers[7], "Застройщик ИНН");
        assert_eq!(sheet.headers[9], "Разрешение на строительство Дата");
        assert_eq!(sheet.headers[0], "Реестровый номер");
        let mapping = ColumnMapping::detect(&sheet.headers, Register::Permitted);
        // Every field but the outline, which registries rarely carry and this one lacks.
        let without_outline: Vec<_> = Register::Permitted
            .fields()
            .iter()
            .copied()
            .filter(|field| *field != RegistryField::Footprint)
            .map(Some)
            .collect();
        assert_eq!(mapping.columns, without_outline);
        assert_eq!(sheet.rows.len(), 1);
        assert_eq!(sheet.rows[0].number, 3);
        assert_eq!(validate_default(&sheet).records.len(), 1);
    }

    #[test]
    fn a_wide_merged_header_over_data_stays_one_header_row() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            // "Адрес" drawn two columns wide; the column after it has no header of its own.
            sheet.merge_range(0, 2, 0, 3, "Адрес", &Format::new())?;
            for (column, header) in (4u16..).zip(&HEADERS[3..]) {
                sheet.write_string(0, column, *header)?;
            }
            sheet.write_string(1, 0, "РС-001")?;
            sheet.write_string(1, 2, "г. Краснодар")?;
            sheet.write_string(1, 3, "ул. Красная, 1")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.headers[2], "Адрес");
        assert_eq!(sheet.headers[3], "Адрес");
        assert_eq!(sheet.headers[4], "Широта");
        assert_eq!(
            sheet.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
            vec![2]
        );
    }

    #[test]
    fn a_title_above_the_header_is_skipped() {
        let bytes = xlsx(|sheet| {
            sheet.merge_range(
                0,
                0,
                0,
                15,
                "Реестр выданных разрешений на строительство",
                &Format::new(),
            )?;
            write_headers(sheet, 2)?;
            write_valid_row(sheet, 3, "РС-001")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.headers[0], "Реестровый номер");
        assert_eq!(
            sheet.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
            vec![4]
        );
    }

    #[test]
    fn formulas_are_reported_even_with_a_cached_value() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            write_valid_row(sheet, 1, "РС-001")?;
            sheet.write_formula(1, 12, "=4+5")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.rows[0].cells[12], Cell::Formula("4+5".to_string()));
        let validated = validate_default(&sheet);
        assert!(validated.records.is_empty());
        assert_eq!(
            validated.errors,
            vec![RowError {
                row: 2,
                column: Some("Этажность".to_string()),
                field: Some(RegistryField::Floors),
                problem: RowProblem::Formula,
            }]
        );
    }

    #[test]
    fn every_problem_of_every_row_is_reported() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            write_valid_row(sheet, 1, "РС-001")?;
            write_valid_row(sheet, 2, "рс-001")?;
            sheet.write_string(2, 7, "2310031476")?;
            sheet.write_string(2, 9, "31.02.2024")?;
            write_valid_row(sheet, 3, "РС-003")?;
            sheet.write_string(3, 1, " ")?;
            sheet.write_number(3, 12, 300.0)?;
            sheet.write_string(3, 13, "много")?;
            sheet.write_string(3, 5, "Атлантида")?;
            sheet.write_string(3, 15, "Снесено инопланетянами")?;
            sheet.write_string(3, 8, "1".repeat(65))?;
            write_valid_row(sheet, 4, "РС-004")?;
            sheet.write_number(4, 3, 55.75)?;
            sheet.write_number(4, 4, 37.61)?;
            sheet.write_number(4, 14, 2025.0)?;
            Ok(())
        });
        let validated = validate_default(&read(&bytes).expect("the registry reads"));
        use RegistryField as F;
        assert_eq!(
            validated
                .records
                .iter()
                .map(|(row, _)| *row)
                .collect::<Vec<_>>(),
            vec![2]
        );
        assert_eq!(
            problems_of(&validated, 3),
            vec![
                (
                    Some(F::RegistryNumber),
                    RowProblem::DuplicateInFile { first_row: 2 }
                ),
                (
                    Some(F::DeveloperInn),
                    RowProblem::BadInn {
                        reason: InnError::BadChecksum
                    }
                ),
                (Some(F::PermitDate), RowProblem::BadDate),
            ]
        );
        assert_eq!(
            problems_of(&validated, 4),
            vec![
                (Some(F::ObjectName), RowProblem::Missing),
                (Some(F::Municipality), RowProblem::UnknownMunicipality),
                (Some(F::PermitNumber), RowProblem::TooLong { max: 64 }),
                (Some(F::Floors), RowProblem::OutOfRange),
                (Some(F::TotalArea), RowProblem::BadNumber),
                (Some(F::Status), RowProblem::UnknownStatus),
            ]
        );
        assert_eq!(
            problems_of(&validated, 5),
            vec![
                (Some(F::Latitude), RowProblem::OutsideRegion),
                (Some(F::PlannedCompletion), RowProblem::BadDate),
            ]
        );
        let municipality_error = validated
            .errors
            .iter()
            .find(|error| error.problem == RowProblem::UnknownMunicipality)
            .expect("reported");
        assert_eq!(
            municipality_error.column.as_deref(),
            Some("Муниципальное образование")
        );
    }

    #[test]
    fn a_stray_cell_far_below_is_one_more_row_and_reads_fast() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            for row in 1..=3 {
                write_valid_row(sheet, row, &format!("РС-00{row}"))?;
            }
            sheet.write_string(999_999, 2, "забытая заметка")?;
            Ok(())
        });
        let started = std::time::Instant::now();
        let sheet = read(&bytes).expect("the registry reads");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(
            sheet.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
            vec![2, 3, 4, 1_000_000]
        );
        let validated = validate_default(&sheet);
        assert_eq!(validated.records.len(), 3);
        assert!(validated.errors.iter().all(|error| error.row == 1_000_000));
        assert!(
            validated
                .errors
                .iter()
                .any(|error| error.problem == RowProblem::Missing)
        );
    }

    #[test]
    fn empty_and_whitespace_rows_and_columns_beyond_the_header_are_ignored() {
        let bytes = xlsx(|sheet| {
            write_headers(sheet, 0)?;
            sheet.write_string(1, 0, " \u{a0} ")?;
            write_valid_row(sheet, 4, "РС-001")?;
            sheet.write_string(5, 40, "справа от таблицы")?;
            Ok(())
        });
        let sheet = read(&bytes).expect("the registry reads");
        assert_eq!(sheet.headers.len(), 16);
        assert_eq!(
            sheet.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
            vec![5]
        );
    }

    #[test]
    fn dates_from_serials_cells_and_text() {
        let text = |value: &str| parse_date(&Cell::Text(value.to_string()));
        let serial = |value: f64| parse_date(&Cell::Number(value));
        assert_eq!(serial(1.0), Ok(Some(date(1900, 1, 1))));
        assert_eq!(serial(59.0), Ok(Some(date(1900, 2, 28))));
        assert_eq!(
            serial(60.0),
            Err(RowProblem::BadDate),
            "Excel's phantom 29.02.1900"
        );
        assert_eq!(serial(61.0), Ok(Some(date(1900, 3, 1))));
        assert_eq!(serial(45366.0), Ok(Some(date(2024, 3, 15))));
        assert_eq!(
            serial(45366.75),
            Ok(Some(date(2024, 3, 15))),
            "the time of day is dropped"
        );
        assert_eq!(
            serial(2025.0),
            Err(RowProblem::BadDate),
            "a year, not a date in 1905"
        );
        assert_eq!(serial(0.0), Err(RowProblem::OutOfRange));
        assert_eq!(serial(-5.0), Err(RowProblem::OutOfRange));
        assert_eq!(serial(100_000.0), Err(RowProblem::OutOfRange));
        assert_eq!(serial(f64::NAN), Err(RowProblem::BadDate));
        let midnight = date(2024, 3, 15).and_time(chrono::NaiveTime::MIN);
        assert_eq!(
            parse_date(&Cell::Date(midnight)),
            Ok(Some(date(2024, 3, 15)))
        );

        assert_eq!(text("15.03.2024"), Ok(Some(date(2024, 3, 15))));
        assert_eq!(text("5.3.2024"), Ok(Some(date(2024, 3, 5))));
        assert_eq!(text("  05.03.2024\u{a0}"), Ok(Some(date(2024, 3, 5))));
        assert_eq!(text("05.03.2024 г."), Ok(Some(date(2024, 3, 5))));
        assert_eq!(text("05.03.2024г"), Ok(Some(date(2024, 3, 5))));
        assert_eq!(text("2024-03-15"), Ok(Some(date(2024, 3, 15))));
        assert_eq!(text("2024-03-15T10:30:00"), Ok(Some(date(2024, 3, 15))));
        assert_eq!(text("29.02.2024"), Ok(Some(date(2024, 2, 29))));
        assert_eq!(text("   "), Ok(None));
        assert_eq!(parse_date(&Cell::Empty), Ok(None));
        for bad in [
            "31.02.2024",
            "29.02.2023",
            "32.01.2024",
            "15.13.2024",
            "15.03.24",
            "15/03/2024",
            "2024-02-30",
            "2024",
            "вчера",
            "15.03.2024.1",
            "2024-03-15 утром",
        ] {
            assert_eq!(text(bad), Err(RowProblem::BadDate), "{bad}");
        }
        assert_eq!(text("15.03.1812"), Err(RowProblem::OutOfRange));
        assert_eq!(
            parse_date(&Cell::Formula("TODAY()".to_string())),
            Err(RowProblem::Formula)
        );
        assert_eq!(parse_date(&Cell::Bool(true)), Err(RowProblem::BadDate));
    }

    #[test]
    fn decimals_with_commas_dots_and_grouping() {
        let text = |value: &str| parse_decimal(&Cell::Text(value.to_string()));
        assert_eq!(text("45,0355"), Ok(Some(45.0355)));
        assert_eq!(text("45.0355"), Ok(Some(45.0355)));
        assert_eq!(text(" 1 234,5 "), Ok(Some(1234.5)));
        assert_eq!(text("1\u{a0}234\u{202f}567,25"), Ok(Some(1_234_567.25)));
        assert_eq!(text("1.234,5"), Ok(Some(1234.5)));
        assert_eq!(text("1,234.5"), Ok(Some(1234.5)));
        assert_eq!(text("1,234,567"), Ok(Some(1_234_567.0)));
        assert_eq!(text("-38,5"), Ok(Some(-38.5)));
        assert_eq!(text("\u{2212}2"), Ok(Some(-2.0)));
        assert_eq!(text("+2"), Ok(Some(2.0)));
        assert_eq!(text(",5"), Ok(Some(0.5)));
        assert_eq!(text(""), Ok(None));
        for bad in [
            "1,234.5,6",
            "1.2.3,4",
            "12,34,5",
            "12 м²",
            "abc",
            "1e5",
            "inf",
            "NaN",
            "5,",
            "-",
            ",",
            "1..2",
            "1,2,3.4.5",
            "0x10",
        ] {
            assert_eq!(text(bad), Err(RowProblem::BadNumber), "{bad}");
        }
        assert_eq!(parse_decimal(&Cell::Number(12.5)), Ok(Some(12.5)));
        assert_eq!(
            parse_decimal(&Cell::Number(f64::INFINITY)),
            Err(RowProblem::BadNumber)
        );
        assert_eq!(parse_decimal(&Cell::Bool(true)), Err(RowProblem::BadNumber));
        assert_eq!(
            parse_decimal(&Cell::Formula("1+1".to_string())),
            Err(RowProblem::Formula)
        );
    }

    #[test]
    fn integers_are_whole() {
        assert_eq!(parse_integer(&Cell::Number(12.0)), Ok(Some(12)));
        assert_eq!(parse_integer(&Cell::Text(" 12 ".to_string())), Ok(Some(12)));
        assert_eq!(parse_integer(&Cell::Text("12,0".to_string())), Ok(Some(12)));
        assert_eq!(
            parse_integer(&Cell::Text("12,5".to_string())),
            Err(RowProblem::BadNumber)
        );
        assert_eq!(
            parse_integer(&Cell::Number(1e300)),
            Err(RowProblem::BadNumber)
        );
        assert_eq!(parse_integer(&Cell::Empty), Ok(None));
    }

    /// A sheet of one data row (row 2) under the registry headers.
    fn one_row(cells: Vec<Cell>) -> Sheet {
        Sheet {
            headers: HEADERS.map(str::to_string).to_vec(),
            rows: vec![SheetRow { number: 2, cells }],
        }
    }

    fn valid_cells() -> Vec<Cell> {
        let text = |value: &str| Cell::Text(value.to_string());
        vec![
            text("РС-1"),
            text("Жилой дом"),
            text("ул. Красная, 1"),
            Cell::Number(45.0),
            Cell::Number(39.0),
            text("krasnodar"),
            text("ИП Иванов"),
            Cell::Number(500_100_732_259.0),
            text("RU-23-1"),
            text("01.02.2024"),
            text("Администрация"),
            text("ИЖС"),
        ]
    }

    #[test]
    fn optional_fields_may_be_absent_and_the_status_defaults() {
        let validated = validate_default(&one_row(valid_cells()));
        assert_eq!(validated.errors, vec![]);
        let (row, record) = &validated.records[0];
        assert_eq!(*row, 2);
        assert_eq!(record.developer_inn, "500100732259");
        assert_eq!(record.floors, None);
        assert_eq!(record.total_area_m2, None);
        assert_eq!(record.planned_completion, None);
        assert_eq!(record.status, ConstructionStatus::PermitIssued);
    }

    #[test]
    fn an_inn_that_lost_its_leading_zero_as_a_number_is_restored() {
        // 0274062111: Bashkortostan (region 02); typed as a number, Excel drops the zero.
        let mut cells = valid_cells();
        cells[7] = Cell::Number(274_062_111.0);
        let validated = validate_default(&one_row(cells.clone()));
        assert_eq!(
            validated
                .records
                .first()
                .map(|(_, record)| record.developer_inn.as_str()),
            Some("0274062111")
        );
        cells[7] = Cell::Text("274062111".to_string());
        let validated = validate_default(&one_row(cells));
        assert_eq!(
            problems_of(&validated, 2),
            vec![(
                Some(RegistryField::DeveloperInn),
                RowProblem::BadInn {
                    reason: InnError::WrongLength
                }
            )]
        );
    }

    #[test]
    fn ranges_of_coordinates_floors_and_area() {
        use RegistryField as F;
        let mut cells = valid_cells();
        cells[3] = Cell::Text("95,1".to_string());
        cells[4] = Cell::Text("сорок".to_string());
        cells.extend([
            Cell::Number(0.0),
            Cell::Number(0.0),
            Cell::Empty,
            Cell::Text("permit_issued".to_string()),
        ]);
        let validated = validate_default(&one_row(cells));
        assert_eq!(
            problems_of(&validated, 2),
            vec![
                (Some(F::Latitude), RowProblem::OutOfRange),
                (Some(F::Longitude), RowProblem::BadNumber),
                (Some(F::Floors), RowProblem::OutOfRange),
                (Some(F::TotalArea), RowProblem::OutOfRange),
            ]
        );
    }

    #[test]
    fn unmapped_required_fields_are_missing_on_every_row() {
        let sheet = one_row(valid_cells());
        let mut mapping = ColumnMapping::detect(&sheet.headers, Register::Permitted);
        mapping.columns[1] = None;
        let ctx = ValidationContext {
            municipality: &municipality,
            may_edit: &|_| true,
            in_region: &in_krai,
        };
        let validated = validate(&sheet, &mapping, &ctx);
        assert_eq!(
            validated.errors,
            vec![RowError {
                row: 2,
                column: None,
                field: Some(RegistryField::ObjectName),
                problem: RowProblem::Missing
            }]
        );
    }
}
