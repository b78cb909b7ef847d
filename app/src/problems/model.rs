//! Problems: wire types, the pure state machine, the deadline rules and input validation.

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::auth::model::UserId;
use crate::geography::model::MunicipalityId;
use crate::organisation::model::{DepartmentId, ThemeId};
use civic::comments::Comment;
#[cfg(test)]
use civic::reaction_clock::days_left;
use civic::subject::{Subject, SubjectKind};
use platform::days::{DayRange, after_working_days};
use platform::error::{AppError, ErrorCode, FieldError, check_text};
use platform::geo::LatLon;
use platform::geo::parse_point;
use platform::id_type;
use platform::keyset::{Cursor, KeyKind, KeysetOrder, PageStart, Paged, SortKey};
use platform::query::query_string;

id_type!(
    /// A problem; also its public number and its Open311 `service_request_id`.
    ProblemId
);
id_type!(
    /// An entry of a problem's timeline.
    ProblemEventId
);

/// Problems as subjects of comments, supports, following and notifications.
pub const PROBLEM: SubjectKind = SubjectKind::new("problem");

impl ProblemId {
    /// This problem as a civic subject.
    pub fn subject(self) -> Subject {
        Subject::new(PROBLEM, self.0)
    }
}

/// Days the author has to confirm or reopen a resolved problem.
pub const CONFIRMATION_DAYS: u64 = 14;

/// Working days a report may wait for pre-moderation before it counts as delayed.
pub const MODERATION_WORKING_DAYS: u32 = 1;
/// Days before the deadline when the department is reminded.
pub const REMINDER_DAYS: i64 = 2;
pub use crate::photos::MAX_PHOTOS;
/// Radius of the "is it one of these?" search before submitting.
pub const SIMILAR_RADIUS_M: f64 = 250.0;

/// Where a problem is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemStatus {
    /// Waiting for a moderator.
    Moderation,
    /// Public, with the department; the reaction clock runs.
    Published,
    /// The department took it into work; its reaction is still due.
    InProgress,
    /// The department answered; a result or a plan is due next.
    Answered,
    /// The department promised a result by a date.
    Planned,
    /// The department reported it solved; the author may confirm or reopen.
    Resolved,
    /// Finished.
    Closed,
    /// Refused by a moderator, with a reason.
    Rejected,
    /// Merged into another problem.
    Duplicate,
}

impl ProblemStatus {
    /// Every status, in life order.
    pub const ALL: [ProblemStatus; 9] = [
        Self::Moderation,
        Self::Published,
        Self::InProgress,
        Self::Answered,
        Self::Planned,
        Self::Resolved,
        Self::Closed,
        Self::Rejected,
        Self::Duplicate,
    ];

    /// Statuses in which the department still owes a result.
    pub const OPEN: [ProblemStatus; 4] = [
        Self::Published,
        Self::InProgress,
        Self::Answered,
        Self::Planned,
    ];

    /// Statuses visible to the public (everything that passed moderation).
    pub const PUBLIC: [ProblemStatus; 7] = [
        Self::Published,
        Self::InProgress,
        Self::Answered,
        Self::Planned,
        Self::Resolved,
        Self::Closed,
        Self::Duplicate,
    ];

    /// The value stored in `problems.status`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Moderation => "moderation",
            Self::Published => "published",
            Self::InProgress => "in_progress",
            Self::Answered => "answered",
            Self::Planned => "planned",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
            Self::Rejected => "rejected",
            Self::Duplicate => "duplicate",
        }
    }

    /// The status stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_db() == value)
    }

    /// Whether the department still owes a result.
    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// Whether the public sees it.
    pub fn is_public(self) -> bool {
        Self::PUBLIC.contains(&self)
    }

    /// Whether a viewer sees a problem in this status: everyone sees public ones, its
    /// author and moderators see every one (a problem in moderation or rejected included).
    pub fn visible_to(self, is_author: bool, is_moderator: bool) -> bool {
        self.is_public() || is_author || is_moderator
    }

    /// The status after `action`, or why the action is not possible now.
    pub fn after(self, action: ProblemAction) -> Result<ProblemStatus, AppError> {
        use ProblemAction as A;
        use ProblemStatus as S;
        let next = match (self, action) {
            (S::Moderation, A::Publish) => Some(S::Published),
            (S::Moderation, A::Reject) => Some(S::Rejected),
            (S::Moderation, A::Edit) => Some(S::Moderation),
            (status, A::Edit | A::Reassign) if status.is_open() => Some(status),
            // A plan has its own date; once it lapses the problem is back in work and may
            // be instructed.
            (S::Published | S::InProgress | S::Answered, A::Instruct) => Some(self),
            (S::Moderation, A::Merge) => Some(S::Duplicate),
            (status, A::Merge) if status.is_open() => Some(S::Duplicate),
            (S::Published, A::Acknowledge) => Some(S::InProgress),
            (S::Published | S::InProgress | S::Answered, A::HandBack) => Some(self),
            (status, A::Answer) if status.is_open() => Some(S::Answered),
            (status, A::Plan) if status.is_open() => Some(S::Planned),
            (status, A::Resolve) if status.is_open() => Some(S::Resolved),
            (S::Resolved, A::Confirm | A::Close) => Some(S::Closed),
            // A lapsed plan reopens too; the step checks that its date has passed.
            (S::Resolved | S::Planned, A::Reopen) => Some(S::Published),
            _ => None,
        };
        next.ok_or(AppError::IllegalTransition {
            status: self.as_db().to_string(),
            action: action.as_db().to_string(),
        })
    }
}

