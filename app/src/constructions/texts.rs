//! The names this feature's values show under, from the app's text table.

use super::model::{
    ConstructionStatus, DiffAspect, IMPORT_INTERRUPTED, Register, RegistryField, RegistrySort,
    ReportAction, ReportKind, ReportStatus, RowProblem,
};
use super::model::{FoundBy, IllegalStatus};
use crate::i18n::{Locale, Message as _, Msg, workbook_error_text};
use platform::error::WorkbookError;

impl ConstructionStatus {
    /// The name of a construction's status.
    pub fn msg(self) -> Msg {
        match self {
            ConstructionStatus::PermitIssued => Msg::ConstructionPermitIssued,
            ConstructionStatus::UnderConstruction => Msg::ConstructionUnderConstruction,
            ConstructionStatus::Commissioned => Msg::ConstructionCommissioned,
            ConstructionStatus::Suspended => Msg::ConstructionSuspended,
            ConstructionStatus::Revoked => Msg::ConstructionRevoked,
        }
    }
}

impl IllegalStatus {
    /// The name of an illegal construction's status.
    pub fn msg(self) -> Msg {
        match self {
            IllegalStatus::Identified => Msg::IllegalIdentified,
            IllegalStatus::CaseOpened => Msg::IllegalCaseOpened,
            IllegalStatus::Court => Msg::IllegalCourt,
            IllegalStatus::DemolitionOrdered => Msg::IllegalDemolitionOrdered,
            IllegalStatus::Demolished => Msg::IllegalDemolished,
            IllegalStatus::Legalised => Msg::IllegalLegalised,
        }
    }

    /// The name of a status stored as `value`, for a refused step's message.
    pub fn stored_name(value: &str) -> Option<Msg> {
        Self::from_db(value).map(Self::msg)
    }
}

impl Register {
    /// The name of a registry.
    pub fn msg(self) -> Msg {
        match self {
            Register::Permitted => Msg::RegisterPermitted,
            Register::Illegal => Msg::RegisterIllegal,
        }
    }
}

impl FoundBy {
    /// The name of how an illegal construction was found.
    pub fn msg(self) -> Msg {
        match self {
            FoundBy::Inspection => Msg::FoundByInspection,
            FoundBy::CitizenReport => Msg::FoundByCitizenReport,
            FoundBy::Agency => Msg::FoundByAgency,
        }
    }
}

impl ReportStatus {
    /// The name of a report status stored as `value`, for a refused step's message.
    pub fn stored_name(value: &str) -> Option<Msg> {
        Self::from_db(value).map(Self::msg)
    }

    /// The name of a construction report's status.
    pub fn msg(self) -> Msg {
        match self {
            ReportStatus::Submitted => Msg::ReportSubmitted,
            ReportStatus::UnderVerification => Msg::ReportUnderVerification,
            ReportStatus::ViolationConfirmed => Msg::ReportViolationConfirmed,
            ReportStatus::NotConfirmed => Msg::ReportNotConfirmed,
            ReportStatus::MeasuresTaken => Msg::ReportMeasuresTaken,
        }
    }
}

impl ReportKind {
    /// The name of a construction report's kind.
    pub fn msg(self) -> Msg {
        match self {
            ReportKind::NotInRegistry => Msg::ReportKindNotInRegistry,
            ReportKind::DiffersFromPermit => Msg::ReportKindDiffers,
        }
    }
}

impl DiffAspect {
    /// The name of an aspect a construction differs in.
    pub fn msg(self) -> Msg {
        match self {
            DiffAspect::Floors => Msg::AspectFloors,
            DiffAspect::Footprint => Msg::AspectFootprint,
            DiffAspect::Use => Msg::AspectUse,
            DiffAspect::Location => Msg::AspectLocation,
        }
    }
}

impl ReportAction {
    /// The button label of a verification step.
    pub fn msg(self) -> Msg {
        match self {
            ReportAction::StartVerification => Msg::ActionStartVerification,
            ReportAction::ConfirmViolation => Msg::ActionConfirmViolation,
            ReportAction::Dismiss => Msg::ActionDismiss,
            ReportAction::TakeMeasures => Msg::ActionTakeMeasures,
        }
    }
}

