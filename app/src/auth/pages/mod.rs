//! Sign-in, registration and account pages.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::auth::components::use_auth;
use crate::auth::model::SessionUser;
use crate::auth::server_fns::{
    ChangePassword, ConfirmRegistration, Login, Register, SaveMailSettings, get_mail_settings,
};
use crate::geography::server_fns::list_municipalities;
use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::{ActionError, FieldMessage, last_error};
use crate::ui::form::{Field, SelectField};

/// After a successful sign-in or confirmed registration: adopt the user's language, reload the user
/// and go to the home page.
fn on_signed_in(
    value: impl Get<Value = Option<Result<SessionUser, platform::error::AppError>>> + 'static,
) {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(user)) = value.get() {
            i18n.set_locale(user.locale);
            #[cfg(feature = "hydrate")]
            crate::i18n::remember_in_browser(user.locale);
            auth.refresh();
            navigate("/", Default::default());
        }
    });
}

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    let error = last_error(login.value());
    on_signed_in(login.value());
    view! {
        <Title text=move || i18n.t(Msg::SignIn) />
        <h1 class="page-title">{move || i18n.t(Msg::SignIn)}</h1>
        <ActionForm action=login attr:class="form stack" attr:data-test="login-form">
            <ActionError error />
            <Field name="email" label=Msg::Email kind="email" autocomplete="username" required=true error />
            <Field name="password" label=Msg::Password kind="password" autocomplete="current-password" required=true error />
            <div class="form-actions">
                <button type="submit" class="primary" data-test="submit" disabled=move || login.pending().get()>
                    {move || i18n.t(Msg::SignIn)}
                </button>
                <A href="/register">{move || i18n.t(Msg::NoAccountYet)}</A>
            </div>
        </ActionForm>
    }
}

/// The registration page. A sent form is answered with "check your e-mail", whether or
/// not the address has an account (see `auth::server_fns::register`).
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let register = ServerAction::<Register>::new();
    let error = last_error(register.value());
    let sent_to = move || {
        register
            .value()
            .get()
            .and_then(Result::ok)
            .map(|sent| sent.email)
    };
    let municipalities = Resource::new(|| (), |_| list_municipalities());
    view! {
        <Title text=move || i18n.t(Msg::Register) />
        <h1 class="page-title">{move || i18n.t(Msg::Register)}</h1>
        <Show when=move || sent_to().is_some()>
            <section class="notice success stack" role="status" data-test="registration-sent">
                <h2>{move || i18n.t(Msg::RegistrationSentTitle)}</h2>
                <p>
                    {move || i18n.t(Msg::RegistrationSentTo)} " "
                    <strong data-test="registration-sent-to">{move || sent_to().unwrap_or_default()}</strong> "."
                </p>
                <p>{move || i18n.t(Msg::RegistrationSentNext)}</p>
            </section>
        </Show>
        <p class="lead">{move || i18n.t(Msg::RegisterLead)}</p>
        <ActionForm action=register attr:class="form stack" attr:data-test="register-form">
            <ActionError error />
            <Field name="display_name" label=Msg::DisplayName autocomplete="name" required=true error />
            <Field name="email" label=Msg::Email kind="email" autocomplete="email" required=true error />
            <Field
                name="password"
                label=Msg::Password
                kind="password"
                autocomplete="new-password"
                hint=Msg::PasswordHint
                required=true
                error
            />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = municipalities.await.unwrap_or_default();
                    let options = Signal::derive(move || {
                        let locale = i18n.locale();
                        list.iter().map(|m| (m.id.to_string(), m.name(locale).to_string())).collect::<Vec<_>>()
                    });
                    view! {
                        <SelectField
                            name="home_municipality_id"
                            label=Msg::HomeMunicipality
                            empty=Msg::ChooseMunicipality
                            options
                            required=true
                            error
                        />
                    }
                })}
            </Transition>
            <p class="field-hint">{move || i18n.t(Msg::HomeMunicipalityHint)}</p>
            <div class="form-actions">
                <button type="submit" class="primary" data-test="submit" disabled=move || register.pending().get()>
                    {move || i18n.t(Msg::Register)}
                </button>
                <A href="/login">{move || i18n.t(Msg::HaveAccount)}</A>
            </div>
        </ActionForm>
    }
}