/// Who may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A portal moderator.
    Moderator,
    /// An official of the responsible department.
    Department,
    /// An official of the body an overdue problem was escalated to.
    Supervisor,
    /// The author of the problem.
    Author,
    /// The scheduler.
    System,
}

/// A step in a problem's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemAction {
    /// Moderator: make it public and route it.
    Publish,
    /// Moderator: refuse it with a reason.
    Reject,
    /// Moderator: fix theme or point.
    Edit,
    /// Moderator: give it to another department.
    Reassign,
    /// Moderator: merge this duplicate into an original.
    Merge,
    /// Department: "we are working on it"; not a reaction, the clock runs on.
    Acknowledge,
    /// Department: an official answer; a result or a plan becomes due.
    Answer,
    /// Department: a result promised by a date.
    Plan,
    /// Department: done, with a report.
    Resolve,
    /// Department: "not ours", back to the moderators.
    HandBack,
    /// Supervisor: an instruction to the responsible department, with the date by which
    /// it must react.
    Instruct,
    /// Author: the result is accepted.
    Confirm,
    /// Author: the result is not accepted; the clock restarts.
    Reopen,
    /// Scheduler: the confirmation window passed.
    Close,
}

impl ProblemAction {
    /// Every action.
    pub const ALL: [ProblemAction; 14] = [
        Self::Publish,
        Self::Reject,
        Self::Edit,
        Self::Reassign,
        Self::Merge,
        Self::Acknowledge,
        Self::Answer,
        Self::Plan,
        Self::Resolve,
        Self::HandBack,
        Self::Instruct,
        Self::Confirm,
        Self::Reopen,
        Self::Close,
    ];

    /// The stable name of the action (also used in error payloads).
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Publish => "publish",
            Self::Reject => "reject",
            Self::Edit => "edit",
            Self::Reassign => "reassign",
            Self::Merge => "merge",
            Self::Acknowledge => "acknowledge",
            Self::Answer => "answer",
            Self::Plan => "plan",
            Self::Resolve => "resolve",
            Self::HandBack => "hand_back",
            Self::Instruct => "instruct",
            Self::Confirm => "confirm",
            Self::Reopen => "reopen",
            Self::Close => "close",
        }
    }

    /// Who may take it.
    pub fn actor(self) -> Actor {
        match self {
            Self::Publish | Self::Reject | Self::Edit | Self::Reassign | Self::Merge => {
                Actor::Moderator
            }
            Self::Acknowledge | Self::Answer | Self::Plan | Self::Resolve | Self::HandBack => {
                Actor::Department
            }
            Self::Instruct => Actor::Supervisor,
            Self::Confirm | Self::Reopen => Actor::Author,
            Self::Close => Actor::System,
        }
    }

    /// Whether the body a problem was escalated to may take it too, beside its own actor:
    /// it answers on the record, hands the problem to another department, or instructs
    /// the responsible one.
    pub fn open_to_supervisor(self) -> bool {
        matches!(self, Self::Answer | Self::Reassign | Self::Instruct)
    }

    /// Whether it counts as the official reaction that the clock waits for: a result, a
    /// plan, or an answer in words. Taking a problem into work says nothing yet.
    pub fn is_official_reaction(self) -> bool {
        matches!(self, Self::Answer | Self::Plan | Self::Resolve)
    }

    /// Whether the action needs a text (answer, plan reason, report, instruction,
    /// rejection reason).
    pub fn needs_text(self) -> bool {
        matches!(
            self,
            Self::Reject
                | Self::Answer
                | Self::Plan
                | Self::Resolve
                | Self::HandBack
                | Self::Instruct
                | Self::Reopen
        )
    }

    /// Whether the action needs a date (a plan's promised day, an instruction's term).
    pub fn needs_date(self) -> bool {
        matches!(self, Self::Plan | Self::Instruct)
    }

    /// The timeline entry it writes.
    pub fn event(self) -> EventKind {
        match self {
            Self::Publish => EventKind::Published,
            Self::Reject => EventKind::Rejected,
            Self::Edit => EventKind::Edited,
            Self::Reassign => EventKind::Reassigned,
            Self::Merge => EventKind::Merged,
            Self::Acknowledge => EventKind::Acknowledged,
            Self::Answer => EventKind::Answered,
            Self::Plan => EventKind::Planned,
            Self::Resolve => EventKind::Resolved,
            Self::HandBack => EventKind::HandedBack,
            Self::Instruct => EventKind::Instructed,
            Self::Confirm => EventKind::Confirmed,
            Self::Reopen => EventKind::Reopened,
            Self::Close => EventKind::Closed,
        }
    }
}

