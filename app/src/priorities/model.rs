//! Development priorities and their quarterly ranks: the catalogue, a citizen's votes,
//! and the method that turns a quarter's votes into ranks for the region and each
//! municipality (a pure function, so the snapshot job, the provisional standings, the
//! tests and anyone reading the published counts compute the same numbers).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::geography::model::MunicipalityId;
use civic::comments::Comment;
use civic::subject::{Subject, SubjectKind};
use platform::error::{ErrorCode, FieldError};
use platform::geo::{LatLon, parse_point};
use platform::ids::ThemeId;

platform::id_type!(
    /// A development priority.
    PriorityId
);

/// The kind of subject a priority's discussion and its proposer's notifications hang on.
pub const PRIORITY: SubjectKind = SubjectKind::new("priority");

/// The notification a proposer gets when moderators publish their proposal.
pub const ACCEPTED: &str = "accepted";
/// The notification a proposer gets when moderators reject their proposal.
pub const REJECTED: &str = "rejected";

impl PriorityId {
    /// The priority as a subject.
    pub fn subject(self) -> Subject {
        Subject::new(PRIORITY, self.0)
    }
}

/// Shortest and longest title.
pub const TITLE_LENGTH: std::ops::RangeInclusive<usize> = 5..=200;
/// Shortest and longest description.
pub const DESCRIPTION_LENGTH: std::ops::RangeInclusive<usize> = 10..=4000;
/// Shortest and longest reason of a decision or of a change of home.
pub const REASON_LENGTH: std::ops::RangeInclusive<usize> = 5..=500;

/// The published ranking method. Its numbers are stored with every snapshot, so a change
/// here makes a new version and never alters a published quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankMethod {
    /// The version named by the snapshots it builds.
    pub version: u16,
    /// How many priorities a person may vote for in a quarter (one vote each).
    pub votes_per_voter: u32,
    /// The fewest voters a municipality (or the region) needs for a rank, and for a
    /// municipality to be weighted in the population-weighted regional rank.
    pub min_voters: u32,
}

impl RankMethod {
    /// The method in use.
    pub const CURRENT: RankMethod = RankMethod {
        version: 1,
        votes_per_voter: 5,
        min_voters: 25,
    };
}

/// The first day of the quarter `day` is in.
pub fn quarter_of(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), day.month0() / 3 * 3 + 1, 1).unwrap_or(day)
}

/// The quarter before `quarter` (a first day).
pub fn previous_quarter(quarter: NaiveDate) -> NaiveDate {
    quarter
        .checked_sub_months(Months::new(3))
        .unwrap_or(quarter)
}

/// `2026-Q4` for the fourth quarter of 2026: how a quarter is written in addresses.
pub fn quarter_code(quarter: NaiveDate) -> String {
    format!("{}-Q{}", quarter.year(), quarter.month0() / 3 + 1)
}

/// The quarter `2026-Q4` names; `None` for anything else.
pub fn parse_quarter(code: &str) -> Option<NaiveDate> {
    let (year, quarter) = code.trim().split_once("-Q")?;
    if year.len() != 4 || quarter.len() != 1 {
        return None;
    }
    let quarter: u32 = quarter.parse().ok().filter(|q| (1..=4).contains(q))?;
    NaiveDate::from_ymd_opt(year.parse().ok()?, (quarter - 1) * 3 + 1, 1)
}

/// Where votes are counted: the region, or one municipality (its residents' votes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Every vote.
    Region,
    /// The votes of one municipality's residents.
    Municipality(MunicipalityId),
}

impl Scope {
    /// As stored: 0 for the region, else the municipality's id.
    pub fn key(self) -> u64 {
        match self {
            Scope::Region => 0,
            Scope::Municipality(id) => id.0,
        }
    }

    /// The scope stored as `key`.
    pub fn from_key(key: u64) -> Self {
        match key {
            0 => Scope::Region,
            id => Scope::Municipality(MunicipalityId(id)),
        }
    }
}

