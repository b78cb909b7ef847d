//! What the dashboard shows: the period, the figures of problems and construction reports,
//! their breakdowns, and reaction-time percentiles read from histograms.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use platform::days::DayRange;
use serde::{Deserialize, Serialize};

use crate::constructions::model::ReportQuery;
use crate::geography::model::MunicipalityId;
use crate::priorities::model::{Priority, ScopeRanking};
use crate::services::model::{GovService, StandingRow};

/// Upper bounds (hours, exclusive) of the reaction-time classes the aggregates count by:
/// class 0 is under an hour, class `i` is `[BOUNDS[i-1], BOUNDS[i])`, the last class is 60
/// days and more. Finer where reactions are frequent, so that the median and the 90th
/// percentile read from them are within a few per cent of the exact ones.
pub const REACTION_BUCKET_BOUNDS: [u32; 30] = [
    1, 2, 3, 4, 6, 8, 12, 16, 20, 24, 30, 36, 42, 48, 60, 72, 96, 120, 144, 168, 192, 216, 240,
    288, 336, 408, 480, 600, 720, 1440,
];

/// Number of reaction-time classes.
pub const REACTION_BUCKETS: usize = REACTION_BUCKET_BOUNDS.len() + 1;

/// Longest period one view covers, in months.
pub const MAX_PERIOD_MONTHS: u32 = 36;

/// The months a view covers: `months` whole months from `first_month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// The first day of the first month.
    pub first_month: NaiveDate,
    /// How many months.
    pub months: u32,
}

/// How a period is named to its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodName {
    /// One month (first day given).
    Month(NaiveDate),
    /// One quarter of a year (1 to 4).
    Quarter(i32, u32),
    /// One calendar year.
    Year(i32),
    /// Any other run of months: first and last month.
    Months(NaiveDate, NaiveDate),
}

/// The first day of `day`'s month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

impl Period {
    /// The twelve months up to and including `today`'s: the default view.
    pub fn last_twelve_months(today: NaiveDate) -> Period {
        let current = month_of(today);
        Period {
            first_month: current - Months::new(11),
            months: 12,
        }
    }

    /// The period named by `code` (see [`Period::code`]); anything else, an empty value
    /// included, is the last twelve months, so a stale or edited link still shows a view.
    pub fn parse(code: &str, today: NaiveDate) -> Period {
        Self::parse_code(code.trim()).unwrap_or_else(|| Self::last_twelve_months(today))
    }

    fn parse_code(code: &str) -> Option<Period> {
        let first = |year: i32, month: u32| NaiveDate::from_ymd_opt(year, month, 1);
        let period = if let Some((start, count)) = code.split_once('+') {
            let start = NaiveDate::parse_from_str(&format!("{start}-01"), "%Y-%m-%d").ok()?;
            Period {
                first_month: start,
                months: count.parse().ok()?,
            }
        } else if let Some((year, quarter)) = code.split_once("-q") {
            let quarter: u32 = quarter.parse().ok()?;
            if !(1..=4).contains(&quarter) {
                return None;
            }
            Period {
                first_month: first(year.parse().ok()?, quarter * 3 - 2)?,
                months: 3,
            }
        } else if code.len() == 4 {
            Period {
                first_month: first(code.parse().ok()?, 1)?,
                months: 12,
            }
        } else {
            Period {
                first_month: NaiveDate::parse_from_str(&format!("{code}-01"), "%Y-%m-%d").ok()?,
                months: 1,
            }
        };
        ((1..=MAX_PERIOD_MONTHS).contains(&period.months)
            && (2000..=2100).contains(&period.first_month.year()))
        .then_some(period)
    }

    /// How the period is named.
    pub fn name(&self) -> PeriodName {
        let (year, month) = (self.first_month.year(), self.first_month.month());
        match self.months {
            1 => PeriodName::Month(self.first_month),
            3 if month % 3 == 1 => PeriodName::Quarter(year, month.div_ceil(3)),
            12 if month == 1 => PeriodName::Year(year),
            _ => PeriodName::Months(self.first_month, self.last_month()),
        }
    }

    /// Its name in a URL: `2026-11`, `2026-q4`, `2026`, or `2025-12+12`.
    pub fn code(&self) -> String {
        match self.name() {
            PeriodName::Month(month) => month.format("%Y-%m").to_string(),
            PeriodName::Quarter(year, quarter) => format!("{year}-q{quarter}"),
            PeriodName::Year(year) => year.to_string(),
            PeriodName::Months(first, _) => format!("{}+{}", first.format("%Y-%m"), self.months),
        }
    }

    /// The first day after the period.
    pub fn end(&self) -> NaiveDate {
        self.first_month + Months::new(self.months)
    }

    /// The last day of the period.
    pub fn last_day(&self) -> NaiveDate {
        self.end().pred_opt().unwrap_or(self.first_month)
    }

