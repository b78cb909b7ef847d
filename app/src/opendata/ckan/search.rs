//! `package_search`'s query language: the part of Solr's that CKAN clients send.
//!
//! Free words, `field:value`, `field:"a phrase"`, `field:prefix*`, `field:*`,
//! `field:[from TO to]` (`{…}` exclusive, `*` open), `-`/`NOT` to exclude, `OR`, `AND`
//! (also implied between clauses) and parentheses, `field:(a OR b)`. `OR` binds tighter
//! than the implied `AND`, so ckanext-harvest's
//! `organization:a OR organization:b metadata_modified:[2026-01-01T00:00:00Z TO *]` means
//! "(a or b) and modified since". Anything else is a query error (HTTP 400, as Solr's
//! parse errors are in CKAN), never a silent "match all". The catalogue is small, so
//! queries run over the packages in memory.

use std::cmp::Ordering;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Map, Value, json};

/// What a query can look at in one package.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct SearchDoc {
    /// UUID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Russian title (`title_string`).
    pub title: String,
    /// Titles in both languages, lowercase.
    pub title_text: String,
    /// Descriptions in both languages, lowercase.
    pub notes_text: String,
    /// The responsible person, lowercase.
    pub maintainer_text: String,
    /// Everything a free word may match, lowercase.
    pub all_text: String,
    /// Tag names.
    pub tags: Vec<String>,
    /// The organisation's name.
    pub organization: String,
    /// The organisation's title (facet labels).
    pub organization_title: String,
    /// The organisation's id.
    pub owner_org: String,
    /// Resource formats (`CSV`, …).
    pub formats: Vec<String>,
    /// Licence id.
    pub license_id: String,
    /// `metadata_modified`.
    pub modified: NaiveDateTime,
    /// `metadata_created`.
    pub created: NaiveDateTime,
}

/// A field a query may name: the fields of CKAN's Solr schema that this catalogue has
/// (see [`Field::named`] for their names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Id,
    Name,
    Title,
    TitleString,
    Notes,
    Text,
    Maintainer,
    Tags,
    Organization,
    OwnerOrg,
    Groups,
    ResFormat,
    LicenseId,
    MetadataModified,
    MetadataCreated,
    DatasetType,
    State,
    Capacity,
}

impl Field {
    /// The field called `name` in CKAN's Solr schema.
    fn named(name: &str) -> Option<Field> {
        Some(match name {
            "id" => Field::Id,
            "name" => Field::Name,
            "title" => Field::Title,
            "title_string" => Field::TitleString,
            "notes" => Field::Notes,
            "text" => Field::Text,
            "maintainer" => Field::Maintainer,
            "tags" => Field::Tags,
            "organization" => Field::Organization,
            "owner_org" => Field::OwnerOrg,
            "groups" => Field::Groups,
            "res_format" => Field::ResFormat,
            "license_id" => Field::LicenseId,
            "metadata_modified" => Field::MetadataModified,
            "metadata_created" => Field::MetadataCreated,
            "dataset_type" | "type" => Field::DatasetType,
            "state" => Field::State,
            "capacity" => Field::Capacity,
            _ => return None,
        })
    }

    fn is_time(self) -> bool {
        matches!(self, Field::MetadataModified | Field::MetadataCreated)
    }
}

/// One end of a range.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Bound {
    /// `*`.
    Open,
    /// A value compared as text.
    Text(String),
    /// A time (ranges over `metadata_*`).
    Time(NaiveDateTime),
}

