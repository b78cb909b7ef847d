//! Links between subjects of different features, read from either end: a solution that
//! became a law-making initiative, a challenge that concerns a problem. The features at
//! either end do not know each other; the module above them that makes a link reads it
//! back for both pages.

#[cfg(feature = "ssr")]
use {
    crate::subject::Subject,
    chrono::NaiveDateTime,
    diesel::prelude::*,
    diesel_async::{AsyncMysqlConnection, RunQueryDsl},
    platform::db::schema::subject_links,
    platform::ids::UserId,
};

/// What a link says of its two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The first subject turned into the second (a solution into an initiative).
    Became,
    /// The first subject is about the second (a challenge about a problem).
    Concerns,
}

impl Relation {
    /// The stored name.
    pub const fn as_db(self) -> &'static str {
        match self {
            Self::Became => "became",
            Self::Concerns => "concerns",
        }
    }

    /// The relation stored as `name`.
    pub fn from_db(name: &str) -> Option<Self> {
        match name {
            "became" => Some(Self::Became),
            "concerns" => Some(Self::Concerns),
            _ => None,
        }
    }
}

/// One link as seen from one of its ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// What the link says.
    pub relation: Relation,
    /// Whether the subject it was read from is its first end (`relation` reads from it).
    pub outgoing: bool,
    /// The other end's kind, as stored (a kind this version no longer knows stays text).
    pub other_kind: String,
    /// The other end's id.
    pub other_id: u64,
}

/// Links between subjects.
#[cfg(feature = "ssr")]
pub struct Links;

#[cfg(feature = "ssr")]
impl Links {
    /// Links `from` to `to` by `relation`; whether a new link was made (two subjects are
    /// linked once, whatever the relation).
    pub async fn add(
        conn: &mut AsyncMysqlConnection,
        from: Subject,
        to: Subject,
        relation: Relation,
        by: UserId,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let inserted = diesel::insert_or_ignore_into(subject_links::table)
            .values((
                subject_links::from_kind.eq(from.kind.as_str()),
                subject_links::from_id.eq(from.id),
                subject_links::to_kind.eq(to.kind.as_str()),
                subject_links::to_id.eq(to.id),
                subject_links::relation.eq(relation.as_db()),
                subject_links::created_by.eq(by),
                subject_links::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok(inserted > 0)
    }

    /// Removes the link from `from` to `to`; whether there was one.
    pub async fn remove(
        conn: &mut AsyncMysqlConnection,
        from: Subject,
        to: Subject,
    ) -> QueryResult<bool> {
        let removed = diesel::delete(subject_links::table.find((
            from.kind.as_str(),
            from.id,
            to.kind.as_str(),
            to.id,
        )))
        .execute(conn)
        .await?;
        Ok(removed > 0)
    }

    /// The subject `from` is linked to by `relation`, the oldest first.
    pub async fn targets(
        conn: &mut AsyncMysqlConnection,
        from: Subject,
        relation: Relation,
    ) -> QueryResult<Vec<(String, u64)>> {
        subject_links::table
            .filter(subject_links::from_kind.eq(from.kind.as_str()))
            .filter(subject_links::from_id.eq(from.id))
            .filter(subject_links::relation.eq(relation.as_db()))
            .order((
                subject_links::created_at,
                subject_links::to_kind,
                subject_links::to_id,
            ))
            .select((subject_links::to_kind, subject_links::to_id))
            .load(conn)
            .await
    }

    /// Every link `subject` is an end of, the links from it first, each group the oldest
    /// first. A relation this version does not know is left out.
    pub async fn of(conn: &mut AsyncMysqlConnection, subject: Subject) -> QueryResult<Vec<Link>> {
        let outgoing: Vec<(String, u64, String)> = subject_links::table
            .filter(subject_links::from_kind.eq(subject.kind.as_str()))
            .filter(subject_links::from_id.eq(subject.id))
            .order((
                subject_links::created_at,
                subject_links::to_kind,
                subject_links::to_id,
            ))
            .select((
                subject_links::to_kind,
                subject_links::to_id,
                subject_links::relation,
            ))
            .load(conn)
            .await?;
        let incoming: Vec<(String, u64, String)> = subject_links::table
            .filter(subject_links::to_kind.eq(subject.kind.as_str()))
            .filter(subject_links::to_id.eq(subject.id))
            .order((
                subject_links::created_at,
                subject_links::from_kind,
                subject_links::from_id,
            ))
            .select((
                subject_links::from_kind,
                subject_links::from_id,
                subject_links::relation,
            ))
            .load(conn)
            .await?;
        let read = |rows: Vec<(String, u64, String)>, outgoing: bool| {
            rows.into_iter()
                .filter_map(move |(other_kind, other_id, relation)| {
                    Some(Link {
                        relation: Relation::from_db(&relation)?,
                        outgoing,
                        other_kind,
                        other_id,
                    })
                })
        };
        Ok(read(outgoing, true).chain(read(incoming, false)).collect())
    }
}
