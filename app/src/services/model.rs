//! Government service ratings: the catalogue, a citizen's monthly rating, and the method
//! that turns a month's ratings into ranks (a pure function, so the snapshot job, the
//! tests and anyone reading the published counts compute the same numbers).

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::organisation::model::{DepartmentId, DepartmentLevel, EntryNames};
use civic::comments::Comment;
use civic::subject::{Subject, SubjectKind};
use platform::error::{ErrorCode, FieldError, check_whole};
use platform::i18n::Locale;

platform::id_type!(
    /// A government service of the catalogue.
    ServiceId
);
platform::id_type!(
    /// A service as one department provides it: the unit rated and ranked.
    OfferingId
);

/// The kind of subject a service's discussion (its ratings' comments and the providers'
/// answers) hangs on.
pub const GOV_SERVICE: SubjectKind = SubjectKind::new("gov_service");

/// The notification a reviewer gets when the provider answers their review (stored as
/// the notification's kind, its subject the service).
pub const ANSWERED: &str = "answered";

impl ServiceId {
    /// The service as the subject of its discussion.
    pub fn subject(self) -> Subject {
        Subject::new(GOV_SERVICE, self.0)
    }
}

/// The published ranking method. Its numbers are stored with every snapshot, so a change
/// here makes a new version and never alters a published month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankMethod {
    /// The version named by the snapshots it builds.
    pub version: u16,
    /// How many ratings at the service's regional mean every score starts from: a
    /// provider with two ratings of 5 does not outrank one with two hundred of 4.8.
    pub prior_weight: u32,
    /// The fewest ratings in a month for a provider to get a rank.
    pub min_ratings: u32,
}

impl RankMethod {
    /// The method in use.
    pub const CURRENT: RankMethod = RankMethod {
        version: 1,
        prior_weight: 5,
        min_ratings: 5,
    };
}

/// The lowest and highest mark of each criterion.
pub const MARKS: std::ops::RangeInclusive<u32> = 1..=5;

/// The first day of `day`'s month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The month before `month` (a first day).
pub fn previous_month(month: NaiveDate) -> NaiveDate {
    month.checked_sub_months(Months::new(1)).unwrap_or(month)
}

/// `2026-11` for November 2026: how a month is written in addresses and forms.
pub fn month_code(month: NaiveDate) -> String {
    month.format("%Y-%m").to_string()
}

/// The month `2026-11` names; `None` for anything else.
pub fn parse_month(code: &str) -> Option<NaiveDate> {
    let (year, month) = code.trim().split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

/// A service of the catalogue with its providers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovService {
    /// Its id.
    pub id: ServiceId,
    /// Stable Latin identifier.
    pub slug: String,
    /// Russian name.
    pub name_ru: String,
    /// English name.
    pub name_en: String,
    /// Russian description.
    pub description_ru: String,
    /// English description.
    pub description_en: String,
    /// Regional or municipal.
    pub level: DepartmentLevel,
    /// Whether it can be rated.
    pub is_active: bool,
    /// Its providers, in the order they were added.
    pub offerings: Vec<Offering>,
}

impl GovService {
    /// The name in `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        locale.pick(&self.name_ru, &self.name_en)
    }

    /// The description in `locale`.
    pub fn description(&self, locale: Locale) -> &str {
        locale.pick(&self.description_ru, &self.description_en)
    }
}

/// A service as one department provides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offering {
    /// Its id.
    pub id: OfferingId,
    /// The providing department.
    pub department_id: DepartmentId,
    /// Whether it can be rated.
    pub is_active: bool,
}

/// A service as a moderator types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInput {
    /// Slug.
    pub slug: String,
    /// Russian name.
    pub name_ru: String,
    /// English name.
    pub name_en: String,
    /// Russian description.
    pub description_ru: String,
    /// English description.
    pub description_en: String,
    /// `regional` or `municipal`.
    pub level: String,
    /// "on" while it can be rated (an HTML checkbox).
    pub is_active: Option<String>,
}

/// A service that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidService {
    /// Its slug, names and descriptions.
    pub names: EntryNames,
    /// Regional or municipal.
    pub level: DepartmentLevel,
    /// Whether it can be rated.
    pub is_active: bool,
}

