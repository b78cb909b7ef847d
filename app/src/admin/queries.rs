//! Queries of the management area.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{ManagementSummary, UserPage, UserSummary};
use crate::auth::model::{Role, RoleGrant, UserId};
use crate::organisation::model::DepartmentId;
use platform::db::schema::{departments, municipalities, routing_rules, themes, user_roles, users};

/// Users shown per page.
pub const USERS_PAGE_SIZE: i64 = 50;

/// Escapes `%`, `_` and `\` for a LIKE pattern.
fn like_pattern(text: &str) -> String {
    format!("%{}%", platform::sql::escape_like(text, '\\'))
}

impl UserPage {
    /// Users whose e-mail or name contains `search`, newest first, page `page` (from 0).
    pub async fn load(
        conn: &mut AsyncMysqlConnection,
        search: &str,
        page: i64,
    ) -> QueryResult<UserPage> {
        let pattern = like_pattern(search.trim());
        let matching = || {
            users::table
                .filter(
                    users::email
                        .like(pattern.clone())
                        .or(users::display_name.like(pattern.clone())),
                )
                .into_boxed()
        };
        let total: i64 = matching().count().get_result(conn).await?;
        type Row = (UserId, String, String, String, String, NaiveDateTime);
        let rows: Vec<Row> = matching()
            .inner_join(municipalities::table)
            .select((
                users::id,
                users::email,
                users::display_name,
                municipalities::name_ru,
                municipalities::name_en,
                users::created_at,
            ))
            .order(users::id.desc())
            .limit(USERS_PAGE_SIZE)
            .offset(page.max(0) * USERS_PAGE_SIZE)
            .load(conn)
            .await?;
        let ids: Vec<UserId> = rows.iter().map(|row| row.0).collect();
        let grants: Vec<(UserId, String, Option<DepartmentId>)> = user_roles::table
            .filter(user_roles::user_id.eq_any(&ids))
            .select((
                user_roles::user_id,
                user_roles::role,
                user_roles::department_id,
            ))
            .order(user_roles::id.asc())
            .load(conn)
            .await?;
        let mut roles: HashMap<UserId, Vec<RoleGrant>> = HashMap::new();
        for (user, role, department_id) in grants {
            if let Some(role) = Role::from_db(&role) {
                roles.entry(user).or_default().push(RoleGrant {
                    role,
                    department_id,
                });
            }
        }
        let users = rows
            .into_iter()
            .map(
                |(id, email, display_name, m_ru, m_en, created_at)| UserSummary {
                    id,
                    email,
                    display_name,
                    municipality_name: (m_ru, m_en),
                    roles: roles.remove(&id).unwrap_or_default(),
                    created_at,
                },
            )
            .collect();
        Ok(UserPage {
            users,
            total,
            page_size: USERS_PAGE_SIZE,
        })
    }
}

impl ManagementSummary {
    /// The dashboard's counts.
    pub async fn load(conn: &mut AsyncMysqlConnection) -> QueryResult<ManagementSummary> {
        Ok(ManagementSummary {
            users: users::table.count().get_result(conn).await?,
            departments: departments::table
                .filter(departments::is_active.eq(true))
                .count()
                .get_result(conn)
                .await?,
            themes: themes::table
                .filter(themes::is_active.eq(true))
                .count()
                .get_result(conn)
                .await?,
            routing_rules: routing_rules::table.count().get_result(conn).await?,
            municipalities_with_boundary: municipalities::table
                .filter(municipalities::boundary_updated_at.is_not_null())
                .count()
                .get_result(conn)
                .await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_wildcards_in_searches_are_escaped() {
        assert_eq!(like_pattern("anna"), "%anna%");
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