/// The kinds of timeline entries (and of notifications).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Reported by the author.
    Submitted,
    /// Passed moderation.
    Published,
    /// Refused by a moderator.
    Rejected,
    /// Given to a department on publication.
    Routed,
    /// Given to another department by a moderator.
    Reassigned,
    /// Returned by the department as not theirs.
    HandedBack,
    /// The department works on it.
    Acknowledged,
    /// The department answered.
    Answered,
    /// The department promised a date.
    Planned,
    /// The department reported a result.
    Resolved,
    /// The author accepted the result.
    Confirmed,
    /// The author reopened it.
    Reopened,
    /// Merged into another problem.
    Merged,
    /// Escalated to the supervising department.
    Escalated,
    /// The deadline passed without a reaction.
    Overdue,
    /// After an answer, the date for a result or a plan passed without either.
    ResultOverdue,
    /// The planned date passed without a result; the problem went back to work.
    PlanLapsed,
    /// The supervising body instructed the responsible department, with a date.
    Instructed,
    /// Closed.
    Closed,
    /// Theme or point corrected by a moderator.
    Edited,
    /// Notification only: the deadline is near.
    Reminder,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 21] = [
        Self::Submitted,
        Self::Published,
        Self::Rejected,
        Self::Routed,
        Self::Reassigned,
        Self::HandedBack,
        Self::Acknowledged,
        Self::Answered,
        Self::Planned,
        Self::Resolved,
        Self::Confirmed,
        Self::Reopened,
        Self::Merged,
        Self::Escalated,
        Self::Overdue,
        Self::ResultOverdue,
        Self::PlanLapsed,
        Self::Instructed,
        Self::Closed,
        Self::Edited,
        Self::Reminder,
    ];

    /// The value stored in `problem_events.kind` and `notifications.kind`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Published => "published",
            Self::Rejected => "rejected",
            Self::Routed => "routed",
            Self::Reassigned => "reassigned",
            Self::HandedBack => "handed_back",
            Self::Acknowledged => "acknowledged",
            Self::Answered => "answered",
            Self::Planned => "planned",
            Self::Resolved => "resolved",
            Self::Confirmed => "confirmed",
            Self::Reopened => "reopened",
            Self::Merged => "merged",
            Self::Escalated => "escalated",
            Self::Overdue => "overdue",
            Self::ResultOverdue => "result_overdue",
            Self::PlanLapsed => "plan_lapsed",
            Self::Instructed => "instructed",
            Self::Closed => "closed",
            Self::Edited => "edited",
            Self::Reminder => "reminder",
        }
    }

    /// The kind stored as `value`.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_db() == value)
    }

    /// Whether it gives the problem to a department, whose officials are told.
    pub fn assigns_department(self) -> bool {
        matches!(self, Self::Routed | Self::Reassigned)
    }

    /// Whether authors and subscribers are told about it (every official step).
    pub fn notifies_followers(self) -> bool {
        matches!(
            self,
            Self::Published
                | Self::Rejected
                | Self::Routed
                | Self::Reassigned
                | Self::Acknowledged
                | Self::Answered
                | Self::Planned
                | Self::Resolved
                | Self::Merged
                | Self::Escalated
                | Self::Overdue
                | Self::ResultOverdue
                | Self::PlanLapsed
                | Self::Instructed
                | Self::Closed
        )
    }
}

/// The reaction deadline of a problem published (or reopened) at `from`.
pub fn reaction_deadline(from: NaiveDateTime, reaction_days: u32) -> NaiveDateTime {
    from.checked_add_days(Days::new(u64::from(reaction_days)))
        .unwrap_or(from)
}

/// When a result or a plan is due after an answer given at `answered_at` that was
/// neither.
pub fn result_deadline(answered_at: NaiveDateTime, result_days: u32) -> NaiveDateTime {
    reaction_deadline(answered_at, result_days)
}

/// When a planned result (or an instruction's reaction) is due: the end of that day (UTC).
pub fn plan_deadline(planned_for: NaiveDate) -> NaiveDateTime {
    planned_for
        .checked_add_days(Days::new(1))
        .unwrap_or(planned_for)
        .and_time(chrono::NaiveTime::MIN)
}

/// When a report sent at `reported_at` becomes late in moderation: after one working day
/// (the time of weekends does not run).
pub fn moderation_deadline(reported_at: NaiveDateTime) -> NaiveDateTime {
    after_working_days(reported_at, MODERATION_WORKING_DAYS)
}

/// Until when the author may confirm or reopen a problem resolved at `resolved_at`.
pub fn confirmation_deadline(resolved_at: NaiveDateTime) -> NaiveDateTime {
    resolved_at
        .checked_add_days(Days::new(CONFIRMATION_DAYS))
        .unwrap_or(resolved_at)
}