impl ServiceInput {
    /// Validates every field.
    pub fn validate(&self) -> Result<ValidService, Vec<FieldError>> {
        let mut errors = Vec::new();
        let names = EntryNames::check(
            &self.slug,
            [&self.name_ru, &self.name_en],
            [&self.description_ru, &self.description_en],
            &mut errors,
        );
        let level = DepartmentLevel::from_db(self.level.trim());
        if level.is_none() {
            errors.push(FieldError::new("level", ErrorCode::Required));
        }
        match level {
            Some(level) if errors.is_empty() => Ok(ValidService {
                names,
                level,
                is_active: self.is_active.is_some(),
            }),
            _ => Err(errors),
        }
    }
}

/// The columns of a catalogue spreadsheet: the form field each fills and the header
/// names it may have (compared case-insensitively, Russian or English).
pub const IMPORT_COLUMNS: [(&str, &[&str]); 7] = [
    ("slug", &["код", "идентификатор", "slug", "code"]),
    (
        "name_ru",
        &["название", "наименование", "name_ru", "name (russian)"],
    ),
    (
        "name_en",
        &[
            "название (англ.)",
            "наименование (англ.)",
            "name_en",
            "name",
        ],
    ),
    (
        "description_ru",
        &["описание", "description_ru", "description (russian)"],
    ),
    (
        "description_en",
        &["описание (англ.)", "description_en", "description"],
    ),
    ("level", &["уровень", "level"]),
    ("providers", &["исполнители", "providers"]),
];

/// The columns a catalogue spreadsheet cannot do without.
const REQUIRED_IMPORT_COLUMNS: [&str; 4] = ["slug", "name_ru", "name_en", "level"];

/// One row of an accepted catalogue spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The row number as the spreadsheet shows it.
    pub row: u32,
    /// The service as the row describes it (open for rating if it is new).
    pub service: ValidService,
    /// The codes (slugs) of the departments that provide it.
    pub providers: Vec<String>,
}

/// What an accepted catalogue spreadsheet changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Services added.
    pub created: u32,
    /// Services changed.
    pub updated: u32,
    /// Providers added to services.
    pub providers_added: u32,
}

/// Where an import's refusal points: a field of a row, or a column the header lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportPlace<'a> {
    /// Field `field` of row `row` (as the spreadsheet numbers it).
    Cell { row: u32, field: &'a str },
    /// The header has no column for `field`.
    MissingColumn { field: &'a str },
}

impl<'a> ImportPlace<'a> {
    /// The refusal's field name as it crosses the wire: `row7.slug`, `column.level`.
    pub fn field_name(self) -> String {
        match self {
            ImportPlace::Cell { row, field } => format!("row{row}.{field}"),
            ImportPlace::MissingColumn { field } => format!("column.{field}"),
        }
    }

    /// Reads a refusal's field name back; `None` for a field of no row (e.g. `file`).
    pub fn parse(name: &'a str) -> Option<Self> {
        let (place, field) = name.split_once('.')?;
        match place.strip_prefix("row") {
            Some(row) => Some(ImportPlace::Cell {
                row: row.parse().ok()?,
                field,
            }),
            None => (place == "column").then_some(ImportPlace::MissingColumn { field }),
        }
    }
}

/// The form field of a header text, if it names one.
fn import_column(header: &str) -> Option<&'static str> {
    let header = header.trim().to_lowercase();
    IMPORT_COLUMNS
        .iter()
        .find(|(_, names)| names.contains(&header.as_str()))
        .map(|(field, _)| *field)
}

/// How many catalogue columns `headers` names: how the workbook reader finds the header.
pub fn known_import_columns(headers: &[String]) -> usize {
    headers
        .iter()
        .filter(|header| import_column(header).is_some())
        .count()
}

/// A level as a spreadsheet may write it: the stored word or the Russian adjective.
fn import_level(text: &str) -> String {
    let text = text.trim().to_lowercase();
    if text.starts_with("регионал") {
        "regional".into()
    } else if text.starts_with("муниципал") {
        "municipal".into()
    } else {
        text
    }
}

