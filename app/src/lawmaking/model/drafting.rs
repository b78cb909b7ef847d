//! The document body of an initiative: its text split into numbered articles, immutable
//! versions, citizens' amendments to one article with the editor's disposition, and the
//! comparison of two versions article by article.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::auth::model::SubjectViewer;
use civic::subject::{Subject, SubjectKind};
use platform::error::{AppError, DocumentError, ErrorCode, FieldError, check_text};
use platform::id_type;

use super::Stage;

id_type!(
    /// An amendment to one article of a draft.
    AmendmentId
);

/// Amendments as subjects of supports.
pub const AMENDMENT: SubjectKind = SubjectKind::new("initiative_amendment");

impl AmendmentId {
    /// This amendment as a civic subject.
    pub fn subject(self) -> Subject {
        Subject::new(AMENDMENT, self.0)
    }
}

/// The most articles and points one version holds.
pub const MAX_ARTICLES: usize = 2000;
/// The most bytes of text one version holds (UTF-8).
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;
/// The most characters of an article's number ("12.3.1").
pub const LABEL_MAX: usize = 24;
/// The most characters of an amendment's replacement text.
pub const AMENDMENT_MAX: usize = 20_000;
/// The most characters of an amendment's justification.
pub const JUSTIFICATION_MAX: usize = 4000;
/// The most characters of an editor's note on a version, or of a disposition's reason.
pub const NOTE_MAX: usize = 2000;
/// The label of the text before the first numbered article (a title, a preamble).
pub const PREAMBLE: &str = "0";

/// One article or point of a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Its number, unique in the version ("3", "2.1"); [`PREAMBLE`] for the text before
    /// the first number. Articles of two versions are matched by it.
    pub label: String,
    /// The number as written ("Статья 3.", "2.1)"); empty for the preamble and for the
    /// paragraphs of an unnumbered text.
    pub heading: String,
    /// The text after the number, verbatim but for the blank lines around it.
    pub body: String,
}

/// Splits a draft into its articles. A text that names articles ("Статья 5", "Article
/// 5") is split at those, and numbered points inside them stay in their article's body;
/// otherwise it is split at numbered lines ("1.", "2.1.", "3)"); a text with neither is
/// split into paragraphs (at blank lines), numbered 1, 2, 3. Text before the first
/// number is the preamble.
pub fn split_articles(text: &str) -> Result<Vec<Article>, DocumentError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(DocumentError::TextTooLong {
            max_kb: (MAX_TEXT_BYTES / 1024) as u32,
        });
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.trim().is_empty() {
        return Err(DocumentError::NoText);
    }
    let lines: Vec<&str> = text.lines().collect();
    let by_articles = lines.iter().any(|line| article_heading(line).is_some());
    if !lines
        .iter()
        .any(|line| heading(by_articles, line).is_some())
    {
        return paragraphs(&lines);
    }
    let mut articles: Vec<(u32, Article)> = Vec::new();
    let mut preamble = String::new();
    for (index, line) in lines.iter().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        match heading(by_articles, line) {
            Some((label, heading, rest)) => {
                if label.chars().count() > LABEL_MAX
                    || articles.iter().any(|(_, article)| article.label == label)
                {
                    return Err(DocumentError::RepeatedNumber { line: number });
                }
                if articles.len() == MAX_ARTICLES {
                    return Err(DocumentError::TooManyArticles {
                        max: MAX_ARTICLES as u32,
                    });
                }
                articles.push((
                    number,
                    Article {
                        label,
                        heading,
                        body: rest.to_string(),
                    },
                ));
            }
            None => {
                let body = match articles.last_mut() {
                    Some((_, article)) => &mut article.body,
                    None => &mut preamble,
                };
                body.push('\n');
                body.push_str(line);
            }
        }
    }
    let mut result = Vec::with_capacity(articles.len() + 1);
    if !preamble.trim().is_empty() {
        result.push(Article {
            label: PREAMBLE.to_string(),
            heading: String::new(),
            body: preamble.trim().to_string(),
        });
    }
    for (line, mut article) in articles {
        article.body = article.body.trim().to_string();
        if article.body.is_empty() {
            return Err(DocumentError::EmptyArticle { line });
        }
        result.push(article);
    }
    Ok(result)
}

