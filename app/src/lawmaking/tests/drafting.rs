//! Database tests of the drafting stage: who publishes versions and when, the conflict
//! of two editors, amendments refused and kept, exact supports, dispositions, outdated
//! amendments and the comparison of versions.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::super::model::drafting::{
    AmendmentId, AmendmentStatus, ChangeKind, Disposition, ValidAmendment, split_articles,
};
use super::super::model::{Action, InitiativeId};
use super::super::queries::Initiatives;
use super::super::queries::disposition::{Dispositions, Proposal};
use super::super::queries::drafting::Drafts;
use super::{World, at, events_of, session, world};
use crate::auth::model::{Acting, UserId};
use crate::auth::testing::test_user_in;
use civic::audit::AuditEntry;
use civic::notifications::Notifications;
use civic::supports::Supports;
use platform::db::schema::initiative_versions;
use platform::error::{AppError, ErrorCode};

pub(super) const FIRST: &str = "Закон о тишине во дворах\n\
    1. С 23:00 до 7:00 шумные работы во дворах запрещены.\n\
    2. Нарушение влечёт штраф 500 рублей.\n\
    3. Закон вступает в силу через 10 дней.";

impl World {
    /// An initiative in drafting (the discussion closed early by the moderator).
    pub(super) async fn drafting(
        &self,
        conn: &mut AsyncMysqlConnection,
        now: NaiveDateTime,
    ) -> InitiativeId {
        let id = self.discussion(conn, now).await;
        Initiatives::step(
            conn,
            id,
            &self.cast.as_moderator(),
            Action::StartDrafting,
            "",
            now,
        )
        .await
        .expect("start drafting");
        id
    }

    /// Version `base + 1` of `text`, published by the responsible official.
    pub(super) async fn publish(
        &self,
        conn: &mut AsyncMysqlConnection,
        id: InitiativeId,
        base: u32,
        text: &str,
        now: NaiveDateTime,
    ) -> Result<u32, AppError> {
        let articles = split_articles(text).expect("a valid text");
        Drafts::publish(conn, id, &self.cast.as_official(), base, &articles, "", now).await
    }
}

fn amendment(article: &str, text: &str) -> ValidAmendment {
    ValidAmendment {
        article: article.into(),
        text: text.into(),
        justification: "Так понятнее жителям.".into(),
        anonymous: false,
    }
}

