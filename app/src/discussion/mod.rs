//! Discussions in the browser: the comment list every subject's page shows (with the
//! report and hide forms), and the moderators' queue of reported comments.
//!
//! The comments themselves live in the civic layer (`civic::comments`); this module adds
//! who may do what (checked on the server) and the views. It sits below the features:
//! a feature's page embeds [`components::CommentList`] and keeps its own "add a comment"
//! form, because whether its subject takes comments is the feature's rule. It names no
//! feature: the moderators' queue is given the link of each subject by the shell.

pub mod components;
pub mod server_fns;
