//! Profiles in the database: the `profiles` row (absent: nothing shown but the name),
//! the avatar as the person's photo in section [`AVATAR`], followers as civic follows
//! of the person, and the public activity read from each feature's table with the
//! visibility rules of [`crate::subjects::public_titles`].

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

use super::model::{
    ACTIVITY_SHOWN, ActivityItem, ActivityKind, AvatarChange, MyProfile, PersonView, ValidProfile,
    Visibility,
};
use crate::auth::model::{AVATAR, PERSON};
use crate::auth::queries::Users;
use crate::geography::model::MunicipalityName;
use crate::lawmaking::model::{INITIATIVE, Stage};
use crate::photos::Photo;
use crate::problems::model::{PROBLEM, ProblemStatus};
use crate::solutions::model::SOLUTION;
use crate::subjects::{href, public_titles};
use civic::blocks::Blocks;
use civic::follows::Follows;
use civic::photos::Photos;
use civic::subject::Subject;
use platform::db::schema::{comments, initiatives, problems, profiles, solutions, users};
use platform::error::{AppError, ErrorCode};
use platform::ids::{MunicipalityId, UserId};
use platform::text::excerpt;

/// The longest comment excerpt a profile lists, in characters.
const EXCERPT_CHARS: usize = 200;

/// How many of a person's newest comments are read to find the ones on public subjects.
const COMMENTS_READ: i64 = ACTIVITY_SHOWN * 5;

#[derive(Queryable, Selectable)]
#[diesel(table_name = profiles, check_for_backend(diesel::mysql::Mysql))]
struct ProfileRow {
    about: String,
    show_municipality: bool,
    show_problems: bool,
    show_solutions: bool,
    show_initiatives: bool,
    show_comments: bool,
}

impl ProfileRow {
    fn visibility(&self) -> Visibility {
        Visibility {
            municipality: self.show_municipality,
            problems: self.show_problems,
            solutions: self.show_solutions,
            initiatives: self.show_initiatives,
            comments: self.show_comments,
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::mysql::Mysql))]
struct PersonRow {
    display_name: String,
    home_municipality_id: MunicipalityId,
    created_at: NaiveDateTime,
}

/// The profiles of every person.
pub struct Profiles;

impl Profiles {
    /// What `user` shows: their row's "about me" and choices, or nothing for one who
    /// never saved a profile.
    async fn shown(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
    ) -> QueryResult<(String, Visibility)> {
        let row: Option<ProfileRow> = profiles::table
            .find(user)
            .select(ProfileRow::as_select())
            .first(conn)
            .await
            .optional()?;
        Ok(row.map_or_else(Default::default, |row| {
            (row.about.clone(), row.visibility())
        }))
    }

    /// The avatar of `user`, if they have one.
    async fn avatar(conn: &mut AsyncMysqlConnection, user: UserId) -> QueryResult<Option<Photo>> {
        Ok(Photos::of(conn, Subject::new(PERSON, user.0))
            .await?
            .into_iter()
            .rfind(|photo| photo.section == AVATAR)
            .map(|photo| photo.photo))
    }

    /// The profile of `user` as they edit it.
    pub async fn mine(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
    ) -> Result<MyProfile, AppError> {
        let display_name: String = users::table
            .find(user)
            .select(users::display_name)
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        let (about, shown) = Self::shown(conn, user).await?;
        Ok(MyProfile {
            id: user,
            display_name,
            about,
            shown,
            avatar: Self::avatar(conn, user).await?,
        })
    }

