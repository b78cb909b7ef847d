//! The names this feature's values show under, from the app's text table.

use super::model::Role;
use crate::i18n::Msg;

impl Role {
    /// The name of a role.
    pub fn msg(self) -> Msg {
        match self {
            Role::Citizen => Msg::RoleCitizen,
            Role::Expert => Msg::RoleExpert,
            Role::Official => Msg::RoleOfficial,
            Role::Moderator => Msg::RoleModerator,
            Role::Admin => Msg::RoleAdmin,
        }
    }
}
