//! In-app notifications (the bell): what happened to a subject, for one user.
//!
//! Written in the same transaction as the step they tell about; the feature owning the
//! subject names what happened (`kind`, in its own terms) and turns a stored notification
//! into a title and a link when the bell shows it.
//!
//! A recipient who asked for it also gets the notification by e-mail: a [`Notice`] goes
//! into the outbox in the same transaction (officials' work unless they turned it off,
//! what one follows if one turned it on), and is described at delivery as the bell
//! describes it. Per kind of subject, a person may turn the bell off or choose e-mail
//! apart from their general setting ([`NotificationPreferences`]).

use chrono::NaiveDateTime;
use platform::id_type;

id_type!(
    /// An in-app notification.
    NotificationId
);

/// A notification as stored, before the owner of its subject describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNotification {
    /// Its id.
    pub id: NotificationId,
    /// What happened, in the subject owner's terms.
    pub kind: String,
    /// The kind of subject it is about.
    pub subject_kind: String,
    /// The id of that subject.
    pub subject_id: u64,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// Whether the recipient has read it.
    pub read: bool,
}

/// A notification to mail: the outbox payload of the `notice` channel.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    /// The recipient.
    pub user_id: platform::ids::UserId,
    /// What happened, in the subject owner's terms.
    pub kind: String,
    /// The kind of subject it is about.
    pub subject_kind: String,
    /// The id of that subject.
    pub subject_id: u64,
}

#[cfg(feature = "ssr")]
pub use store::{NotificationPreferences, Notifications};