/// What a clause asks of a field.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Term {
    /// `field:*`: has a value.
    Any,
    /// `field:value` or `field:"a phrase"`.
    Is(String),
    /// `field:value*`.
    Prefix(String),
    /// `field:[low TO high]`.
    Range {
        low: Bound,
        high: Bound,
        low_inclusive: bool,
        high_inclusive: bool,
    },
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Query {
    /// Every package.
    All,
    /// All of these.
    And(Vec<Query>),
    /// Any of these.
    Or(Vec<Query>),
    /// Not this.
    Not(Box<Query>),
    /// One field clause.
    Clause(Field, Term),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    Must,
    Word(String),
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        match c {
            '(' => {
                chars.next();
                tokens.push(Token::Open);
                continue;
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
                continue;
            }
            '-' | '!' | '+' => {
                chars.next();
                tokens.push(if c == '+' { Token::Must } else { Token::Not });
                continue;
            }
            _ => {}
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '(' || c == ')' {
                break;
            }
            chars.next();
            match c {
                '\\' => {
                    word.push('\\');
                    if let Some(escaped) = chars.next() {
                        word.push(escaped);
                    }
                }
                '"' => {
                    word.push('"');
                    let mut closed = false;
                    while let Some(inner) = chars.next() {
                        word.push(inner);
                        if inner == '\\' {
                            if let Some(escaped) = chars.next() {
                                word.push(escaped);
                            }
                        } else if inner == '"' {
                            closed = true;
                            break;
                        }
                    }
                    if !closed {
                        return Err("unclosed quote".into());
                    }
                }
                '[' | '{' if word.ends_with(':') || word.is_empty() => {
                    word.push(c);
                    let mut closed = false;
                    for inner in chars.by_ref() {
                        word.push(inner);
                        if inner == ']' || inner == '}' {
                            closed = true;
                            break;
                        }
                    }
                    if !closed {
                        return Err("unclosed range".into());
                    }
                }
                _ => word.push(c),
            }
        }
        tokens.push(match word.as_str() {
            "AND" | "&&" => Token::And,
            "OR" | "||" => Token::Or,
            "NOT" => Token::Not,
            _ => Token::Word(word),
        });
    }
    Ok(tokens)
}

/// The longest `q` or `fq` read, in characters. Harvesters' queries are a few hundred;
/// the bound keeps tokenizing and matching a hostile one cheap.
pub(super) const MAX_QUERY_CHARS: usize = 4_000;

/// The most `fq` filters one search takes.
pub(super) const MAX_FILTERS: usize = 32;

/// The deepest nesting of parentheses, field groups and `-`/`+`/`NOT` prefixes. The parser
/// recurses once per level, so without a bound a query of many `-` or `(` overflows a
/// worker's stack, which aborts the whole server.
pub(super) const MAX_QUERY_DEPTH: usize = 32;

/// Parses `text` (a `q` or an `fq`); blank is every package.
pub(super) fn parse(text: &str, now: NaiveDateTime) -> Result<Query, String> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(format!(
            "query too long: at most {MAX_QUERY_CHARS} characters"
        ));
    }
    let mut parser = Parser {
        tokens: tokenize(text)?,
        position: 0,
        depth: 0,
        now,
    };
    let query = parser.conjunction(None)?;
    match parser.tokens.get(parser.position) {
        None => Ok(query),
        Some(_) => Err("unbalanced parentheses".into()),
    }
}

struct Parser {
    tokens: Vec<Token>,
    position: usize,
    /// How many nested `unary` calls are open.
    depth: usize,
    now: NaiveDateTime,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    /// Clauses until `)` or the end, all required.
    fn conjunction(&mut self, field: Option<Field>) -> Result<Query, String> {
        let mut all = Vec::new();
        loop {
            match self.peek() {
                None | Some(Token::Close) => break,
                Some(Token::And) => {
                    if all.is_empty() {
                        return Err("AND without a left side".into());
                    }
                    self.position += 1;
                }
                Some(_) => all.push(self.disjunction(field)?),
            }
        }
        Ok(match all.len() {
            0 => Query::All,
            1 => all.pop().unwrap_or(Query::All),
            _ => Query::And(all),
        })
    }

    fn disjunction(&mut self, field: Option<Field>) -> Result<Query, String> {
        let mut any = vec![self.unary(field)?];
        while self.peek() == Some(&Token::Or) {
            self.position += 1;
            any.push(self.unary(field)?);
        }
        Ok(if any.len() == 1 {
            any.pop().unwrap_or(Query::All)
        } else {
            Query::Or(any)
        })
    }

