//! The Russian taxpayer number (ИНН): format and check digits.
//!
//! Organisations have 10 digits with one check digit, individuals (and sole traders)
//! 12 digits with two. The weights are those of the Federal Tax Service's order on the
//! INN. Pure code: used by the registry import on the server and by forms in the browser.

use serde::{Deserialize, Serialize};

/// Weights of the 10-digit INN's check digit (over its first nine digits).
const WEIGHTS_10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
/// Weights of the 12-digit INN's first check digit (over its first ten digits).
const WEIGHTS_12_FIRST: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
/// Weights of the 12-digit INN's second check digit (over its first eleven digits).
const WEIGHTS_12_SECOND: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/// Why a value is not a valid INN; the UI translates the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InnError {
    /// Nothing was given.
    Empty,
    /// Something other than the digits 0-9.
    NotDigits,
    /// Neither 10 (organisation) nor 12 (individual) digits.
    WrongLength,
    /// The check digits do not match: a typo.
    BadChecksum,
}

impl std::fmt::Display for InnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Empty => "INN is empty",
            Self::NotDigits => "INN must contain digits only",
            Self::WrongLength => "INN must have 10 or 12 digits",
            Self::BadChecksum => "INN check digits do not match",
        })
    }
}

impl std::error::Error for InnError {}

/// The INN as people type it, without the spaces they group digits with
/// (ordinary spaces, no-break spaces, tabs).
pub fn normalise_inn(value: &str) -> String {
    value.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Checks an INN that is already normalised (see [`normalise_inn`]): only digits, 10 or 12
/// of them, and check digits that match.
pub fn check_inn(value: &str) -> Result<(), InnError> {
    if value.is_empty() {
        return Err(InnError::Empty);
    }
    let digits: Vec<u32> = value
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                c.to_digit(10)
            } else {
                None
            }
        })
        .collect::<Option<_>>()
        .ok_or(InnError::NotDigits)?;
    let valid = match digits.len() {
        10 => check_digit(&digits, &WEIGHTS_10) == digits[9],
        12 => {
            check_digit(&digits, &WEIGHTS_12_FIRST) == digits[10]
                && check_digit(&digits, &WEIGHTS_12_SECOND) == digits[11]
        }
        _ => return Err(InnError::WrongLength),
    };
    if valid {
        Ok(())
    } else {
        Err(InnError::BadChecksum)
    }
}

/// The check digit over the leading digits that `weights` cover: the weighted sum modulo
/// 11, then modulo 10 (a remainder of 10 becomes 0).
fn check_digit(digits: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(digit, weight)| digit * weight)
        .sum();
    sum % 11 % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends the two check digits to the first ten digits of an individual's INN.
    fn complete_individual_inn(first_ten: &str) -> String {
        let mut digits: Vec<u32> = first_ten.chars().filter_map(|c| c.to_digit(10)).collect();
        assert_eq!(digits.len(), 10);
        digits.push(check_digit(&digits, &WEIGHTS_12_FIRST));
        digits.push(check_digit(&digits, &WEIGHTS_12_SECOND));
        digits
            .iter()
            .map(|&digit| char::from_digit(digit, 10).expect("a check digit is below 10"))
            .collect()
    }

    #[test]
    fn real_organisation_inns_are_valid() {
        // Sberbank, Magnit (Krasnodar), Gazprom.
        for inn in ["7707083893", "2310031475", "7736050003"] {
            assert_eq!(check_inn(inn), Ok(()), "{inn}");
        }
    }

    #[test]
    fn a_computed_individual_inn_is_valid_and_each_check_digit_matters() {
        let inn = complete_individual_inn("2308123456");
        assert_eq!(inn.len(), 12);
        assert_eq!(check_inn(&inn), Ok(()));
        // The widely published sample individual INN.
        assert_eq!(check_inn("500100732259"), Ok(()));
        for position in [10, 11] {
            let mut broken: Vec<char> = inn.chars().collect();
            broken[position] = if broken[position] == '0' { '1' } else { '0' };
            let broken: String = broken.into_iter().collect();
            assert_eq!(check_inn(&broken), Err(InnError::BadChecksum), "{broken}");
        }
    }

    #[test]
    fn typos_fail_the_checksum() {
        // One digit changed, two neighbours swapped.
        assert_eq!(check_inn("7707083894"), Err(InnError::BadChecksum));
        assert_eq!(check_inn("7707038893"), Err(InnError::BadChecksum));
        assert_eq!(check_inn("500100732258"), Err(InnError::BadChecksum));
    }

    #[test]
    fn format_errors_are_told_apart() {
        assert_eq!(check_inn(""), Err(InnError::Empty));
        assert_eq!(check_inn("77070838A3"), Err(InnError::NotDigits));
        assert_eq!(check_inn("７７０７０８３８９３"), Err(InnError::NotDigits));
        assert_eq!(check_inn("770708389"), Err(InnError::WrongLength));
        assert_eq!(check_inn("77070838931"), Err(InnError::WrongLength));
        assert_eq!(check_inn("7707 083893"), Err(InnError::NotDigits));
    }

    #[test]
    fn normalising_removes_grouping_spaces() {
        assert_eq!(normalise_inn(" 7707 083\u{a0}893\t"), "7707083893");
        assert_eq!(check_inn(&normalise_inn("2310 031 475")), Ok(()));
        assert_eq!(normalise_inn("   "), "");
    }

    #[test]
    fn errors_serialise_as_snake_case_codes() {
        assert_eq!(
            serde_json::to_string(&InnError::BadChecksum)
                .ok()
                .as_deref(),
            Some("\"bad_checksum\"")
        );
    }
}