/// Where a priority stands in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriorityStatus {
    /// Proposed by a citizen, awaiting moderation.
    Proposed,
    /// Published: can be voted for.
    Open,
    /// A proposal the moderators declined, with a reason.
    Rejected,
    /// No longer voted for; keeps its history.
    Closed,
}

impl PriorityStatus {
    /// As stored.
    pub fn as_db(self) -> &'static str {
        match self {
            PriorityStatus::Proposed => "proposed",
            PriorityStatus::Open => "open",
            PriorityStatus::Rejected => "rejected",
            PriorityStatus::Closed => "closed",
        }
    }

    /// The status stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        [
            PriorityStatus::Proposed,
            PriorityStatus::Open,
            PriorityStatus::Rejected,
            PriorityStatus::Closed,
        ]
        .into_iter()
        .find(|status| status.as_db() == value)
    }
}

/// A priority of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priority {
    /// Its id.
    pub id: PriorityId,
    /// The municipality it is for; `None` for a regional priority.
    pub municipality: Option<MunicipalityId>,
    /// Its theme.
    pub theme: ThemeId,
    /// Title, as typed.
    pub title: String,
    /// Description, as typed.
    pub description: String,
    /// Its place on the map, if it has one.
    pub place: Option<LatLon>,
    /// Where it stands.
    pub status: PriorityStatus,
    /// Why it was rejected or closed.
    pub decision_reason: String,
    /// When it was proposed or added (UTC).
    pub created_at: NaiveDateTime,
}

/// A priority as its proposer or a moderator types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityInput {
    /// The municipality's id; empty for a regional priority.
    pub municipality: String,
    /// The theme's id.
    pub theme: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Latitude of its place; empty for none.
    pub lat: String,
    /// Longitude of its place; empty for none.
    pub lon: String,
}

/// A priority that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPriority {
    /// The municipality; `None` for the region.
    pub municipality: Option<MunicipalityId>,
    /// The theme.
    pub theme: ThemeId,
    /// Title, trimmed.
    pub title: String,
    /// Description, trimmed.
    pub description: String,
    /// Its place, if any.
    pub place: Option<LatLon>,
}

/// Pushes the refusal of `field` when `text` is not within `length` characters.
fn check_length(
    field: &str,
    text: &str,
    length: std::ops::RangeInclusive<usize>,
    errors: &mut Vec<FieldError>,
) {
    let count = text.chars().count();
    let code = if count == 0 {
        ErrorCode::Required
    } else if count < *length.start() {
        ErrorCode::TooShort {
            min: *length.start() as u32,
        }
    } else if count > *length.end() {
        ErrorCode::TooLong {
            max: *length.end() as u32,
        }
    } else {
        return;
    };
    errors.push(FieldError::new(field, code));
}

impl PriorityInput {
    /// Validates every field; the place is optional, and when given must be in the region.
    pub fn validate(&self) -> Result<ValidPriority, Vec<FieldError>> {
        let mut errors = Vec::new();
        let municipality = match self.municipality.trim() {
            "" => Ok(None),
            text => text.parse::<MunicipalityId>().map(Some).map_err(drop),
        };
        if municipality.is_err() {
            errors.push(FieldError::new(
                "municipality",
                ErrorCode::UnknownMunicipality,
            ));
        }
        let theme = self.theme.trim().parse::<ThemeId>().ok();
        if theme.is_none() {
            errors.push(FieldError::new("theme", ErrorCode::UnknownTheme));
        }
        let title = self.title.trim().to_string();
        check_length("title", &title, TITLE_LENGTH, &mut errors);
        let description = self.description.trim().to_string();
        check_length("description", &description, DESCRIPTION_LENGTH, &mut errors);
        let place = if self.lat.trim().is_empty() && self.lon.trim().is_empty() {
            None
        } else {
            parse_point(&self.lat, &self.lon, &mut errors)
        };
        match (municipality, theme) {
            (Ok(municipality), Some(theme)) if errors.is_empty() => Ok(ValidPriority {
                municipality,
                theme,
                title,
                description,
                place,
            }),
            _ => Err(errors),
        }
    }
}