/// A new problem as typed in the form (or posted through Open311).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProblemInput {
    /// The theme id.
    pub theme_id: String,
    /// Latitude as typed or picked.
    pub lat: String,
    /// Longitude as typed or picked.
    pub lon: String,
    /// Address text.
    pub address: String,
    /// Short title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Staging handles of uploaded photos, comma-separated.
    #[serde(default)]
    pub photos: String,
    /// The id the device gave this report (a report kept offline and sent later carries
    /// it, so sending it twice makes one problem); empty for none.
    #[serde(default)]
    pub client_id: String,
}

/// Most characters of a device's report id (a UUID takes 36).
pub const CLIENT_ID_MAX: usize = 64;

/// The device's report id in `text`: `None` when blank, refused unless it is at most
/// [`CLIENT_ID_MAX`] letters, digits and dashes.
pub fn parse_client_id(text: &str) -> Result<Option<String>, ErrorCode> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else if text.len() <= CLIENT_ID_MAX
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        Ok(Some(text.to_string()))
    } else {
        Err(ErrorCode::Malformed)
    }
}

/// A new problem that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProblem {
    /// The theme.
    pub theme_id: ThemeId,
    /// The point.
    pub point: LatLon,
    /// Trimmed address.
    pub address: String,
    /// Trimmed title.
    pub title: String,
    /// Trimmed description.
    pub description: String,
    /// Staging handles of the photos to attach.
    pub photo_tokens: Vec<String>,
    /// The device's id of the report, which makes a repeated submission the same report.
    pub client_id: Option<String>,
}

/// Most characters of a title.
pub const TITLE_MAX: usize = 200;
/// Most characters of a description (Open311's limit).
pub const DESCRIPTION_MAX: usize = 4000;
/// Most characters of an address.
pub const ADDRESS_MAX: usize = 300;
/// Most characters of an official text or a comment.
pub const TEXT_MAX: usize = 4000;

impl ProblemInput {
    /// Checks every field and reports all refusals at once.
    pub fn validate(&self) -> Result<ValidProblem, Vec<FieldError>> {
        let mut errors = Vec::new();
        let theme_id = match self.theme_id.trim() {
            "" => {
                errors.push(FieldError::new("theme_id", ErrorCode::Required));
                None
            }
            text => match text.parse::<ThemeId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new("theme_id", ErrorCode::UnknownTheme));
                    None
                }
            },
        };
        let point = parse_point(&self.lat, &self.lon, &mut errors);
        check_text("address", &self.address, 1, ADDRESS_MAX, &mut errors);
        check_text("title", &self.title, 5, TITLE_MAX, &mut errors);
        check_text(
            "description",
            &self.description,
            10,
            DESCRIPTION_MAX,
            &mut errors,
        );
        let photo_tokens = crate::photos::parse_tokens(&self.photos).unwrap_or_else(|code| {
            errors.push(FieldError::new("photos", code));
            Vec::new()
        });
        let client_id = parse_client_id(&self.client_id).unwrap_or_else(|code| {
            errors.push(FieldError::new("client_id", code));
            None
        });
        match (theme_id, point) {
            (Some(theme_id), Some(point)) if errors.is_empty() => Ok(ValidProblem {
                theme_id,
                point,
                address: self.address.trim().to_string(),
                title: self.title.trim().to_string(),
                description: self.description.trim().to_string(),
                photo_tokens,
                client_id,
            }),
            _ => Err(errors),
        }
    }
}

/// The particulars of a step as typed in its form; each step reads the ones it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepInput {
    /// Answer, plan reason, report, rejection or reopening reason.
    pub text: String,
    /// For plans: the promised date, `YYYY-MM-DD`.
    pub planned_for: String,
    /// For reassignment: the department id.
    pub department_id: String,
    /// For merges: the original's number.
    pub original_id: String,
    /// For edits: the theme id.
    pub theme_id: String,
    /// For edits: the latitude.
    pub lat: String,
    /// For edits: the longitude.
    pub lon: String,
    /// For resolutions: staging handles of the report's photos, comma-separated.
    pub photos: String,
}

/// Checks the text of an action that needs one.
pub fn validate_action_text(action: ProblemAction, text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if action.needs_text() {
        let mut errors = Vec::new();
        check_text("text", text, 2, TEXT_MAX, &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Invalid { errors });
        }
    } else if text.chars().count() > TEXT_MAX {
        return Err(AppError::invalid(
            "text",
            ErrorCode::TooLong {
                max: TEXT_MAX as u32,
            },
        ));
    }
    Ok(text.to_string())
}

