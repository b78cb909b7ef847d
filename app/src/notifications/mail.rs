//! Notifications by e-mail: the outbox's `notice` events (written by the civic
//! notifications for recipients who asked for mail), each described as the bell
//! describes it, for its reader, and mailed in the reader's language.

use diesel::result::OptionalExtension;
use platform::db::DbPool;
use platform::i18n::Message as _;
use platform::mail::{Mail, Mailer};
use platform::outbox::{ClaimedEvent, Deliverer};

use super::describe::describe;
use crate::auth::queries::Users;
use crate::i18n::Msg;
use civic::notifications::{Notice, NotificationId, StoredNotification};

/// Mails `notice` events.
#[derive(Clone)]
pub struct NoticeMailer {
    pool: DbPool,
    mailer: Mailer,
    site_url: String,
}

impl NoticeMailer {
    /// Mails through `mailer`, with links to the portal at `site_url`.
    pub fn new(pool: DbPool, mailer: Mailer, site_url: &str) -> Self {
        Self {
            pool,
            mailer,
            site_url: site_url.trim_end_matches('/').to_string(),
        }
    }

    /// The mail telling `event`'s notice to its reader, or `None` when there is nothing
    /// to tell any more (the account is gone, or the notice is of a kind this version
    /// does not know).
    pub async fn compose(&self, event: &ClaimedEvent) -> Result<Option<Mail>, String> {
        let notice: Notice = serde_json::from_str(&event.payload)
            .map_err(|error| format!("unreadable notice: {error}"))?;
        let mut conn = self.pool.get().await.map_err(|error| error.to_string())?;
        let Some(reader) = Users::session_user(&mut conn, notice.user_id)
            .await
            .optional()
            .map_err(|error| error.to_string())?
        else {
            return Ok(None);
        };
        let stored = StoredNotification {
            id: NotificationId(0),
            kind: notice.kind,
            subject_kind: notice.subject_kind,
            subject_id: notice.subject_id,
            at: event.created_at,
            read: false,
        };
        let described = describe(&mut conn, &reader, vec![stored])
            .await
            .map_err(|error| error.to_string())?;
        let Some(notification) = described.into_iter().next() else {
            return Ok(None);
        };
        let locale = reader.locale;
        let what = notification.kind.msg().text(locale);
        let site = &self.site_url;
        Ok(Some(Mail {
            to: reader.email,
            subject: format!("{what}: {}", notification.title),
            body: format!(
                "{}!\n\n{}\n{what}\n{site}{}\n\n{}\n{site}/account\n\n— {}\n",
                Msg::MailGreeting.text(locale),
                notification.title,
                notification.href,
                Msg::MailNoticeSettings.text(locale),
                Msg::SiteName.text(locale),
            ),
        }))
    }
}