/// An unnumbered text: each paragraph is an article.
fn paragraphs(lines: &[&str]) -> Result<Vec<Article>, DocumentError> {
    let mut articles: Vec<Article> = Vec::new();
    let mut current = String::new();
    for line in lines.iter().chain(std::iter::once(&"")) {
        if line.trim().is_empty() {
            if !current.trim().is_empty() {
                if articles.len() == MAX_ARTICLES {
                    return Err(DocumentError::TooManyArticles {
                        max: MAX_ARTICLES as u32,
                    });
                }
                articles.push(Article {
                    label: (articles.len() + 1).to_string(),
                    heading: String::new(),
                    body: current.trim().to_string(),
                });
            }
            current.clear();
        } else {
            current.push('\n');
            current.push_str(line);
        }
    }
    Ok(articles)
}

/// The number that starts `line`, by articles or by points: (label, as written, rest).
fn heading(by_articles: bool, line: &str) -> Option<(String, String, &str)> {
    if by_articles {
        article_heading(line)
    } else {
        point_heading(line)
    }
}

/// A number at the start of `text`: digits, with dotted parts ("2.1.3"); the number and
/// what follows it.
fn leading_number(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut end = 0;
    loop {
        let start = end;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        if end == start {
            return None;
        }
        let dotted_part_follows = bytes.get(end) == Some(&b'.')
            && bytes.get(end + 1).is_some_and(|byte| byte.is_ascii_digit());
        if !dotted_part_follows {
            return Some((&text[..end], &text[end..]));
        }
        end += 1;
    }
}

/// "Статья 5." / "Article 5" at the start of a line: (label, heading as written, rest).
fn article_heading(line: &str) -> Option<(String, String, &str)> {
    let trimmed = line.trim_start();
    let lower: String = trimmed.chars().take(8).collect::<String>().to_lowercase();
    let word = ["статья", "article"]
        .into_iter()
        .find(|word| lower.starts_with(word))?;
    let after_word = trimmed.get(trimmed.char_indices().nth(word.chars().count())?.0..)?;
    let spaced = after_word.trim_start();
    if spaced.len() == after_word.len() {
        return None;
    }
    let (number, rest) = leading_number(spaced)?;
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    split_heading(trimmed, number, rest)
}

/// "1." / "2.1." / "3)" at the start of a line: (label, heading as written, rest). The
/// closing dot or bracket is required, so a line that starts with a year or an amount is
/// not taken for a point.
fn point_heading(line: &str) -> Option<(String, String, &str)> {
    let trimmed = line.trim_start();
    let (number, rest) = leading_number(trimmed)?;
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')'))?;
    split_heading(trimmed, number, rest)
}

/// (label, heading as written, the rest of the line) of a line `trimmed` whose heading
/// ends where `rest` begins; `None` unless the heading stands apart from the text.
fn split_heading<'a>(
    trimmed: &'a str,
    number: &str,
    rest: &'a str,
) -> Option<(String, String, &'a str)> {
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let heading_len = trimmed.len() - rest.len();
    Some((
        number.to_string(),
        trimmed[..heading_len].to_string(),
        rest.trim(),
    ))
}

/// The text of `articles` as an editor edits it; splitting it again gives the same
/// articles.
pub fn join_articles(articles: &[Article]) -> String {
    articles
        .iter()
        .map(|article| {
            if article.heading.is_empty() {
                article.body.clone()
            } else {
                format!("{} {}", article.heading, article.body)
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Whether two texts say the same, ignoring how whitespace is laid out.
pub fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// What the responsible body decided about a proposal (an amendment now, expert remarks
/// later), always with a published reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Taken in as proposed.
    Accepted,
    /// Taken in part, or in other words.
    PartlyAccepted,
    /// Not taken in.
    Rejected,
}

impl Disposition {
    /// Every disposition.
    pub const ALL: [Disposition; 3] = [Self::Accepted, Self::PartlyAccepted, Self::Rejected];

    /// The stored name.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::PartlyAccepted => "partly_accepted",
            Self::Rejected => "rejected",
        }
    }

    /// The disposition named `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|item| item.as_db() == value)
    }

    /// Whether the next version is to take the proposal in (wholly or partly).
    pub fn takes_in(self) -> bool {
        !matches!(self, Self::Rejected)
    }
}

