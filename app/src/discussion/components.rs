//! The comment list of a subject's page and the moderators' queue.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::server_fns::{HideComment, ReportComment, reported_comments};
use crate::auth::components::RequireRole;
use crate::auth::model::MODERATORS;
use crate::i18n::{Msg, format_local_datetime, use_i18n};
use crate::ui::errors::{ActionError, ErrorPage, FieldMessage, last_error};
use civic::comments::{Comment, Position, REASON_MAX};
use platform::error::AppError;

/// The name of a comment's position.
pub fn position_msg(position: Position) -> Msg {
    match position {
        Position::For => Msg::PositionFor,
        Position::Against => Msg::PositionAgainst,
        Position::Neutral => Msg::PositionNeutral,
    }
}

/// The report and hide actions of a page; the page refetches its comments when their
/// versions change.
#[derive(Clone, Copy)]
pub struct CommentModeration {
    /// Reporting a comment.
    pub report: ServerAction<ReportComment>,
    /// Hiding a comment (moderators).
    pub hide: ServerAction<HideComment>,
}

impl CommentModeration {
    /// New actions, for one page.
    pub fn new() -> Self {
        Self {
            report: ServerAction::new(),
            hide: ServerAction::new(),
        }
    }

    /// Changes whenever a report or a hiding completes.
    pub fn version(&self) -> (usize, usize) {
        (self.report.version().get(), self.hide.version().get())
    }
}

impl Default for CommentModeration {
    fn default() -> Self {
        Self::new()
    }
}

/// What became of the last report or hiding on this page: the errors, or the thanks for a
/// report. Rendered once per page, above its comment lists.
#[component]
pub fn CommentModerationStatus(moderation: CommentModeration) -> impl IntoView {
    let i18n = use_i18n();
    let report_error = last_error(moderation.report.value());
    let hide_error = last_error(moderation.hide.value());
    let reported = Signal::derive(move || matches!(moderation.report.value().get(), Some(Ok(()))));
    view! {
        <ActionError error=report_error />
        <ActionError error=hide_error />
        <FieldMessage error=report_error field="reason" />
        <FieldMessage error=hide_error field="reason" />
        <Show when=move || reported.get()>
            <p class="notice" role="status" data-test="comment-reported">{move || i18n.t(Msg::CommentReported)}</p>
        </Show>
    }
}

/// A subject's discussion: its heading, what became of the last report or hiding, the
/// comments (or `empty` when there are none) and, for a signed-in reader, the page's
/// comment form (`children`: the feature's own action around a [`CommentField`]).
#[component]
pub fn Discussion(
    heading: Msg,
    empty: Msg,
    comments: Vec<Comment>,
    signed_in: bool,
    moderator: bool,
    moderation: CommentModeration,
    /// The section's `data-test`.
    test_id: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="stack" data-test=test_id>
            <h2>{move || i18n.t(heading)}</h2>
            <CommentModerationStatus moderation />
            {if comments.is_empty() {
                view! { <p class="muted">{move || i18n.t(empty)}</p> }.into_any()
            } else {
                view! { <CommentList comments signed_in moderator moderation /> }.into_any()
            }}
            {signed_in.then(children)}
        </section>
    }
}

/// The text of a new comment (form name `comment`) with its refusal.
#[component]
pub fn CommentField(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="field-comment">{move || i18n.t(Msg::AddComment)}</label>
            <textarea id="field-comment" name="comment" rows="3" required=true></textarea>
            <FieldMessage error field="comment" />
        </div>
    }
}

/// What a feature adds under each shown comment of its discussion (a support button, a
/// reply form): its own rules decide, this list only places them.
pub type CommentActions = Callback<Comment, AnyView>;

/// A discussion, oldest first, each thread's replies under the comment that opened it: a
/// hidden comment keeps its place and shows why it was hidden; signed-in readers may
/// report a comment, moderators may hide it, and the page's `actions` appear under every
/// shown comment. The page shows the outcome with [`CommentModerationStatus`].
#[component]
pub fn CommentList(
    comments: Vec<Comment>,
    signed_in: bool,
    moderator: bool,
    moderation: CommentModeration,
    #[prop(optional)] actions: Option<CommentActions>,
) -> impl IntoView {
    let context = ItemContext {
        signed_in,
        moderator,
        moderation,
        actions,
    };
    view! {
        <ul class="comments stack" data-test="comments">
            {comments.into_iter().map(|comment| comment_item(comment, context)).collect_view()}
        </ul>
    }
}

/// What every comment of one list shares.
#[derive(Clone, Copy)]
struct ItemContext {
    signed_in: bool,
    moderator: bool,
    moderation: CommentModeration,
    actions: Option<CommentActions>,
}

