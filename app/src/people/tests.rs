//! Profiles against a real MariaDB: a profile shows only what its person chose and only
//! what the public may see; an avatar is the person's own upload, and a replaced one is
//! released; following a person counts each follower once.

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::model::{ActivityKind, AvatarChange, ValidProfile, Visibility};
use super::queries::Profiles;
use crate::organisation::testing::Cast;
use crate::problems::testing::{published, report};
use civic::comments::Comments;
use civic::photos::{NewPhoto, Photos};
use platform::db::schema::{profiles, themes, users};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};
use platform::ids::UserId;

fn at(day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, day)
        .and_then(|day| day.and_hms_opt(12, 0, 0))
        .expect("a time")
}

fn profile(shown: Visibility, avatar: AvatarChange) -> ValidProfile {
    ValidProfile {
        display_name: "Анна Петрова".into(),
        about: "Пишу о дорогах.".into(),
        shown,
        avatar,
    }
}

#[tokio::test]
async fn a_profile_shows_only_what_its_person_chose_and_the_public_may_see() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    // Every report waits for a moderator, so one can stay unpublished.
    diesel::update(themes::table)
        .set(themes::premoderation.eq(true))
        .execute(&mut conn)
        .await
        .expect("premoderation");
    let public = published(&mut conn, &cast, at(1)).await;
    let waiting = report(&mut conn, &cast, at(2)).await;
    let shown_comment = Comments::add(
        &mut conn,
        public.subject(),
        cast.author,
        "Яма стала ещё глубже.",
        None,
        None,
        at(3),
    )
    .await
    .expect("comment");
    let hidden_comment = Comments::add(
        &mut conn,
        public.subject(),
        cast.author,
        "Грубость.",
        None,
        None,
        at(4),
    )
    .await
    .expect("comment");
    Comments::hide(
        &mut conn,
        hidden_comment,
        cast.moderator,
        "Оскорбление",
        at(5),
    )
    .await
    .expect("hide");
    assert_ne!(shown_comment, hidden_comment);

    // Before the person chooses anything, only the name shows.
    let bare = Profiles::view(&mut conn, cast.author, None)
        .await
        .expect("view");
    assert_eq!(bare.shown, Visibility::default());
    assert!(bare.activity.is_empty());
    assert!(bare.municipality.is_none());
    assert!(!bare.may_follow && !bare.is_self);

    let shown = Visibility {
        problems: true,
        comments: true,
        ..Visibility::default()
    };
    Profiles::save(
        &mut conn,
        cast.author,
        profile(shown, AvatarChange::Keep),
        at(6),
    )
    .await
    .expect("save");
    let view = Profiles::view(&mut conn, cast.author, Some(cast.official))
        .await
        .expect("view");
    assert_eq!(view.display_name, "Анна Петрова");
    assert_eq!(view.about, "Пишу о дорогах.");
    assert!(
        view.municipality.is_none(),
        "the municipality was not ticked"
    );
    let problems: Vec<&str> = view
        .activity
        .iter()
        .filter(|item| item.kind == ActivityKind::Problem)
        .map(|item| item.href.as_str())
        .collect();
    assert_eq!(
        problems,
        [format!("/problems/{public}")],
        "the problem in moderation ({waiting}) is not listed"
    );
    let comments: Vec<&str> = view
        .activity
        .iter()
        .filter(|item| item.kind == ActivityKind::Comment)
        .map(|item| item.excerpt.as_str())
        .collect();
    assert_eq!(
        comments,
        ["Яма стала ещё глубже."],
        "the hidden one is not listed"
    );
    assert!(view.may_follow && !view.following && !view.is_self);

    // Ticking the municipality shows it; the owner sees their own page as such.
    let everything = Visibility {
        municipality: true,
        ..shown
    };
    Profiles::save(
        &mut conn,
        cast.author,
        profile(everything, AvatarChange::Keep),
        at(7),
    )
    .await
    .expect("save again");
    let own = Profiles::view(&mut conn, cast.author, Some(cast.author))
        .await
        .expect("view");
    assert_eq!(own.municipality.map(|m| m.id), Some(cast.krasnodar));
    assert!(own.is_self && !own.may_follow);
    let rows: i64 = profiles::table
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(rows, 1, "saving again updates the one row");
    assert_eq!(
        Profiles::view(&mut conn, UserId(u64::MAX), None).await,
        Err(AppError::NotFound)
    );
}