/// Where an amendment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmendmentStatus {
    /// Waiting for the editor; others may support it.
    Open,
    /// Decided by the editor.
    Decided(Disposition),
    /// Its article changed (or disappeared) in a later version before it was decided.
    Outdated,
}

impl AmendmentStatus {
    /// The value stored in `initiative_amendments.status`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Decided(disposition) => disposition.as_db(),
            Self::Outdated => "outdated",
        }
    }

    /// The status stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "open" => Some(Self::Open),
            "outdated" => Some(Self::Outdated),
            other => Disposition::from_db(other).map(Self::Decided),
        }
    }
}

/// A new amendment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AmendmentInput {
    /// The article's number in the current version.
    pub article: String,
    /// The proposed text of the whole article.
    pub text: String,
    /// Why.
    pub justification: String,
    /// Whether the author's name stays off the public pages.
    pub anonymous: bool,
}

/// An amendment that passed the checks that need no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAmendment {
    /// The article's number.
    pub article: String,
    /// Trimmed replacement text.
    pub text: String,
    /// Trimmed justification.
    pub justification: String,
    /// Hidden author.
    pub anonymous: bool,
}

impl AmendmentInput {
    /// Checks the lengths; the article and "not the current text" are checked against
    /// the current version by the server.
    pub fn validate(&self) -> Result<ValidAmendment, AppError> {
        let mut errors = Vec::new();
        let article = self.article.trim();
        if article.is_empty() || article.chars().count() > LABEL_MAX {
            errors.push(FieldError::new("article", ErrorCode::Required));
        }
        check_text("text", &self.text, 1, AMENDMENT_MAX, &mut errors);
        check_text(
            "justification",
            &self.justification,
            10,
            JUSTIFICATION_MAX,
            &mut errors,
        );
        if errors.is_empty() {
            Ok(ValidAmendment {
                article: article.to_string(),
                text: self.text.trim().to_string(),
                justification: self.justification.trim().to_string(),
                anonymous: self.anonymous,
            })
        } else {
            Err(AppError::Invalid { errors })
        }
    }
}

/// A new version as typed by its editor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VersionInput {
    /// The version the editor started from (0 for the first), so that a version someone
    /// else published meanwhile is never overwritten.
    pub base: String,
    /// The whole text.
    pub text: String,
    /// What changed, for readers.
    pub note: String,
}

impl VersionInput {
    /// The base version, the articles and the trimmed note, or the refusals.
    pub fn validate(&self) -> Result<(u32, Vec<Article>, String), AppError> {
        let mut errors = Vec::new();
        let base = self.base.trim().parse::<u32>().ok();
        if base.is_none() {
            errors.push(FieldError::new("base", ErrorCode::Malformed));
        }
        let articles = match split_articles(&self.text) {
            Ok(articles) => Some(articles),
            Err(reason) => {
                errors.push(FieldError::new("text", ErrorCode::BadDocument { reason }));
                None
            }
        };
        if self.note.trim().chars().count() > NOTE_MAX {
            errors.push(FieldError::new(
                "note",
                ErrorCode::TooLong {
                    max: NOTE_MAX as u32,
                },
            ));
        }
        match (base, articles) {
            (Some(base), Some(articles)) if errors.is_empty() => {
                Ok((base, articles, self.note.trim().to_string()))
            }
            _ => Err(AppError::Invalid { errors }),
        }
    }
}

/// An editor's decision on an amendment or an expert remark as typed: a disposition's
/// name and its reason (required, at most [`NOTE_MAX`] characters); both refusals at once.
pub fn validate_disposition(
    disposition: &str,
    reason: &str,
) -> Result<(Disposition, String), AppError> {
    let mut errors = Vec::new();
    let disposition = Disposition::from_db(disposition.trim());
    if disposition.is_none() {
        errors.push(FieldError::new("disposition", ErrorCode::NotAllowed));
    }
    check_text("reason", reason, 1, NOTE_MAX, &mut errors);
    match disposition {
        Some(disposition) if errors.is_empty() => Ok((disposition, reason.trim().to_string())),
        _ => Err(AppError::Invalid { errors }),
    }
}

