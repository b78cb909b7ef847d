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
            Role::Analyst => Msg::RoleAnalyst,
            Role::Moderator => Msg::RoleModerator,
            Role::Admin => Msg::RoleAdmin,
        }
    }
}

/// The two mails of a registration request, in the registrant's language. Neither repeats
/// what the registrant typed (the name could be anyone's words sent to anyone's mailbox);
/// the confirmation carries the link with `token`.
#[cfg(feature = "ssr")]
pub fn registration_mails(
    email: &str,
    locale: crate::i18n::Locale,
    site_url: &str,
    token: &str,
) -> super::model::RegistrationMails {
    use platform::i18n::Message as _;
    use platform::mail::Mail;
    let text = |msg: Msg| msg.text(locale);
    let site = site_url.trim_end_matches('/');
    let letter = |lead: Msg, link: String, ignore: Msg| {
        format!(
            "{}!\n\n{}\n{link}\n\n{}\n\n— {}\n{site}\n",
            text(Msg::MailGreeting),
            text(lead),
            text(ignore),
            text(Msg::SiteName),
        )
    };
    super::model::RegistrationMails {
        confirm: Mail {
            to: email.to_string(),
            subject: text(Msg::MailConfirmSubject).to_string(),
            body: letter(
                Msg::MailConfirmBody,
                format!("{site}/register/confirm?token={token}"),
                Msg::MailConfirmIgnore,
            ),
        },
        exists: Mail {
            to: email.to_string(),
            subject: text(Msg::MailExistsSubject).to_string(),
            body: letter(
                Msg::MailExistsBody,
                format!("{site}/login"),
                Msg::MailExistsIgnore,
            ),
        },
    }
}
