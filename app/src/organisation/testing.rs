//! Test support: the cast of a civic workflow test, the same people in every feature's
//! database tests.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncMysqlConnection, RunQueryDsl};

use super::model::{DepartmentId, ThemeId};
use super::queries::RoutingRules;
use crate::auth::model::{Acting, Role, UserId};
use crate::auth::queries::Roles;
use crate::auth::testing::{municipality_id, test_user_in};
use crate::geography::model::MunicipalityId;
use platform::db::schema::themes;

/// An author, a moderator and an official of the department that road damage in
/// Krasnodar is routed to, all living in Krasnodar, with their roles since the start of
/// 2026.
pub struct Cast {
    /// A resident who reports or proposes.
    pub author: UserId,
    /// A moderator of the whole region.
    pub moderator: UserId,
    /// An official of `department`.
    pub official: UserId,
    /// The reference theme "road damage".
    pub road_theme: ThemeId,
    /// The city of Krasnodar.
    pub krasnodar: MunicipalityId,
    /// The department road damage in Krasnodar is routed to.
    pub department: DepartmentId,
}

impl Cast {
    /// Registers the cast on `conn` (users `author`, `moderator`, `official`).
    pub async fn new(conn: &mut AsyncMysqlConnection) -> Self {
        let krasnodar = municipality_id(conn, "krasnodar").await;
        let road_theme: ThemeId = themes::table
            .filter(themes::slug.eq("road-damage"))
            .select(themes::id)
            .first(conn)
            .await
            .expect("road theme");
        let department = RoutingRules::resolve(conn, road_theme, krasnodar)
            .await
            .expect("resolve")
            .expect("road damage in Krasnodar is routed");
        let author = test_user_in(conn, "author", krasnodar).await;
        let moderator = test_user_in(conn, "moderator", krasnodar).await;
        let official = test_user_in(conn, "official", krasnodar).await;
        let since = NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .expect("a valid time");
        Roles::grant(conn, moderator, Role::Moderator, None, None, since)
            .await
            .expect("grant");
        Roles::grant(
            conn,
            official,
            Role::Official,
            Some(department),
            None,
            since,
        )
        .await
        .expect("grant");
        Cast {
            author,
            moderator,
            official,
            road_theme,
            krasnodar,
            department,
        }
    }

    /// The moderator, acting.
    pub fn as_moderator(&self) -> Acting {
        Acting::moderator(self.moderator)
    }

    /// The official, acting for the department.
    pub fn as_official(&self) -> Acting {
        Acting::official(self.official, self.department)
    }

    /// The author, acting as a resident.
    pub fn as_author(&self) -> Acting {
        Acting::resident(self.author)
    }
}