/// Reads a catalogue spreadsheet: its header texts and its rows (the row number and each
/// cell's text, by column). Each row is checked as the form checks a service; a code
/// repeated in the file is refused. Any refusal refuses the whole file: every one is
/// returned, named by row and field (or by the missing column).
pub fn read_catalogue(
    headers: &[String],
    rows: &[(u32, Vec<Option<String>>)],
) -> Result<Vec<ImportRow>, Vec<FieldError>> {
    let columns: Vec<Option<&str>> = headers.iter().map(|header| import_column(header)).collect();
    let missing: Vec<FieldError> = REQUIRED_IMPORT_COLUMNS
        .iter()
        .filter(|field| !columns.contains(&Some(**field)))
        .map(|field| {
            FieldError::new(
                ImportPlace::MissingColumn { field }.field_name(),
                ErrorCode::Required,
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut errors = Vec::new();
    let mut accepted: Vec<ImportRow> = Vec::new();
    for (row, cells) in rows {
        let cell = |field: &str| {
            columns
                .iter()
                .position(|column| *column == Some(field))
                .and_then(|index| cells.get(index).cloned().flatten())
                .unwrap_or_default()
        };
        let input = ServiceInput {
            slug: cell("slug"),
            name_ru: cell("name_ru"),
            name_en: cell("name_en"),
            description_ru: cell("description_ru"),
            description_en: cell("description_en"),
            level: import_level(&cell("level")),
            is_active: Some("on".into()),
        };
        let at_row = |field: &str| ImportPlace::Cell { row: *row, field }.field_name();
        match input.validate() {
            Ok(service) => {
                if accepted
                    .iter()
                    .any(|earlier| earlier.service.names.slug == service.names.slug)
                {
                    errors.push(FieldError::new(at_row("slug"), ErrorCode::Duplicate));
                }
                let providers = cell("providers")
                    .split([';', ',', ' '])
                    .filter(|code| !code.is_empty())
                    .map(str::to_string)
                    .collect();
                accepted.push(ImportRow {
                    row: *row,
                    service,
                    providers,
                });
            }
            Err(refused) => errors.extend(
                refused
                    .into_iter()
                    .map(|error| FieldError::new(at_row(&error.field), error.code)),
            ),
        }
    }
    if errors.is_empty() {
        Ok(accepted)
    } else {
        Err(errors)
    }
}

/// A rating as a citizen sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingInput {
    /// The service and provider rated.
    pub offering: String,
    /// The month the service was used, `2026-11`.
    pub month: String,
    /// Quality, 1 to 5.
    pub quality: String,
    /// Convenience, 1 to 5.
    pub convenience: String,
    /// Speed, 1 to 5.
    pub speed: String,
    /// An optional public comment.
    pub comment: String,
}

/// A rating that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRating {
    /// The service and provider rated.
    pub offering: OfferingId,
    /// The month (its first day).
    pub month: NaiveDate,
    /// The three marks.
    pub marks: Marks,
    /// The comment, trimmed; empty for none.
    pub comment: String,
}

/// Quality, convenience and speed, each 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marks {
    /// Quality.
    pub quality: u8,
    /// Convenience.
    pub convenience: u8,
    /// Speed.
    pub speed: u8,
}

impl RatingInput {
    /// Validates every field against the region's current month `open_month`: a rating
    /// is for the month it is given in, and a closed month takes no more.
    pub fn validate(&self, open_month: NaiveDate) -> Result<ValidRating, Vec<FieldError>> {
        let mut errors = Vec::new();
        let offering = self.offering.trim().parse::<OfferingId>().ok();
        if offering.is_none() {
            errors.push(FieldError::new("offering", ErrorCode::Required));
        }
        let month = match parse_month(&self.month) {
            Some(month) if month == open_month => Some(month),
            Some(month) if month < open_month => {
                errors.push(FieldError::new("month", ErrorCode::TooLate));
                None
            }
            _ => {
                errors.push(FieldError::new("month", ErrorCode::Malformed));
                None
            }
        };
        let mut mark = |field: &str, value: &str| {
            check_whole(field, value, MARKS, &mut errors).and_then(|mark| u8::try_from(mark).ok())
        };
        let marks = (
            mark("quality", &self.quality),
            mark("convenience", &self.convenience),
            mark("speed", &self.speed),
        );
        let comment = self.comment.trim().to_string();
        if comment.chars().count() > civic::comments::COMMENT_MAX {
            errors.push(FieldError::new(
                "comment",
                ErrorCode::TooLong {
                    max: civic::comments::COMMENT_MAX as u32,
                },
            ));
        }
        match (offering, month, marks) {
            (Some(offering), Some(month), (Some(quality), Some(convenience), Some(speed)))
                if errors.is_empty() =>
            {
                Ok(ValidRating {
                    offering,
                    month,
                    marks: Marks {
                        quality,
                        convenience,
                        speed,
                    },
                    comment,
                })
            }
            _ => Err(errors),
        }
    }
}

