//! Publications in the database: written with their photos in one transaction, liked
//! through civic supports with the count kept in the same transaction, commented through
//! civic comments (the author and the commenters follow the publication and are told of
//! new comments), and read in feeds newest first, a page before a given id.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{FEED_PAGE, Publication, PublicationId, ValidPublication, Voice};
use crate::auth::model::{PERSON, SessionUser};
use crate::organisation::model::DEPARTMENT;
use civic::blocks::Blocks;
use civic::comments::{CommentId, Comments};
use civic::follows::Follows;
use civic::notifications::Notifications;
use civic::photos::Photos;
use civic::supports::Supports;
use platform::db::last_insert_id;
use platform::db::schema::{departments, follows, publications, users};
use platform::error::{AppError, ErrorCode};
use platform::ids::{DepartmentId, UserId};

/// What a notification of a new comment on a followed publication is called.
pub const COMMENTED: &str = "commented";

#[derive(Queryable, Selectable)]
#[diesel(table_name = publications, check_for_backend(diesel::mysql::Mysql))]
struct PublicationRow {
    id: PublicationId,
    author_id: UserId,
    department_id: Option<DepartmentId>,
    body: String,
    like_count: u32,
    comment_count: u32,
    created_at: NaiveDateTime,
    hidden_at: Option<NaiveDateTime>,
    hidden_reason: Option<String>,
}

/// Which publications a page reads.
pub enum Whose {
    /// Those of `reader`'s feed (their own, the people and departments they follow).
    FeedOf(UserId),
    /// Everyone's.
    Everyone,
    /// One person's own (not the news they wrote for a department).
    Person(UserId),
    /// One department's news.
    Department(DepartmentId),
}

/// The publications of every person and department.
pub struct Publications;