async fn status_of(
    conn: &mut AsyncMysqlConnection,
    id: InitiativeId,
    amendment: AmendmentId,
) -> AmendmentStatus {
    Drafts::text(conn, id, None, None)
        .await
        .expect("text")
        .amendments
        .into_iter()
        .find(|candidate| candidate.id == amendment)
        .expect("the amendment")
        .status
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_responsible_body_publishes_and_only_while_drafting() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-04-01 10:00:00");
    let discussed = w.discussion(&mut conn, now).await;
    assert_eq!(
        w.publish(&mut conn, discussed, 0, FIRST, now).await,
        Err(AppError::IllegalTransition {
            status: "discussion".into(),
            action: "publish_version".into()
        }),
        "no text before the drafting stage"
    );
    let id = w.drafting(&mut conn, now).await;
    let articles = split_articles(FIRST).expect("text");
    for stranger in [w.cast.as_author(), w.cast.as_moderator()] {
        assert_eq!(
            Drafts::publish(&mut conn, id, &stranger, 0, &articles, "", now).await,
            Err(AppError::Forbidden)
        );
    }
    assert_eq!(w.publish(&mut conn, id, 0, FIRST, now).await, Ok(1));
    let text = Drafts::text(&mut conn, id, None, None).await.expect("text");
    assert_eq!(text.shown, Some(1));
    let labels: Vec<&str> = text
        .articles
        .iter()
        .map(|article| article.label.as_str())
        .collect();
    assert_eq!(
        labels,
        ["0", "1", "2", "3"],
        "the title line is the preamble"
    );
    assert!(
        events_of(&mut conn, id)
            .await
            .contains(&"version_published".to_string())
    );
    let audited = AuditEntry::recent(&mut conn, Some(("initiative", id.0)), 10)
        .await
        .expect("audit");
    assert!(
        audited
            .iter()
            .any(|entry| entry.action == "initiative.publish_version"
                && entry.actor_id == Some(w.cast.official)),
        "a published version is audited under its editor"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn of_two_editors_publishing_at_once_one_wins_and_the_other_gets_a_conflict() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-04-01 10:00:00");
    let id = w.drafting(&mut conn, now).await;
    assert_eq!(w.publish(&mut conn, id, 0, FIRST, now).await, Ok(1));
    drop(conn);
    let mut tasks = Vec::new();
    for edit in ["4. Первая правка.", "4. Вторая правка."] {
        let (pool, acting) = (w.db.pool().clone(), w.cast.as_official());
        let articles = split_articles(&format!("{FIRST}\n{edit}")).expect("text");
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            Drafts::publish(&mut conn, id, &acting, 1, &articles, "", now).await
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("task"));
    }
    outcomes.sort_by_key(|outcome| outcome.is_err());
    assert_eq!(outcomes, [Ok(2), Err(AppError::Conflict)]);
    let mut conn = w.db.conn().await;
    let versions: i64 = initiative_versions::table
        .filter(initiative_versions::initiative_id.eq(id))
        .count()
        .get_result(&mut conn)
        .await
        .expect("count");
    assert_eq!(versions, 2, "the loser wrote nothing");
    assert_eq!(
        w.publish(&mut conn, id, 1, FIRST, now).await,
        Err(AppError::Conflict),
        "a stale base is refused later too"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn amendments_are_checked_supported_exactly_decided_and_outdated_by_a_changed_article() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-04-01 10:00:00");
    let id = w.drafting(&mut conn, now).await;
    let citizen = test_user_in(&mut conn, "citizen", w.cast.krasnodar).await;
    assert_eq!(
        Drafts::amend(
            &mut conn,
            id,
            citizen,
            &amendment("3", "Через 30 дней."),
            now
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "drafting".into(),
            action: "amend".into()
        }),
        "nothing to amend before the first version"
    );
    w.publish(&mut conn, id, 0, FIRST, now).await.expect("v1");
    assert_eq!(
        Drafts::amend(
            &mut conn,
            id,
            citizen,
            &amendment("3", " Закон вступает  в силу\nчерез 10 дней. "),
            now
        )
        .await,
        Err(AppError::invalid("text", ErrorCode::Unchanged)),
        "the same words laid out differently are no amendment"
    );
    assert_eq!(
        Drafts::amend(
            &mut conn,
            id,
            citizen,
            &amendment("9", "Новая статья."),
            now
        )
        .await,
        Err(AppError::invalid("article", ErrorCode::NotAllowed))
    );
    let on_three = Drafts::amend(
        &mut conn,
        id,
        citizen,
        &amendment("3", "Закон вступает в силу через 30 дней."),
        now,
    )
    .await
    .expect("amend 3");
    let on_two = Drafts::amend(
        &mut conn,
        id,
        citizen,
        &amendment("2", "Нарушение влечёт штраф 1000 рублей."),
        now,
    )
    .await
    .expect("amend 2");
    let on_one = Drafts::amend(
        &mut conn,
        id,
        w.cast.author,
        &amendment("1", "С 22:00 до 8:00 шумные работы запрещены."),
        now,
    )
    .await
    .expect("amend 1");

    // Supports: each person once, however often they click at once.
    let mut supporters: Vec<UserId> = Vec::new();
    for index in 0..6 {
        supporters
            .push(test_user_in(&mut conn, &format!("supporter{index}"), w.cast.krasnodar).await);
    }
    drop(conn);
    let mut tasks = Vec::new();
    for supporter in supporters.iter().chain(supporters.iter()).copied() {
        let pool = w.db.pool().clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = pool.get().await.expect("connection");
            Drafts::set_support(&mut conn, on_three, supporter, true, now).await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("support");
    }
    let mut conn = w.db.conn().await;
    let text = Drafts::text(&mut conn, id, None, None).await.expect("text");
    let counted = text
        .amendments
        .iter()
        .find(|item| item.id == on_three)
        .expect("amendment");
    assert_eq!(counted.support_count, 6);
    assert_eq!(
        Supports::count(&mut conn, on_three.subject())
            .await
            .expect("count"),
        6
    );

    // Dispositions: the responsible body only, once.
    let citizen_acting = Acting::resident(citizen);
    assert_eq!(
        Dispositions::decide(
            &mut conn,
            Proposal::Amendment(on_three),
            &citizen_acting,
            Disposition::Accepted,
            "да",
            now
        )
        .await,
        Err(AppError::Forbidden)
    );
    Dispositions::decide(
        &mut conn,
        Proposal::Amendment(on_three),
        &w.cast.as_official(),
        Disposition::Accepted,
        "Срок разумен.",
        now,
    )
    .await
    .expect("accept");
    Dispositions::decide(
        &mut conn,
        Proposal::Amendment(on_one),
        &w.cast.as_official(),
        Disposition::Rejected,
        "Противоречит СанПиН.",
        now,
    )
    .await
    .expect("reject");
    assert_eq!(
        Dispositions::decide(
            &mut conn,
            Proposal::Amendment(on_three),
            &w.cast.as_official(),
            Disposition::Rejected,
            "передумали",
            now
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "accepted".into(),
            action: "dispose".into()
        }),
        "a decision stands"
    );
    assert_eq!(
        Drafts::set_support(&mut conn, on_three, citizen, true, now).await,
        Err(AppError::IllegalTransition {
            status: "accepted".into(),
            action: "support".into()
        }),
        "a decided amendment takes no more supports"
    );
    let told = Notifications::recent(&mut conn, citizen, 10)
        .await
        .expect("notifications");
    assert!(
        told.iter().any(|item| item.kind == "amendment_decided"),
        "the author is told"
    );

    // The editor starts from version 1 with the accepted amendment applied, and changes
    // article 2 differently: the open amendment to article 2 is outdated, the accepted
    // one is taken in by version 2.
    let start = Drafts::text(&mut conn, id, None, None)
        .await
        .expect("text")
        .next_version_text();
    assert!(start.contains("через 30 дней"), "{start}");
    let second = start.replace("штраф 500 рублей", "предупреждение, затем штраф 500 рублей");
    assert_eq!(w.publish(&mut conn, id, 1, &second, now).await, Ok(2));
    assert_eq!(
        status_of(&mut conn, id, on_two).await,
        AmendmentStatus::Outdated
    );
    let text = Drafts::text(&mut conn, id, None, None).await.expect("text");
    let accepted = text
        .amendments
        .iter()
        .find(|item| item.id == on_three)
        .expect("amendment");
    assert_eq!(accepted.taken_in, Some(2));
    let rejected = text
        .amendments
        .iter()
        .find(|item| item.id == on_one)
        .expect("amendment");
    assert_eq!(
        rejected.taken_in, None,
        "a rejected amendment is taken in by nothing"
    );
    assert_eq!(
        Dispositions::decide(
            &mut conn,
            Proposal::Amendment(on_two),
            &w.cast.as_official(),
            Disposition::Accepted,
            "поздно",
            now
        )
        .await,
        Err(AppError::IllegalTransition {
            status: "outdated".into(),
            action: "dispose".into()
        })
    );
    assert_eq!(
        text.amendments_of("2").count(),
        0,
        "version 2 shows its own amendments"
    );

    // The comparison shows what changed, word by word.
    let comparison = Drafts::compare(&mut conn, id, 1, 2).await.expect("compare");
    let kinds: Vec<(&str, ChangeKind)> = comparison
        .changes
        .iter()
        .map(|change| (change.label.as_str(), change.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("0", ChangeKind::Same),
            ("1", ChangeKind::Same),
            ("2", ChangeKind::Changed),
            ("3", ChangeKind::Changed)
        ]
    );
    assert_eq!(
        Drafts::compare(&mut conn, id, 1, 7).await,
        Err(AppError::NotFound)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_initiative_in_moderation_shows_its_text_page_to_nobody_else() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-04-01 10:00:00");
    let id = w.propose(&mut conn, false, now).await;
    assert_eq!(
        Drafts::text(&mut conn, id, None, None)
            .await
            .map(|text| text.shown),
        Err(AppError::NotFound)
    );
    assert_eq!(
        Drafts::compare(&mut conn, id, 1, 2).await,
        Err(AppError::NotFound)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_summary_of_proposals_carries_every_amendment_and_the_text_in_cyrillic() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-04-01 10:00:00");
    let id = w.drafting(&mut conn, now).await;
    w.publish(&mut conn, id, 0, FIRST, now).await.expect("v1");
    let citizen = test_user_in(&mut conn, "citizen", w.cast.krasnodar).await;
    let hidden = ValidAmendment {
        anonymous: true,
        ..amendment("2", "Нарушение влечёт предупреждение.")
    };
    let first = Drafts::amend(&mut conn, id, citizen, &hidden, now)
        .await
        .expect("amend");
    Dispositions::decide(
        &mut conn,
        Proposal::Amendment(first),
        &w.cast.as_official(),
        Disposition::Rejected,
        "Штраф нужен для соразмерности.",
        now,
    )
    .await
    .expect("reject");
    let draft = Drafts::text(&mut conn, id, None, None).await.expect("text");
    let document = super::super::exports::document(id, &draft, &[], crate::i18n::Locale::Ru);
    let proposals = &document.tables[0];
    assert_eq!(proposals.rows.len(), 1);
    let cells: Vec<String> = proposals.rows[0]
        .iter()
        .map(|value| match value {
            crate::export::Value::Text(text) => text.clone(),
            crate::export::Value::Integer(number) => number.to_string(),
            _ => String::new(),
        })
        .collect();
    assert_eq!(cells[1], "2.", "the article as the text numbers it");
    assert_eq!(cells[5], "автор скрыт", "an anonymous author stays hidden");
    assert_eq!(cells[7], "Отклонена");
    assert_eq!(cells[8], "Штраф нужен для соразмерности.");
    assert_eq!(
        document.tables[2].rows.len(),
        4,
        "the text, article by article"
    );
    let pdf = crate::export::write_pdf(&document).expect("pdf");
    let extracted = pdf_extract::extract_text_from_mem(&pdf).expect("text");
    let flat = extracted.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Штраф нужен для соразмерности."), "{flat}");
    assert!(flat.contains("Сводка предложений"));
    assert!(
        !crate::export::write_xlsx(&document)
            .expect("xlsx")
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_author_edits_the_text_once_a_moderator_allows_it_and_not_after() {
    let w = world().await;
    let mut conn = w.db.conn().await;
    let now = at("2026-04-01 10:00:00");
    let id = w.drafting(&mut conn, now).await;
    let articles = split_articles(FIRST).expect("a valid text");
    let author = w.cast.as_author();
    assert_eq!(
        Drafts::publish(&mut conn, id, &author, 0, &articles, "", now).await,
        Err(AppError::Forbidden),
        "the author is no editor by default"
    );
    let reason = "Автор — юрист и готов вести текст вместе с органом.";
    assert_eq!(
        Initiatives::set_author_editing(&mut conn, id, &w.cast.as_official(), true, reason, now)
            .await,
        Err(AppError::Forbidden),
        "only a moderator lets the author edit"
    );
    let moderator = w.cast.as_moderator();
    Initiatives::set_author_editing(&mut conn, id, &moderator, true, reason, now)
        .await
        .expect("allow");
    Initiatives::set_author_editing(&mut conn, id, &moderator, true, reason, now)
        .await
        .expect("allowing again changes nothing");
    let author_view = session(&w, &mut conn, w.cast.author).await;
    let draft = Drafts::text(&mut conn, id, None, Some(&author_view))
        .await
        .expect("text");
    assert!(
        draft.may_edit(),
        "the page offers the author the editor's form"
    );

    // The author publishes and decides an amendment, as the body's officials do.
    assert_eq!(
        Drafts::publish(&mut conn, id, &author, 0, &articles, "", now).await,
        Ok(1)
    );
    let citizen = test_user_in(&mut conn, "citizen", w.cast.krasnodar).await;
    let proposed = Drafts::amend(
        &mut conn,
        id,
        citizen,
        &amendment("2", "Нарушение влечёт предупреждение, повторное — штраф."),
        now,
    )
    .await
    .expect("amend");
    Dispositions::decide(
        &mut conn,
        Proposal::Amendment(proposed),
        &author,
        Disposition::Accepted,
        "Сначала предупреждение — справедливо.",
        now,
    )
    .await
    .expect("the author decides");

    // Taken back: the author is refused again, the officials still edit.
    let later = now + chrono::Duration::days(1);
    Initiatives::set_author_editing(
        &mut conn,
        id,
        &moderator,
        false,
        "Текст ведёт орган.",
        later,
    )
    .await
    .expect("withdraw");
    let draft = Drafts::text(&mut conn, id, None, Some(&author_view))
        .await
        .expect("text");
    assert!(!draft.may_edit());
    assert_eq!(
        Drafts::publish(&mut conn, id, &author, 1, &articles, "", later).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(w.publish(&mut conn, id, 1, FIRST, later).await, Ok(2));
    let events = events_of(&mut conn, id).await;
    assert_eq!(
        events
            .iter()
            .filter(|kind| kind.starts_with("author_editing"))
            .collect::<Vec<_>>(),
        ["author_editing_allowed", "author_editing_withdrawn"],
        "each change once in the public history"
    );
    let audit = AuditEntry::recent(&mut conn, Some(("initiative", id.0)), 20)
        .await
        .expect("audit");
    assert_eq!(
        audit
            .iter()
            .filter(|entry| entry.action == "initiative.author_editing")
            .count(),
        2
    );
}