/// A published version as the version list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    /// 1, 2, 3, ... per initiative.
    pub number: u32,
    /// Who published it.
    pub editor_name: String,
    /// What changed.
    pub note: Option<String>,
    /// How many articles it has.
    pub article_count: u32,
    /// When (UTC).
    pub created_at: NaiveDateTime,
}

/// An amendment as its article shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    /// Its number.
    pub id: AmendmentId,
    /// The article it amends.
    pub article: String,
    /// The version whose article it amends.
    pub version: u32,
    /// The proposed text of the whole article.
    pub text: String,
    /// Why.
    pub justification: String,
    /// The author's name; `None` where the author chose to stay anonymous.
    pub author_name: Option<String>,
    /// Where it stands.
    pub status: AmendmentStatus,
    /// The editor's reason.
    pub reason: Option<String>,
    /// The version that took it in.
    pub taken_in: Option<u32>,
    /// Supports.
    pub support_count: u32,
    /// When it was proposed (UTC).
    pub created_at: NaiveDateTime,
}

/// The text page of an initiative: its versions, one of them with its articles, and the
/// amendments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftText {
    /// The initiative's title.
    pub title: String,
    /// Its stage.
    pub stage: Stage,
    /// Every published version, oldest first.
    pub versions: Vec<VersionSummary>,
    /// The number of the version shown (the latest unless one was asked for); `None`
    /// before the first.
    pub shown: Option<u32>,
    /// The shown version's articles.
    pub articles: Vec<Article>,
    /// Every amendment of the initiative, oldest first.
    pub amendments: Vec<Amendment>,
    /// The amendments the viewer supports.
    pub supported: Vec<AmendmentId>,
    /// What the viewer is to this initiative.
    pub viewer: SubjectViewer,
    /// Whether the viewer edits the text (see `SeenInitiative::edits`).
    pub edits: bool,
}

impl DraftText {
    /// Whether the viewer edits the text now: an editor while it is drafted.
    pub fn may_edit(&self) -> bool {
        self.edits && self.stage == Stage::Drafting
    }

    /// The latest version's number (0 before the first).
    pub fn latest(&self) -> u32 {
        self.versions.last().map_or(0, |version| version.number)
    }

    /// Whether the latest version is shown.
    pub fn shows_latest(&self) -> bool {
        self.shown == self.versions.last().map(|version| version.number)
    }

    /// Whether the shown version lists `amendment`: those made to it, and on the latest
    /// version also the open ones made to earlier versions (a later version that changed
    /// their article would have outdated them, so their article reads the same).
    fn lists(&self, amendment: &Amendment) -> bool {
        Some(amendment.version) == self.shown
            || (self.shows_latest() && amendment.status == AmendmentStatus::Open)
    }

    /// The amendments the shown version lists under `article`.
    pub fn amendments_of<'a>(&'a self, article: &'a str) -> impl Iterator<Item = &'a Amendment> {
        self.amendments
            .iter()
            .filter(move |amendment| amendment.article == article && self.lists(amendment))
    }

    /// The amendments the shown version lists, by article, in one pass.
    pub fn amendments_by_article(&self) -> std::collections::HashMap<String, Vec<Amendment>> {
        let mut grouped: std::collections::HashMap<String, Vec<Amendment>> =
            std::collections::HashMap::new();
        for amendment in self
            .amendments
            .iter()
            .filter(|amendment| self.lists(amendment))
        {
            grouped
                .entry(amendment.article.clone())
                .or_default()
                .push(amendment.clone());
        }
        grouped
    }

    /// The text an editor starts the next version from: the shown version with every
    /// accepted amendment not yet taken in applied (the latest, where several amend one
    /// article). A partly accepted one the editor words himself.
    pub fn next_version_text(&self) -> String {
        let articles: Vec<Article> = self
            .articles
            .iter()
            .map(|article| {
                let accepted = self
                    .amendments_of(&article.label)
                    .filter(|amendment| {
                        amendment.status == AmendmentStatus::Decided(Disposition::Accepted)
                            && amendment.taken_in.is_none()
                    })
                    .last();
                match accepted {
                    Some(amendment) => Article {
                        body: amendment.text.clone(),
                        ..article.clone()
                    },
                    None => article.clone(),
                }
            })
            .collect();
        join_articles(&articles)
    }
}