/// One offering's ratings in a month, summed: what the method reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatingTally {
    /// The offering.
    pub offering: OfferingId,
    /// Its service.
    pub service: ServiceId,
    /// How many ratings.
    pub ratings: u32,
    /// The sum of the quality marks.
    pub quality: u32,
    /// The sum of the convenience marks.
    pub convenience: u32,
    /// The sum of the speed marks.
    pub speed: u32,
}

impl RatingTally {
    /// The sum of the three criteria's means of every rating: each rating counts as the
    /// mean of its three marks.
    fn overall_sum(&self) -> f64 {
        f64::from(self.quality + self.convenience + self.speed) / 3.0
    }
}

/// One offering's figures in a month, as a snapshot stores them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    /// The offering.
    pub offering: OfferingId,
    /// How many ratings.
    pub ratings: u32,
    /// Mean quality.
    pub mean_quality: f64,
    /// Mean convenience.
    pub mean_convenience: f64,
    /// Mean speed.
    pub mean_speed: f64,
    /// The mean of the service's ratings in the whole region that month (the prior).
    pub service_mean: f64,
    /// The Bayesian average: `(w · prior + sum) / (w + n)` over the ratings' means.
    pub score: f64,
    /// Rank among the service's providers; `None` below the minimum count.
    pub rank_in_service: Option<u32>,
    /// Rank among every ranked offering; `None` below the minimum count.
    pub rank_overall: Option<u32>,
}

/// Scores closer than this are a tie: the scores are sums of thirds divided by counts,
/// and equal ones must not be ordered by floating-point noise.
const TIE: f64 = 1e-9;

/// Ranks a month: every tallied offering gets its means and its score; those with at
/// least `method.min_ratings` ratings are ranked by score, highest first, within their
/// service and overall (equal scores share a rank, the next rank skips: 1, 2, 2, 4).
/// The result is in `tallies`' order.
pub fn rank_month(tallies: &[RatingTally], method: RankMethod) -> Vec<Standing> {
    let mut service_sums: std::collections::HashMap<ServiceId, (f64, u32)> =
        std::collections::HashMap::new();
    for tally in tallies {
        let entry = service_sums.entry(tally.service).or_default();
        entry.0 += tally.overall_sum();
        entry.1 += tally.ratings;
    }
    let weight = f64::from(method.prior_weight);
    let mut standings: Vec<Standing> = tallies
        .iter()
        .map(|tally| {
            let count = f64::from(tally.ratings.max(1));
            let (sum, ratings) = service_sums
                .get(&tally.service)
                .copied()
                .unwrap_or_default();
            let service_mean = sum / f64::from(ratings.max(1));
            Standing {
                offering: tally.offering,
                ratings: tally.ratings,
                mean_quality: f64::from(tally.quality) / count,
                mean_convenience: f64::from(tally.convenience) / count,
                mean_speed: f64::from(tally.speed) / count,
                service_mean,
                score: (weight * service_mean + tally.overall_sum())
                    / (weight + f64::from(tally.ratings)),
                rank_in_service: None,
                rank_overall: None,
            }
        })
        .collect();
    let ranked: Vec<usize> = (0..standings.len())
        .filter(|&i| standings[i].ratings >= method.min_ratings)
        .collect();
    for (position, rank) in competition_ranks(&standings, &ranked) {
        standings[position].rank_overall = Some(rank);
    }
    let services: std::collections::BTreeSet<ServiceId> =
        tallies.iter().map(|tally| tally.service).collect();
    for service in services {
        let of_service: Vec<usize> = ranked
            .iter()
            .copied()
            .filter(|&i| tallies[i].service == service)
            .collect();
        for (position, rank) in competition_ranks(&standings, &of_service) {
            standings[position].rank_in_service = Some(rank);
        }
    }
    standings
}