impl Publications {
    /// Publishes `publication` by `author`, with its photos, in one transaction: a photo
    /// that is not the author's staged upload refuses the whole publication, and news for
    /// a department is refused (`department`) unless the author is its official. The
    /// author follows it, so they hear of its comments.
    pub async fn create(
        conn: &mut AsyncMysqlConnection,
        author: &SessionUser,
        publication: &ValidPublication,
        now: NaiveDateTime,
    ) -> Result<PublicationId, AppError> {
        if let Some(department) = publication.department
            && !author.official_departments().contains(&department)
        {
            return Err(AppError::invalid("department", ErrorCode::NotAllowed));
        }
        let author = author.id;
        conn.transaction(async move |conn| {
            diesel::insert_into(publications::table)
                .values((
                    publications::author_id.eq(author),
                    publications::department_id.eq(publication.department),
                    publications::body.eq(&publication.body),
                    publications::created_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let id = PublicationId(last_insert_id(conn).await?);
            Photos::attach(
                conn,
                id.subject(),
                "",
                None,
                author,
                &publication.photo_tokens,
            )
            .await?;
            Follows::set(conn, id.subject(), author, true, now).await?;
            Ok(id)
        })
        .await
    }

    /// One page of `whose` publications as `reader` sees them: up to [`FEED_PAGE`], newest
    /// first, those before id `before` when given.
    pub async fn page(
        conn: &mut AsyncMysqlConnection,
        whose: Whose,
        before: Option<u64>,
        reader: Option<UserId>,
    ) -> QueryResult<(Vec<Publication>, Option<u64>)> {
        let newest = || {
            // A publication a moderator hid leaves every feed.
            let query = publications::table
                .filter(publications::hidden_at.is_null())
                .select(PublicationRow::as_select())
                .order(publications::id.desc())
                .limit(FEED_PAGE as i64 + 1)
                .into_boxed();
            match before {
                Some(before) => query.filter(publications::id.lt(before)),
                None => query,
            }
        };
        let mut rows: Vec<PublicationRow> = match whose {
            Whose::Everyone => newest().load(conn).await?,
            Whose::Person(person) => {
                newest()
                    .filter(publications::author_id.eq(person))
                    .filter(publications::department_id.is_null())
                    .load(conn)
                    .await?
            }
            Whose::Department(department) => {
                newest()
                    .filter(publications::department_id.eq(department))
                    .load(conn)
                    .await?
            }
            // Two reads, each one range of its own index, merged here: one statement
            // with `(author_id IN (..) AND department_id IS NULL) OR department_id IN (..)`
            // took 0.6-0.7 s for 999 people and a department among a million
            // publications (the benchmark's data, timed in the mysql client), the two
            // statements 0.02 s together. The people's part first takes the page's ids
            // from `ix_publications_feed` alone (every column it filters on is in it),
            // then reads those rows: reading the rows of every candidate took 0.18 s for
            // 1,100 people among 10,000,000 publications, the ids alone 0.02 s.
            Whose::FeedOf(reader) => {
                let (mut people, departments) = Self::followed(conn, reader).await?;
                people.push(reader.0);
                let mut newest_ids = publications::table
                    .filter(publications::author_id.eq_any(people))
                    .filter(publications::department_id.is_null())
                    .filter(publications::hidden_at.is_null())
                    .select(publications::id)
                    .order(publications::id.desc())
                    .limit(FEED_PAGE as i64 + 1)
                    .into_boxed();
                if let Some(before) = before {
                    newest_ids = newest_ids.filter(publications::id.lt(before));
                }
                let ids: Vec<u64> = newest_ids.load(conn).await?;
                let mut rows: Vec<PublicationRow> = if ids.is_empty() {
                    Vec::new()
                } else {
                    newest()
                        .filter(publications::id.eq_any(ids))
                        .load(conn)
                        .await?
                };
                if !departments.is_empty() {
                    rows.extend(
                        newest()
                            .filter(publications::department_id.eq_any(departments))
                            .load(conn)
                            .await?,
                    );
                    rows.sort_by_key(|row| std::cmp::Reverse(row.id));
                    rows.truncate(FEED_PAGE + 1);
                }
                rows
            }
        };
        let older = if rows.len() > FEED_PAGE {
            rows.truncate(FEED_PAGE);
            rows.last().map(|row| row.id.0)
        } else {
            None
        };
        Ok((Self::shown(conn, rows, reader).await?, older))
    }

    /// The people (ids) and departments `reader` follows.
    async fn followed(
        conn: &mut AsyncMysqlConnection,
        reader: UserId,
    ) -> QueryResult<(Vec<u64>, Vec<u64>)> {
        let rows: Vec<(String, u64)> = follows::table
            .filter(follows::user_id.eq(reader))
            .filter(follows::subject_kind.eq_any([PERSON.as_str(), DEPARTMENT.as_str()]))
            .select((follows::subject_kind, follows::subject_id))
            .load(conn)
            .await?;
        let (people, departments): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .partition(|(kind, _)| kind == PERSON.as_str());
        Ok((
            people.into_iter().map(|(_, id)| id).collect(),
            departments.into_iter().map(|(_, id)| id).collect(),
        ))
    }

    /// One publication as `reader` sees it.
    pub async fn get(
        conn: &mut AsyncMysqlConnection,
        id: PublicationId,
        reader: Option<UserId>,
    ) -> Result<Publication, AppError> {
        let row: PublicationRow = publications::table
            .find(id)
            .select(PublicationRow::as_select())
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        // A hidden publication is its author's alone, shown with the moderators' reason.
        if row.hidden_at.is_some() && Some(row.author_id) != reader {
            return Err(AppError::NotFound);
        }
        Self::shown(conn, vec![row], reader)
            .await?
            .pop()
            .ok_or(AppError::NotFound)
    }

    /// `rows` as `reader` sees them: each with its voice, photos and whether the reader
    /// likes it, read for all rows at once.
    async fn shown(
        conn: &mut AsyncMysqlConnection,
        rows: Vec<PublicationRow>,
        reader: Option<UserId>,
    ) -> QueryResult<Vec<Publication>> {
        let ids: Vec<u64> = rows.iter().map(|row| row.id.0).collect();
        let authors: Vec<UserId> = rows.iter().map(|row| row.author_id).collect();
        let names: HashMap<UserId, String> = users::table
            .filter(users::id.eq_any(&authors))
            .select((users::id, users::display_name))
            .load(conn)
            .await?
            .into_iter()
            .collect();
        let department_ids: Vec<DepartmentId> =
            rows.iter().filter_map(|row| row.department_id).collect();
        let departments: HashMap<DepartmentId, (String, String, String)> = departments::table
            .filter(departments::id.eq_any(&department_ids))
            .select((
                departments::id,
                departments::slug,
                departments::name_ru,
                departments::name_en,
            ))
            .load::<(DepartmentId, String, String, String)>(conn)
            .await?
            .into_iter()
            .map(|(id, slug, ru, en)| (id, (slug, ru, en)))
            .collect();
        let liked = match reader {
            Some(reader) => Supports::among(conn, super::model::PUBLICATION, &ids, reader).await?,
            None => Vec::new(),
        };
        let mut photos = Photos::of_many(conn, super::model::PUBLICATION, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let voice = match row.department_id.and_then(|id| departments.get(&id)) {
                    Some((slug, name_ru, name_en)) => Voice::Department {
                        slug: slug.clone(),
                        name_ru: name_ru.clone(),
                        name_en: name_en.clone(),
                    },
                    None => Voice::Person {
                        id: row.author_id,
                        name: names.get(&row.author_id).cloned().unwrap_or_default(),
                    },
                };
                Publication {
                    id: row.id,
                    voice,
                    body: row.body,
                    photos: photos.remove(&row.id.0).unwrap_or_default(),
                    likes: row.like_count,
                    liked: liked.contains(&row.id.0),
                    comments: row.comment_count,
                    at: row.created_at,
                    hidden_reason: row.hidden_reason,
                    mine: Some(row.author_id) == reader,
                }
            })
            .collect())
    }

