//! The disposition ledger of an initiative: every citizen's amendment and every expert's
//! remark in one list, each with its article, text, author, decision, reason and the
//! version that took it in, filtered by the URL and shown a page at a time.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::drafting::{Amendment, AmendmentStatus};
use super::expertise::{Conclusion, RemarkCategory, RemarkStatus};
use platform::query::query_string;

/// What kind of proposal an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    /// A citizen's amendment to one article.
    Amendment,
    /// An expert's remark on one article.
    Remark,
}

impl ProposalKind {
    /// Both kinds.
    pub const ALL: [ProposalKind; 2] = [Self::Amendment, Self::Remark];

    /// Its name in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Amendment => "amendment",
            Self::Remark => "remark",
        }
    }

    /// The kind named `value`.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }
}

/// One proposal and its fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Amendment or remark.
    pub kind: ProposalKind,
    /// Its number among its kind.
    pub number: u64,
    /// The article it concerns.
    pub article: String,
    /// The version it was made to.
    pub version: u32,
    /// The proposed text, or the remark.
    pub text: String,
    /// The amendment's justification.
    pub justification: Option<String>,
    /// Who made it; `None` where the author chose to stay anonymous.
    pub author: Option<String>,
    /// A remark's category.
    pub category: Option<RemarkCategory>,
    /// Where it stands (a remark is never outdated).
    pub status: AmendmentStatus,
    /// The decision's reason.
    pub reason: Option<String>,
    /// The version that took it in.
    pub taken_in: Option<u32>,
    /// When it was made (UTC).
    pub at: NaiveDateTime,
}

/// Entries on one page of the ledger.
pub const LEDGER_PAGE_SIZE: usize = 100;

/// The ledger's URL parameters, as typed: unknown values show everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LedgerQuery {
    /// `amendment`, `remark` or empty.
    pub kind: String,
    /// A status's stored name, or empty.
    pub status: String,
    /// An article's number, or empty.
    pub article: String,
    /// The page's number from 1; empty or unreadable for the first.
    pub page: String,
}

impl LedgerQuery {
    /// Whether `entry` passes the filters.
    pub fn admits(&self, entry: &LedgerEntry) -> bool {
        let kind = ProposalKind::parse(self.kind.trim());
        let status = AmendmentStatus::from_db(self.status.trim());
        let article = self.article.trim();
        kind.is_none_or(|kind| entry.kind == kind)
            && status.is_none_or(|status| entry.status == status)
            && (article.is_empty() || entry.article == article)
    }

    /// The page asked for, from 1.
    pub fn page_number(&self) -> usize {
        self.page
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|page| *page >= 1)
            .unwrap_or(1)
    }

    /// The URL query (`?…`, or empty) of page `page` under the same filters, leaving out
    /// empty parameters and the first page's number.
    pub fn to_query_string(&self, page: usize) -> String {
        let page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        query_string([
            ("kind", self.kind.trim()),
            ("status", self.status.trim()),
            ("article", self.article.trim()),
            ("page", page.as_str()),
        ])
    }
}

/// An initiative's ledger, filtered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// The initiative's title.
    pub title: String,
    /// The page's entries among those that pass the filters: amendments, then remarks,
    /// oldest first.
    pub entries: Vec<LedgerEntry>,
    /// How many entries pass the filters.
    pub matching: usize,
    /// How many entries there are before filtering.
    pub total: usize,
    /// The page shown, from 1 (the last one where a later one was asked for).
    pub page: usize,
}

impl Ledger {
    /// Whether a page follows this one.
    pub fn has_next(&self) -> bool {
        self.page * LEDGER_PAGE_SIZE < self.matching
    }
}

impl Ledger {
    /// The ledger of `amendments` and the remarks of `conclusions`, filtered by `query`.
    pub fn build(
        title: String,
        amendments: &[Amendment],
        conclusions: &[Conclusion],
        query: &LedgerQuery,
    ) -> Self {
        let amendments = amendments.iter().map(|amendment| LedgerEntry {
            kind: ProposalKind::Amendment,
            number: amendment.id.0,
            article: amendment.article.clone(),
            version: amendment.version,
            text: amendment.text.clone(),
            justification: Some(amendment.justification.clone()),
            author: amendment.author_name.clone(),
            category: None,
            status: amendment.status,
            reason: amendment.reason.clone(),
            taken_in: amendment.taken_in,
            at: amendment.created_at,
        });
        let remarks = conclusions.iter().flat_map(|conclusion| {
            conclusion.remarks.iter().map(|remark| LedgerEntry {
                kind: ProposalKind::Remark,
                number: remark.id.0,
                article: remark.article.clone(),
                version: conclusion.version,
                text: remark.text.clone(),
                justification: None,
                author: Some(conclusion.expert_name.clone()),
                category: Some(remark.category),
                status: match remark.status {
                    RemarkStatus::Open => AmendmentStatus::Open,
                    RemarkStatus::Decided(disposition) => AmendmentStatus::Decided(disposition),
                },
                reason: remark.reason.clone(),
                taken_in: remark.taken_in,
                at: conclusion.created_at,
            })
        });
        let all: Vec<LedgerEntry> = amendments.chain(remarks).collect();
        let total = all.len();
        let matching: Vec<LedgerEntry> = all
            .into_iter()
            .filter(|entry| query.admits(entry))
            .collect();
        let last_page = matching.len().div_ceil(LEDGER_PAGE_SIZE).max(1);
        let page = query.page_number().min(last_page);
        Self {
            title,
            matching: matching.len(),
            entries: matching
                .into_iter()
                .skip((page - 1) * LEDGER_PAGE_SIZE)
                .take(LEDGER_PAGE_SIZE)
                .collect(),
            total,
            page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::drafting::{AmendmentId, Disposition};
    use super::super::expertise::{ConclusionId, Remark, RemarkId, Verdict};
    use super::*;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 5, 1)
            .and_then(|date| date.and_hms_opt(10, 0, 0))
            .expect("a valid test time")
    }