    /// Saves `profile` as `user`'s, in one transaction: a new avatar that is not their
    /// staged upload refuses the whole change (`PhotoMissing`), and a replaced or
    /// removed one is released to the cleanup of abandoned uploads.
    pub async fn save(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        profile: ValidProfile,
        now: NaiveDateTime,
    ) -> Result<MyProfile, AppError> {
        conn.transaction(async move |conn| {
            let renamed = diesel::update(users::table.find(user))
                .set(users::display_name.eq(&profile.display_name))
                .execute(conn)
                .await?;
            if renamed == 0 {
                return Err(AppError::NotFound);
            }
            let shown = profile.shown;
            let values = (
                profiles::about.eq(&profile.about),
                profiles::show_municipality.eq(shown.municipality),
                profiles::show_problems.eq(shown.problems),
                profiles::show_solutions.eq(shown.solutions),
                profiles::show_initiatives.eq(shown.initiatives),
                profiles::show_comments.eq(shown.comments),
                profiles::updated_at.eq(now),
            );
            diesel::insert_into(profiles::table)
                .values((profiles::user_id.eq(user), values))
                .on_conflict(diesel::dsl::DuplicatedKeys)
                .do_update()
                .set(values)
                .execute(conn)
                .await?;
            let me = Subject::new(PERSON, user.0);
            match &profile.avatar {
                AvatarChange::Keep => {}
                AvatarChange::Remove => {
                    Photos::release(conn, me, AVATAR).await?;
                }
                AvatarChange::Replace(token) => {
                    Photos::release(conn, me, AVATAR).await?;
                    Photos::attach(conn, me, AVATAR, None, user, std::slice::from_ref(token))
                        .await
                        .map_err(|error| match error {
                            AppError::Invalid { .. } => {
                                AppError::invalid("avatar", ErrorCode::PhotoMissing)
                            }
                            other => other,
                        })?;
                }
            }
            Ok(())
        })
        .await?;
        Self::mine(conn, user).await
    }

    /// The public profile of `person` as `reader` sees it.
    pub async fn view(
        conn: &mut AsyncMysqlConnection,
        person: UserId,
        reader: Option<UserId>,
    ) -> Result<PersonView, AppError> {
        let row: PersonRow = users::table
            .find(person)
            .select(PersonRow::as_select())
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound)?;
        let (about, shown) = Self::shown(conn, person).await?;
        let municipality = if shown.municipality {
            MunicipalityName::list(conn)
                .await?
                .into_iter()
                .find(|municipality| municipality.id == row.home_municipality_id)
        } else {
            None
        };
        let subject = Subject::new(PERSON, person.0);
        let (following, blocked) = match reader {
            Some(reader) if reader != person => (
                Follows::is_following(conn, subject, reader).await?,
                Blocks::has_blocked(conn, reader, person).await?,
            ),
            _ => (false, false),
        };
        Ok(PersonView {
            id: person,
            display_name: row.display_name,
            avatar: Self::avatar(conn, person).await?,
            about,
            municipality,
            member_since: row.created_at,
            followers: Follows::count(conn, subject).await?,
            activity: activity(conn, person, shown).await?,
            shown,
            may_follow: reader.is_some_and(|reader| reader != person),
            following,
            blocked,
            is_self: reader == Some(person),
        })
    }

    /// `follower` follows (`follow`) or stops following `person`. One does not follow
    /// oneself (`Forbidden`); an unknown person is `NotFound`.
    pub async fn follow(
        conn: &mut AsyncMysqlConnection,
        person: UserId,
        follower: UserId,
        follow: bool,
        now: NaiveDateTime,
    ) -> Result<u64, AppError> {
        if person == follower {
            return Err(AppError::Forbidden);
        }
        if !Users::exists(conn, person).await? {
            return Err(AppError::NotFound);
        }
        if follow && Blocks::between(conn, person, follower).await? {
            return Err(AppError::Forbidden);
        }
        let subject = Subject::new(PERSON, person.0);
        Follows::set(conn, subject, follower, follow, now).await?;
        Ok(Follows::count(conn, subject).await?)
    }

    /// `blocker` blocks (`block`) or unblocks `person`. A block also ends following in
    /// both directions, in the same transaction. One does not block oneself
    /// (`Forbidden`); an unknown person is `NotFound`.
    pub async fn block(
        conn: &mut AsyncMysqlConnection,
        blocker: UserId,
        person: UserId,
        block: bool,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        if person == blocker {
            return Err(AppError::Forbidden);
        }
        if !Users::exists(conn, person).await? {
            return Err(AppError::NotFound);
        }
        conn.transaction(async move |conn| {
            Blocks::set(conn, blocker, person, block, now).await?;
            if block {
                Follows::set(conn, Subject::new(PERSON, person.0), blocker, false, now).await?;
                Follows::set(conn, Subject::new(PERSON, blocker.0), person, false, now).await?;
            }
            Ok(())
        })
        .await
    }
}