    /// Its days, as the lists behind its figures filter them.
    pub fn days(&self) -> DayRange {
        DayRange {
            from: Some(self.first_month),
            before: Some(self.end()),
        }
    }

    /// The first day of the last month.
    pub fn last_month(&self) -> NaiveDate {
        self.first_month + Months::new(self.months.saturating_sub(1))
    }

    /// The first day of each month, in order.
    pub fn months(&self) -> Vec<NaiveDate> {
        (0..self.months)
            .map(|offset| self.first_month + Months::new(offset))
            .collect()
    }

    /// The periods offered for choice at `today`: the last twelve months, this and last
    /// year, the last four quarters and the last six months.
    pub fn choices(today: NaiveDate) -> Vec<Period> {
        let current = month_of(today);
        let year = today.year();
        let mut choices = vec![Period::last_twelve_months(today)];
        for year in [year, year - 1] {
            if let Some(first_month) = NaiveDate::from_ymd_opt(year, 1, 1) {
                choices.push(Period {
                    first_month,
                    months: 12,
                });
            }
        }
        let quarter_start = current - Months::new(current.month0() % 3);
        for back in 0..4 {
            choices.push(Period {
                first_month: quarter_start - Months::new(3 * back),
                months: 3,
            });
        }
        for back in 0..6 {
            choices.push(Period {
                first_month: current - Months::new(back),
                months: 1,
            });
        }
        choices
    }
}

/// `YEAR * 100 + MONTH`: a month as the month breakdown keys it.
pub fn month_key(month: NaiveDate) -> u64 {
    (month.year().max(0) as u64) * 100 + u64::from(month.month())
}

/// The first day of the month a [`month_key`] names.
pub fn month_from_key(key: u64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(key / 100).ok()?, (key % 100) as u32, 1)
}

/// What one view shows: a period, and the whole region or one municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DashboardFilter {
    /// The months.
    pub period: Period,
    /// One municipality, or the region.
    pub municipality_id: Option<MunicipalityId>,
}

/// Counts of problems reported in a period, with their reaction times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ProblemFigures {
    /// Public problems reported (duplicates left out).
    pub received: u64,
    /// Of those, with an official reaction.
    pub reacted: u64,
    /// Of those, reacted to within the theme's reaction days (10 by default).
    pub reacted_on_time: u64,
    /// Of those, overdue now.
    pub overdue: u64,
    /// Of those, planned now.
    pub planned: u64,
    /// Of those, resolved (or closed after it).
    pub resolved: u64,
    /// Median time to the first reaction, hours.
    pub median_hours: Option<f64>,
    /// 90th percentile of the time to the first reaction, hours.
    pub p90_hours: Option<f64>,
}

impl ProblemFigures {
    /// Adds the counts of `other` (not the percentiles, which do not add).
    pub fn add_counts(&mut self, other: &ProblemFigures) {
        self.received += other.received;
        self.reacted += other.reacted;
        self.reacted_on_time += other.reacted_on_time;
        self.overdue += other.overdue;
        self.planned += other.planned;
        self.resolved += other.resolved;
    }

    /// Sets the percentiles from a reaction-time histogram.
    pub fn set_reaction_times(&mut self, histogram: &[u64; REACTION_BUCKETS]) {
        self.median_hours = percentile(histogram, 0.5);
        self.p90_hours = percentile(histogram, 0.9);
    }
}

/// The figures of one municipality, department (0: not yet routed), theme or month
/// (see [`month_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FigureRow {
    /// Whose figures.
    pub key: u64,
    /// The figures.
    pub figures: ProblemFigures,
}

/// Construction reports submitted in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstructionFigures {
    /// Reports submitted.
    pub reports: u64,
    /// Of those, with a confirmed violation.
    pub confirmed: u64,
}

/// One municipality's construction figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstructionRow {
    /// The municipality.
    pub municipality_id: MunicipalityId,
    /// Its figures.
    pub figures: ConstructionFigures,
}

/// Everything one view of the dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// What it shows.
    pub filter: DashboardFilter,
    /// The server's day, which the period choices are counted from.
    pub today: NaiveDate,
    /// Until when the figures hold every change (UTC); `None` before the first refresh.
    pub refreshed_at: Option<NaiveDateTime>,
    /// The figures of the whole view.
    pub total: ProblemFigures,
    /// Per municipality (empty in a municipality's view).
    pub by_municipality: Vec<FigureRow>,
    /// Per department.
    pub by_department: Vec<FigureRow>,
    /// Per theme.
    pub by_theme: Vec<FigureRow>,
    /// Per month of the period, every month present.
    pub by_month: Vec<FigureRow>,
    /// Construction reports of the whole view.
    pub constructions: ConstructionFigures,
    /// Construction reports per municipality (empty in a municipality's view).
    pub constructions_by_municipality: Vec<ConstructionRow>,
}

