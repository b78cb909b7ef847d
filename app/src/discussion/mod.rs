//! Discussions in the browser: the comment list every subject's page shows (with the
//! report and hide forms), and the moderators' queue of reported comments.
//!
//! The comments themselves live in the civic layer (`civic::comments`); this module adds
//! who may do what (checked on the server) and the views. It sits below the features:
//! a feature's page embeds [`components::CommentList`] and keeps its own "add a comment"
//! form, because whether its subject takes comments is the feature's rule.

pub mod components;
pub mod server_fns;

/// The page of a commented subject, for the moderators' queue; `None` for a kind this
/// version does not show.
pub fn subject_href(kind: &str, id: u64) -> Option<String> {
    match kind {
        kind if kind == crate::problems::model::PROBLEM.as_str() => Some(format!("/problems/{id}")),
        _ => None,
    }
}