/// What `person` shows of their activity: each kind they show, newest first.
async fn activity(
    conn: &mut AsyncMysqlConnection,
    person: UserId,
    shown: Visibility,
) -> QueryResult<Vec<ActivityItem>> {
    let mut items = Vec::new();
    let item = |kind, kind_name: &str, id: u64, title: String, at| {
        href(kind_name, id).map(|href| ActivityItem {
            kind,
            title,
            excerpt: String::new(),
            href,
            at,
        })
    };
    if shown.problems {
        let public: Vec<&str> = ProblemStatus::ALL
            .into_iter()
            .filter(|status| status.is_public())
            .map(ProblemStatus::as_db)
            .collect();
        let rows: Vec<(u64, String, NaiveDateTime)> = problems::table
            .filter(problems::author_id.eq(person))
            .filter(problems::status.eq_any(public))
            .order(problems::created_at.desc())
            .limit(ACTIVITY_SHOWN)
            .select((problems::id, problems::title, problems::created_at))
            .load(conn)
            .await?;
        items.extend(rows.into_iter().filter_map(|(id, title, at)| {
            item(ActivityKind::Problem, PROBLEM.as_str(), id, title, at)
        }));
    }
    if shown.solutions {
        let rows: Vec<(u64, String, NaiveDateTime)> = solutions::table
            .filter(solutions::author_id.eq(person))
            .filter(solutions::hidden_at.is_null())
            .order(solutions::id.desc())
            .limit(ACTIVITY_SHOWN)
            .select((solutions::id, solutions::title, solutions::created_at))
            .load(conn)
            .await?;
        items.extend(rows.into_iter().filter_map(|(id, title, at)| {
            item(ActivityKind::Solution, SOLUTION.as_str(), id, title, at)
        }));
    }
    if shown.initiatives {
        let public: Vec<&str> = Stage::ALL
            .into_iter()
            .filter(|stage| stage.is_public())
            .map(Stage::as_db)
            .collect();
        let rows: Vec<(u64, String, NaiveDateTime)> = initiatives::table
            .filter(initiatives::author_id.eq(person))
            .filter(initiatives::stage.eq_any(public))
            .order(initiatives::id.desc())
            .limit(ACTIVITY_SHOWN)
            .select((initiatives::id, initiatives::title, initiatives::created_at))
            .load(conn)
            .await?;
        items.extend(rows.into_iter().filter_map(|(id, title, at)| {
            item(ActivityKind::Initiative, INITIATIVE.as_str(), id, title, at)
        }));
    }
    if shown.comments {
        items.extend(public_comments(conn, person).await?);
    }
    Ok(items)
}

/// The newest comments of `person` that are not hidden and stand on a subject the
/// public sees, with that subject's title.
async fn public_comments(
    conn: &mut AsyncMysqlConnection,
    person: UserId,
) -> QueryResult<Vec<ActivityItem>> {
    let rows: Vec<(String, u64, String, NaiveDateTime)> = comments::table
        .filter(comments::author_id.eq(person))
        .filter(comments::hidden_at.is_null())
        .order(comments::id.desc())
        .limit(COMMENTS_READ)
        .select((
            comments::subject_kind,
            comments::subject_id,
            comments::body,
            comments::created_at,
        ))
        .load(conn)
        .await?;
    let mut titles = std::collections::HashMap::new();
    for kind in [PROBLEM, INITIATIVE, SOLUTION] {
        let ids: Vec<u64> = rows
            .iter()
            .filter(|(row_kind, ..)| row_kind == kind.as_str())
            .map(|(_, id, ..)| *id)
            .collect();
        for (id, title) in public_titles(conn, kind.as_str(), &ids).await? {
            titles.insert((kind.as_str(), id), title);
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|(kind, id, body, at)| {
            let title = titles.get(&(kind.as_str(), id))?.clone();
            Some(ActivityItem {
                kind: ActivityKind::Comment,
                title,
                excerpt: excerpt(&body, EXCERPT_CHARS),
                href: href(&kind, id)?,
                at,
            })
        })
        .take(ACTIVITY_SHOWN as usize)
        .collect())
}