/// A problem as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemSummary {
    /// Its id.
    pub id: ProblemId,
    /// Title.
    pub title: String,
    /// Status.
    pub status: ProblemStatus,
    /// Theme id.
    pub theme_id: ThemeId,
    /// Municipality id.
    pub municipality_id: MunicipalityId,
    /// Responsible department.
    pub department_id: Option<DepartmentId>,
    /// Address text.
    pub address: String,
    /// The point.
    pub point: LatLon,
    /// When it was reported.
    pub created_at: NaiveDateTime,
    /// When it was published.
    pub published_at: Option<NaiveDateTime>,
    /// When a reaction is due.
    pub reaction_due_at: Option<NaiveDateTime>,
    /// Number of supports.
    pub support_count: u32,
    /// Number of comments.
    pub comment_count: u32,
}

/// One entry of the public timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Its id.
    pub id: ProblemEventId,
    /// What happened.
    pub kind: EventKind,
    /// Display name of who did it (None for the scheduler).
    pub actor_name: Option<String>,
    /// The department concerned, Russian and English names.
    pub department_name: Option<(String, String)>,
    /// Text of an answer, reason or report.
    pub body: Option<String>,
    /// Planned date.
    pub planned_for: Option<NaiveDate>,
    /// When.
    pub at: NaiveDateTime,
    /// Photos of a resolution report.
    pub photos: Vec<crate::photos::Photo>,
}

/// A problem page's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemDetail {
    /// The problem as lists show it.
    pub summary: ProblemSummary,
    /// Full description.
    pub description: String,
    /// The author's display name.
    pub author_name: String,
    /// The author.
    pub author_id: UserId,
    /// When it was reported.
    pub created_at: NaiveDateTime,
    /// Planned date, while planned.
    pub planned_for: Option<NaiveDate>,
    /// When it was resolved.
    pub resolved_at: Option<NaiveDateTime>,
    /// Why it was rejected.
    pub rejection_reason: Option<String>,
    /// The original, for a duplicate.
    pub duplicate_of: Option<ProblemId>,
    /// The supervising department it was escalated to.
    pub escalated_to: Option<DepartmentId>,
    /// The public timeline, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Comments, oldest first.
    pub comments: Vec<Comment>,
    /// Photos, in upload order.
    pub photos: Vec<crate::photos::Photo>,
    /// The server's time, so countdowns render the same on the server and in the browser.
    pub now: NaiveDateTime,
}

/// How a list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemSort {
    /// Newest publication first.
    #[default]
    Newest,
    /// Most supported first.
    Supported,
    /// Nearest deadline first.
    Deadline,
}

impl ProblemSort {
    /// Every order.
    pub const ALL: [ProblemSort; 3] = [Self::Newest, Self::Supported, Self::Deadline];

    /// Its name in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Supported => "supported",
            Self::Deadline => "deadline",
        }
    }

    /// The order named `value`.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|sort| sort.as_str() == value)
    }

    /// The order as keyset paging reads it: its sort column, then the id.
    pub fn keyset(self) -> KeysetOrder {
        let (column, descending, kind) = match self {
            Self::Newest => ("p.published_at", true, KeyKind::Time),
            Self::Supported => ("p.support_count", true, KeyKind::Count),
            Self::Deadline => ("p.reaction_due_at", false, KeyKind::Time),
        };
        KeysetOrder {
            column,
            id: "p.id",
            descending,
            kind,
        }
    }

    /// A row's place in this order.
    pub fn cursor(self, row: &ProblemSummary) -> Cursor {
        let key = match self {
            Self::Newest => SortKey::Time(row.published_at),
            Self::Supported => SortKey::Count(u64::from(row.support_count)),
            Self::Deadline => SortKey::Time(row.reaction_due_at),
        };
        Cursor { key, id: row.id.0 }
    }
}

/// Filters shared by the list and the map (they live in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemFilter {
    /// Only this municipality.
    pub municipality_id: Option<MunicipalityId>,
    /// Only this theme.
    pub theme_id: Option<ThemeId>,
    /// Only this status (public statuses only).
    pub status: Option<ProblemStatus>,
    /// Only this department.
    pub department_id: Option<DepartmentId>,
    /// Only overdue ones.
    pub overdue: bool,
    /// Only those reported in these days.
    pub reported: DayRange,
    /// Only those with this outcome (the dashboard's figures link here).
    pub outcome: Option<Outcome>,
}

/// What became of a problem, as the dashboard counts it, where the list has no other
/// filter for it (overdue and planned have theirs); a figure's list is the public list
/// filtered by the same outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// An official reaction came.
    Reacted,
    /// It came within the theme's reaction days of publication.
    ReactedOnTime,
    /// The department reported it solved (and it may since have been closed).
    Resolved,
}

impl Outcome {
    /// Every outcome, in the dashboard's order.
    pub const ALL: [Outcome; 3] = [Outcome::Reacted, Outcome::ReactedOnTime, Outcome::Resolved];

    /// Its name in a URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Reacted => "reacted",
            Outcome::ReactedOnTime => "on_time",
            Outcome::Resolved => "resolved",
        }
    }

    /// The outcome named `value`.
    pub fn parse(value: &str) -> Option<Outcome> {
        Outcome::ALL
            .into_iter()
            .find(|outcome| outcome.as_str() == value)
    }
}