/// How many priorities and services each list of the ranks section names.
pub const LEADERS: usize = 5;

/// The priority ranks and service ratings of a view (the region or one municipality),
/// beside its problem figures; each links to the page that has them whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankFigures {
    /// The quarter open for voting.
    pub open_quarter: NaiveDate,
    /// Its provisional figures and standings in the view.
    pub provisional: ScopeRanking,
    /// The newest quarter with a published snapshot.
    pub published_quarter: Option<NaiveDate>,
    /// That snapshot's figures and standings in the view.
    pub published: ScopeRanking,
    /// The priorities the two lists of leaders name.
    pub priorities: Vec<Priority>,
    /// The newest month with service ranks.
    pub services_month: Option<NaiveDate>,
    /// Its providers in the view (all, or the municipality's) that got a rank.
    pub ranked_offerings: usize,
    /// The best ranked of those, best first.
    pub best_offerings: Vec<StandingRow>,
    /// The worst ranked of those not among the best, worst first.
    pub worst_offerings: Vec<StandingRow>,
    /// The services the two lists name.
    pub services: Vec<GovService>,
}

/// The `count` best and the `count` worst ranked of `rows` (which are ordered by overall
/// rank, unranked last), the worst first in theirs; an offering is in one list only.
pub fn best_and_worst(rows: &[StandingRow], count: usize) -> (Vec<StandingRow>, Vec<StandingRow>) {
    let ranked: Vec<StandingRow> = rows
        .iter()
        .filter(|row| row.standing.rank_overall.is_some())
        .copied()
        .collect();
    let best: Vec<StandingRow> = ranked.iter().take(count).copied().collect();
    let worst = ranked
        .iter()
        .skip(best.len())
        .rev()
        .take(count)
        .copied()
        .collect();
    (best, worst)
}

/// The `quantile` (0 to 1) of the reaction times counted in `histogram`, interpolated
/// linearly inside its class; the open last class answers its lower bound. `None` when
/// the histogram is empty.
pub fn percentile(histogram: &[u64; REACTION_BUCKETS], quantile: f64) -> Option<f64> {
    let total: u64 = histogram.iter().sum();
    if total == 0 {
        return None;
    }
    let rank = quantile.clamp(0.0, 1.0) * total as f64;
    let mut below = 0u64;
    for (bucket, &count) in histogram.iter().enumerate() {
        if count == 0 {
            continue;
        }
        if (below + count) as f64 >= rank {
            let lower = bucket
                .checked_sub(1)
                .map_or(0.0, |previous| f64::from(REACTION_BUCKET_BOUNDS[previous]));
            let Some(&upper) = REACTION_BUCKET_BOUNDS.get(bucket) else {
                return Some(lower);
            };
            let share = (rank - below as f64) / count as f64;
            return Some(lower + share * (f64::from(upper) - lower));
        }
        below += count;
    }
    None
}

/// The class of a reaction that took `hours`.
pub fn reaction_bucket(hours: f64) -> usize {
    REACTION_BUCKET_BOUNDS
        .iter()
        .position(|&bound| hours < f64::from(bound))
        .unwrap_or(REACTION_BUCKET_BOUNDS.len())
}