    fn sample() -> (Vec<Amendment>, Vec<Conclusion>) {
        let amendment = |id: u64, article: &str, status| Amendment {
            id: AmendmentId(id),
            article: article.into(),
            version: 1,
            text: format!("Текст {id}"),
            justification: "Обоснование".into(),
            author_name: (id != 2).then(|| "Житель".to_string()),
            status,
            reason: None,
            taken_in: None,
            support_count: 0,
            created_at: at(),
        };
        let remark = |id: u64, article: &str, status| Remark {
            id: RemarkId(id),
            article: article.into(),
            category: RemarkCategory::Corruption,
            text: format!("Замечание {id}"),
            status,
            reason: None,
            taken_in: None,
        };
        (
            vec![
                amendment(1, "1", AmendmentStatus::Open),
                amendment(2, "2", AmendmentStatus::Decided(Disposition::Rejected)),
                amendment(3, "2", AmendmentStatus::Outdated),
            ],
            vec![Conclusion {
                id: ConclusionId(1),
                expert_name: "Эксперт".into(),
                version: 2,
                verdict: Verdict::SupportWithRemarks,
                text: "Заключение".into(),
                created_at: at(),
                remarks: vec![
                    remark(1, "2", RemarkStatus::Open),
                    remark(2, "3", RemarkStatus::Decided(Disposition::Rejected)),
                ],
            }],
        )
    }

    fn numbers(ledger: &Ledger) -> Vec<(ProposalKind, u64)> {
        ledger
            .entries
            .iter()
            .map(|entry| (entry.kind, entry.number))
            .collect()
    }

    #[test]
    fn every_amendment_and_remark_is_listed_once_with_its_author_or_none() {
        let (amendments, conclusions) = sample();
        let ledger = Ledger::build(
            "t".into(),
            &amendments,
            &conclusions,
            &LedgerQuery::default(),
        );
        assert_eq!(ledger.total, 5);
        assert_eq!(
            numbers(&ledger),
            [
                (ProposalKind::Amendment, 1),
                (ProposalKind::Amendment, 2),
                (ProposalKind::Amendment, 3),
                (ProposalKind::Remark, 1),
                (ProposalKind::Remark, 2)
            ]
        );
        assert_eq!(ledger.entries[1].author, None, "an anonymous author");
        assert_eq!(ledger.entries[3].version, 2, "the version under expertise");
    }

    #[test]
    fn filters_combine_and_unknown_values_show_everything() {
        let (amendments, conclusions) = sample();
        let filtered = |kind: &str, status: &str, article: &str| {
            let query = LedgerQuery {
                kind: kind.into(),
                status: status.into(),
                article: article.into(),
                page: String::new(),
            };
            numbers(&Ledger::build(
                "t".into(),
                &amendments,
                &conclusions,
                &query,
            ))
        };
        assert_eq!(
            filtered("", "rejected", ""),
            [(ProposalKind::Amendment, 2), (ProposalKind::Remark, 2)]
        );
        assert_eq!(filtered("remark", "", "2"), [(ProposalKind::Remark, 1)]);
        assert_eq!(filtered("", "open", "2"), [(ProposalKind::Remark, 1)]);
        assert_eq!(filtered("<b>", "nope", "").len(), 5);
        let query = LedgerQuery {
            kind: "remark".into(),
            status: String::new(),
            article: " 2 ".into(),
            page: "3".into(),
        };
        assert_eq!(query.to_query_string(1), "?kind=remark&article=2");
        assert_eq!(query.to_query_string(4), "?kind=remark&article=2&page=4");
    }

    #[test]
    fn pages_cut_the_filtered_entries_and_a_page_past_the_end_shows_the_last() {
        let (template, conclusions) = sample();
        let amendments: Vec<Amendment> = (1..=(2 * LEDGER_PAGE_SIZE as u64 + 7))
            .map(|id| Amendment {
                id: AmendmentId(id),
                ..template[0].clone()
            })
            .collect();
        let page = |page: &str| {
            let query = LedgerQuery {
                kind: "amendment".into(),
                page: page.into(),
                ..LedgerQuery::default()
            };
            Ledger::build("t".into(), &amendments, &conclusions, &query)
        };
        let first = page("");
        assert_eq!(first.entries.len(), LEDGER_PAGE_SIZE);
        assert_eq!(first.entries[0].number, 1);
        assert_eq!(
            (first.page, first.matching, first.total),
            (1, 207, 209),
            "207 amendments match, the 2 remarks do not"
        );
        assert!(first.has_next());
        let last = page("3");
        assert_eq!(last.entries.len(), 7);
        assert_eq!(last.entries[0].number, 2 * LEDGER_PAGE_SIZE as u64 + 1);
        assert!(!last.has_next());
        assert_eq!(page("99").page, 3, "past the end: the last page");
        assert_eq!(page("0").page, 1);
        assert_eq!(page("x").page, 1);
    }
}