/// One comment with its replies (a reply has none of its own).
fn comment_item(mut comment: Comment, context: ItemContext) -> AnyView {
    let i18n = use_i18n();
    let id = comment.id.to_string();
    let hidden = comment.hidden_reason.clone();
    let shown = hidden.is_none();
    let replies = std::mem::take(&mut comment.replies);
    let added = context
        .actions
        .filter(|_| shown)
        .map(|actions| actions.run(comment.clone()));
    view! {
        <li class="comment" id=format!("comment-{id}") data-test="comment">
            <p class="muted">
                {comment.position.filter(|_| shown).map(|position| view! {
                    <span class=format!("badge position-{}", position.as_db()) data-test="comment-position">{move || i18n.t(position_msg(position))}</span>
                    " "
                })}
                {comment.author_name.clone()} " · " {move || format_local_datetime(i18n.locale(), comment.at)}
            </p>
            {match hidden {
                Some(reason) => view! {
                    <p class="muted comment-hidden" data-test="comment-hidden">
                        {move || i18n.t(Msg::CommentHidden)} " " {reason.clone()}
                    </p>
                }.into_any(),
                None => view! { <p class="comment-body">{comment.body.clone()}</p> }.into_any(),
            }}
            {added}
            {(shown && context.signed_in).then(|| view! {
                <ReasonForm action=context.moderation.report.into() comment=id.clone() label=Msg::ReportComment test="report-comment" />
            })}
            {(shown && context.moderator).then(|| view! {
                <ReasonForm action=context.moderation.hide.into() comment=id.clone() label=Msg::HideComment test="hide-comment" />
            })}
            {(!replies.is_empty()).then(|| view! {
                <ul class="comment-replies stack" data-test="comment-replies">
                    {replies.into_iter().map(|reply| comment_item(reply, context)).collect_view()}
                </ul>
            })}
        </li>
    }
    .into_any()
}

/// Which of the two actions a reason form posts to.
#[derive(Clone, Copy)]
enum ReasonAction {
    Report(ServerAction<ReportComment>),
    Hide(ServerAction<HideComment>),
}

impl From<ServerAction<ReportComment>> for ReasonAction {
    fn from(action: ServerAction<ReportComment>) -> Self {
        Self::Report(action)
    }
}

impl From<ServerAction<HideComment>> for ReasonAction {
    fn from(action: ServerAction<HideComment>) -> Self {
        Self::Hide(action)
    }
}

/// A folded form asking for a reason: "Report" or "Hide" under a comment.
#[component]
fn ReasonForm(
    action: ReasonAction,
    comment: String,
    label: Msg,
    test: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = format!("{test}-{comment}");
    let fields = {
        let field = field.clone();
        move || {
            view! {
                <input type="hidden" name="comment" value=comment.clone() />
                <label for=field.clone()>{move || i18n.t(Msg::Reason)}</label>
                <input id=field.clone() name="reason" required=true maxlength=REASON_MAX.to_string() />
                <button type="submit" class="secondary">{move || i18n.t(label)}</button>
            }
        }
    };
    view! {
        <details class="comment-action" data-test=test>
            <summary>{move || i18n.t(label)}</summary>
            {match action {
                ReasonAction::Report(action) => view! {
                    <ActionForm action attr:class="inline-form">{fields()}</ActionForm>
                }.into_any(),
                ReasonAction::Hide(action) => view! {
                    <ActionForm action attr:class="inline-form">{fields()}</ActionForm>
                }.into_any(),
            }}
        </details>
    }
}

/// `/manage/comments`: reported comments, most reported first, for the moderators to
/// hide or leave. `subject_href` gives the page of a subject (kind, id), `None` for a
/// kind without one.
#[component]
pub fn ReportedCommentsPage(subject_href: fn(&str, u64) -> Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let moderation = CommentModeration::new();
    let queue = Resource::new(move || moderation.version(), |_| reported_comments());
    view! {
        <RequireRole roles=MODERATORS>
            <Title text=move || i18n.t(Msg::ManageComments) />
            <h1 class="page-title">{move || i18n.t(Msg::ManageComments)}</h1>
            <CommentModerationStatus moderation />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match queue.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(items) if items.is_empty() => view! {
                            <p class="notice" data-test="no-reported-comments">{move || i18n.t(Msg::NoReportedComments)}</p>
                        }.into_any(),
                        Ok(items) => view! {
                            <ul class="stack" data-test="reported-comments">
                                {items.into_iter().map(|item| {
                                    let href = subject_href(&item.subject_kind, item.subject_id);
                                    let reports = item.reports;
                                    let reason = item.latest_reason.clone();
                                    view! {
                                        <li class="card stack" data-test="reported-comment">
                                            <p class="muted">
                                                {move || format!("{}: {reports}", i18n.t(Msg::CommentReports))}
                                                " · " {reason}
                                                {href.map(|href| view! { " · " <A href=href>{move || i18n.t(Msg::OpenSubject)}</A> })}
                                            </p>
                                            <CommentList comments=vec![item.comment] signed_in=false moderator=true moderation />
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </RequireRole>
    }
}