    fn unary(&mut self, field: Option<Field>) -> Result<Query, String> {
        if self.depth >= MAX_QUERY_DEPTH {
            return Err(format!(
                "query nested too deeply: at most {MAX_QUERY_DEPTH} levels"
            ));
        }
        self.depth += 1;
        let query = self.unary_at_depth(field);
        self.depth -= 1;
        query
    }

    fn unary_at_depth(&mut self, field: Option<Field>) -> Result<Query, String> {
        match self.next() {
            Some(Token::Not) => Ok(Query::Not(Box::new(self.unary(field)?))),
            Some(Token::Must) => self.unary(field),
            Some(Token::Open) => {
                let inner = self.conjunction(field)?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err("unbalanced parentheses".into()),
                }
            }
            Some(Token::Word(word)) => {
                if let Some(name) = word.strip_suffix(':')
                    && !name.is_empty()
                    && self.peek() == Some(&Token::Open)
                {
                    let group = Field::named(name).ok_or_else(|| unknown_field(name))?;
                    self.position += 1;
                    let inner = self.conjunction(Some(group))?;
                    return match self.next() {
                        Some(Token::Close) => Ok(inner),
                        _ => Err("unbalanced parentheses".into()),
                    };
                }
                self.clause(&word, field)
            }
            Some(Token::And | Token::Or) => Err("an operator without a left side".into()),
            Some(Token::Close) | None => Err("a query ends where a clause was expected".into()),
        }
    }

    fn clause(&self, word: &str, field: Option<Field>) -> Result<Query, String> {
        if word == "*:*" || (word == "*" && field.is_none()) {
            return Ok(Query::All);
        }
        let (field, value) = match split_field(word) {
            Some((name, value)) => (
                Field::named(name).ok_or_else(|| unknown_field(name))?,
                value,
            ),
            None => (field.unwrap_or(Field::Text), word),
        };
        if value.is_empty() {
            return Err(format!("no value in {word:?}"));
        }
        let term = if value == "*" {
            Term::Any
        } else if let Some(inner) = value.strip_prefix('"') {
            Term::Is(unescape(inner.strip_suffix('"').unwrap_or(inner)))
        } else if value.starts_with('[') || value.starts_with('{') {
            self.range(field, value)?
        } else if let Some(stem) = value.strip_suffix('*')
            && !stem.ends_with('\\')
        {
            Term::Prefix(unescape(stem))
        } else {
            Term::Is(unescape(value))
        };
        if field.is_time()
            && let Term::Is(text) | Term::Prefix(text) = &term
        {
            let at = parse_time(text, self.now)?;
            return Ok(Query::Clause(
                field,
                Term::Range {
                    low: Bound::Time(at),
                    high: Bound::Time(at),
                    low_inclusive: true,
                    high_inclusive: true,
                },
            ));
        }
        Ok(Query::Clause(field, term))
    }

    fn range(&self, field: Field, value: &str) -> Result<Term, String> {
        let low_inclusive = value.starts_with('[');
        let high_inclusive = value.ends_with(']');
        let Some(inner) = value
            .get(1..)
            .and_then(|rest| rest.strip_suffix([']', '}']))
        else {
            return Err(format!("a range is [from TO to], not {value}"));
        };
        let parts: Vec<&str> = inner.split_whitespace().collect();
        let [low, "TO", high] = parts.as_slice() else {
            return Err(format!("a range is [from TO to], not {value}"));
        };
        let bound = |text: &str| -> Result<Bound, String> {
            if text == "*" {
                Ok(Bound::Open)
            } else if field.is_time() {
                parse_time(text, self.now).map(Bound::Time)
            } else {
                Ok(Bound::Text(unescape(text.trim_matches('"'))))
            }
        };
        Ok(Term::Range {
            low: bound(low)?,
            high: bound(high)?,
            low_inclusive,
            high_inclusive,
        })
    }
}