/// Where the link of a registration mail leads. Opening it does nothing by itself (mail
/// scanners open links too); the button creates the account and signs it in.
#[component]
pub fn ConfirmRegistrationPage() -> impl IntoView {
    let i18n = use_i18n();
    let confirm = ServerAction::<ConfirmRegistration>::new();
    let error = last_error(confirm.value());
    // The token is the form's only input and it is hidden, so a refused link is said in
    // words beside the button, not as "correct the marked fields".
    let other_error =
        Signal::derive(move || error.get().filter(|e| e.for_field("token").is_none()));
    on_signed_in(confirm.value());
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <Title text=move || i18n.t(Msg::ConfirmRegistration) />
        <h1 class="page-title">{move || i18n.t(Msg::ConfirmRegistration)}</h1>
        <p class="lead">{move || i18n.t(Msg::ConfirmRegistrationLead)}</p>
        <ActionForm action=confirm attr:class="form stack" attr:data-test="confirm-form">
            <ActionError error=other_error />
            <div>
                <FieldMessage error field="token" />
            </div>
            <input type="hidden" name="token" prop:value=token />
            <div class="form-actions">
                <button type="submit" class="primary" data-test="submit" disabled=move || confirm.pending().get()>
                    {move || i18n.t(Msg::ConfirmAndSignIn)}
                </button>
            </div>
        </ActionForm>
    }
}

/// The account page: who you are, your roles, and the password change form, followed by
/// the sections that features above this one add for a signed-in user (the app's route
/// table passes them, so this page names no feature).
#[component]
pub fn AccountPage(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let change = ServerAction::<ChangePassword>::new();
    let error = last_error(change.value());
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <Title text=move || i18n.t(Msg::NavAccount) />
        <h1 class="page-title">{move || i18n.t(Msg::NavAccount)}</h1>
        <Transition fallback=|| ()>
            {move || {
                let sections = children.clone();
                Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => view! {
                            <dl class="stack" data-test="account-details">
                                <dt>{move || i18n.t(Msg::DisplayName)}</dt>
                                <dd>{user.display_name.clone()}</dd>
                                <dt>{move || i18n.t(Msg::Email)}</dt>
                                <dd>{user.email.clone()}</dd>
                                <dt>{move || i18n.t(Msg::Roles)}</dt>
                                <dd class="row">
                                    {user.roles.iter().map(|grant| {
                                        let role = grant.role;
                                        view! {
                                            <span class=format!("badge role-{}", role.as_db())>
                                                {move || i18n.t(role.msg())}
                                            </span>
                                        }
                                    }).collect_view()}
                                </dd>
                            </dl>
                            <h2>{move || i18n.t(Msg::ChangePassword)}</h2>
                            <ActionForm action=change attr:class="form stack" attr:data-test="password-form">
                                <ActionError error />
                                <Show when=changed>
                                    <p class="notice success" role="status">{move || i18n.t(Msg::PasswordChanged)}</p>
                                </Show>
                                <Field name="current_password" label=Msg::CurrentPassword kind="password" autocomplete="current-password" required=true error />
                                <Field name="new_password" label=Msg::NewPassword kind="password" autocomplete="new-password" hint=Msg::PasswordHint required=true error />
                                <Field name="new_password_repeat" label=Msg::RepeatPassword kind="password" autocomplete="new-password" required=true error />
                                <div class="form-actions">
                                    <button type="submit" class="primary">{move || i18n.t(Msg::ChangePassword)}</button>
                                </div>
                            </ActionForm>
                            <MailSettingsSection />
                            <p><A href="/problems/mine" attr:data-test="my-problems">{move || i18n.t(Msg::MyProblems)}</A></p>
                            {sections()}
                        }
                        .into_any(),
                        _ => view! {
                            <p class="notice info">{move || i18n.t(Msg::SignInRequired)}</p>
                            <A href="/login" attr:class="button primary">{move || i18n.t(Msg::SignIn)}</A>
                        }
                        .into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// Which notifications also come by e-mail: two boxes and a save button.
#[component]
fn MailSettingsSection() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveMailSettings>::new();
    let error = last_error(save.value());
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    let settings = Resource::new(move || save.version().get(), |_| get_mail_settings());
    view! {
        <h2>{move || i18n.t(Msg::MailSettings)}</h2>
        <ActionForm action=save attr:class="form stack" attr:data-test="mail-settings-form">
            <ActionError error />
            <Show when=saved>
                <p class="notice success" role="status">{move || i18n.t(Msg::MailSettingsSaved)}</p>
            </Show>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let current = settings.await.ok();
                    let work = current.is_some_and(|settings| settings.work);
                    let followed = current.is_some_and(|settings| settings.followed);
                    view! {
                        <label class="checkbox">
                            <input type="checkbox" name="work" value="on" checked=work data-test="mail-work" />
                            {move || i18n.t(Msg::MailWorkNotices)}
                        </label>
                        <label class="checkbox">
                            <input type="checkbox" name="followed" value="on" checked=followed data-test="mail-followed" />
                            {move || i18n.t(Msg::MailFollowedNotices)}
                        </label>
                    }
                })}
            </Transition>
            <div class="form-actions">
                <button type="submit" class="primary" data-test="mail-save" disabled=move || save.pending().get()>
                    {move || i18n.t(Msg::Save)}
                </button>
            </div>
        </ActionForm>
    }
}
