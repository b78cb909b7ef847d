//! Conversations and messages as the wire carries them, and the pure check of what a
//! person types.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use platform::error::{FieldError, check_text};
use platform::ids::UserId;

/// The longest message, in characters.
pub const BODY_MAX: usize = 4000;

/// Messages on one page of a conversation.
pub const MESSAGE_PAGE: usize = 50;

/// Conversations on one page of the list.
pub const CONVERSATION_PAGE: usize = 30;

platform::id_type!(
    /// A conversation's id.
    ConversationId
);

platform::id_type!(
    /// A message's id.
    MessageId
);

/// The key that makes a conversation unique: the two members (smaller id first) and the
/// problem it is about, if any. Whoever writes first, the pair finds the same row.
pub fn pair_key(one: UserId, other: UserId, problem: Option<u64>) -> String {
    let (low, high) = if one.0 <= other.0 {
        (one.0, other.0)
    } else {
        (other.0, one.0)
    };
    match problem {
        Some(problem) => format!("{low}:{high}:{problem}"),
        None => format!("{low}:{high}"),
    }
}

/// A conversation as the reader's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationSummary {
    /// Its id.
    pub id: ConversationId,
    /// The other member.
    pub with_id: UserId,
    /// Their name.
    pub with_name: String,
    /// The problem it is about, with its title.
    pub problem: Option<(u64, String)>,
    /// The newest message's beginning, and who wrote it.
    pub last: Option<(String, UserId)>,
    /// When the newest message was sent (UTC).
    pub last_at: Option<NaiveDateTime>,
    /// Messages of the other member the reader has not read.
    pub unread: u32,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Its id.
    pub id: MessageId,
    /// The conversation.
    pub conversation: ConversationId,
    /// Who wrote it.
    pub sender: UserId,
    /// Their name.
    pub sender_name: String,
    /// The text, as typed (rendered as text, links recognised).
    pub body: String,
    /// When it was sent (UTC).
    pub at: NaiveDateTime,
}

/// A conversation's page: the other member, and its newest messages (oldest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationDetail {
    /// The conversation as the list shows it.
    pub summary: ConversationSummary,
    /// The reader.
    pub reader: UserId,
    /// Up to [`MESSAGE_PAGE`] messages, oldest first.
    pub messages: Vec<Message>,
    /// The id to read older messages before, when there are more.
    pub older: Option<u64>,
}

/// The reader's conversations, newest first, and their unread messages in all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    /// The conversations.
    pub conversations: Vec<ConversationSummary>,
    /// The id of the conversation to read older ones before, when there are more.
    pub older: Option<u64>,
    /// Unread messages in all conversations.
    pub unread: u32,
}

/// The conversations about a problem that the reader is in, for the problem's page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProblemConversations {
    /// The conversations, newest first.
    pub conversations: Vec<ConversationSummary>,
    /// The problem's author, when the reader may write to them about it (an official of
    /// a department answering for it).
    pub author: Option<UserId>,
}

/// A message that passed the checks: its text, trimmed.
pub fn validate_body(body: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    let body = body.trim();
    check_text("body", body, 1, BODY_MAX, &mut errors);
    if errors.is_empty() {
        Ok(body.to_string())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::error::ErrorCode;

    #[test]
    fn a_pair_finds_one_conversation_whoever_writes_first() {
        assert_eq!(pair_key(UserId(9), UserId(4), None), "4:9");
        assert_eq!(pair_key(UserId(4), UserId(9), None), "4:9");
        assert_eq!(pair_key(UserId(9), UserId(4), Some(17)), "4:9:17");
        assert_ne!(
            pair_key(UserId(4), UserId(9), None),
            pair_key(UserId(4), UserId(9), Some(17))
        );
    }

    #[test]
    fn a_message_is_trimmed_text_of_bounded_length() {
        assert_eq!(validate_body("  Привет!  ").as_deref(), Ok("Привет!"));
        assert_eq!(
            validate_body("   ").expect_err("refused")[0].code,
            ErrorCode::Required
        );
        assert_eq!(
            validate_body(&"я".repeat(BODY_MAX + 1)).expect_err("refused")[0].code,
            ErrorCode::TooLong {
                max: BODY_MAX as u32
            }
        );
    }
}