/// The list and map filters as they appear in the URL's query string. Unknown or malformed
/// values are ignored, so an edited or stale link still shows a sensible list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemQuery {
    /// Municipality id.
    #[serde(default)]
    pub municipality: String,
    /// Theme id.
    #[serde(default)]
    pub theme: String,
    /// Status name.
    #[serde(default)]
    pub status: String,
    /// Department id.
    #[serde(default)]
    pub department: String,
    /// "1" for overdue only.
    #[serde(default)]
    pub overdue: String,
    /// First day reported, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: String,
    /// Last day reported, `YYYY-MM-DD`.
    #[serde(default)]
    pub to: String,
    /// Outcome name (see [`Outcome::as_str`]).
    #[serde(default)]
    pub outcome: String,
    /// Sort name.
    #[serde(default)]
    pub sort: String,
    /// The page starts just after this row (a keyset cursor, see [`Cursor::to_param`]).
    #[serde(default)]
    pub after: String,
    /// The page ends just before this row.
    #[serde(default)]
    pub before: String,
}

impl ProblemQuery {
    /// The filter it names.
    pub fn filter(&self) -> ProblemFilter {
        ProblemFilter {
            municipality_id: self.municipality.parse().ok(),
            theme_id: self.theme.parse().ok(),
            status: ProblemStatus::from_db(self.status.trim()),
            department_id: self.department.parse().ok(),
            overdue: matches!(self.overdue.trim(), "1" | "true" | "on"),
            reported: DayRange::from_query(&self.from, &self.to),
            outcome: Outcome::parse(self.outcome.trim()),
        }
    }

    /// Whether it narrows the list beyond what the filter bar shows (a dashboard's link).
    pub fn narrowed(&self) -> bool {
        let filter = self.filter();
        !filter.reported.is_open() || filter.outcome.is_some()
    }

    /// The order it names.
    pub fn sort(&self) -> ProblemSort {
        ProblemSort::parse(self.sort.trim()).unwrap_or_default()
    }

    /// Where its page starts in its order.
    pub fn start(&self) -> PageStart {
        PageStart::from_params(self.sort().keyset().kind, &self.after, &self.before)
    }

    /// The query string for these filters with the page at `start` (empty values left
    /// out).
    pub fn to_query_string(&self, start: &PageStart) -> String {
        let (after, before) = start.params();
        let pairs = [
            ("municipality", self.municipality.as_str()),
            ("theme", self.theme.as_str()),
            ("status", self.status.as_str()),
            ("department", self.department.as_str()),
            ("overdue", self.overdue.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("outcome", self.outcome.as_str()),
            ("sort", self.sort.as_str()),
            ("after", after.as_str()),
            ("before", before.as_str()),
        ];
        query_string(pairs)
    }
}

/// Rows per list page.
pub const PAGE_SIZE: u32 = 20;

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemPage {
    /// The rows and whether pages lie on either side.
    pub paged: Paged<ProblemSummary>,
    /// The order, which names the rows' cursors.
    pub sort: ProblemSort,
    /// The server's time, so countdowns render the same on the server and in the browser.
    pub now: NaiveDateTime,
}

impl ProblemPage {
    /// The starts of the previous and the next page, where there are such pages.
    pub fn neighbours(&self) -> (Option<PageStart>, Option<PageStart>) {
        let sort = self.sort;
        self.paged.neighbours(|row| sort.cursor(row))
    }
}

/// A department's workspace: its open problems by deadline, with the counts, and the
/// open problems escalated to it as the supervising body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    /// The department.
    pub department_id: DepartmentId,
    /// Open problems, nearest deadline first.
    pub rows: Vec<ProblemSummary>,
    /// Open problems of other departments escalated to this one, nearest deadline first.
    pub escalated: Vec<ProblemSummary>,
    /// Problems whose reaction is due within two days.
    pub due_soon: u64,
    /// Problems whose reaction is overdue.
    pub overdue: u64,
    /// The server's time.
    pub now: NaiveDateTime,
}

/// Reaction statistics of a department for one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReactionStats {
    /// Problems published to the department in the period.
    pub received: u64,
    /// Of those, reacted to on time.
    pub on_time: u64,
    /// Of those, now overdue or reacted late.
    pub overdue: u64,
    /// Median time to the first reaction, in hours.
    pub median_reaction_hours: Option<f64>,
    /// Of those, published only after waiting longer than the moderation deadline.
    pub moderation_late: u64,
}

/// The moderators' queue: reports waiting for pre-moderation, oldest first, then open
/// problems without a department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModerationBacklog {
    /// The problems.
    pub rows: Vec<ProblemSummary>,
    /// The server's time, for the waiting times.
    pub now: NaiveDateTime,
}

impl ModerationBacklog {
    /// Whether `problem` has waited for moderation past its deadline.
    pub fn is_late(&self, problem: &ProblemSummary) -> bool {
        problem.status == ProblemStatus::Moderation
            && self.now > moderation_deadline(problem.created_at)
    }
}