/// The construction reports list behind a construction figure: the reports submitted in
/// `period`, of `municipality` (or all), all of them or only the confirmed violations.
pub fn construction_list(
    period: &Period,
    municipality: Option<MunicipalityId>,
    violations: bool,
) -> ReportQuery {
    let (from, to) = period.days().query_values();
    ReportQuery {
        violations: if violations { "1" } else { "" }.to_string(),
        municipality: municipality.map(|id| id.to_string()).unwrap_or_default(),
        from,
        to,
        ..ReportQuery::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a valid test date")
    }

    fn offering(id: u64, rank_overall: Option<u32>) -> StandingRow {
        StandingRow {
            service: crate::services::model::ServiceId(1),
            department_id: platform::ids::DepartmentId(id),
            standing: crate::services::model::Standing {
                offering: crate::services::model::OfferingId(id),
                ratings: 10,
                mean_quality: 4.0,
                mean_convenience: 4.0,
                mean_speed: 4.0,
                service_mean: 4.0,
                score: 4.0,
                rank_in_service: rank_overall,
                rank_overall,
            },
        }
    }

    fn offerings(rows: &[StandingRow]) -> Vec<u64> {
        rows.iter().map(|row| row.standing.offering.0).collect()
    }

    #[test]
    fn the_best_and_the_worst_ranked_offerings_are_named_once_each() {
        let mut rows: Vec<StandingRow> = (1..=7).map(|id| offering(id, Some(id as u32))).collect();
        rows.push(offering(8, None));
        let (best, worst) = best_and_worst(&rows, 5);
        assert_eq!(offerings(&best), [1, 2, 3, 4, 5]);
        assert_eq!(offerings(&worst), [7, 6]);

        let (best, worst) = best_and_worst(&rows, 3);
        assert_eq!(offerings(&best), [1, 2, 3]);
        assert_eq!(offerings(&worst), [7, 6, 5]);

        let (best, worst) = best_and_worst(&[offering(9, None)], 5);
        assert!(best.is_empty() && worst.is_empty());
    }

    #[test]
    fn periods_read_back_from_their_codes() {
        let today = day("2026-12-03");
        for period in Period::choices(today) {
            assert_eq!(
                Period::parse(&period.code(), today),
                period,
                "{}",
                period.code()
            );
        }
        assert_eq!(
            Period::parse("2026-q4", today).first_month,
            day("2026-10-01")
        );
        assert_eq!(
            Period::parse("2026-q4", today).last_day(),
            day("2026-12-31")
        );
        assert_eq!(Period::parse("2025", today).end(), day("2026-01-01"));
        assert_eq!(
            Period::parse("2026-02", today).last_day(),
            day("2026-02-28")
        );
        assert_eq!(Period::parse("2025-12+12", today).code(), "2025-12+12");
    }

    #[test]
    fn a_construction_figure_names_its_period_in_the_list_link() {
        let quarter = Period::parse("2026-q3", day("2026-12-03"));
        let violations = construction_list(&quarter, Some(MunicipalityId(7)), true);
        assert_eq!(
            violations.to_query_string(1),
            "?violations=1&municipality=7&from=2026-07-01&to=2026-09-30"
        );
        let filter = violations.filter();
        assert_eq!(filter.submitted, quarter.days());
        assert!(filter.violations);
        let all = construction_list(&quarter, None, false).filter();
        assert!(!all.violations && all.municipality_id.is_none());
    }

    #[test]
    fn a_bad_period_code_shows_the_last_twelve_months() {
        let today = day("2026-12-03");
        let default = Period::last_twelve_months(today);
        assert_eq!(default.first_month, day("2026-01-01"));
        assert_eq!(default.end(), day("2027-01-01"));
        for bad in [
            "",
            "2026-q5",
            "2026-13",
            "abc",
            "2026-01+0",
            "2026-01+37",
            "1900",
        ] {
            assert_eq!(Period::parse(bad, today), default, "{bad}");
        }
    }

    #[test]
    fn months_are_keyed_and_listed_in_order() {
        let period = Period::parse("2025-11+3", day("2026-12-03"));
        let months = period.months();
        assert_eq!(
            months,
            vec![day("2025-11-01"), day("2025-12-01"), day("2026-01-01")]
        );
        assert_eq!(month_key(months[2]), 202_601);
        assert_eq!(month_from_key(202_601), Some(months[2]));
        assert_eq!(month_from_key(202_613), None);
    }

    #[test]
    fn reaction_times_fall_into_their_classes() {
        assert_eq!(reaction_bucket(0.0), 0);
        assert_eq!(reaction_bucket(0.99), 0);
        assert_eq!(reaction_bucket(1.0), 1);
        assert_eq!(reaction_bucket(239.9), 22);
        assert_eq!(reaction_bucket(240.0), 23);
        assert_eq!(reaction_bucket(5000.0), REACTION_BUCKETS - 1);
    }

    #[test]
    fn percentiles_interpolate_inside_a_class() {
        let mut histogram = [0u64; REACTION_BUCKETS];
        assert_eq!(percentile(&histogram, 0.5), None);
        // Ten reactions in [24, 30) hours: the median is halfway through the class.
        histogram[reaction_bucket(25.0)] = 10;
        assert_eq!(percentile(&histogram, 0.5), Some(27.0));
        // Ten more in the open last class: the 90th percentile is its lower bound.
        histogram[REACTION_BUCKETS - 1] = 10;
        assert_eq!(percentile(&histogram, 0.9), Some(1440.0));
        assert_eq!(percentile(&histogram, 0.5), Some(30.0));
    }

    #[test]
    fn percentiles_of_spread_times_stay_close_to_the_exact_ones() {
        let times: Vec<f64> = (0..1000).map(|i| f64::from(i) * 0.3).collect();
        let mut histogram = [0u64; REACTION_BUCKETS];
        for hours in &times {
            histogram[reaction_bucket(*hours)] += 1;
        }
        let median = percentile(&histogram, 0.5).expect("a median");
        let p90 = percentile(&histogram, 0.9).expect("a 90th percentile");
        assert!((median - 150.0).abs() / 150.0 < 0.05, "{median}");
        assert!((p90 - 270.0).abs() / 270.0 < 0.05, "{p90}");
    }
}