/// Whether `viewer` may propose amendments now.
pub fn may_amend(viewer: &SubjectViewer, stage: Stage) -> bool {
    viewer.signed_in && stage == Stage::Drafting
}

/// What became of one article between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The same text.
    Same,
    /// New in the later version.
    Added,
    /// Gone from the later version.
    Removed,
    /// Its text changed.
    Changed,
}

impl ChangeKind {
    /// Its name in class names and test hooks.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Same => "same",
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// A run of words of a compared article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Kept (`Same`), new (`Added`) or gone (`Removed`).
    pub kind: ChangeKind,
    /// The words with their spacing.
    pub text: String,
}

/// One article of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleChange {
    /// The article's number.
    pub label: String,
    /// Its number as written (the later version's, where it exists).
    pub heading: String,
    /// What became of it.
    pub kind: ChangeKind,
    /// Its text, word by word.
    pub segments: Vec<Segment>,
}

/// Two versions compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// The initiative's title.
    pub title: String,
    /// Every published version's number.
    pub versions: Vec<u32>,
    /// The earlier version.
    pub from: u32,
    /// The later version.
    pub to: u32,
    /// Article by article, in the later version's order, removed ones where they stood.
    pub changes: Vec<ArticleChange>,
}

impl Comparison {
    /// How many articles changed in `kind`.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes
            .iter()
            .filter(|change| change.kind == kind)
            .count()
    }
}

/// Compares two versions article by article (matched by number), with a word-level diff
/// of each changed article.
#[cfg(feature = "ssr")]
pub fn compare(old: &[Article], new: &[Article]) -> Vec<ArticleChange> {
    use std::collections::{HashMap, HashSet};

    let old_index: HashMap<&str, usize> = old
        .iter()
        .enumerate()
        .map(|(index, article)| (article.label.as_str(), index))
        .collect();
    let new_labels: HashSet<&str> = new.iter().map(|article| article.label.as_str()).collect();
    let removed = |article: &Article| ArticleChange {
        label: article.label.clone(),
        heading: article.heading.clone(),
        kind: ChangeKind::Removed,
        segments: vec![Segment {
            kind: ChangeKind::Removed,
            text: article.body.clone(),
        }],
    };
    let mut changes = Vec::with_capacity(new.len());
    let mut next_old = 0;
    for article in new {
        match old_index.get(article.label.as_str()) {
            Some(&index) => {
                for gone in old
                    .get(next_old..index)
                    .unwrap_or_default()
                    .iter()
                    .filter(|gone| !new_labels.contains(gone.label.as_str()))
                {
                    changes.push(removed(gone));
                }
                next_old = next_old.max(index + 1);
                let before = &old[index].body;
                changes.push(if same_text(before, &article.body) {
                    ArticleChange {
                        label: article.label.clone(),
                        heading: article.heading.clone(),
                        kind: ChangeKind::Same,
                        segments: vec![Segment {
                            kind: ChangeKind::Same,
                            text: article.body.clone(),
                        }],
                    }
                } else {
                    ArticleChange {
                        label: article.label.clone(),
                        heading: article.heading.clone(),
                        kind: ChangeKind::Changed,
                        segments: word_diff(before, &article.body),
                    }
                });
            }
            None => changes.push(ArticleChange {
                label: article.label.clone(),
                heading: article.heading.clone(),
                kind: ChangeKind::Added,
                segments: vec![Segment {
                    kind: ChangeKind::Added,
                    text: article.body.clone(),
                }],
            }),
        }
    }
    for gone in old
        .get(next_old..)
        .unwrap_or_default()
        .iter()
        .filter(|gone| !new_labels.contains(gone.label.as_str()))
    {
        changes.push(removed(gone));
    }
    changes
}