/// The reason of a decision or a change of home, trimmed, or the refusal of `field`.
pub fn validate_reason(field: &str, reason: &str) -> Result<String, Vec<FieldError>> {
    let reason = reason.trim().to_string();
    let mut errors = Vec::new();
    check_length(field, &reason, REASON_LENGTH, &mut errors);
    if errors.is_empty() {
        Ok(reason)
    } else {
        Err(errors)
    }
}

/// What a moderator decides about a priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// Publish a proposal, or reopen a closed priority.
    Open,
    /// Decline a proposal, with the reason its proposer sees.
    Reject(String),
    /// Stop the voting for an open priority, with the reason everyone sees.
    Close(String),
}

impl Decision {
    /// The decision named `name` (`open`, `reject`, `close`) with `reason`.
    pub fn parse(name: &str, reason: &str) -> Result<Self, Vec<FieldError>> {
        match name.trim() {
            "open" => Ok(Decision::Open),
            "reject" => validate_reason("reason", reason).map(Decision::Reject),
            "close" => validate_reason("reason", reason).map(Decision::Close),
            _ => Err(vec![FieldError::new("decision", ErrorCode::Malformed)]),
        }
    }

    /// The status a priority in `from` moves to, if the decision applies to it.
    pub fn apply(&self, from: PriorityStatus) -> Option<PriorityStatus> {
        use PriorityStatus::{Closed, Open, Proposed, Rejected};
        match (self, from) {
            (Decision::Open, Proposed | Closed) => Some(Open),
            (Decision::Reject(_), Proposed) => Some(Rejected),
            (Decision::Close(_), Open) => Some(Closed),
            _ => None,
        }
    }

    /// The reason given, empty for none.
    pub fn reason(&self) -> &str {
        match self {
            Decision::Open => "",
            Decision::Reject(reason) | Decision::Close(reason) => reason,
        }
    }

    /// The audit log's name of the decision taken on a priority in `from`.
    pub fn action(&self, from: PriorityStatus) -> &'static str {
        match (self, from) {
            (Decision::Open, PriorityStatus::Proposed) => "priority.approve",
            (Decision::Open, _) => "priority.reopen",
            (Decision::Reject(_), _) => "priority.reject",
            (Decision::Close(_), _) => "priority.close",
        }
    }
}

/// One municipality's votes for one priority in a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteCount {
    /// The voters' home municipality when voting.
    pub municipality: MunicipalityId,
    /// The priority.
    pub priority: PriorityId,
    /// Votes.
    pub votes: u32,
}

/// One municipality's voters in a quarter and its population.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MunicipalVoters {
    /// The municipality.
    pub municipality: MunicipalityId,
    /// People whose votes counted there (one who moved mid-quarter counts in both homes).
    pub voters: u32,
    /// Its population.
    pub population: u32,
}

/// A quarter's votes, counted: what the method reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuarterTally {
    /// Votes by municipality and priority.
    pub votes: Vec<VoteCount>,
    /// Voters by municipality, with the population of every municipality (those
    /// without voters too).
    pub municipalities: Vec<MunicipalVoters>,
    /// People who voted at all.
    pub region_voters: u32,
}

impl QuarterTally {
    /// The same tally with its votes in (municipality, priority) order, so that two
    /// tallies of one quarter compare equal whatever order their counts came in.
    pub fn in_key_order(mut self) -> Self {
        self.votes
            .sort_by_key(|count| (count.municipality, count.priority));
        self
    }
}

/// A scope's figures in a quarter, as a snapshot stores them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScopeFigures {
    /// The scope.
    pub scope: Scope,
    /// People whose votes counted here.
    pub voters: u32,
    /// Votes counted here.
    pub votes: u32,
    /// The population used: a municipality's own, the region's the sum of the weighted
    /// municipalities'.
    pub population: u32,
    /// A municipality's weight in the population-weighted regional rank (0 when it has
    /// too few voters to be weighted); 1 for the region.
    pub weight: f64,
    /// Whether it had enough voters for a rank.
    pub ranked: bool,
}