fn unknown_field(name: &str) -> String {
    format!("undefined field {name}")
}

/// `field` and `value` of `field:value`: the first `:` not escaped and not in quotes.
fn split_field(word: &str) -> Option<(&str, &str)> {
    let mut escaped = false;
    for (index, c) in word.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' | '[' | '{' => return None,
            ':' => return Some((&word[..index], &word[index + 1..])),
            _ => {}
        }
    }
    None
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(escaped) = chars.next() {
                out.push(escaped);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A Solr time: ISO 8601 with or without fraction and `Z`, a bare date, or `NOW`.
fn parse_time(text: &str, now: NaiveDateTime) -> Result<NaiveDateTime, String> {
    if text == "NOW" {
        return Ok(now);
    }
    let bare = text.strip_suffix('Z').unwrap_or(text);
    NaiveDateTime::parse_from_str(bare, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| {
            NaiveDate::parse_from_str(bare, "%Y-%m-%d")
                .map(|date| date.and_hms_opt(0, 0, 0).unwrap_or_default())
        })
        .map_err(|_| format!("invalid date {text:?}"))
}

impl Query {
    /// Whether `doc` matches.
    pub fn matches(&self, doc: &SearchDoc) -> bool {
        match self {
            Query::All => true,
            Query::And(all) => all.iter().all(|q| q.matches(doc)),
            Query::Or(any) => any.iter().any(|q| q.matches(doc)),
            Query::Not(inner) => !inner.matches(doc),
            Query::Clause(field, term) => clause_matches(*field, term, doc),
        }
    }
}

fn clause_matches(field: Field, term: &Term, doc: &SearchDoc) -> bool {
    let text = |haystack: &str| match term {
        Term::Any => !haystack.is_empty(),
        Term::Is(needle) | Term::Prefix(needle) => haystack.contains(&needle.to_lowercase()),
        Term::Range { .. } => false,
    };
    let exact = |values: &[&str], fold: bool| {
        values.iter().any(|value| {
            let value = if fold {
                value.to_lowercase()
            } else {
                value.to_string()
            };
            let fold_needle = |needle: &str| {
                if fold {
                    needle.to_lowercase()
                } else {
                    needle.to_string()
                }
            };
            match term {
                Term::Any => !value.is_empty(),
                Term::Is(needle) => value == fold_needle(needle),
                Term::Prefix(needle) => value.starts_with(&fold_needle(needle)),
                Term::Range {
                    low,
                    high,
                    low_inclusive,
                    high_inclusive,
                } => in_range(
                    |bound| match bound {
                        Bound::Text(text) => Some(value.as_str().cmp(text.as_str())),
                        _ => None,
                    },
                    low,
                    high,
                    *low_inclusive,
                    *high_inclusive,
                ),
            }
        })
    };
    let time = |at: NaiveDateTime| match term {
        Term::Any => true,
        Term::Range {
            low,
            high,
            low_inclusive,
            high_inclusive,
        } => in_range(
            |bound| match bound {
                Bound::Time(bound) => Some(at.cmp(bound)),
                _ => None,
            },
            low,
            high,
            *low_inclusive,
            *high_inclusive,
        ),
        Term::Is(_) | Term::Prefix(_) => false,
    };
    match field {
        Field::Id => exact(&[&doc.id], true),
        Field::Name => exact(&[&doc.name], false),
        Field::TitleString => exact(&[&doc.title], false),
        Field::Title => text(&doc.title_text),
        Field::Notes => text(&doc.notes_text),
        Field::Text => text(&doc.all_text),
        Field::Maintainer => text(&doc.maintainer_text),
        Field::Tags => exact(
            &doc.tags.iter().map(String::as_str).collect::<Vec<_>>(),
            false,
        ),
        Field::Organization => exact(&[&doc.organization], false),
        Field::OwnerOrg => exact(&[&doc.owner_org], true),
        Field::Groups => false,
        Field::ResFormat => exact(
            &doc.formats.iter().map(String::as_str).collect::<Vec<_>>(),
            true,
        ),
        Field::LicenseId => exact(&[&doc.license_id], false),
        Field::MetadataModified => time(doc.modified),
        Field::MetadataCreated => time(doc.created),
        Field::DatasetType => exact(&["dataset"], false),
        Field::State => exact(&["active"], false),
        Field::Capacity => exact(&["public"], false),
    }
}

/// Whether a value lies between `low` and `high`; `compare` orders the value against a
/// bound (`None` for a bound of another kind, which never matches).
fn in_range(
    compare: impl Fn(&Bound) -> Option<Ordering>,
    low: &Bound,
    high: &Bound,
    low_inclusive: bool,
    high_inclusive: bool,
) -> bool {
    let above = match low {
        Bound::Open => true,
        bound => match compare(bound) {
            Some(Ordering::Greater) => true,
            Some(Ordering::Equal) => low_inclusive,
            _ => false,
        },
    };
    let below = match high {
        Bound::Open => true,
        bound => match compare(bound) {
            Some(Ordering::Less) => true,
            Some(Ordering::Equal) => high_inclusive,
            _ => false,
        },
    };
    above && below
}

/// A key packages can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SortKey {
    /// Relevance: every match scores the same here, so it orders nothing.
    Score,
    Id,
    Name,
    Title,
    Modified,
    Created,
}

/// `sort` (`"field asc|desc, …"`) as keys and whether each is descending. Solr requires
/// the direction; an unknown field or a missing direction is CKAN's
/// `Invalid "sort" parameter`.
pub(super) fn parse_sort(sort: &str) -> Result<Vec<(SortKey, bool)>, String> {
    let invalid = || "Invalid \"sort\" parameter".to_string();
    sort.split(',')
        .map(|clause| {
            let parts: Vec<&str> = clause.split_whitespace().collect();
            let [field, direction] = parts.as_slice() else {
                return Err(invalid());
            };
            let key = match *field {
                "score" => SortKey::Score,
                "id" => SortKey::Id,
                "name" => SortKey::Name,
                "title_string" | "title" => SortKey::Title,
                "metadata_modified" => SortKey::Modified,
                "metadata_created" => SortKey::Created,
                _ => return Err(invalid()),
            };
            match direction.to_ascii_lowercase().as_str() {
                "asc" => Ok((key, false)),
                "desc" => Ok((key, true)),
                _ => Err(invalid()),
            }
        })
        .collect()
}

/// Orders `docs` by `keys`, then by id so that pages are stable (ckanext-harvest stops
/// when two pages are the same).
pub(super) fn sort_docs(docs: &mut [&SearchDoc], keys: &[(SortKey, bool)]) {
    docs.sort_by(|a, b| {
        for &(key, descending) in keys {
            let order = match key {
                SortKey::Score => Ordering::Equal,
                SortKey::Id => a.id.cmp(&b.id),
                SortKey::Name => a.name.cmp(&b.name),
                SortKey::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
                SortKey::Modified => a.modified.cmp(&b.modified),
                SortKey::Created => a.created.cmp(&b.created),
            };
            let order = if descending { order.reverse() } else { order };
            if order != Ordering::Equal {
                return order;
            }
        }
        a.id.cmp(&b.id)
    });
}

/// A facet field packages can be counted by.
fn facet_values<'a>(doc: &'a SearchDoc, field: &str) -> Vec<(&'a str, &'a str)> {
    match field {
        "tags" => doc.tags.iter().map(|t| (t.as_str(), t.as_str())).collect(),
        "organization" => vec![(doc.organization.as_str(), doc.organization_title.as_str())],
        "res_format" => doc
            .formats
            .iter()
            .map(|f| (f.as_str(), f.as_str()))
            .collect(),
        "license_id" => vec![(
            doc.license_id.as_str(),
            crate::opendata::model::LICENSE_TITLE,
        )],
        _ => Vec::new(),
    }
}