/// The median of `values` (sorted in place); `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a valid test time")
    }

    #[test]
    fn the_happy_path_moves_from_moderation_to_closed() {
        let mut status = ProblemStatus::Moderation;
        for (action, expected) in [
            (ProblemAction::Publish, ProblemStatus::Published),
            (ProblemAction::Acknowledge, ProblemStatus::InProgress),
            (ProblemAction::Plan, ProblemStatus::Planned),
            (ProblemAction::Resolve, ProblemStatus::Resolved),
            (ProblemAction::Confirm, ProblemStatus::Closed),
        ] {
            status = status.after(action).expect("allowed");
            assert_eq!(status, expected, "after {action:?}");
        }
    }

    #[test]
    fn closed_rejected_and_duplicate_problems_accept_no_step() {
        for status in [
            ProblemStatus::Closed,
            ProblemStatus::Rejected,
            ProblemStatus::Duplicate,
        ] {
            for action in ProblemAction::ALL {
                let refused = status.after(action);
                assert_eq!(
                    refused,
                    Err(AppError::IllegalTransition {
                        status: status.as_db().into(),
                        action: action.as_db().into()
                    }),
                    "{status:?} must refuse {action:?}"
                );
            }
        }
    }

    #[test]
    fn a_problem_in_moderation_gets_no_official_reaction() {
        for action in [
            ProblemAction::Acknowledge,
            ProblemAction::Answer,
            ProblemAction::Plan,
            ProblemAction::Resolve,
            ProblemAction::HandBack,
            ProblemAction::Confirm,
            ProblemAction::Reopen,
        ] {
            assert!(
                ProblemStatus::Moderation.after(action).is_err(),
                "{action:?}"
            );
        }
    }

    #[test]
    fn a_result_is_confirmed_or_reopened_and_a_plan_reopened() {
        for status in ProblemStatus::ALL {
            let reopen = status.after(ProblemAction::Reopen);
            let confirm = status.after(ProblemAction::Confirm);
            match status {
                ProblemStatus::Resolved => {
                    assert_eq!(reopen, Ok(ProblemStatus::Published));
                    assert_eq!(confirm, Ok(ProblemStatus::Closed));
                }
                ProblemStatus::Planned => {
                    assert_eq!(reopen, Ok(ProblemStatus::Published), "once it lapsed");
                    assert!(confirm.is_err(), "nothing to confirm");
                }
                _ => assert!(
                    reopen.is_err() && confirm.is_err(),
                    "{status:?} cannot be reopened or confirmed"
                ),
            }
        }
    }

    #[test]
    fn the_supervising_body_instructs_a_problem_waiting_for_a_reaction_or_a_result() {
        for status in ProblemStatus::ALL {
            let allowed = matches!(
                status,
                ProblemStatus::Published | ProblemStatus::InProgress | ProblemStatus::Answered
            );
            assert_eq!(
                status.after(ProblemAction::Instruct).ok(),
                allowed.then_some(status),
                "{status:?}"
            );
        }
        let supervisors: Vec<ProblemAction> = ProblemAction::ALL
            .into_iter()
            .filter(|action| action.open_to_supervisor())
            .collect();
        assert_eq!(
            supervisors,
            [
                ProblemAction::Reassign,
                ProblemAction::Answer,
                ProblemAction::Instruct
            ]
        );
        assert!(ProblemAction::Instruct.needs_text() && ProblemAction::Instruct.needs_date());
    }

    #[test]
    fn publishing_twice_and_acknowledging_an_answer_are_refused() {
        assert!(
            ProblemStatus::Published
                .after(ProblemAction::Publish)
                .is_err()
        );
        assert!(
            ProblemStatus::Answered
                .after(ProblemAction::Acknowledge)
                .is_err()
        );
        assert!(
            ProblemStatus::Planned
                .after(ProblemAction::HandBack)
                .is_err()
        );
        assert_eq!(
            ProblemStatus::Planned.after(ProblemAction::Plan),
            Ok(ProblemStatus::Planned),
            "a plan may be moved"
        );
    }

    #[test]
    fn every_status_and_kind_round_trips_through_the_database_name() {
        for status in ProblemStatus::ALL {
            assert_eq!(ProblemStatus::from_db(status.as_db()), Some(status));
        }
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_db(kind.as_db()), Some(kind));
        }
    }

    #[test]
    fn the_deadline_is_ten_days_after_publication_and_counts_down() {
        let published = at("2026-11-01 09:30:00");
        let due = reaction_deadline(published, 10);
        assert_eq!(due, at("2026-11-11 09:30:00"));
        assert_eq!(days_left(due, at("2026-11-01 09:30:00")), 10);
        assert_eq!(
            days_left(due, at("2026-11-10 10:00:00")),
            1,
            "23.5 h left is 1 day"
        );
        assert_eq!(days_left(due, at("2026-11-11 09:30:00")), 0);
        assert_eq!(
            days_left(due, at("2026-11-11 09:30:01")),
            -1,
            "overdue by 1 day"
        );
        assert_eq!(days_left(due, at("2026-11-14 12:00:00")), -4);
    }

    #[test]
    fn a_plan_is_due_at_the_end_of_its_day_and_confirmation_lasts_14_days() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 31).expect("a date");
        assert_eq!(plan_deadline(day), at("2027-01-01 00:00:00"));
        assert_eq!(
            confirmation_deadline(at("2026-11-01 12:00:00")),
            at("2026-11-15 12:00:00")
        );
    }

    #[test]
    fn a_result_a_plan_or_an_answer_in_words_are_the_official_reactions() {
        for action in ProblemAction::ALL {
            let expected = matches!(
                action,
                ProblemAction::Resolve | ProblemAction::Plan | ProblemAction::Answer
            );
            assert_eq!(action.is_official_reaction(), expected, "{action:?}");
        }
    }

    #[test]
    fn input_is_checked_field_by_field() {
        let input = ProblemInput {
            theme_id: "x".into(),
            lat: "55.75".into(),
            lon: "37.62".into(),
            address: " ".into(),
            title: "Яма".into(),
            description: "Большая яма".into(),
            photos: String::new(),
            client_id: "bad id".into(),
        };
        let errors = input.validate().expect_err("refused");
        let fields: Vec<(&str, ErrorCode)> =
            errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("theme_id", ErrorCode::UnknownTheme),
                ("point", ErrorCode::OutsideRegion),
                ("address", ErrorCode::Required),
                ("title", ErrorCode::TooShort { min: 5 }),
                ("client_id", ErrorCode::Malformed),
            ]
        );
    }

    #[test]
    fn valid_input_is_trimmed_and_accepts_comma_decimals() {
        let input = ProblemInput {
            theme_id: "3".into(),
            lat: "45,0355".into(),
            lon: " 38.9753 ".into(),
            address: " ул. Красная, 1 ".into(),
            title: " Яма на дороге ".into(),
            description: "Глубокая яма посреди полосы.".into(),
            photos: String::new(),
            client_id: " report-1 ".into(),
        };
        let valid = input.validate().expect("accepted");
        assert_eq!(valid.client_id.as_deref(), Some("report-1"));
        assert_eq!(valid.theme_id, ThemeId(3));
        assert_eq!(
            valid.point,
            LatLon {
                lat: 45.0355,
                lon: 38.9753
            }
        );
        assert_eq!(valid.title, "Яма на дороге");
        assert_eq!(valid.address, "ул. Красная, 1");
    }

    #[test]
    fn action_texts_are_required_where_the_step_needs_one() {
        assert!(validate_action_text(ProblemAction::Answer, "  ").is_err());
        assert!(validate_action_text(ProblemAction::Acknowledge, "").is_ok());
        assert_eq!(
            validate_action_text(ProblemAction::Resolve, " Яму заделали. "),
            Ok("Яму заделали.".to_string())
        );
    }

    #[test]
    fn url_filters_ignore_malformed_values_and_round_trip() {
        let query = ProblemQuery {
            municipality: "7".into(),
            theme: "x".into(),
            status: "answered".into(),
            overdue: "1".into(),
            sort: "deadline".into(),
            after: "20260301T100000_17".into(),
            ..ProblemQuery::default()
        };
        let filter = query.filter();
        assert_eq!(filter.municipality_id, Some(MunicipalityId(7)));
        assert_eq!(filter.theme_id, None);
        assert_eq!(filter.status, Some(ProblemStatus::Answered));
        assert!(filter.overdue);
        assert_eq!(query.sort(), ProblemSort::Deadline);
        let start = query.start();
        assert!(matches!(start, PageStart::After(cursor) if cursor.id == 17));
        assert_eq!(
            query.to_query_string(&start),
            "?municipality=7&theme=x&status=answered&overdue=1&sort=deadline\
             &after=20260301T100000_17"
        );
        let by_supports = ProblemQuery {
            sort: "supported".into(),
            ..query.clone()
        };
        assert_eq!(
            by_supports.start(),
            PageStart::First,
            "a time is no support count"
        );
        assert_eq!(
            ProblemQuery::default().to_query_string(&PageStart::First),
            ""
        );
    }

    #[test]
    fn a_device_report_id_is_optional_and_plain() {
        assert_eq!(parse_client_id("  "), Ok(None));
        assert_eq!(
            parse_client_id(" 3f2c1a8e-7d5b-4c1e-9a0f-1b2c3d4e5f60 "),
            Ok(Some("3f2c1a8e-7d5b-4c1e-9a0f-1b2c3d4e5f60".to_string()))
        );
        for refused in ["a b", "x'; --", "я", &"a".repeat(CLIENT_ID_MAX + 1)] {
            assert_eq!(
                parse_client_id(refused),
                Err(ErrorCode::Malformed),
                "{refused}"
            );
        }
    }

    #[test]
    fn the_median_handles_odd_even_and_empty_sets() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