/// One priority's figures in one scope in a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PriorityStanding {
    /// The scope.
    pub scope: Scope,
    /// The priority.
    pub priority: PriorityId,
    /// Votes it got here.
    pub votes: u32,
    /// The share of this scope's voters who chose it.
    pub share: f64,
    /// Its rank by votes; `None` when the scope has too few voters.
    pub rank: Option<u32>,
    /// Its rank here in the previous quarter.
    pub previous_rank: Option<u32>,
    /// The region only: the sum over the weighted municipalities of weight × share.
    pub weighted_share: Option<f64>,
    /// The region only: its rank by weighted share.
    pub weighted_rank: Option<u32>,
    /// The region only: its weighted rank in the previous quarter.
    pub previous_weighted_rank: Option<u32>,
}

impl PriorityStanding {
    /// Places moved up since the previous quarter (negative: down); `None` when either
    /// quarter gave no rank.
    pub fn movement(&self) -> Option<i64> {
        Some(i64::from(self.previous_rank?) - i64::from(self.rank?))
    }
}

/// One scope's part of a quarter: its figures and its standings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScopeRanking {
    /// The scope's figures (none when nobody there voted).
    pub figures: Option<ScopeFigures>,
    /// Its standings.
    pub standings: Vec<PriorityStanding>,
}

impl ScopeRanking {
    /// `scope`'s part of `ranking`.
    pub fn of(ranking: QuarterRanking, scope: Scope) -> Self {
        ScopeRanking {
            figures: ranking.scopes.into_iter().find(|s| s.scope == scope),
            standings: ranking
                .standings
                .into_iter()
                .filter(|s| s.scope == scope)
                .collect(),
        }
    }

    /// The first `count` standings: by rank, then (unranked: too few voters) by votes,
    /// then by priority.
    pub fn leaders(&self, count: usize) -> Vec<PriorityStanding> {
        let mut leaders = self.standings.clone();
        leaders.sort_by_key(|standing| {
            (
                standing.rank.unwrap_or(u32::MAX),
                std::cmp::Reverse(standing.votes),
                standing.priority,
            )
        });
        leaders.truncate(count);
        leaders
    }
}

/// A quarter ranked: every scope with votes (the region first) and its standings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuarterRanking {
    /// The region, then each municipality with votes, by id.
    pub scopes: Vec<ScopeFigures>,
    /// Per scope in the same order, priorities by votes (then id).
    pub standings: Vec<PriorityStanding>,
}

/// Shares closer than this are equal: they are sums of products of fractions.
const TIE: f64 = 1e-12;

