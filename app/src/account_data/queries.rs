//! What a person created, read as JSON straight from the database, and the deletion of
//! their account in one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Text, Unsigned};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl, SimpleAsyncConnection};
use serde_json::{Map, Value};

use crate::auth::model::{AVATAR, PERSON};
use crate::auth::queries::Users;
use crate::galleries::model::GalleryId;
use civic::photos::Photos;
use civic::subject::Subject;
use platform::db::schema::{galleries, photos, users};
use platform::error::{AppError, ErrorCode};
use platform::ids::UserId;

/// The name a deleted account goes by.
pub const DELETED_NAME: &str = "Удалённый пользователь";

/// One part of the download: its name, the table, the columns copied, and the column
/// that names the person.
struct Part {
    name: &'static str,
    table: &'static str,
    columns: &'static [&'static str],
    owner: &'static str,
}

/// Everything a person created or chose, table by table. Messages are read apart (both
/// members' messages of the person's conversations).
const PARTS: &[Part] = &[
    Part {
        name: "account",
        table: "users",
        columns: &[
            "id",
            "email",
            "display_name",
            "home_municipality_id",
            "locale",
            "created_at",
        ],
        owner: "id",
    },
    Part {
        name: "profile",
        table: "profiles",
        columns: &[
            "about",
            "show_municipality",
            "show_problems",
            "show_solutions",
            "show_initiatives",
            "show_comments",
            "updated_at",
        ],
        owner: "user_id",
    },
    Part {
        name: "problems",
        table: "problems",
        columns: &[
            "id",
            "title",
            "description",
            "address",
            "lat",
            "lon",
            "status",
            "created_at",
        ],
        owner: "author_id",
    },
    Part {
        name: "comments",
        table: "comments",
        columns: &[
            "id",
            "subject_kind",
            "subject_id",
            "reply_to",
            "body",
            "position",
            "created_at",
            "hidden_reason",
        ],
        owner: "author_id",
    },
    Part {
        name: "publications",
        table: "publications",
        columns: &["id", "department_id", "body", "created_at"],
        owner: "author_id",
    },
    Part {
        name: "galleries",
        table: "galleries",
        columns: &[
            "id",
            "title",
            "description",
            "audience",
            "photo_count",
            "created_at",
            "updated_at",
        ],
        owner: "owner_id",
    },
    Part {
        name: "challenges",
        table: "challenges",
        columns: &[
            "id",
            "title",
            "description",
            "area_geojson",
            "proposals_until",
            "created_at",
        ],
        owner: "author_id",
    },
    Part {
        name: "solutions",
        table: "solutions",
        columns: &[
            "id",
            "challenge_id",
            "title",
            "description",
            "sketch_geojson",
            "status",
            "status_reason",
            "created_at",
        ],
        owner: "author_id",
    },
    Part {
        name: "initiatives",
        table: "initiatives",
        columns: &[
            "id",
            "title",
            "problem",
            "goal",
            "proposal",
            "stage",
            "created_at",
        ],
        owner: "author_id",
    },
    Part {
        name: "priorities",
        table: "priorities",
        columns: &["id", "title", "description", "status", "created_at"],
        owner: "author_id",
    },
    Part {
        name: "construction_reports",
        table: "construction_reports",
        columns: &[
            "id",
            "kind",
            "address",
            "lat",
            "lon",
            "description",
            "status",
            "created_at",
        ],
        owner: "author_id",
    },
    Part {
        name: "priority_votes",
        table: "priority_votes",
        columns: &["priority_id", "quarter", "municipality_id", "created_at"],
        owner: "user_id",
    },
    Part {
        name: "service_ratings",
        table: "service_ratings",
        columns: &[
            "offering_id",
            "month",
            "quality",
            "convenience",
            "speed",
            "created_at",
        ],
        owner: "user_id",
    },
    Part {
        name: "supports",
        table: "supports",
        columns: &["subject_kind", "subject_id", "created_at"],
        owner: "user_id",
    },
    Part {
        name: "follows",
        table: "follows",
        columns: &["subject_kind", "subject_id", "created_at"],
        owner: "user_id",
    },
    Part {
        name: "blocks",
        table: "blocks",
        columns: &["blocked_id", "created_at"],
        owner: "blocker_id",
    },
    Part {
        name: "photos",
        table: "photos",
        columns: &[
            "id",
            "subject_kind",
            "subject_id",
            "section",
            "file_key",
            "width",
            "height",
            "caption",
            "created_at",
        ],
        owner: "uploader_id",
    },
];

#[derive(QueryableByName)]
struct Json {
    #[diesel(sql_type = Text)]
    json: String,
}

/// A JSON array of the rows `sql` selects with `JSON_OBJECT`, for `person`.
async fn json_rows(
    conn: &mut AsyncMysqlConnection,
    sql: &str,
    person: UserId,
) -> Result<Value, AppError> {
    let rows: Json = diesel::sql_query(sql)
        .bind::<Unsigned<diesel::sql_types::BigInt>, _>(person.0)
        .get_result(conn)
        .await?;
    serde_json::from_str(&rows.json).map_err(|_| AppError::Internal)
}

/// A person's data.
pub struct YourData;