/// The competition ranks (1, 2, 2, 4) of the `members` of `standings` by score.
fn competition_ranks(standings: &[Standing], members: &[usize]) -> Vec<(usize, u32)> {
    let scores: Vec<f64> = members.iter().map(|&i| standings[i].score).collect();
    let ranks = platform::ranking::competition_ranks(&scores, TIE);
    members.iter().copied().zip(ranks).collect()
}

/// A published monthly snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotSummary {
    /// The month ranked.
    pub month: NaiveDate,
    /// The method that built it.
    pub method: RankMethod,
    /// Ratings counted.
    pub ratings: u32,
    /// When it was built (UTC).
    pub built_at: chrono::NaiveDateTime,
}

/// One row of a snapshot as the pages show it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StandingRow {
    /// The service.
    pub service: ServiceId,
    /// The provider.
    pub department_id: DepartmentId,
    /// The figures.
    pub standing: Standing,
}

/// `/services`: the catalogue and one month's ranks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicesOverview {
    /// The catalogue, active services first.
    pub services: Vec<GovService>,
    /// The month shown, if any snapshot exists.
    pub snapshot: Option<SnapshotSummary>,
    /// Its rows, ranked ones first by overall rank.
    pub rows: Vec<StandingRow>,
    /// Every month with a snapshot, newest first.
    pub months: Vec<NaiveDate>,
    /// The month open for rating now.
    pub open_month: NaiveDate,
}

/// One offering's figures in one past month: a point of the history chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    /// The month.
    pub month: NaiveDate,
    /// The figures.
    pub standing: Standing,
}

/// The signed-in reader's rating of one offering for the open month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnRating {
    /// The offering.
    pub offering: OfferingId,
    /// The marks.
    pub marks: Marks,
    /// Whether it carries a comment (a comment is added once; the discussion goes on
    /// below it).
    pub commented: bool,
}

/// What a rating's comment says about its rating, shown beside the comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatedComment {
    /// The comment.
    pub comment: civic::comments::CommentId,
    /// The provider rated.
    pub department_id: DepartmentId,
    /// The month.
    pub month: NaiveDate,
    /// The marks.
    pub marks: Marks,
}