/// Ranks a quarter by `method`: in the region and in each municipality with votes, every
/// priority voted for gets its votes and its share of the scope's voters; scopes with at
/// least `method.min_voters` voters rank them by votes (equal votes share a rank, the
/// next skips: 1, 2, 2, 4). The region is also ranked by weighted share: each
/// municipality with enough voters weighs its shares by its population's part of theirs
/// together, so a municipality where many vote online does not speak for the others.
/// `previous` (the previous quarter's standings) gives the movements.
pub fn rank_quarter(
    tally: &QuarterTally,
    previous: &[PriorityStanding],
    method: RankMethod,
) -> QuarterRanking {
    let voters: HashMap<MunicipalityId, &MunicipalVoters> = tally
        .municipalities
        .iter()
        .map(|m| (m.municipality, m))
        .collect();
    let weighted: Vec<&MunicipalVoters> = tally
        .municipalities
        .iter()
        .filter(|m| m.voters >= method.min_voters && m.population > 0)
        .collect();
    let weighted_population: u64 = weighted.iter().map(|m| u64::from(m.population)).sum();
    let weight_of = |municipality: MunicipalityId| -> f64 {
        weighted
            .iter()
            .find(|m| m.municipality == municipality)
            .map_or(0.0, |m| {
                f64::from(m.population) / weighted_population.max(1) as f64
            })
    };
    let previous: HashMap<(Scope, PriorityId), &PriorityStanding> = previous
        .iter()
        .map(|standing| ((standing.scope, standing.priority), standing))
        .collect();

    let mut by_municipality: BTreeMap<MunicipalityId, Vec<(PriorityId, u32)>> = BTreeMap::new();
    let mut region: BTreeMap<PriorityId, (u32, f64)> = BTreeMap::new();
    for count in &tally.votes {
        by_municipality
            .entry(count.municipality)
            .or_default()
            .push((count.priority, count.votes));
        let entry = region.entry(count.priority).or_default();
        entry.0 += count.votes;
        let municipal_voters = voters.get(&count.municipality).map_or(0, |m| m.voters);
        entry.1 += weight_of(count.municipality) * share(count.votes, municipal_voters);
    }

    let mut ranking = QuarterRanking::default();
    let region_ranked = tally.region_voters >= method.min_voters;
    ranking.scopes.push(ScopeFigures {
        scope: Scope::Region,
        voters: tally.region_voters,
        votes: region.values().map(|(votes, _)| votes).sum(),
        population: u32::try_from(weighted_population).unwrap_or(u32::MAX),
        weight: 1.0,
        ranked: region_ranked,
    });
    let region_rows: Vec<(PriorityId, u32)> = region
        .iter()
        .map(|(priority, (votes, _))| (*priority, *votes))
        .collect();
    let mut region_standings = scope_standings(
        Scope::Region,
        &region_rows,
        tally.region_voters,
        region_ranked,
        &previous,
    );
    let weighting = region_ranked && !weighted.is_empty();
    let weighted_shares: Vec<f64> = region_standings
        .iter()
        .map(|standing| region.get(&standing.priority).map_or(0.0, |(_, w)| *w))
        .collect();
    let weighted_ranks = platform::ranking::competition_ranks(&weighted_shares, TIE);
    for ((standing, weighted_share), weighted_rank) in region_standings
        .iter_mut()
        .zip(weighted_shares)
        .zip(weighted_ranks)
    {
        if weighting {
            standing.weighted_share = Some(weighted_share);
            standing.weighted_rank = Some(weighted_rank);
        }
        standing.previous_weighted_rank = previous
            .get(&(Scope::Region, standing.priority))
            .and_then(|before| before.weighted_rank);
    }
    ranking.standings.extend(region_standings);

    for (municipality, rows) in by_municipality {
        let figures = voters.get(&municipality);
        let municipal_voters = figures.map_or(0, |m| m.voters);
        let ranked = municipal_voters >= method.min_voters;
        let scope = Scope::Municipality(municipality);
        ranking.scopes.push(ScopeFigures {
            scope,
            voters: municipal_voters,
            votes: rows.iter().map(|(_, votes)| votes).sum(),
            population: figures.map_or(0, |m| m.population),
            weight: weight_of(municipality),
            ranked,
        });
        ranking.standings.extend(scope_standings(
            scope,
            &rows,
            municipal_voters,
            ranked,
            &previous,
        ));
    }
    ranking
}

/// `votes` as a share of `voters`.
fn share(votes: u32, voters: u32) -> f64 {
    f64::from(votes) / f64::from(voters.max(1))
}

/// One scope's priorities with their votes, shares, ranks (when `ranked`) and previous
/// ranks, by votes and then id.
fn scope_standings(
    scope: Scope,
    rows: &[(PriorityId, u32)],
    voters: u32,
    ranked: bool,
    previous: &HashMap<(Scope, PriorityId), &PriorityStanding>,
) -> Vec<PriorityStanding> {
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let votes: Vec<f64> = rows.iter().map(|(_, votes)| f64::from(*votes)).collect();
    let ranks = platform::ranking::competition_ranks(&votes, TIE);
    rows.into_iter()
        .zip(ranks)
        .map(|((priority, votes), rank)| PriorityStanding {
            scope,
            priority,
            votes,
            share: share(votes, voters),
            rank: ranked.then_some(rank),
            previous_rank: previous
                .get(&(scope, priority))
                .and_then(|before| before.rank),
            weighted_share: None,
            weighted_rank: None,
            previous_weighted_rank: None,
        })
        .collect()
}

