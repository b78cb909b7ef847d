//! The rows Open311 reads: public problems with their theme and department names, and the
//! users behind API keys.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Datetime, Double, Nullable, Text, Unsigned};
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use crate::auth::model::UserId;
use crate::problems::model::{ProblemFilter, ProblemId, ProblemStatus};
use crate::problems::queries::FilterSql;
use platform::db::schema::api_keys;

/// A public problem as Open311 describes it.
#[derive(Debug, Clone, QueryableByName)]
pub struct RequestRow {
    /// Its id.
    #[diesel(sql_type = Unsigned<BigInt>)]
    pub id: ProblemId,
    /// Its status name.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// Title.
    #[diesel(sql_type = Text)]
    pub title: String,
    /// Description.
    #[diesel(sql_type = Text)]
    pub description: String,
    /// Address.
    #[diesel(sql_type = Text)]
    pub address: String,
    /// Latitude.
    #[diesel(sql_type = Double)]
    pub lat: f64,
    /// Longitude.
    #[diesel(sql_type = Double)]
    pub lon: f64,
    /// Created (UTC).
    #[diesel(sql_type = Datetime)]
    pub created_at: NaiveDateTime,
    /// Last change (UTC).
    #[diesel(sql_type = Datetime)]
    pub updated_at: NaiveDateTime,
    /// When a reaction is due (UTC).
    #[diesel(sql_type = Nullable<Datetime>)]
    pub reaction_due_at: Option<NaiveDateTime>,
    /// The theme's slug (service_code).
    #[diesel(sql_type = Text)]
    pub theme_slug: String,
    /// The theme's Russian name (service_name).
    #[diesel(sql_type = Text)]
    pub theme_name: String,
    /// The department's Russian name (agency_responsible).
    #[diesel(sql_type = Nullable<Text>)]
    pub department_name: Option<String>,
    /// The moderator's reason or the newest official text (status_notes).
    #[diesel(sql_type = Nullable<Text>)]
    pub notes: Option<String>,
}

/// What `GET requests` asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSelection {
    /// Exactly these ids (overrides everything else).
    pub ids: Option<Vec<ProblemId>>,
    /// Only these service codes (theme slugs); empty for all.
    pub service_codes: Vec<String>,
    /// Created at or after.
    pub start: NaiveDateTime,
    /// Created at or before.
    pub end: NaiveDateTime,
    /// Only open (`Some(true)`) or only closed (`Some(false)`) ones.
    pub open: Option<bool>,
    /// Page from 1.
    pub page: u32,
    /// Rows per page.
    pub page_size: u32,
}

const SELECT: &str = "SELECT p.id, p.status, p.title, p.description, p.address, p.lat, p.lon, \
    p.created_at, p.updated_at, p.reaction_due_at, t.slug AS theme_slug, t.name_ru AS theme_name, \
    d.name_ru AS department_name, \
    COALESCE(p.rejection_reason, (SELECT e.body FROM problem_events e WHERE e.problem_id = p.id \
      AND e.kind IN ('answered', 'planned', 'resolved') ORDER BY e.id DESC LIMIT 1)) AS notes \
    FROM problems p JOIN themes t ON t.id = p.theme_id LEFT JOIN departments d ON d.id = p.department_id";

fn quoted(slug: &str) -> Option<String> {
    // Service codes are our slugs: lower-case Latin letters, digits and hyphens only.
    slug.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        .then(|| format!("'{slug}'"))
}

/// The public problems `selection` names, newest first.
pub async fn requests(
    conn: &mut AsyncMysqlConnection,
    selection: &RequestSelection,
    now: NaiveDateTime,
) -> QueryResult<Vec<RequestRow>> {
    diesel::sql_query(requests_sql(selection, now))
        .load(conn)
        .await
}

/// The SQL of `requests`.
pub fn requests_sql(selection: &RequestSelection, now: NaiveDateTime) -> String {
    let public = FilterSql::public(&ProblemFilter::default(), now);
    let filter = match &selection.ids {
        Some(ids) => {
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            public.and(format!("p.id IN ({})", ids.join(", ")))
        }
        None => {
            let mut filter = public
                .and(format!(
                    "p.created_at >= '{}'",
                    selection.start.format("%Y-%m-%d %H:%M:%S")
                ))
                .and(format!(
                    "p.created_at <= '{}'",
                    selection.end.format("%Y-%m-%d %H:%M:%S")
                ));
            let codes: Vec<String> = selection
                .service_codes
                .iter()
                .filter_map(|c| quoted(c))
                .collect();
            if !selection.service_codes.is_empty() {
                let list = if codes.is_empty() {
                    "NULL".to_string()
                } else {
                    codes.join(", ")
                };
                filter = filter.and(format!("t.slug IN ({list})"));
            }
            if let Some(open) = selection.open {
                let statuses: Vec<String> = ProblemStatus::ALL
                    .into_iter()
                    .filter(|status| status.is_open() == open)
                    .map(|status| format!("'{}'", status.as_db()))
                    .collect();
                filter = filter.and(format!("p.status IN ({})", statuses.join(", ")));
            }
            filter
        }
    };
    let offset = u64::from(selection.page.saturating_sub(1)) * u64::from(selection.page_size);
    format!(
        "{SELECT} {} ORDER BY p.created_at DESC, p.id DESC LIMIT {} OFFSET {offset}",
        filter.render(),
        selection.page_size
    )
}

/// The user an API key was issued to (keys are stored as SHA-256 hashes).
pub async fn key_owner(
    conn: &mut AsyncMysqlConnection,
    key_hash: &str,
) -> QueryResult<Option<UserId>> {
    api_keys::table
        .filter(api_keys::key_hash.eq(key_hash))
        .select(api_keys::user_id)
        .first(conn)
        .await
        .optional()
}

/// Issues a key to `user`: stores its hash.
pub async fn store_key(
    conn: &mut AsyncMysqlConnection,
    user: UserId,
    key_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_or_ignore_into(api_keys::table)
        .values((
            api_keys::user_id.eq(user),
            api_keys::key_hash.eq(key_hash),
            api_keys::created_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Revokes all of a user's keys.
pub async fn revoke_keys(conn: &mut AsyncMysqlConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(api_keys::table.filter(api_keys::user_id.eq(user)))
        .execute(conn)
        .await
}

/// How many keys a user holds.
pub async fn key_count(conn: &mut AsyncMysqlConnection, user: UserId) -> QueryResult<i64> {
    api_keys::table
        .filter(api_keys::user_id.eq(user))
        .count()
        .get_result(conn)
        .await
}