impl RegistryField {
    /// The label of a registry field (table header, mapping choice, change list).
    pub fn msg(self) -> Msg {
        match self {
            RegistryField::RegistryNumber => Msg::ColRegistryNumber,
            RegistryField::ObjectName => Msg::ColObject,
            RegistryField::Address => Msg::ColAddress,
            RegistryField::Latitude => Msg::ColLatitude,
            RegistryField::Longitude => Msg::ColLongitude,
            RegistryField::Municipality => Msg::ColMunicipality,
            RegistryField::DeveloperName => Msg::ColDeveloper,
            RegistryField::DeveloperInn => Msg::ColInn,
            RegistryField::PermitNumber => Msg::ColPermitNumber,
            RegistryField::PermitDate => Msg::ColPermitDate,
            RegistryField::PermitIssuer => Msg::ColPermitIssuer,
            RegistryField::PermittedUse => Msg::ColPermittedUse,
            RegistryField::Floors => Msg::ColFloors,
            RegistryField::TotalArea => Msg::ColArea,
            RegistryField::PlannedCompletion => Msg::ColPlannedCompletion,
            RegistryField::Status => Msg::ColStatus,
            RegistryField::Footprint => Msg::FootprintTitle,
            RegistryField::CadastralNumber => Msg::ColCadastralNumber,
            RegistryField::Owner => Msg::ColOwner,
            RegistryField::FoundBy => Msg::ColFoundBy,
            RegistryField::IdentifiedOn => Msg::ColIdentifiedOn,
        }
    }
}

impl RegistrySort {
    /// The name of a registry order.
    pub fn msg(self) -> Msg {
        match self {
            RegistrySort::PermitNewest => Msg::SortPermitNewest,
            RegistrySort::PermitOldest => Msg::SortPermitOldest,
            RegistrySort::Number => Msg::SortRegistryNumber,
            RegistrySort::Name => Msg::SortObjectName,
        }
    }
}

/// The sentence for why an import failed, from the code its row keeps (a workbook
/// error's code, or one of the phases' own codes).
pub fn import_failure_text(code: &str, locale: Locale) -> String {
    let msg = match code {
        IMPORT_INTERRUPTED => Msg::ImportFailedInterrupted,
        "bad_rows" => Msg::ImportFailedBadRows,
        "file_missing" => Msg::ImportFailedFileMissing,
        workbook => {
            let error = serde_json::json!({ "code": workbook });
            return match serde_json::from_value::<WorkbookError>(error) {
                Ok(error) => workbook_error_text(error, locale),
                Err(_) => Msg::ImportFailedInternal.text(locale).to_string(),
            };
        }
    };
    msg.text(locale).to_string()
}

/// The sentence for a bad import row.
pub fn row_problem_text(problem: &RowProblem, locale: Locale) -> String {
    let msg = match problem {
        RowProblem::DuplicateInFile { first_row } => {
            return format!("{} {first_row}", Msg::RowDuplicateInFile.text(locale));
        }
        RowProblem::TooLong { max } => {
            return format!("{} {max}", Msg::RowTooLong.text(locale));
        }
        RowProblem::Missing => Msg::RowMissing,
        RowProblem::BadInn { .. } => Msg::RowBadInn,
        RowProblem::BadDate => Msg::RowBadDate,
        RowProblem::BadNumber => Msg::RowBadNumber,
        RowProblem::OutOfRange => Msg::RowOutOfRange,
        RowProblem::UnknownMunicipality => Msg::RowUnknownMunicipality,
        RowProblem::NotYourMunicipality => Msg::RowNotYourMunicipality,
        RowProblem::UnknownStatus => Msg::RowUnknownStatus,
        RowProblem::UnknownFoundBy => Msg::RowUnknownFoundBy,
        RowProblem::FutureDate => Msg::RowFutureDate,
        RowProblem::OutsideRegion => Msg::RowOutsideRegion,
        RowProblem::Formula => Msg::RowFormula,
        RowProblem::BadFootprint => Msg::RowBadFootprint,
    };
    msg.text(locale).to_string()
}