impl YourData {
    /// Everything `person` created, as one JSON object of named parts (each an array of
    /// rows whose keys are the columns), and the file keys of their photos.
    pub async fn export(
        conn: &mut AsyncMysqlConnection,
        person: UserId,
    ) -> Result<(Value, Vec<String>), AppError> {
        // JSON_ARRAYAGG is GROUP_CONCAT underneath: without this a long history would be
        // cut at its default of 1 MB and the JSON broken.
        conn.batch_execute("SET SESSION group_concat_max_len = 1073741824")
            .await?;
        let mut data = Map::new();
        for part in PARTS {
            let object = part
                .columns
                .iter()
                .map(|column| format!("'{column}', {column}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT CAST(COALESCE(JSON_ARRAYAGG(JSON_OBJECT({object})), JSON_ARRAY()) AS CHAR) AS json \
                 FROM {} WHERE {} = ?",
                part.table, part.owner
            );
            data.insert(part.name.to_string(), json_rows(conn, &sql, person).await?);
        }
        let messages = "SELECT CAST(COALESCE(JSON_ARRAYAGG(JSON_OBJECT(\
               'conversation_id', m.conversation_id, 'problem_id', c.problem_id, \
               'sender', u.display_name, 'mine', m.sender_id = me.user_id, \
               'body', m.body, 'created_at', m.created_at)), JSON_ARRAY()) AS CHAR) AS json \
             FROM conversation_members me \
             JOIN conversations c ON c.id = me.conversation_id \
             JOIN messages m ON m.conversation_id = me.conversation_id \
             JOIN users u ON u.id = m.sender_id \
             WHERE me.user_id = ?";
        data.insert(
            "messages".to_string(),
            json_rows(conn, messages, person).await?,
        );
        let files = photos::table
            .filter(photos::uploader_id.eq(person))
            .select(photos::file_key)
            .load(conn)
            .await?;
        Ok((Value::Object(data), files))
    }
}

/// The deletion of accounts.
pub struct AccountDeletion;

impl AccountDeletion {
    /// Deletes `person`'s account: their conversations (with both members' messages),
    /// sessions, API keys, notifications, follows (theirs and of them), blocks, profile,
    /// avatar, albums, resident role, municipality history, pending registration, login
    /// throttles and the mail to their address go; the row stays with a placeholder name and e-mail and
    /// no password, so their public contributions keep an author. Staff accounts are
    /// refused (`NotAllowed`): an admin revokes the roles first, so nobody's official
    /// acts lose their actor.
    pub async fn delete(
        conn: &mut AsyncMysqlConnection,
        person: UserId,
        now: NaiveDateTime,
    ) -> Result<(), AppError> {
        conn.transaction(async move |conn| {
            let (email, deleted): (String, Option<NaiveDateTime>) = users::table
                .find(person)
                .select((users::email, users::deleted_at))
                .for_update()
                .first(conn)
                .await?;
            if deleted.is_some() {
                return Err(AppError::NotFound);
            }
            if Users::session_user(conn, person).await?.is_staff() {
                return Err(AppError::invalid("password", ErrorCode::NotAllowed));
            }
            let by_person = [
                "DELETE c FROM conversations c JOIN conversation_members m ON m.conversation_id = c.id WHERE m.user_id = ?",
                "DELETE FROM sessions WHERE user_id = ?",
                "DELETE FROM api_keys WHERE user_id = ?",
                "DELETE FROM notifications WHERE user_id = ?",
                "DELETE FROM follows WHERE user_id = ?",
                "DELETE FROM blocks WHERE blocker_id = ?",
                "DELETE FROM blocks WHERE blocked_id = ?",
                "DELETE FROM profiles WHERE user_id = ?",
                "DELETE FROM notification_preferences WHERE user_id = ?",
                "DELETE FROM home_municipality_changes WHERE user_id = ?",
                "DELETE FROM user_roles WHERE user_id = ?",
            ];
            for sql in by_person {
                diesel::sql_query(sql)
                    .bind::<Unsigned<diesel::sql_types::BigInt>, _>(person.0)
                    .execute(conn)
                    .await?;
            }
            diesel::sql_query("DELETE FROM follows WHERE subject_kind = ? AND subject_id = ?")
                .bind::<Text, _>(PERSON.as_str())
                .bind::<Unsigned<diesel::sql_types::BigInt>, _>(person.0)
                .execute(conn)
                .await?;
            let by_address = [
                "DELETE FROM registration_requests WHERE email = ?",
                "DELETE FROM login_throttles WHERE email = ?",
            ];
            for sql in by_address {
                diesel::sql_query(sql)
                    .bind::<Text, _>(&email)
                    .execute(conn)
                    .await?;
            }
            diesel::sql_query("DELETE FROM outbox_events WHERE ordering_key = ?")
                .bind::<Text, _>(format!("mail:{email}").chars().take(191).collect::<String>())
                .execute(conn)
                .await?;
            Photos::release(conn, Subject::new(PERSON, person.0), AVATAR).await?;
            // Albums are the person's own pictures, not a part of anyone's thread: they go,
            // their photos to the cleanup with the avatar.
            let albums: Vec<GalleryId> = galleries::table
                .filter(galleries::owner_id.eq(person))
                .select(galleries::id)
                .load(conn)
                .await?;
            for album in albums {
                Photos::release(conn, album.subject(), "").await?;
            }
            diesel::delete(galleries::table.filter(galleries::owner_id.eq(person)))
                .execute(conn)
                .await?;
            diesel::update(users::table.find(person))
                .set((
                    users::email.eq(format!("deleted-{}@deleted.invalid", person.0)),
                    users::display_name.eq(DELETED_NAME),
                    users::password_hash.eq(""),
                    users::mail_work_notices.eq(false),
                    users::mail_followed_notices.eq(false),
                    users::deleted_at.eq(Some(now)),
                ))
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
    }
}
