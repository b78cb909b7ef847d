//! Albums against a real MariaDB: who sees what (public, followers, the share link,
//! hidden), only the owner changes an album, photo counts stay exact and within the
//! limit, removed photos go to the cleanup, and a moderator's hide takes an album out of
//! its owner's profile for everyone else.

use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{Audience, GalleryId, PHOTOS_MAX, ValidGallery};
use super::queries::{Galleries, Viewer};
use crate::auth::model::PERSON;
use crate::auth::testing::{test_minute as at, test_user};
use crate::moderation::model::{Decision, ReportedKind};
use crate::moderation::queries::Moderation;
use civic::follows::Follows;
use civic::photos::{NewPhoto, Photos};
use civic::subject::Subject;
use platform::db::schema::{galleries, photos};
use platform::db::testing::TestDb;
use platform::error::{AppError, ErrorCode};
use platform::ids::UserId;

/// Stages `count` uploads of `uploader` (rows only: these tests read no files); their
/// handles.
async fn staged(conn: &mut AsyncMysqlConnection, uploader: UserId, count: usize) -> Vec<String> {
    let mut tokens = Vec::new();
    for _ in 0..count {
        let token = hex::encode(rand::random::<[u8; 16]>());
        let photo = NewPhoto {
            uploader,
            token: &token,
            file_key: &token,
            width: 800,
            height: 600,
            bytes: 1000,
        };
        Photos::stage(conn, photo, at(0)).await.expect("staged");
        tokens.push(token);
    }
    tokens
}

fn album(title: &str, audience: Audience, photo_tokens: Vec<String>) -> ValidGallery {
    ValidGallery {
        title: title.to_string(),
        description: String::new(),
        audience,
        photo_tokens,
    }
}

fn as_user(id: UserId) -> Viewer {
    Viewer {
        id: Some(id),
        moderator: false,
    }
}

const GUEST: Viewer = Viewer {
    id: None,
    moderator: false,
};

async fn share_key(conn: &mut AsyncMysqlConnection, id: GalleryId) -> String {
    galleries::table
        .find(id)
        .select(galleries::share_key)
        .first(conn)
        .await
        .expect("key")
}

#[tokio::test]
async fn a_followers_album_is_seen_by_followers_and_by_whoever_holds_its_link() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let owner = test_user(&mut conn, "owner").await;
    let follower = test_user(&mut conn, "follower").await;
    let stranger = test_user(&mut conn, "stranger").await;
    Follows::set(
        &mut conn,
        Subject::new(PERSON, owner.0),
        follower,
        true,
        at(0),
    )
    .await
    .expect("follow");
    let tokens = staged(&mut conn, owner, 2).await;
    let public = Galleries::create(
        &mut conn,
        owner,
        &album("Сквер", Audience::Public, tokens),
        at(1),
    )
    .await
    .expect("public");
    let private = Galleries::create(
        &mut conn,
        owner,
        &album("Двор", Audience::Followers, vec![]),
        at(2),
    )
    .await
    .expect("followers");

    let seen = Galleries::get(&mut conn, public, GUEST, None)
        .await
        .expect("public to a guest");
    assert_eq!(seen.photos.len(), 2);
    assert_eq!(seen.share_path, None, "only the owner is given the link");
    for viewer in [GUEST, as_user(stranger)] {
        assert_eq!(
            Galleries::get(&mut conn, private, viewer, None).await.err(),
            Some(AppError::NotFound),
            "a followers' album does not exist for others"
        );
    }
    assert!(
        Galleries::get(&mut conn, private, as_user(follower), None)
            .await
            .is_ok()
    );
    let key = share_key(&mut conn, private).await;
    let mine = Galleries::get(&mut conn, private, as_user(owner), None)
        .await
        .expect("own");
    assert_eq!(
        mine.share_path,
        Some(format!("/galleries/{private}?key={key}"))
    );
    assert!(
        Galleries::get(&mut conn, private, GUEST, Some(&key))
            .await
            .is_ok()
    );
    assert_eq!(
        Galleries::get(
            &mut conn,
            private,
            GUEST,
            Some("00000000000000000000000000000000")
        )
        .await
        .err(),
        Some(AppError::NotFound)
    );

    // A replaced link stops working; the new one works.
    let renewed = Galleries::renew_share_key(&mut conn, private, owner)
        .await
        .expect("renewed");
    assert_ne!(renewed, key);
    assert!(
        Galleries::get(&mut conn, private, GUEST, Some(&key))
            .await
            .is_err()
    );
    assert!(
        Galleries::get(&mut conn, private, GUEST, Some(&renewed))
            .await
            .is_ok()
    );

    // Each viewer's list of the owner's albums holds what they may see.
    let titles = |list: super::model::PersonGalleries| -> Vec<String> {
        list.galleries
            .into_iter()
            .map(|gallery| gallery.title)
            .collect()
    };
    assert_eq!(
        titles(
            Galleries::of_person(&mut conn, owner, GUEST)
                .await
                .expect("guest")
        ),
        ["Сквер"]
    );
    assert_eq!(
        titles(
            Galleries::of_person(&mut conn, owner, as_user(follower))
                .await
                .expect("follower")
        ),
        ["Двор", "Сквер"]
    );
    let own = Galleries::of_person(&mut conn, owner, as_user(owner))
        .await
        .expect("own");
    assert!(own.own);
    assert_eq!(own.galleries[1].photos, 2);
    assert!(
        own.galleries[1].cover.is_some(),
        "the first photo is the cover"
    );
}