#[tokio::test]
async fn an_avatar_is_the_persons_own_upload_and_a_replaced_one_is_released() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let tokens = [
        (cast.author, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        (cast.official, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
        (cast.author, "cccccccccccccccccccccccccccccccc"),
    ];
    for (uploader, token) in tokens {
        let photo = NewPhoto {
            uploader,
            token,
            file_key: token,
            width: 400,
            height: 400,
            bytes: 1000,
        };
        Photos::stage(&mut conn, photo, at(1)).await.expect("stage");
    }
    let replace = |token: &str| {
        profile(
            Visibility::default(),
            AvatarChange::Replace(token.to_string()),
        )
    };
    let foreign = Profiles::save(&mut conn, cast.author, replace(tokens[1].1), at(2)).await;
    assert_eq!(
        foreign,
        Err(AppError::invalid("avatar", ErrorCode::PhotoMissing))
    );
    let name: String = users::table
        .find(cast.author)
        .select(users::display_name)
        .first(&mut conn)
        .await
        .expect("name");
    assert_ne!(name, "Анна Петрова", "the refused change stored nothing");

    let first = Profiles::save(&mut conn, cast.author, replace(tokens[0].1), at(2))
        .await
        .expect("avatar");
    let avatar = first.avatar.expect("an avatar");
    assert_eq!(avatar.url, "/media/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpg");
    let second = Profiles::save(&mut conn, cast.author, replace(tokens[2].1), at(3))
        .await
        .expect("new avatar");
    assert_eq!(
        second.avatar.map(|photo| photo.url),
        Some("/media/cccccccccccccccccccccccccccccccc.jpg".to_string())
    );
    let cutoff = at(4).checked_add_days(Days::new(1)).expect("a time");
    let mut staged: Vec<String> = Photos::staged_before(&mut conn, cutoff, 10)
        .await
        .expect("staged")
        .into_iter()
        .map(|(_, key)| key)
        .collect();
    staged.sort();
    assert_eq!(
        staged,
        [tokens[0].1, tokens[1].1],
        "the replaced avatar waits for the cleanup with the unused upload"
    );
    let removed = Profiles::save(
        &mut conn,
        cast.author,
        profile(Visibility::default(), AvatarChange::Remove),
        at(4),
    )
    .await
    .expect("removed");
    assert!(removed.avatar.is_none());
}

#[tokio::test]
async fn following_a_person_counts_each_follower_once() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    for follower in [cast.official, cast.official, cast.moderator] {
        Profiles::follow(&mut conn, cast.author, follower, true, at(1))
            .await
            .expect("follow");
    }
    let view = Profiles::view(&mut conn, cast.author, Some(cast.official))
        .await
        .expect("view");
    assert_eq!(view.followers, 2, "following twice is following once");
    assert!(view.following);
    assert_eq!(
        Profiles::follow(&mut conn, cast.author, cast.official, false, at(2)).await,
        Ok(1)
    );
    assert_eq!(
        Profiles::follow(&mut conn, cast.author, cast.author, true, at(2)).await,
        Err(AppError::Forbidden),
        "one does not follow oneself"
    );
    assert_eq!(
        Profiles::follow(&mut conn, UserId(u64::MAX), cast.author, true, at(2)).await,
        Err(AppError::NotFound)
    );
}

#[tokio::test]
async fn a_block_ends_following_both_ways_and_refuses_follows_and_comments_either_way() {
    use crate::publications::model::ValidPublication;
    use crate::publications::queries::Publications;
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let (writer, pest) = (cast.author, cast.official);
    Profiles::follow(&mut conn, writer, pest, true, at(1))
        .await
        .expect("follow");
    Profiles::follow(&mut conn, pest, writer, true, at(1))
        .await
        .expect("follow back");
    let author = crate::auth::queries::Users::session_user(&mut conn, writer)
        .await
        .expect("session");
    let publication = ValidPublication {
        body: "Открыли сквер".into(),
        photo_tokens: Vec::new(),
        department: None,
    };
    let id = Publications::create(&mut conn, &author, &publication, at(1))
        .await
        .expect("published");

    Profiles::block(&mut conn, writer, pest, true, at(2))
        .await
        .expect("block");
    Profiles::block(&mut conn, writer, pest, true, at(2))
        .await
        .expect("blocking twice is blocking once");
    let seen = Profiles::view(&mut conn, pest, Some(writer))
        .await
        .expect("view");
    assert!(seen.blocked && !seen.following);
    assert_eq!(seen.followers, 0);
    assert_eq!(
        Profiles::view(&mut conn, writer, None)
            .await
            .expect("view")
            .followers,
        0,
        "the blocked person no longer follows"
    );
    for (person, follower) in [(writer, pest), (pest, writer)] {
        assert_eq!(
            Profiles::follow(&mut conn, person, follower, true, at(3)).await,
            Err(AppError::Forbidden),
            "neither follows the other while the block stands"
        );
    }
    assert_eq!(
        Publications::add_comment(&mut conn, id, pest, "Ерунда", at(3)).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        Profiles::block(&mut conn, writer, writer, true, at(3)).await,
        Err(AppError::Forbidden)
    );

    Profiles::block(&mut conn, writer, pest, false, at(4))
        .await
        .expect("unblock");
    Publications::add_comment(&mut conn, id, pest, "Спасибо за сквер", at(5))
        .await
        .expect("a comment after the unblock");
    Profiles::follow(&mut conn, writer, pest, true, at(5))
        .await
        .expect("following again");
}