impl Deliverer for NoticeMailer {
    async fn deliver(&self, event: &ClaimedEvent) -> Result<(), String> {
        match self.compose(event).await? {
            Some(mail) => self.mailer.send(event.id, &mail).await,
            None => Ok(()),
        }
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use diesel::prelude::*;
    use diesel_async::{AsyncConnection, RunQueryDsl};
    use platform::db::schema::themes;
    use platform::db::testing::TestDb;
    use platform::geo::LatLon;
    use platform::outbox::{CLAIM_HOLD, claim_due};

    use super::*;
    use crate::auth::model::Acting;
    use crate::auth::model::MailSettings;
    use crate::auth::model::Role;
    use crate::auth::queries::Roles;
    use crate::auth::testing::{municipality_id, test_user_in};
    use crate::organisation::queries::RoutingRules;
    use crate::problems::model::{ProblemAction, ValidProblem};
    use crate::problems::queries::{Problems, StepDetails};

    /// The notice mails due now, composed; each event is claimed once.
    async fn composed(db: &TestDb, notices: &NoticeMailer, run: &str) -> Vec<Mail> {
        let mut conn = db.conn().await;
        let due = claim_due(&mut conn, run, platform::clock::now(), CLAIM_HOLD, 100)
            .await
            .expect("claim");
        let mut mails = Vec::new();
        for event in due.iter().filter(|event| event.channel == "notice") {
            if let Some(mail) = notices.compose(event).await.expect("composed") {
                mails.push(mail);
            }
        }
        mails
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_department_is_mailed_its_assignment_and_an_author_who_asked_each_step() {
        let db = TestDb::new().await;
        let mut conn = db.conn().await;
        let krasnodar = municipality_id(&mut conn, "krasnodar").await;
        let theme = themes::table
            .filter(themes::slug.eq("road-damage"))
            .select(themes::id)
            .first(&mut conn)
            .await
            .expect("road theme");
        diesel::update(themes::table.find(theme))
            .set(themes::premoderation.eq(false))
            .execute(&mut conn)
            .await
            .expect("published at once");
        let department = RoutingRules::resolve(&mut conn, theme, krasnodar)
            .await
            .expect("resolve")
            .expect("road damage in Krasnodar is routed");
        let author = test_user_in(&mut conn, "author", krasnodar).await;
        let official = test_user_in(&mut conn, "official", krasnodar).await;
        let quiet_official = test_user_in(&mut conn, "quiet", krasnodar).await;
        let now = platform::clock::now();
        for person in [official, quiet_official] {
            Roles::grant(
                &mut conn,
                person,
                Role::Official,
                Some(department),
                None,
                now,
            )
            .await
            .expect("grant");
        }
        let off = MailSettings {
            work: false,
            followed: false,
        };
        Users::set_mail_settings(&mut conn, quiet_official, off)
            .await
            .expect("the quiet official turns mail off");
        let problem = ValidProblem {
            theme_id: theme,
            point: LatLon {
                lat: 45.0355,
                lon: 38.9753,
            },
            address: "ул. Красная, 1".into(),
            title: "Яма на дороге".into(),
            description: "Глубокая яма посреди полосы.".into(),
            photo_tokens: Vec::new(),
            client_id: None,
        };
        let id = conn
            .transaction(async move |conn| {
                Problems::create(conn, author, &problem, krasnodar, "web", now).await
            })
            .await
            .expect("report");
        drop(conn);

        let directory = std::env::temp_dir().join(format!("notices-{}", rand::random::<u64>()));
        let mailer = Mailer::directory(&directory, "noreply@openregion.example").expect("mailer");
        let notices = NoticeMailer::new(db.pool().clone(), mailer, "https://open.example/");
        let routed = composed(&db, &notices, "run-1").await;
        assert_eq!(
            routed.len(),
            1,
            "the official who did not turn mail off: {routed:?}"
        );
        let mail = &routed[0];
        assert!(mail.to.starts_with("official"), "{}", mail.to);
        assert_eq!(mail.subject, "Направлена в ведомство: Яма на дороге");
        assert!(
            mail.body
                .contains(&format!("https://open.example/problems/{id}")),
            "{}",
            mail.body
        );

        // The author asks for mail, and hears of the official's answer.
        let mut conn = db.conn().await;
        let on = MailSettings {
            work: true,
            followed: true,
        };
        Users::set_mail_settings(&mut conn, author, on)
            .await
            .expect("opt in");
        let official_acting = Acting::official(official, department);
        Problems::step(
            &mut conn,
            id,
            official_acting,
            ProblemAction::Answer,
            StepDetails {
                text: "Ремонт включён в план на май.".into(),
                ..StepDetails::default()
            },
            platform::clock::now(),
        )
        .await
        .expect("answer");
        let answered = composed(&db, &notices, "run-2").await;
        assert_eq!(answered.len(), 1, "{answered:?}");
        assert!(answered[0].to.starts_with("author"));
        assert_eq!(answered[0].subject, "Официальный ответ: Яма на дороге");
        std::fs::remove_dir_all(&directory).ok();
    }
}