#[tokio::test]
async fn only_the_owner_changes_an_album_and_its_count_stays_exact() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let owner = test_user(&mut conn, "owner").await;
    let other = test_user(&mut conn, "other").await;
    let id = Galleries::create(
        &mut conn,
        owner,
        &album("Набережная", Audience::Public, vec![]),
        at(0),
    )
    .await
    .expect("album");
    let tokens = staged(&mut conn, owner, 3).await;
    let others_tokens = staged(&mut conn, other, 1).await;

    assert_eq!(
        Galleries::add_photos(&mut conn, id, other, &others_tokens, at(1))
            .await
            .err(),
        Some(AppError::Forbidden)
    );
    // Someone else's upload refuses the whole addition.
    let mixed = [tokens[0].clone(), others_tokens[0].clone()];
    assert_eq!(
        Galleries::add_photos(&mut conn, id, owner, &mixed, at(1))
            .await
            .err(),
        Some(AppError::invalid("photos", ErrorCode::PhotoMissing))
    );
    assert_eq!(
        Galleries::add_photos(&mut conn, id, owner, &tokens, at(2)).await,
        Ok(3)
    );

    let photos = Galleries::get(&mut conn, id, as_user(owner), None)
        .await
        .expect("album")
        .photos;
    let first = photos[0].id;
    Galleries::set_caption(&mut conn, id, owner, first, "Вид с моста", at(3))
        .await
        .expect("caption");
    // The same caption again is no error (MySQL reports no changed row).
    Galleries::set_caption(&mut conn, id, owner, first, "Вид с моста", at(3))
        .await
        .expect("again");
    assert_eq!(
        Galleries::set_caption(&mut conn, id, other, first, "Чужая подпись", at(3))
            .await
            .err(),
        Some(AppError::Forbidden)
    );
    let shown = Galleries::get(&mut conn, id, GUEST, None)
        .await
        .expect("album");
    assert_eq!(shown.photos[0].caption, "Вид с моста");
    assert_eq!(shown.photos[1].caption, "");

    // A photo of another album is not this album's to caption or remove.
    let elsewhere = Galleries::create(
        &mut conn,
        other,
        &album("Чужой", Audience::Public, others_tokens),
        at(4),
    )
    .await
    .expect("other album");
    let foreign = Galleries::get(&mut conn, elsewhere, GUEST, None)
        .await
        .expect("other")
        .photos[0]
        .id;
    assert_eq!(
        Galleries::remove_photo(&mut conn, id, owner, foreign, at(5))
            .await
            .err(),
        Some(AppError::NotFound)
    );
    assert_eq!(
        Galleries::remove_photo(&mut conn, id, owner, first, at(5)).await,
        Ok(2)
    );
    let (kind, caption): (Option<String>, String) = photos::table
        .find(first)
        .select((photos::subject_kind, photos::caption))
        .first(&mut conn)
        .await
        .expect("released photo");
    assert_eq!(
        (kind, caption.as_str()),
        (None, ""),
        "staged again, for the cleanup"
    );

    assert_eq!(
        Galleries::delete(&mut conn, id, other).await.err(),
        Some(AppError::Forbidden)
    );
    Galleries::delete(&mut conn, id, owner)
        .await
        .expect("deleted");
    assert_eq!(
        Galleries::get(&mut conn, id, as_user(owner), None)
            .await
            .err(),
        Some(AppError::NotFound)
    );
    let attached: i64 = photos::table
        .filter(photos::subject_kind.eq("gallery"))
        .filter(photos::subject_id.eq(id.0))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(attached, 0);
}