    /// `user` likes (`like`) or stops liking publication `id`; the count is written in
    /// the transaction that writes the like, under the publication's row lock, so it stays
    /// exact however many like at once. Returns the count.
    pub async fn set_like(
        conn: &mut AsyncMysqlConnection,
        id: PublicationId,
        user: UserId,
        like: bool,
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        conn.transaction(async move |conn| {
            let count: u32 = publications::table
                .find(id)
                .select(publications::like_count)
                .for_update()
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            let count = Supports::set_counted(conn, id.subject(), user, like, now, count).await?;
            diesel::update(publications::table.find(id))
                .set(publications::like_count.eq(count))
                .execute(conn)
                .await?;
            Ok(count)
        })
        .await
    }

    /// Adds a comment (validated by the caller); the commenter follows the publication
    /// and its other followers (the author, earlier commenters) are told. Refused
    /// (`Forbidden`) between its author and someone either of them blocked.
    pub async fn add_comment(
        conn: &mut AsyncMysqlConnection,
        id: PublicationId,
        user: UserId,
        body: &str,
        now: NaiveDateTime,
    ) -> Result<CommentId, AppError> {
        conn.transaction(async move |conn| {
            let author: UserId = publications::table
                .find(id)
                .select(publications::author_id)
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            if Blocks::between(conn, author, user).await? {
                return Err(AppError::Forbidden);
            }
            let comment = Comments::add(conn, id.subject(), user, body, None, None, now).await?;
            diesel::update(publications::table.find(id))
                .set(publications::comment_count.eq(publications::comment_count + 1))
                .execute(conn)
                .await?;
            Follows::set(conn, id.subject(), user, true, now).await?;
            Notifications::to_followers(conn, id.subject(), COMMENTED, Some(user), now).await?;
            Ok(comment)
        })
        .await
    }

    /// The opening words of the publications among `ids`, for the bell.
    pub async fn openings(
        conn: &mut AsyncMysqlConnection,
        ids: &[u64],
    ) -> QueryResult<HashMap<u64, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(publications::table
            .filter(publications::id.eq_any(ids))
            .select((publications::id, publications::body))
            .load::<(u64, String)>(conn)
            .await?
            .into_iter()
            .map(|(id, body)| (id, platform::text::excerpt(&body, 60)))
            .collect())
    }
}