#[tokio::test]
async fn the_activity_feed_holds_followed_peoples_shown_doings_and_whats_new_where_one_follows() {
    use super::feed::{CURSOR, activity_page};
    use super::model::Via;
    use crate::auth::model::PERSON;
    use crate::auth::testing::test_user;
    use crate::geography::model::MUNICIPALITY;
    use civic::follows::Follows;
    use civic::subject::Subject;

    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let cast = Cast::new(&mut conn).await;
    let reader = test_user(&mut conn, "reader").await;
    Follows::set(
        &mut conn,
        Subject::new(PERSON, cast.author.0),
        reader,
        true,
        at(1),
    )
    .await
    .expect("follow");
    // The author shows nothing yet: following them shows none of their problems.
    let first = published(&mut conn, &cast, at(2)).await;
    let page = activity_page(&mut conn, reader, None).await.expect("feed");
    assert!(page.events.is_empty());

    Profiles::save(
        &mut conn,
        cast.author,
        profile(
            Visibility {
                problems: true,
                ..Visibility::default()
            },
            AvatarChange::Keep,
        ),
        at(3),
    )
    .await
    .expect("profile");
    let mut problems = vec![first];
    for day in 4..=25 {
        problems.push(published(&mut conn, &cast, at(day)).await);
    }
    let page = activity_page(&mut conn, reader, None).await.expect("feed");
    assert_eq!(page.events.len(), 20);
    assert!(
        page.events
            .iter()
            .all(|event| matches!(event.via, Via::Person { id, .. } if id == cast.author))
    );
    assert_eq!(
        page.events[0].item.href,
        format!("/problems/{}", problems[22])
    );
    assert!(
        page.events
            .windows(2)
            .all(|pair| pair[0].item.at >= pair[1].item.at)
    );
    let older = page.older.expect("a second page");
    let before = NaiveDateTime::parse_from_str(&older, CURSOR).expect("cursor");
    let second = activity_page(&mut conn, reader, Some(before))
        .await
        .expect("older");
    let hrefs: Vec<String> = second
        .events
        .iter()
        .map(|event| event.item.href.clone())
        .collect();
    assert_eq!(
        hrefs,
        [problems[2], problems[1], problems[0]].map(|id| format!("/problems/{id}"))
    );
    assert_eq!(second.older, None);

    // Following the municipality too: each problem still appears once, by the person;
    // a stranger's problem there appears by the municipality.
    Follows::set(
        &mut conn,
        Subject::new(MUNICIPALITY, cast.krasnodar.0),
        reader,
        true,
        at(26),
    )
    .await
    .expect("follow the city");
    let page = activity_page(&mut conn, reader, None).await.expect("feed");
    assert_eq!(page.events.len(), 20);
    assert_eq!(page.followed.len(), 1);
    assert_eq!(page.municipalities.len(), 44);
    let mut hrefs: Vec<&str> = page
        .events
        .iter()
        .map(|event| event.item.href.as_str())
        .collect();
    hrefs.dedup();
    assert_eq!(hrefs.len(), 20, "no problem twice");
    let stranger = Cast {
        author: test_user(&mut conn, "stranger").await,
        ..cast
    };
    let theirs = published(&mut conn, &stranger, at(27)).await;
    let page = activity_page(&mut conn, reader, None).await.expect("feed");
    assert_eq!(page.events[0].item.href, format!("/problems/{theirs}"));
    assert!(matches!(page.events[0].via, Via::Municipality { .. }));
    assert_eq!(page.events[0].item.kind, ActivityKind::Problem);
}