#[tokio::test]
async fn an_album_holds_at_most_the_limit_of_photos_however_many_are_added_at_once() {
    let db = TestDb::new().await;
    let owner = {
        let mut conn = db.conn().await;
        test_user(&mut conn, "owner").await
    };
    let id = {
        let mut conn = db.conn().await;
        Galleries::create(
            &mut conn,
            owner,
            &album("Много фото", Audience::Public, vec![]),
            at(0),
        )
        .await
        .expect("album")
    };
    // Batches of five from eight connections at once: 80 photos offered, 60 fit.
    let mut batches = Vec::new();
    for _ in 0..16 {
        let mut conn = db.conn().await;
        batches.push(staged(&mut conn, owner, 5).await);
    }
    let mut tasks = Vec::new();
    for pair in batches.chunks(2) {
        let pair = pair.to_vec();
        let pool = db.pool().clone();
        tasks.push(tokio::spawn(async move {
            let mut added = 0;
            for batch in pair {
                let mut conn = pool.get().await.expect("connection");
                if Galleries::add_photos(&mut conn, id, owner, &batch, at(1))
                    .await
                    .is_ok()
                {
                    added += batch.len();
                }
            }
            added
        }));
    }
    let mut added = 0;
    for task in tasks {
        added += task.await.expect("task");
    }
    assert_eq!(added, PHOTOS_MAX as usize);
    let mut conn = db.conn().await;
    let count: u32 = galleries::table
        .find(id)
        .select(galleries::photo_count)
        .first(&mut conn)
        .await
        .expect("count");
    assert_eq!(count, PHOTOS_MAX);
    assert_eq!(
        Photos::count(&mut conn, id.subject())
            .await
            .expect("photos"),
        u64::from(PHOTOS_MAX)
    );
}

#[tokio::test]
async fn a_hidden_album_is_its_owners_and_the_moderators_alone() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let owner = test_user(&mut conn, "owner").await;
    let reporter = test_user(&mut conn, "reporter").await;
    let moderator = test_user(&mut conn, "moderator").await;
    let id = Galleries::create(
        &mut conn,
        owner,
        &album("Реклама", Audience::Public, vec![]),
        at(0),
    )
    .await
    .expect("album");
    Moderation::report(
        &mut conn,
        ReportedKind::Gallery,
        id.0,
        reporter,
        "Спам",
        at(1),
    )
    .await
    .expect("reported");
    assert_eq!(
        Moderation::report(
            &mut conn,
            ReportedKind::Gallery,
            id.0,
            owner,
            "Сам на себя",
            at(1)
        )
        .await
        .err(),
        Some(AppError::invalid("reason", ErrorCode::NotAllowed))
    );
    let queue = Moderation::queue(&mut conn, 10).await.expect("queue");
    assert_eq!(queue[0].kind, ReportedKind::Gallery);
    assert_eq!(
        queue[0].href.as_deref(),
        Some(format!("/galleries/{id}").as_str())
    );
    Moderation::decide(
        &mut conn,
        ReportedKind::Gallery,
        id.0,
        moderator,
        Decision::Hide,
        "Реклама",
        0,
        at(2),
    )
    .await
    .expect("hidden");

    for viewer in [GUEST, as_user(reporter)] {
        assert_eq!(
            Galleries::get(&mut conn, id, viewer, None).await.err(),
            Some(AppError::NotFound)
        );
        assert!(
            Galleries::of_person(&mut conn, owner, viewer)
                .await
                .expect("list")
                .galleries
                .is_empty()
        );
    }
    let key = share_key(&mut conn, id).await;
    assert!(
        Galleries::get(&mut conn, id, GUEST, Some(&key))
            .await
            .is_err(),
        "nor by its link"
    );
    let own = Galleries::get(&mut conn, id, as_user(owner), None)
        .await
        .expect("own");
    assert_eq!(own.hidden_reason.as_deref(), Some("Реклама"));
    let judged = Galleries::get(
        &mut conn,
        id,
        Viewer {
            id: Some(moderator),
            moderator: true,
        },
        None,
    )
    .await
    .expect("a moderator sees it");
    assert_eq!(
        judged.hidden_reason, None,
        "the reason is the owner's notice"
    );
    assert_eq!(
        Moderation::report(
            &mut conn,
            ReportedKind::Gallery,
            id.0,
            moderator,
            "Ещё",
            at(3)
        )
        .await
        .err(),
        Some(AppError::NotFound),
        "a hidden album is not reported again"
    );
}