/// A published quarterly snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotSummary {
    /// The quarter ranked.
    pub quarter: NaiveDate,
    /// The method that built it.
    pub method: RankMethod,
    /// Votes counted.
    pub votes: u32,
    /// People who voted.
    pub voters: u32,
    /// When it was built (UTC).
    pub built_at: NaiveDateTime,
}

/// A signed-in person's votes in the open quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    /// Where their votes count now.
    pub home: MunicipalityId,
    /// How many priorities they may vote for in a quarter.
    pub budget: u32,
    /// The priorities they voted for this quarter.
    pub voted: Vec<PriorityId>,
    /// Whether they changed their home this quarter already.
    pub moved_this_quarter: bool,
}

impl Ballot {
    /// Votes still to give.
    pub fn left(&self) -> u32 {
        self.budget
            .saturating_sub(u32::try_from(self.voted.len()).unwrap_or(u32::MAX))
    }
}

/// `/ranks`: one scope in one quarter, the open quarter provisional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RanksView {
    /// The quarter open for voting.
    pub open_quarter: NaiveDate,
    /// The quarter shown.
    pub quarter: NaiveDate,
    /// The scope shown.
    pub scope: Scope,
    /// The snapshot shown; `None` for the open quarter's provisional standings.
    pub snapshot: Option<SnapshotSummary>,
    /// The method the figures follow (the snapshot's, or the current one).
    pub method: RankMethod,
    /// The scope's figures (none when nobody there voted).
    pub figures: Option<ScopeFigures>,
    /// The scope's standings.
    pub standings: Vec<PriorityStanding>,
    /// Every quarter with a snapshot, newest first.
    pub quarters: Vec<NaiveDate>,
    /// The priorities named by the standings and the open ones to vote for.
    pub priorities: Vec<Priority>,
    /// The reader's votes, when signed in.
    pub ballot: Option<Ballot>,
}

/// One quarter of a priority's history in the region.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    /// The quarter.
    pub quarter: NaiveDate,
    /// Its regional standing then.
    pub standing: PriorityStanding,
}

/// `/ranks/priority/:id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityDetail {
    /// The priority.
    pub priority: Priority,
    /// The quarter open for voting.
    pub open_quarter: NaiveDate,
    /// The quarter the votes by municipality are of.
    pub quarter: NaiveDate,
    /// Its votes in `quarter` by the voters' municipality, most first.
    pub by_municipality: Vec<(MunicipalityId, u32)>,
    /// Every quarter with a snapshot, newest first.
    pub quarters: Vec<NaiveDate>,
    /// Its regional standing in every snapshot that has it, oldest first.
    pub history: Vec<HistoryPoint>,
    /// The reader's votes, when signed in.
    pub ballot: Option<Ballot>,
    /// The discussion.
    pub comments: Vec<Comment>,
    /// Whether the reader moderates comments.
    pub moderator: bool,
}

