//! The publications' API: anyone reads feeds and publications; the signed-in publish,
//! like and comment; officials publish their departments' news.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use platform::ids::parse_id;

use super::model::{DepartmentNews, FeedPage, PublicationDetail, PublicationInput};
use platform::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::{FeedScope, PublicationId},
    super::queries::{Publications, Whose},
    crate::auth::model::MODERATORS,
    crate::auth::session::{WriteLimits, count_write, current_user, require_user},
    crate::organisation::model::{DEPARTMENT, Department},
    civic::comments::{Comments, validate_comment},
    civic::follows::Follows,
    civic::subject::Subject,
    platform::{clock, db},
};

/// Publications in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const PUBLISHING: WriteLimits = WriteLimits::hourly("publication.publish", 20, 60);

/// Follows and unfollows of departments in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const DEPARTMENT_FOLLOWS: WriteLimits = WriteLimits::hourly("department.follow", 200, 600);

/// Likes and unlikes in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const LIKES: WriteLimits = WriteLimits::hourly("publication.like", 300, 1000);

/// Comments on publications in an hour per account, and from one address.
#[cfg(feature = "ssr")]
const COMMENTS: WriteLimits = WriteLimits::hourly("publication.comment", 30, 200);

/// A page of the feed `scope` (`following`, the default for the signed-in, or
/// `everyone`, the only one for guests), before publication `before` when given.
#[server(endpoint = "publications/feed", input = server_fn::codec::GetUrl)]
pub async fn load_feed(scope: String, before: String) -> Result<FeedPage, AppError> {
    let reader = current_user().await?;
    let before = before.trim().parse().ok();
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let whose = match (&reader, FeedScope::from_param(&scope)) {
            (Some(reader), FeedScope::Following) => Whose::FeedOf(reader.id),
            _ => Whose::Everyone,
        };
        let reader_id = reader.as_ref().map(|user| user.id);
        let (items, older) = Publications::page(&mut conn, whose, before, reader_id).await?;
        let departments = match &reader {
            Some(reader) if !reader.official_departments().is_empty() => {
                let own = reader.official_departments();
                Department::list(&mut conn)
                    .await?
                    .into_iter()
                    .filter(|department| own.contains(&department.id))
                    .map(|department| (department.id, department.name_ru, department.name_en))
                    .collect()
            }
            _ => Vec::new(),
        };
        Ok(FeedPage {
            items,
            older,
            signed_in: reader.is_some(),
            departments,
        })
    })
    .await
}

/// A page of person `person`'s own publications, before `before` when given.
#[server(endpoint = "publications/of-person", input = server_fn::codec::GetUrl)]
pub async fn load_person_publications(
    person: String,
    before: String,
) -> Result<FeedPage, AppError> {
    let person = parse_id(&person)?;
    let reader = current_user().await?;
    let before = before.trim().parse().ok();
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let reader_id = reader.as_ref().map(|user| user.id);
        let (items, older) =
            Publications::page(&mut conn, Whose::Person(person), before, reader_id).await?;
        Ok(FeedPage {
            items,
            older,
            signed_in: reader.is_some(),
            departments: Vec::new(),
        })
    })
    .await
}

/// One publication with its discussion.
#[server(endpoint = "publications/get", input = server_fn::codec::GetUrl)]
pub async fn load_publication(id: String) -> Result<PublicationDetail, AppError> {
    let id: PublicationId = parse_id(&id)?;
    let reader = current_user().await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let reader_id = reader.as_ref().map(|user| user.id);
        let publication = Publications::get(&mut conn, id, reader_id).await?;
        let comments = Comments::page(&mut conn, id.subject(), reader_id, None)
            .await?
            .threads;
        Ok(PublicationDetail {
            publication,
            comments,
            signed_in: reader.is_some(),
            moderator: reader
                .as_ref()
                .is_some_and(|user| MODERATORS.iter().any(|role| user.has_role(*role))),
        })
    })
    .await
}

/// Publishes `input` as the signed-in person (or as their department's news); returns
/// the new publication's id.
#[server(endpoint = "publications/publish")]
pub async fn publish(input: PublicationInput) -> Result<u64, AppError> {
    let user = require_user().await?;
    let valid = input
        .validate()
        .map_err(|errors| AppError::Invalid { errors })?;
    count_write(PUBLISHING, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Publications::create(&mut conn, &user, &valid, clock::now())
            .await
            .map(|id| id.0)
    })
    .await
}

/// Likes publication `id` (`like` = `true`) or stops liking it; returns the count.
#[server(endpoint = "publications/like")]
pub async fn like_publication(id: String, like: bool) -> Result<u32, AppError> {
    let user = require_user().await?;
    let id: PublicationId = parse_id(&id)?;
    count_write(LIKES, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Publications::set_like(&mut conn, id, user.id, like, clock::now()).await
    })
    .await
}

/// A comment on publication `id`.
#[server(endpoint = "publications/comment")]
pub async fn comment_publication(id: String, comment: String) -> Result<(), AppError> {
    let user = require_user().await?;
    let id: PublicationId = parse_id(&id)?;
    let body = validate_comment(&comment)?;
    count_write(COMMENTS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        Publications::add_comment(&mut conn, id, user.id, &body, clock::now())
            .await
            .map(drop)
    })
    .await
}

/// Department `slug`'s official profile: followers and news, before `before` when given.
#[server(endpoint = "publications/department", input = server_fn::codec::GetUrl)]
pub async fn load_department_news(
    slug: String,
    before: String,
) -> Result<DepartmentNews, AppError> {
    let reader = current_user().await?;
    let before = before.trim().parse().ok();
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let department = Department::find_by_slug(&mut conn, slug.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        let subject = Subject::new(DEPARTMENT, department.id.0);
        let reader_id = reader.as_ref().map(|user| user.id);
        let following = match reader_id {
            Some(reader) => Follows::is_following(&mut conn, subject, reader).await?,
            None => false,
        };
        let (items, older) = Publications::page(
            &mut conn,
            Whose::Department(department.id),
            before,
            reader_id,
        )
        .await?;
        Ok(DepartmentNews {
            followers: Follows::count(&mut conn, subject).await?,
            following,
            news: FeedPage {
                items,
                older,
                signed_in: reader.is_some(),
                departments: Vec::new(),
            },
        })
    })
    .await
}

/// The signed-in person follows (`follow` = `true`) department `slug`'s news, or stops.
#[server(endpoint = "publications/follow-department")]
pub async fn follow_department(slug: String, follow: bool) -> Result<(), AppError> {
    let user = require_user().await?;
    count_write(DEPARTMENT_FOLLOWS, Some(user.id)).await?;
    let pool = db::pool()?;
    db::run(&pool, move |mut conn| async move {
        let department = Department::find_by_slug(&mut conn, slug.trim())
            .await?
            .ok_or(AppError::NotFound)?;
        let subject = Subject::new(DEPARTMENT, department.id.0);
        Ok(Follows::set(&mut conn, subject, user.id, follow, clock::now()).await?)
    })
    .await
}
