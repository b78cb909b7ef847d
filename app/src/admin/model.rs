//! What the management area shows: users with their roles, and summary counts.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::auth::model::{RoleGrant, UserId};

/// A user as the admins' user list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    /// Their id.
    pub id: UserId,
    /// Login e-mail.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Home municipality's Russian and English names.
    pub municipality_name: (String, String),
    /// Their roles.
    pub roles: Vec<RoleGrant>,
    /// Registration time (UTC).
    pub created_at: NaiveDateTime,
}

/// One page of the user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    /// The users on this page.
    pub users: Vec<UserSummary>,
    /// How many users match the search in all.
    pub total: i64,
    /// Users per page.
    pub page_size: i64,
}

/// Counts shown on the management dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagementSummary {
    /// Registered users.
    pub users: i64,
    /// Departments (active ones).
    pub departments: i64,
    /// Themes (active ones).
    pub themes: i64,
    /// Routing rules.
    pub routing_rules: i64,
    /// Municipalities with an imported boundary.
    pub municipalities_with_boundary: i64,
}