/// CKAN's `facets` (`{field: {value: count}}`) and `search_facets`
/// (`{field: {title, items: [{name, display_name, count}]}}`) of the matching packages:
/// counts descending, then names; at most `limit` items (`None`: all) of `mincount` or
/// more.
pub(super) fn facets(
    docs: &[&SearchDoc],
    fields: &[String],
    limit: Option<usize>,
    mincount: u64,
) -> (Value, Value) {
    let mut facets = Map::new();
    let mut search_facets = Map::new();
    for field in fields {
        let mut counts: Vec<(String, String, u64)> = Vec::new();
        for doc in docs {
            let mut seen: Vec<&str> = Vec::new();
            for (name, label) in facet_values(doc, field) {
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name);
                match counts.iter_mut().find(|(n, _, _)| n == name) {
                    Some(entry) => entry.2 += 1,
                    None => counts.push((name.to_string(), label.to_string(), 1)),
                }
            }
        }
        counts.retain(|(_, _, count)| *count >= mincount);
        counts.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        if let Some(limit) = limit {
            counts.truncate(limit);
        }
        facets.insert(
            field.clone(),
            Value::Object(
                counts
                    .iter()
                    .map(|(name, _, count)| (name.clone(), json!(count)))
                    .collect(),
            ),
        );
        search_facets.insert(
            field.clone(),
            json!({
                "title": field,
                "items": counts
                    .iter()
                    .map(|(name, label, count)| {
                        json!({"name": name, "display_name": label, "count": count})
                    })
                    .collect::<Vec<_>>(),
            }),
        );
    }
    (Value::Object(facets), Value::Object(search_facets))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        parse_time(text, NaiveDateTime::default()).expect("a time")
    }

    fn now() -> NaiveDateTime {
        at("2026-04-01T00:00:00")
    }

    fn doc(name: &str, org: &str, tags: &[&str], modified: &str) -> SearchDoc {
        SearchDoc {
            id: format!("id-{name}"),
            name: name.into(),
            title: format!("Title {name}"),
            title_text: format!("title {name} заголовок"),
            notes_text: "реестр объектов строительства".into(),
            maintainer_text: "иванова".into(),
            all_text: format!("{name} title {name} реестр объектов строительства {org}"),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            organization: org.into(),
            organization_title: format!("Org {org}"),
            owner_org: format!("org-id-{org}"),
            formats: vec!["CSV".into(), "JSON".into()],
            license_id: "cc-by".into(),
            modified: at(modified),
            created: at("2026-01-01T00:00:00"),
        }
    }

    fn docs() -> Vec<SearchDoc> {
        vec![
            doc(
                "alpha",
                "minkult",
                &["культура", "музеи"],
                "2026-03-01T10:00:00",
            ),
            doc(
                "beta",
                "minstroy",
                &["строительство"],
                "2026-03-05T10:00:00",
            ),
            doc("gamma", "minkult", &["культура"], "2026-02-01T10:00:00"),
        ]
    }

    fn names(query: &str) -> Vec<String> {
        let parsed = parse(query, now()).unwrap_or_else(|e| panic!("{query}: {e}"));
        docs()
            .iter()
            .filter(|d| parsed.matches(d))
            .map(|d| d.name.clone())
            .collect()
    }

    #[test]
    fn blank_and_star_match_everything() {
        assert_eq!(names(""), ["alpha", "beta", "gamma"]);
        assert_eq!(names("*:*"), ["alpha", "beta", "gamma"]);
        assert_eq!(names("  "), ["alpha", "beta", "gamma"]);
    }

    #[test]
    fn fields_words_and_phrases() {
        assert_eq!(names("organization:minkult"), ["alpha", "gamma"]);
        assert_eq!(names("tags:культура"), ["alpha", "gamma"]);
        assert_eq!(names("tags:\"культура\" name:gamma"), ["gamma"]);
        assert_eq!(names("name:be*"), ["beta"]);
        assert_eq!(names("BETA"), ["beta"], "free words ignore case");
        assert_eq!(names("Реестр строительства"), ["alpha", "beta", "gamma"]);
        assert_eq!(names("\"объектов строительства\" alpha"), ["alpha"]);
        assert_eq!(names("res_format:csv"), ["alpha", "beta", "gamma"]);
        assert_eq!(names("groups:anything"), Vec::<String>::new());
        assert_eq!(names("-groups:anything"), ["alpha", "beta", "gamma"]);
        assert_eq!(names("id:ID-BETA"), ["beta"]);
        assert_eq!(
            names("dataset_type:dataset state:active"),
            ["alpha", "beta", "gamma"]
        );
    }

    #[test]
    fn what_ckanext_harvest_and_udata_send() {
        // ckanext-harvest: organisations ORed, a negation, the incremental window.
        assert_eq!(
            names(
                "organization:minkult OR organization:minstroy metadata_modified:[2026-02-15T00:00:00.000000Z TO *]"
            ),
            ["alpha", "beta"]
        );
        assert_eq!(names("-organization:minkult"), ["beta"]);
        assert_eq!(names("NOT organization:minkult"), ["beta"]);
        // udata-ckan: `key:value AND …`, exclusions as `-key:value`.
        assert_eq!(names("organization:minkult AND tags:музеи"), ["alpha"]);
        assert_eq!(names("organization:minkult AND -tags:музеи"), ["gamma"]);
        // piveau: the incremental window in q.
        assert_eq!(
            names("metadata_modified:[2026-03-01T10:00:00Z TO *]"),
            ["alpha", "beta"]
        );
        assert_eq!(
            names("metadata_modified:{2026-03-01T10:00:00Z TO NOW}"),
            ["beta"],
            "exclusive bound"
        );
        assert_eq!(
            names("metadata_modified:[* TO 2026-03-01]"),
            ["gamma"],
            "a bare date is midnight"
        );
    }

    #[test]
    fn parentheses_and_field_groups() {
        assert_eq!(names("(name:alpha OR name:beta) -tags:музеи"), ["beta"]);
        assert_eq!(names("tags:(музеи OR строительство)"), ["alpha", "beta"]);
        assert_eq!(names("+name:gamma"), ["gamma"]);
    }

    #[test]
    fn what_is_not_understood_is_an_error() {
        for query in [
            "colour:red",
            "name:",
            "(name:alpha",
            "name:alpha)",
            "\"open",
            "metadata_modified:[yesterday TO *]",
            "metadata_modified:[NOW-1DAY TO *]",
            "metadata_modified:[2026-01-01 TO]",
            "OR name:alpha",
            "name:alpha OR",
            "AND name:alpha",
            "unknown:(a OR b)",
        ] {
            assert!(parse(query, now()).is_err(), "{query} should not parse");
        }
    }

    #[test]
    fn hostile_nesting_is_refused_not_a_stack_overflow() {
        // Each of these once recursed one stack frame per character and aborted the
        // process at a few hundred thousand.
        let deep = 300_000;
        for prefix in ["-", "!", "+", "(", "NOT ", "tags:("] {
            let query = format!("{}name:alpha", prefix.repeat(deep / prefix.len()));
            let error = parse(&query, now()).expect_err("refused");
            assert!(error.starts_with("query too long"), "{prefix}: {error}");
        }
        // Within the length bound, depth is what refuses.
        for prefix in ["-", "!", "+", "(", "NOT ", "tags:("] {
            let nested = format!("{}name:alpha", prefix.repeat(MAX_QUERY_DEPTH + 1));
            let error = parse(&nested, now()).expect_err("refused");
            assert!(
                error.starts_with("query nested too deeply"),
                "{prefix}: {error}"
            );
        }
        // Up to the bound, nesting still means what it says.
        let parentheses = MAX_QUERY_DEPTH - 1;
        let nested = format!(
            "{}name:alpha{}",
            "(".repeat(parentheses),
            ")".repeat(parentheses)
        );
        assert_eq!(
            parse(&nested, now()),
            parse("name:alpha", now()),
            "{parentheses} parentheses"
        );
        assert_eq!(
            names(&format!("{}name:alpha", "-".repeat(30))),
            names("name:alpha")
        );
    }

    #[test]
    fn sorts_as_harvesters_ask() {
        let all = docs();
        let mut refs: Vec<&SearchDoc> = all.iter().collect();
        let order = |refs: &[&SearchDoc]| refs.iter().map(|d| d.name.clone()).collect::<Vec<_>>();
        sort_docs(
            &mut refs,
            &parse_sort("metadata_modified desc").expect("sort"),
        );
        assert_eq!(order(&refs), ["beta", "alpha", "gamma"]);
        sort_docs(&mut refs, &parse_sort("id asc").expect("sort"));
        assert_eq!(order(&refs), ["alpha", "beta", "gamma"]);
        sort_docs(&mut refs, &parse_sort("name desc").expect("sort"));
        assert_eq!(order(&refs), ["gamma", "beta", "alpha"]);
        // Score orders nothing; the next key decides.
        sort_docs(
            &mut refs,
            &parse_sort("score desc, metadata_modified asc").expect("sort"),
        );
        assert_eq!(order(&refs), ["gamma", "alpha", "beta"]);
        sort_docs(&mut refs, &parse_sort("title_string ASC").expect("sort"));
        assert_eq!(order(&refs), ["alpha", "beta", "gamma"]);
        for bad in ["name", "colour asc", "name up", "", "name asc,"] {
            assert_eq!(
                parse_sort(bad),
                Err("Invalid \"sort\" parameter".to_string()),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn facets_count_the_matching_packages() {
        let all = docs();
        let refs: Vec<&SearchDoc> = all.iter().collect();
        let (facets, search_facets) = facets(
            &refs,
            &["tags".into(), "organization".into(), "groups".into()],
            None,
            1,
        );
        assert_eq!(
            facets["tags"],
            json!({"культура": 2, "музеи": 1, "строительство": 1})
        );
        assert_eq!(facets["groups"], json!({}));
        assert_eq!(
            search_facets["organization"]["items"][0],
            json!({"name": "minkult", "display_name": "Org minkult", "count": 2})
        );
        assert_eq!(search_facets["tags"]["title"], "tags");
        let (limited, _) = super::facets(&refs, &["tags".into()], Some(1), 2);
        assert_eq!(limited["tags"], json!({"культура": 2}));
    }

    /// Found by `any_text_is_parsed_or_refused` in CI: a word that opens a range and ends,
    /// after the range, in a character of more than one byte was cut inside that character.
    #[test]
    fn a_range_followed_by_a_wide_character_is_refused() {
        for text in ["{}¥", "name:[a TO b]¥", "[a TO b]ж"] {
            assert!(parse(text, now()).is_err(), "{text}");
        }
    }

    proptest::proptest! {
        /// Issue 19: any `q` or `fq` is parsed or refused with a reason; operators at any
        /// depth never overflow the stack (a test thread's stack is a worker's).
        #[test]
        fn any_query_is_parsed_or_refused(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "-", "!", "+", "(", ")", "\"", " ", "NOT ", "AND ", "OR ", "name:", "tags:",
                    "alpha", "*", "?", "[", "]", " TO ", "NOW-1DAY", "{", "}", "\\", "^2", "~",
                ]),
                0..3_000,
            ),
        ) {
            let text = pieces.concat();
            let _ = parse(&text, now());
        }

        #[test]
        fn any_text_is_parsed_or_refused(text in "\\PC{0,600}") {
            let _ = parse(&text, now());
            let _ = parse_sort(&text);
        }
    }
}