/// `/manage/priorities`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedPriorities {
    /// Proposals awaiting moderation, oldest first, then every other priority the reader
    /// keeps, newest first.
    pub priorities: Vec<Priority>,
    /// The municipalities whose priorities the reader keeps; `None`: all, and the region.
    pub municipalities: Option<Vec<MunicipalityId>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const METHOD: RankMethod = RankMethod {
        version: 1,
        votes_per_voter: 5,
        min_voters: 3,
    };

    const A: MunicipalityId = MunicipalityId(1);
    const B: MunicipalityId = MunicipalityId(2);
    const C: MunicipalityId = MunicipalityId(3);

    fn count(municipality: MunicipalityId, priority: u64, votes: u32) -> VoteCount {
        VoteCount {
            municipality,
            priority: PriorityId(priority),
            votes,
        }
    }

    fn voters(municipality: MunicipalityId, voters: u32, population: u32) -> MunicipalVoters {
        MunicipalVoters {
            municipality,
            voters,
            population,
        }
    }

    fn of(ranking: &QuarterRanking, scope: Scope) -> Vec<PriorityStanding> {
        ranking
            .standings
            .iter()
            .filter(|standing| standing.scope == scope)
            .copied()
            .collect()
    }

    /// A big municipality A (population 900) where 4 people voted, mostly for priority 1;
    /// a small one B (population 100) where 10 voted, all for priority 2; C with 1 voter.
    fn tally() -> QuarterTally {
        QuarterTally {
            votes: vec![
                count(A, 1, 3),
                count(A, 2, 1),
                count(B, 2, 10),
                count(B, 1, 1),
                count(C, 3, 1),
            ],
            municipalities: vec![voters(A, 4, 900), voters(B, 10, 100), voters(C, 1, 5000)],
            region_voters: 15,
        }
    }

    #[test]
    fn votes_count_for_the_voters_municipality_and_the_region() {
        let ranking = rank_quarter(&tally(), &[], METHOD);
        let region = of(&ranking, Scope::Region);
        let votes: Vec<_> = region
            .iter()
            .map(|s| (s.priority.0, s.votes, s.rank))
            .collect();
        assert_eq!(votes, [(2, 11, Some(1)), (1, 4, Some(2)), (3, 1, Some(3))]);
        assert!((region[0].share - 11.0 / 15.0).abs() < 1e-12);
        let a = of(&ranking, Scope::Municipality(A));
        let ranks: Vec<_> = a.iter().map(|s| (s.priority.0, s.rank)).collect();
        assert_eq!(ranks, [(1, Some(1)), (2, Some(2))]);
        assert!((a[0].share - 0.75).abs() < 1e-12);
        // C has one voter: figures, but no rank.
        let c = of(&ranking, Scope::Municipality(C));
        assert_eq!((c[0].votes, c[0].rank), (1, None));
        let c_figures = ranking
            .scopes
            .iter()
            .find(|s| s.scope == Scope::Municipality(C));
        assert_eq!(c_figures.map(|s| (s.ranked, s.weight)), Some((false, 0.0)));
    }

    #[test]
    fn the_weighted_rank_weighs_municipalities_by_population_not_by_turnout() {
        let ranking = rank_quarter(&tally(), &[], METHOD);
        let region = of(&ranking, Scope::Region);
        // Weighted: A 0.9, B 0.1 (C has too few voters). Priority 1: 0.9·3/4 + 0.1·1/10;
        // priority 2: 0.9·1/4 + 0.1·10/10; priority 3: only C's votes, weight 0.
        let weighted = |priority: u64| {
            region
                .iter()
                .find(|s| s.priority.0 == priority)
                .and_then(|s| s.weighted_share.zip(s.weighted_rank))
        };
        let (share_one, rank_one) = weighted(1).expect("weighted");
        assert!((share_one - (0.9 * 0.75 + 0.1 * 0.1)).abs() < 1e-12);
        assert_eq!(rank_one, 1);
        let (share_two, rank_two) = weighted(2).expect("weighted");
        assert!((share_two - (0.9 * 0.25 + 0.1)).abs() < 1e-12);
        assert_eq!(rank_two, 2);
        assert_eq!(weighted(3), Some((0.0, 3)));
        let region_figures = ranking.scopes[0];
        assert_eq!(
            (region_figures.population, region_figures.votes),
            (1000, 16)
        );
    }

    #[test]
    fn equal_votes_share_a_rank_and_movements_come_from_the_previous_quarter() {
        let tally = QuarterTally {
            votes: vec![count(A, 1, 2), count(A, 2, 2), count(A, 3, 1)],
            municipalities: vec![voters(A, 3, 10)],
            region_voters: 3,
        };
        let before = PriorityStanding {
            scope: Scope::Municipality(A),
            priority: PriorityId(3),
            votes: 3,
            share: 1.0,
            rank: Some(1),
            previous_rank: None,
            weighted_share: None,
            weighted_rank: None,
            previous_weighted_rank: None,
        };
        let ranking = rank_quarter(&tally, &[before], METHOD);
        let a = of(&ranking, Scope::Municipality(A));
        let ranks: Vec<_> = a.iter().map(|s| (s.priority.0, s.rank)).collect();
        assert_eq!(ranks, [(1, Some(1)), (2, Some(1)), (3, Some(3))]);
        assert_eq!(a[2].previous_rank, Some(1));
        assert_eq!(a[2].movement(), Some(-2));
        assert_eq!(a[0].movement(), None);
    }

    #[test]
    fn too_few_voters_in_the_region_gives_no_rank_at_all() {
        let tally = QuarterTally {
            votes: vec![count(A, 1, 2)],
            municipalities: vec![voters(A, 2, 10)],
            region_voters: 2,
        };
        let ranking = rank_quarter(&tally, &[], METHOD);
        assert!(ranking.standings.iter().all(|s| s.rank.is_none()));
        assert!(ranking.standings.iter().all(|s| s.weighted_rank.is_none()));
        assert!(!ranking.scopes[0].ranked);
    }

    #[test]
    fn quarters_are_written_as_year_and_number() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).expect("date");
        let quarter = quarter_of(day);
        assert_eq!(quarter, NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"));
        assert_eq!(quarter_code(quarter), "2026-Q4");
        assert_eq!(parse_quarter("2026-Q4"), Some(quarter));
        assert_eq!(
            previous_quarter(NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")),
            NaiveDate::from_ymd_opt(2025, 10, 1).expect("date")
        );
        for bad in ["2026-Q5", "2026-Q0", "26-Q1", "2026-4", ""] {
            assert_eq!(parse_quarter(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_priority_needs_a_theme_a_title_a_description_and_a_place_in_the_region() {
        let input = PriorityInput {
            municipality: "".into(),
            theme: "3".into(),
            title: "  Велодорожки вдоль набережной  ".into(),
            description: "Непрерывная велодорожка от порта до парка.".into(),
            lat: "".into(),
            lon: "".into(),
        };
        let valid = input.validate().expect("valid");
        assert_eq!(valid.title, "Велодорожки вдоль набережной");
        assert_eq!((valid.municipality, valid.place), (None, None));
        let refused = PriorityInput {
            municipality: "x".into(),
            theme: "".into(),
            title: "Да".into(),
            description: "".into(),
            lat: "55.75".into(),
            lon: "37.61".into(),
        }
        .validate()
        .expect_err("refused");
        let codes: Vec<_> = refused.into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                ("municipality".to_string(), ErrorCode::UnknownMunicipality),
                ("theme".to_string(), ErrorCode::UnknownTheme),
                ("title".to_string(), ErrorCode::TooShort { min: 5 }),
                ("description".to_string(), ErrorCode::Required),
                ("point".to_string(), ErrorCode::OutsideRegion),
            ]
        );
    }

    #[test]
    fn decisions_apply_to_the_statuses_they_name() {
        use PriorityStatus::*;
        assert_eq!(Decision::Open.apply(Proposed), Some(Open));
        assert_eq!(Decision::Open.apply(Closed), Some(Open));
        assert_eq!(Decision::Open.apply(Rejected), None);
        assert_eq!(Decision::Reject("дубль".into()).apply(Open), None);
        assert_eq!(Decision::Close("сделано".into()).apply(Open), Some(Closed));
        assert_eq!(
            Decision::parse("reject", " нет "),
            Err(vec![FieldError::new(
                "reason",
                ErrorCode::TooShort { min: 5 }
            )])
        );
        assert_eq!(
            Decision::parse("delete", ""),
            Err(vec![FieldError::new("decision", ErrorCode::Malformed)])
        );
    }
}
