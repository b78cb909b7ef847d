//! Department systems' tokens for the answers API: issued and revoked by admins, kept as
//! SHA-256 only, each bound to one department and to its own integration account, under
//! whose name the system's steps are recorded.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{Department, DepartmentId, DepartmentToken, integration_account_name};
use crate::auth::queries::Users;
use crate::auth::session::{hash_token, new_token};
use platform::db::last_insert_id;
use platform::db::schema::{department_tokens, municipalities};
use platform::ids::{MunicipalityId, UserId};

/// How stale `last_used_at` may get: a busy system must not turn every read into a write.
const LAST_USE_PRECISION: Duration = Duration::minutes(1);

/// Who a request of the answers API comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepartmentSystem {
    /// The token's id.
    pub token: u64,
    /// The only department it may act for.
    pub department: DepartmentId,
    /// The integration account its steps are recorded as.
    pub account: UserId,
}

/// Queries on `department_tokens`.
pub struct DepartmentTokens;

impl DepartmentTokens {
    /// Issues a token named `name` for `department`, with a new integration account;
    /// returns its id and the token, which is never stored and cannot be shown again.
    /// Call it in a transaction (the account and the token belong together).
    pub async fn issue(
        conn: &mut AsyncMysqlConnection,
        department: &Department,
        name: &str,
        admin: UserId,
        now: NaiveDateTime,
    ) -> QueryResult<(u64, String)> {
        let home = match department.municipality_id {
            Some(municipality) => municipality,
            // A regional department has no municipality. The account cannot vote, so its
            // home is never used; the column only needs a real one.
            None => {
                municipalities::table
                    .select(municipalities::id)
                    .order(municipalities::id.asc())
                    .first::<MunicipalityId>(conn)
                    .await?
            }
        };
        let account_name = integration_account_name(name, &department.name_ru);
        let account = Users::create_integration(conn, &account_name, home, now).await?;
        let (token, token_hash) = new_token();
        diesel::insert_into(department_tokens::table)
            .values((
                department_tokens::department_id.eq(department.id),
                department_tokens::account_id.eq(account),
                department_tokens::name.eq(name),
                department_tokens::token_hash.eq(&token_hash),
                department_tokens::issued_by.eq(admin),
                department_tokens::issued_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok((last_insert_id(conn).await?, token))
    }

    /// The tokens of `department`, newest first, revoked ones included.
    pub async fn list(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
    ) -> QueryResult<Vec<DepartmentToken>> {
        department_tokens::table
            .filter(department_tokens::department_id.eq(department))
            .order(department_tokens::id.desc())
            .select((
                department_tokens::id,
                department_tokens::name,
                department_tokens::issued_at,
                department_tokens::last_used_at,
                department_tokens::revoked_at,
            ))
            .load(conn)
            .await
    }

    /// Revokes token `token` of `department`; `false` when it has no such live token.
    pub async fn revoke(
        conn: &mut AsyncMysqlConnection,
        department: DepartmentId,
        token: u64,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let revoked = diesel::update(
            department_tokens::table
                .find(token)
                .filter(department_tokens::department_id.eq(department))
                .filter(department_tokens::revoked_at.is_null()),
        )
        .set(department_tokens::revoked_at.eq(now))
        .execute(conn)
        .await?;
        Ok(revoked == 1)
    }

    /// The system a presented token belongs to, if it is live; notes its use.
    pub async fn authenticate(
        conn: &mut AsyncMysqlConnection,
        token: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Option<DepartmentSystem>> {
        let found: Option<(u64, DepartmentId, UserId, Option<NaiveDateTime>)> =
            department_tokens::table
                .filter(department_tokens::token_hash.eq(hash_token(token)))
                .filter(department_tokens::revoked_at.is_null())
                .select((
                    department_tokens::id,
                    department_tokens::department_id,
                    department_tokens::account_id,
                    department_tokens::last_used_at,
                ))
                .first(conn)
                .await
                .optional()?;
        let Some((id, department, account, last_used_at)) = found else {
            return Ok(None);
        };
        if last_used_at.is_none_or(|last| now - last >= LAST_USE_PRECISION) {
            diesel::update(department_tokens::table.find(id))
                .set(department_tokens::last_used_at.eq(now))
                .execute(conn)
                .await?;
        }
        Ok(Some(DepartmentSystem {
            token: id,
            department,
            account,
        }))
    }
}