/// The word-level difference of two texts, as runs of kept, removed and added words.
/// Spacing is the later text's and never marked: a line break more or less is no change
/// to the law.
#[cfg(feature = "ssr")]
fn word_diff(before: &str, after: &str) -> Vec<Segment> {
    use similar::{ChangeTag, TextDiff};

    let diff = TextDiff::from_words(before, after);
    let mut segments: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let spacing = change.value().trim().is_empty();
        let kind = match change.tag() {
            ChangeTag::Delete if spacing => continue,
            ChangeTag::Insert if spacing => ChangeKind::Same,
            ChangeTag::Equal => ChangeKind::Same,
            ChangeTag::Delete => ChangeKind::Removed,
            ChangeTag::Insert => ChangeKind::Added,
        };
        match segments.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => segments.push(Segment {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_needs_a_known_disposition_and_a_reason() {
        assert_eq!(
            validate_disposition(" partly_accepted ", " Учтём частично. "),
            Ok((Disposition::PartlyAccepted, "Учтём частично.".to_string()))
        );
        let Err(AppError::Invalid { errors }) = validate_disposition("maybe", "  ") else {
            panic!("refused");
        };
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["disposition", "reason"]);
    }

    fn labels(articles: &[Article]) -> Vec<&str> {
        articles
            .iter()
            .map(|article| article.label.as_str())
            .collect()
    }

    #[test]
    fn a_law_is_split_at_its_articles_and_keeps_its_points_inside() {
        let text = "Закон Краснодарского края\nО тишине во дворах\n\n\
            Статья 1. Предмет регулирования\nНастоящий Закон регулирует...\n\n\
            Статья 2. Ограничения\n1. С 23:00 до 7:00 запрещается:\n2. шум.\n\n\
            статья 2.1\nДополнение.";
        let articles = split_articles(text).expect("a law");
        assert_eq!(labels(&articles), [PREAMBLE, "1", "2", "2.1"]);
        assert_eq!(
            articles[0].body,
            "Закон Краснодарского края\nО тишине во дворах"
        );
        assert_eq!(articles[1].heading, "Статья 1.");
        assert_eq!(
            articles[1].body,
            "Предмет регулирования\nНастоящий Закон регулирует..."
        );
        assert_eq!(
            articles[2].body,
            "Ограничения\n1. С 23:00 до 7:00 запрещается:\n2. шум."
        );
        assert_eq!(articles[3].heading, "статья 2.1");
        assert_eq!(articles[3].body, "Дополнение.");
    }

    #[test]
    fn a_text_without_articles_is_split_at_numbered_points_or_paragraphs() {
        let points = split_articles(
            "1. Первый пункт.\n2) Второй\nпродолжение\n2.1. Подпункт\n2026 год — не пункт.",
        )
        .expect("points");
        assert_eq!(labels(&points), ["1", "2", "2.1"]);
        assert_eq!(points[2].body, "Подпункт\n2026 год — не пункт.");
        let paragraphs = split_articles("Первый абзац.\nЕщё строка.\n\n\n  Второй абзац.  ")
            .expect("paragraphs");
        assert_eq!(labels(&paragraphs), ["1", "2"]);
        assert_eq!(paragraphs[1].body, "Второй абзац.");
        assert_eq!(paragraphs[1].heading, "");
    }

    #[test]
    fn malformed_texts_are_refused_with_the_line() {
        assert_eq!(split_articles(" \n "), Err(DocumentError::NoText));
        assert_eq!(
            split_articles("1. Первый\n2.\n3. Третий"),
            Err(DocumentError::EmptyArticle { line: 2 })
        );
        assert_eq!(
            split_articles("1. Первый\n2. Второй\n1. Снова первый"),
            Err(DocumentError::RepeatedNumber { line: 3 })
        );
        let many: String = (1..=MAX_ARTICLES + 1)
            .map(|n| format!("{n}. Пункт\n"))
            .collect();
        assert_eq!(
            split_articles(&many),
            Err(DocumentError::TooManyArticles {
                max: MAX_ARTICLES as u32
            })
        );
        assert!(matches!(
            split_articles(&"я".repeat(MAX_TEXT_BYTES)),
            Err(DocumentError::TextTooLong { .. })
        ));
    }

    #[test]
    fn joining_and_splitting_again_gives_the_same_articles() {
        for text in [
            "Преамбула\nСтатья 1. Один\nтекст\n1. пункт\nСтатья 2\nДва",
            "1. Один\n2) Два\n\n3. Три",
            "Абзац один\n\nАбзац два",
        ] {
            let articles = split_articles(text).expect("a text");
            assert_eq!(
                split_articles(&join_articles(&articles)),
                Ok(articles),
                "{text}"
            );
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn versions_compare_article_by_article_and_word_by_word() {
        let old =
            split_articles("1. Тишина с 23:00 до 7:00.\n2. Штраф 500 рублей.\n3. Вступает в силу.")
                .expect("v1");
        let new = split_articles(
            "1. Тишина с 22:00 до 7:00.\n3. Вступает в силу.\n4. Контроль ведёт администрация.",
        )
        .expect("v2");
        let changes = compare(&old, &new);
        let kinds: Vec<(&str, ChangeKind)> = changes
            .iter()
            .map(|change| (change.label.as_str(), change.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("1", ChangeKind::Changed),
                ("2", ChangeKind::Removed),
                ("3", ChangeKind::Same),
                ("4", ChangeKind::Added)
            ]
        );
        let removed: String = changes[0]
            .segments
            .iter()
            .filter(|segment| segment.kind == ChangeKind::Removed)
            .map(|segment| segment.text.as_str())
            .collect();
        let added: String = changes[0]
            .segments
            .iter()
            .filter(|segment| segment.kind == ChangeKind::Added)
            .map(|segment| segment.text.as_str())
            .collect();
        assert_eq!((removed.as_str(), added.as_str()), ("23:00", "22:00"));
        let rebuilt: String = changes[0]
            .segments
            .iter()
            .filter(|segment| segment.kind != ChangeKind::Removed)
            .map(|segment| segment.text.as_str())
            .collect();
        assert_eq!(
            rebuilt, new[0].body,
            "the kept and added words make the new text"
        );
    }

    #[test]
    fn amendments_are_checked_and_whitespace_does_not_make_a_text_new() {
        assert!(same_text("Штраф  500\nрублей.", " Штраф 500 рублей. "));
        assert!(!same_text("Штраф 500 рублей.", "Штраф 1000 рублей."));
        let error = AmendmentInput {
            article: String::new(),
            text: " ".into(),
            justification: "мало".into(),
            anonymous: false,
        }
        .validate()
        .expect_err("all wrong");
        let fields: Vec<&str> = error
            .field_errors()
            .iter()
            .map(|error| error.field.as_str())
            .collect();
        assert_eq!(fields, ["article", "text", "justification"]);
    }

    #[test]
    fn statuses_round_trip_and_the_next_version_takes_accepted_amendments_in() {
        for status in [
            AmendmentStatus::Open,
            AmendmentStatus::Outdated,
            AmendmentStatus::Decided(Disposition::Accepted),
            AmendmentStatus::Decided(Disposition::PartlyAccepted),
            AmendmentStatus::Decided(Disposition::Rejected),
        ] {
            assert_eq!(AmendmentStatus::from_db(status.as_db()), Some(status));
        }
        let amendment = |id, article: &str, text: &str, status| Amendment {
            id: AmendmentId(id),
            article: article.into(),
            version: 1,
            text: text.into(),
            justification: "потому что".into(),
            author_name: None,
            status,
            reason: None,
            taken_in: None,
            support_count: 0,
            created_at: chrono::NaiveDateTime::default(),
        };
        let draft = DraftText {
            title: "t".into(),
            stage: Stage::Drafting,
            versions: Vec::new(),
            shown: Some(1),
            articles: split_articles("1. Один.\n2. Два.\n3. Три.").expect("v1"),
            amendments: vec![
                amendment(
                    1,
                    "2",
                    "Два с половиной.",
                    AmendmentStatus::Decided(Disposition::Accepted),
                ),
                amendment(
                    2,
                    "3",
                    "Четыре.",
                    AmendmentStatus::Decided(Disposition::Rejected),
                ),
                amendment(3, "1", "Ноль.", AmendmentStatus::Open),
            ],
            supported: Vec::new(),
            viewer: SubjectViewer::default(),
            edits: false,
        };
        assert_eq!(
            draft.next_version_text(),
            "1. Один.\n\n2. Два с половиной.\n\n3. Три."
        );
    }
}