/// `/services/:id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceDetail {
    /// The service.
    pub service: GovService,
    /// The month open for rating now.
    pub open_month: NaiveDate,
    /// Each offering's history, oldest month first.
    pub history: Vec<(OfferingId, Vec<HistoryPoint>)>,
    /// Ratings given so far in the open month, per offering (provisional, not a rank).
    pub open_counts: Vec<(OfferingId, u32)>,
    /// The reader's ratings of the open month.
    pub own: Vec<OwnRating>,
    /// The discussion: ratings' comments and the providers' answers.
    pub comments: Vec<Comment>,
    /// Which comments are ratings' comments, with their marks.
    pub rated: Vec<RatedComment>,
    /// The offerings the reader may answer for (an official of the provider).
    pub answerable: Vec<DepartmentId>,
    /// Whether the reader is signed in.
    pub signed_in: bool,
    /// Whether the reader moderates comments.
    pub moderator: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(offering: u64, service: u64, marks: &[(u32, u32, u32)]) -> RatingTally {
        RatingTally {
            offering: OfferingId(offering),
            service: ServiceId(service),
            ratings: marks.len() as u32,
            quality: marks.iter().map(|m| m.0).sum(),
            convenience: marks.iter().map(|m| m.1).sum(),
            speed: marks.iter().map(|m| m.2).sum(),
        }
    }

    const METHOD: RankMethod = RankMethod {
        version: 1,
        prior_weight: 5,
        min_ratings: 3,
    };

    #[test]
    fn few_perfect_ratings_are_pulled_toward_the_service_mean() {
        // A plain mean would put the three perfect ratings first (5 against 4.67).
        let few = tally(1, 1, &[(5, 5, 5); 3]);
        let many = tally(2, 1, &[(5, 5, 4); 100]);
        let poor = tally(3, 1, &[(3, 3, 3); 50]);
        let standings = rank_month(&[few, many, poor], METHOD);
        // The service mean: (3·5 + 100·14/3 + 50·3) / 153.
        let prior = (15.0 + 1400.0 / 3.0 + 150.0) / 153.0;
        assert!((standings[0].service_mean - prior).abs() < 1e-12);
        assert!((standings[0].score - (5.0 * prior + 15.0) / 8.0).abs() < 1e-12);
        assert!((standings[1].score - (5.0 * prior + 1400.0 / 3.0) / 105.0).abs() < 1e-12);
        assert!((standings[2].score - (5.0 * prior + 150.0) / 55.0).abs() < 1e-12);
        let ranks: Vec<_> = standings.iter().map(|s| s.rank_in_service).collect();
        assert_eq!(ranks, [Some(2), Some(1), Some(3)]);
        assert_eq!(standings[1].rank_overall, Some(1));
    }

    #[test]
    fn below_the_minimum_count_gets_figures_but_no_rank() {
        let lonely = tally(1, 1, &[(5, 5, 5), (5, 5, 5)]);
        let counted = tally(2, 1, &[(3, 3, 3); 3]);
        let standings = rank_month(&[lonely, counted], METHOD);
        assert_eq!(standings[0].ratings, 2);
        assert_eq!(standings[0].mean_quality, 5.0);
        assert_eq!(
            (standings[0].rank_in_service, standings[0].rank_overall),
            (None, None)
        );
        assert_eq!(
            (standings[1].rank_in_service, standings[1].rank_overall),
            (Some(1), Some(1))
        );
    }

    #[test]
    fn equal_scores_share_a_rank_and_the_next_skips() {
        let a = tally(1, 1, &[(4, 4, 4); 4]);
        let b = tally(2, 1, &[(4, 4, 4); 4]);
        let c = tally(3, 1, &[(2, 2, 2); 4]);
        let d = tally(4, 2, &[(1, 1, 1); 4]);
        let standings = rank_month(&[a, b, c, d], METHOD);
        let overall: Vec<_> = standings.iter().map(|s| s.rank_overall).collect();
        assert_eq!(overall, [Some(1), Some(1), Some(3), Some(4)]);
        let in_service: Vec<_> = standings.iter().map(|s| s.rank_in_service).collect();
        assert_eq!(in_service, [Some(1), Some(1), Some(3), Some(1)]);
    }

    #[test]
    fn a_service_with_one_provider_scores_its_own_mean() {
        let only = tally(7, 3, &[(5, 4, 3), (1, 2, 3), (4, 4, 4)]);
        let standing = rank_month(&[only], METHOD)[0];
        assert!((standing.score - 10.0 / 3.0).abs() < 1e-12);
        assert!((standing.mean_speed - 10.0 / 3.0).abs() < 1e-12);
    }

    fn input(month: &str, marks: [&str; 3]) -> RatingInput {
        RatingInput {
            offering: "4".into(),
            month: month.into(),
            quality: marks[0].into(),
            convenience: marks[1].into(),
            speed: marks[2].into(),
            comment: "  Быстро и вежливо  ".into(),
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<(String, ErrorCode)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_rating_is_for_the_open_month_with_marks_from_one_to_five() {
        let open = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let valid = input("2026-12", ["5", "4", "1"])
            .validate(open)
            .expect("valid");
        assert_eq!(valid.offering, OfferingId(4));
        assert_eq!(
            (
                valid.marks.quality,
                valid.marks.convenience,
                valid.marks.speed
            ),
            (5, 4, 1)
        );
        assert_eq!(valid.comment, "Быстро и вежливо");
        let range = ErrorCode::OutOfRange { min: 1, max: 5 };
        assert_eq!(
            fields(
                input("2026-12", ["0", "6", "x"])
                    .validate(open)
                    .expect_err("marks")
            ),
            [
                ("quality".to_string(), range),
                ("convenience".to_string(), range),
                ("speed".to_string(), range),
            ]
        );
        assert_eq!(
            fields(
                input("2026-11", ["5", "5", "5"])
                    .validate(open)
                    .expect_err("closed")
            ),
            [("month".to_string(), ErrorCode::TooLate)]
        );
        for month in ["2027-01", "2026-13", "декабрь", ""] {
            assert_eq!(
                fields(
                    input(month, ["5", "5", "5"])
                        .validate(open)
                        .expect_err("month")
                ),
                [("month".to_string(), ErrorCode::Malformed)],
                "{month}"
            );
        }
    }

    #[test]
    fn months_are_written_and_read_as_year_and_month() {
        let month = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        assert_eq!(month_code(month), "2026-01");
        assert_eq!(parse_month("2026-01"), Some(month));
        assert_eq!(
            previous_month(month),
            NaiveDate::from_ymd_opt(2025, 12, 1).expect("date")
        );
        assert_eq!(
            month_of(NaiveDate::from_ymd_opt(2026, 1, 31).expect("date")),
            month
        );
        assert_eq!(parse_month("2026-1"), None);
    }

    fn cells(texts: &[&str]) -> Vec<Option<String>> {
        texts
            .iter()
            .map(|text| (!text.is_empty()).then(|| text.to_string()))
            .collect()
    }

    fn headers(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|text| text.to_string()).collect()
    }

    #[test]
    fn a_catalogue_sheet_is_read_by_its_russian_or_english_headers() {
        let russian = headers(&[
            "Код",
            "Название",
            "Название (англ.)",
            "Уровень",
            "Исполнители",
            "Заметки",
        ]);
        let rows = vec![
            (
                2,
                cells(&[
                    "passport",
                    "Выдача паспорта",
                    "Passport",
                    "региональная",
                    "mfc; min-health",
                    "x",
                ]),
            ),
            (
                3,
                cells(&["parking", "Парковка", "Parking", "Муниципальная", "", ""]),
            ),
        ];
        let read = read_catalogue(&russian, &rows).expect("accepted");
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].row, 2);
        assert_eq!(read[0].service.names.name_ru, "Выдача паспорта");
        assert_eq!(read[0].service.level, DepartmentLevel::Regional);
        assert!(read[0].service.is_active);
        assert_eq!(read[0].providers, ["mfc", "min-health"]);
        assert_eq!(read[1].service.level, DepartmentLevel::Municipal);
        assert!(read[1].providers.is_empty());
        let english = headers(&["slug", "name_ru", "Name", "LEVEL"]);
        assert_eq!(known_import_columns(&english), 4);
        let rows = vec![(2, cells(&["permit", "Разрешение", "Permit", "municipal"]))];
        assert_eq!(read_catalogue(&english, &rows).expect("accepted").len(), 1);
    }

    #[test]
    fn every_refused_cell_and_missing_column_is_named_and_nothing_is_accepted() {
        let without_level = headers(&["Код", "Название", "Название (англ.)"]);
        assert_eq!(
            read_catalogue(&without_level, &[]),
            Err(vec![FieldError::new("column.level", ErrorCode::Required)])
        );
        let sheet = headers(&["Код", "Название", "Название (англ.)", "Уровень"]);
        let rows = vec![
            (
                2,
                cells(&["passport", "Паспорт", "Passport", "региональная"]),
            ),
            (3, cells(&["Паспорт!", "", "Passport", "федеральная"])),
            (
                4,
                cells(&["passport", "Паспорт ещё раз", "Passport again", "regional"]),
            ),
        ];
        let refused = read_catalogue(&sheet, &rows).expect_err("refused");
        assert_eq!(
            refused,
            vec![
                FieldError::new("row3.slug", ErrorCode::Malformed),
                FieldError::new("row3.name_ru", ErrorCode::Required),
                FieldError::new("row3.level", ErrorCode::Required),
                FieldError::new("row4.slug", ErrorCode::Duplicate),
            ]
        );
        assert_eq!(
            ImportPlace::parse("row3.name_ru"),
            Some(ImportPlace::Cell {
                row: 3,
                field: "name_ru"
            })
        );
        assert_eq!(
            ImportPlace::parse("column.level"),
            Some(ImportPlace::MissingColumn { field: "level" })
        );
        assert_eq!(ImportPlace::parse("file"), None);
    }
}