#[cfg(feature = "ssr")]
mod store {
    use chrono::NaiveDateTime;
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Datetime, Text, Unsigned};
    use diesel_async::{AsyncMysqlConnection, RunQueryDsl};
    use platform::db::schema::{notification_preferences, notifications, user_roles, users};
    use platform::ids::{DepartmentId, UserId};
    use platform::outbox::{self, Channel, NewEvent};

    use super::{Notice, NotificationId, StoredNotification};
    use crate::subject::Subject;

    #[derive(Queryable, Selectable)]
    #[diesel(table_name = notifications, check_for_backend(diesel::mysql::Mysql))]
    struct NotificationRow {
        id: NotificationId,
        kind: String,
        subject_kind: String,
        subject_id: u64,
        created_at: NaiveDateTime,
        read_at: Option<NaiveDateTime>,
    }

    /// The bell of every user.
    pub struct Notifications;

    impl Notifications {
        /// Tells every follower of `subject` except `actor` (who knows what they did).
        pub async fn to_followers(
            conn: &mut AsyncMysqlConnection,
            subject: Subject,
            kind: &str,
            actor: Option<UserId>,
            now: NaiveDateTime,
        ) -> QueryResult<()> {
            // The bell rings unless the follower turned it off for this kind of subject;
            // e-mail goes where their choice for the kind, or else their general setting,
            // asks for it.
            diesel::sql_query(
                "INSERT INTO notifications (user_id, kind, subject_kind, subject_id, created_at) \
                 SELECT f.user_id, ?, f.subject_kind, f.subject_id, ? FROM follows f \
                 LEFT JOIN notification_preferences p \
                   ON p.user_id = f.user_id AND p.topic = f.subject_kind \
                 WHERE f.subject_kind = ? AND f.subject_id = ? AND f.user_id <> ? \
                   AND COALESCE(p.bell, TRUE)",
            )
            .bind::<Text, _>(kind)
            .bind::<Datetime, _>(now)
            .bind::<Text, _>(subject.kind.as_str())
            .bind::<Unsigned<BigInt>, _>(subject.id)
            .bind::<Unsigned<BigInt>, _>(actor.map_or(0, |user| user.0))
            .execute(conn)
            .await?;
            let mailed: Vec<Recipient> = diesel::sql_query(
                "SELECT u.id, u.email FROM follows f JOIN users u ON u.id = f.user_id \
                 LEFT JOIN notification_preferences p \
                   ON p.user_id = f.user_id AND p.topic = f.subject_kind \
                 WHERE f.subject_kind = ? AND f.subject_id = ? AND f.user_id <> ? \
                   AND COALESCE(p.mail, u.mail_followed_notices)",
            )
            .bind::<Text, _>(subject.kind.as_str())
            .bind::<Unsigned<BigInt>, _>(subject.id)
            .bind::<Unsigned<BigInt>, _>(actor.map_or(0, |user| user.0))
            .load(conn)
            .await?;
            let mailed: Vec<(UserId, String)> = mailed
                .into_iter()
                .map(|recipient| (UserId(recipient.id), recipient.email))
                .collect();
            mail_notices(conn, &mailed, subject, kind, now).await
        }

        /// Tells every official of `department` (reminders, escalations, new reports).
        pub async fn to_officials(
            conn: &mut AsyncMysqlConnection,
            department: DepartmentId,
            subject: Subject,
            kind: &str,
            now: NaiveDateTime,
        ) -> QueryResult<()> {
            diesel::sql_query(
                "INSERT INTO notifications (user_id, kind, subject_kind, subject_id, created_at) \
                 SELECT r.user_id, ?, ?, ?, ? FROM user_roles r \
                 WHERE r.role = 'official' AND r.department_id = ?",
            )
            .bind::<Text, _>(kind)
            .bind::<Text, _>(subject.kind.as_str())
            .bind::<Unsigned<BigInt>, _>(subject.id)
            .bind::<Datetime, _>(now)
            .bind::<Unsigned<BigInt>, _>(department.0)
            .execute(conn)
            .await?;
            let mailed: Vec<(UserId, String)> = user_roles::table
                .inner_join(users::table.on(users::id.eq(user_roles::user_id)))
                .filter(user_roles::role.eq("official"))
                .filter(user_roles::department_id.eq(department))
                .filter(users::mail_work_notices.eq(true))
                .select((users::id, users::email))
                .load(conn)
                .await?;
            mail_notices(conn, &mailed, subject, kind, now).await
        }

        /// Tells one user, as their choice for `subject`'s kind asks (a kind nobody can
        /// choose for, such as a moderator's decision, always reaches them).
        pub async fn to_user(
            conn: &mut AsyncMysqlConnection,
            user: UserId,
            subject: Subject,
            kind: &str,
            now: NaiveDateTime,
        ) -> QueryResult<()> {
            let (general_mail, email): (bool, String) = users::table
                .find(user)
                .select((users::mail_followed_notices, users::email))
                .first(conn)
                .await?;
            let chosen = NotificationPreferences::of(conn, user, subject.kind.as_str()).await?;
            let (bell, mail) = chosen.unwrap_or((true, general_mail));
            if bell {
                ring(conn, user, subject, kind, now).await?;
            }
            if mail {
                mail_notices(conn, &[(user, email)], subject, kind, now).await?;
            }
            Ok(())
        }

        /// Tells one user of work given to them (an expert assigned to an initiative): the
        /// bell always rings, and e-mail goes as their setting for work asks, as for
        /// [`Self::to_officials`]; no choice per kind of subject mutes work.
        pub async fn to_user_for_work(
            conn: &mut AsyncMysqlConnection,
            user: UserId,
            subject: Subject,
            kind: &str,
            now: NaiveDateTime,
        ) -> QueryResult<()> {
            ring(conn, user, subject, kind, now).await?;
            let mailed: Vec<(UserId, String)> = users::table
                .find(user)
                .filter(users::mail_work_notices.eq(true))
                .select((users::id, users::email))
                .load(conn)
                .await?;
            mail_notices(conn, &mailed, subject, kind, now).await
        }

        /// How many unread notifications a user has.
        pub async fn unread_count(
            conn: &mut AsyncMysqlConnection,
            user: UserId,
        ) -> QueryResult<i64> {
            notifications::table
                .filter(notifications::user_id.eq(user))
                .filter(notifications::read_at.is_null())
                .count()
                .get_result(conn)
                .await
        }

        /// A user's newest notifications, newest first.
        pub async fn recent(
            conn: &mut AsyncMysqlConnection,
            user: UserId,
            limit: i64,
        ) -> QueryResult<Vec<StoredNotification>> {
            let rows: Vec<NotificationRow> = notifications::table
                .filter(notifications::user_id.eq(user))
                .order(notifications::id.desc())
                .limit(limit)
                .select(NotificationRow::as_select())
                .load(conn)
                .await?;
            Ok(rows
                .into_iter()
                .map(|row| StoredNotification {
                    id: row.id,
                    kind: row.kind,
                    subject_kind: row.subject_kind,
                    subject_id: row.subject_id,
                    at: row.created_at,
                    read: row.read_at.is_some(),
                })
                .collect())
        }

        /// Marks every notification of a user read.
        pub async fn mark_all_read(
            conn: &mut AsyncMysqlConnection,
            user: UserId,
            now: NaiveDateTime,
        ) -> QueryResult<()> {
            diesel::update(
                notifications::table
                    .filter(notifications::user_id.eq(user))
                    .filter(notifications::read_at.is_null()),
            )
            .set(notifications::read_at.eq(now))
            .execute(conn)
            .await
            .map(drop)
        }
    }

    /// Writes one notification into `user`'s bell.
    async fn ring(
        conn: &mut AsyncMysqlConnection,
        user: UserId,
        subject: Subject,
        kind: &str,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::insert_into(notifications::table)
            .values((
                notifications::user_id.eq(user),
                notifications::kind.eq(kind),
                notifications::subject_kind.eq(subject.kind.as_str()),
                notifications::subject_id.eq(subject.id),
                notifications::created_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    #[derive(QueryableByName)]
    struct Recipient {
        #[diesel(sql_type = Unsigned<BigInt>)]
        id: u64,
        #[diesel(sql_type = Text)]
        email: String,
    }

    /// Where each person wants the notifications of each kind of subject: a row per
    /// choice that differs from the defaults (the bell rings; e-mail as the person's
    /// general setting says).
    pub struct NotificationPreferences;

    impl NotificationPreferences {
        /// `user`'s choice for `topic` (bell, mail), if they made one.
        pub async fn of(
            conn: &mut AsyncMysqlConnection,
            user: UserId,
            topic: &str,
        ) -> QueryResult<Option<(bool, bool)>> {
            notification_preferences::table
                .find((user, topic))
                .select((
                    notification_preferences::bell,
                    notification_preferences::mail,
                ))
                .first(conn)
                .await
                .optional()
        }

        /// Every choice `user` made: topic, bell, mail.
        pub async fn all(
            conn: &mut AsyncMysqlConnection,
            user: UserId,
        ) -> QueryResult<Vec<(String, bool, bool)>> {
            notification_preferences::table
                .filter(notification_preferences::user_id.eq(user))
                .select((
                    notification_preferences::topic,
                    notification_preferences::bell,
                    notification_preferences::mail,
                ))
                .load(conn)
                .await
        }

        /// Stores `user`'s choice for `topic` (bell, mail), or forgets it (`None`: the
        /// defaults again).
        pub async fn set(
            conn: &mut AsyncMysqlConnection,
            user: UserId,
            topic: &str,
            choice: Option<(bool, bool)>,
        ) -> QueryResult<()> {
            match choice {
                Some((bell, mail)) => {
                    diesel::replace_into(notification_preferences::table)
                        .values((
                            notification_preferences::user_id.eq(user),
                            notification_preferences::topic.eq(topic),
                            notification_preferences::bell.eq(bell),
                            notification_preferences::mail.eq(mail),
                        ))
                        .execute(conn)
                        .await?;
                }
                None => {
                    diesel::delete(notification_preferences::table.find((user, topic)))
                        .execute(conn)
                        .await?;
                }
            }
            Ok(())
        }
    }

    /// Writes a [`Notice`] for each of `recipients` (id, e-mail address) into the outbox.
    /// Ordered per mailbox, like every e-mail.
    async fn mail_notices(
        conn: &mut AsyncMysqlConnection,
        recipients: &[(UserId, String)],
        subject: Subject,
        kind: &str,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        for (user, email) in recipients {
            let notice = Notice {
                user_id: *user,
                kind: kind.to_string(),
                subject_kind: subject.kind.as_str().to_string(),
                subject_id: subject.id,
            };
            let payload = serde_json::to_string(&notice)
                .map_err(|error| diesel::result::Error::SerializationError(Box::new(error)))?;
            let key = format!("mail:{email}");
            outbox::enqueue(
                conn,
                NewEvent {
                    channel: Channel::Notice,
                    kind,
                    ordering_key: &key,
                    payload: &payload,
                },
                now,
            )
            .await?;
        }
        Ok(())
    }
}
