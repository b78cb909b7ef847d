//! The signed-in user in context, and the header's account menu.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::auth::model::{Role, SessionUser};
use crate::auth::server_fns::{Logout, get_current_user};
use crate::i18n::{Msg, use_i18n};
use crate::ui::errors::ErrorPage;
use platform::error::AppError;

/// The signed-in user, loaded once per page and refreshed after sign-in and sign-out.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The user resource (`Ok(None)` for a guest).
    pub user: Resource<Result<Option<SessionUser>, AppError>>,
    version: RwSignal<u32>,
}

impl Auth {
    /// Reloads the user after the session changed.
    pub fn refresh(&self) {
        self.version.update(|version| *version += 1);
    }
}

/// Puts the auth context in place; called once by the app root.
pub fn provide_auth() -> Auth {
    let version = RwSignal::new(0u32);
    let user = Resource::new(move || version.get(), |_| get_current_user());
    let auth = Auth { user, version };
    provide_context(auth);
    auth
}

/// The auth context.
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Sign-in and registration links for guests; the user's menu for everyone else.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let logout = ServerAction::<Logout>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            forget_cached_pages();
            auth.refresh();
            navigate("/", Default::default());
        }
    });
    view! {
        <div class="account-menu" data-test="account-menu">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => {
                            let staff = user.is_staff();
                            view! {
                                <details>
                                    <summary data-test="user-name">{user.display_name.clone()}</summary>
                                    <ul>
                                        <li><A href="/account">{move || i18n.t(Msg::NavAccount)}</A></li>
                                        <Show when=move || staff>
                                            <li><A href="/manage" attr:data-test="manage-link">{move || i18n.t(Msg::NavManage)}</A></li>
                                        </Show>
                                        <li>
                                            <ActionForm action=logout>
                                                <button type="submit" class="link-button" data-test="logout">
                                                    {move || i18n.t(Msg::SignOut)}
                                                </button>
                                            </ActionForm>
                                        </li>
                                    </ul>
                                </details>
                            }
                            .into_any()
                        }
                        _ => view! {
                            <A href="/login" attr:data-test="login-link">{move || i18n.t(Msg::SignIn)}</A>
                            <A href="/register" attr:class="button primary" attr:data-test="register-link">
                                {move || i18n.t(Msg::Register)}
                            </A>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// Asks the service worker to drop its copies of visited pages, so that a shared phone does
/// not show the previous user's pages offline.
fn forget_cached_pages() {
    #[cfg(feature = "hydrate")]
    if let Some(worker) = window().navigator().service_worker().controller() {
        let _ = worker.post_message(&wasm_bindgen::JsValue::from_str("CLEAR_PAGES"));
    }
}

/// Shows `children` only to users holding one of `roles`; others see why not. The server
/// functions behind the page check the roles again.
#[component]
pub fn RequireRole(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) if roles.iter().any(|role| user.has_role(*role)) => children().into_any(),
                        Ok(Some(_)) => view! { <div data-test="forbidden"><ErrorPage error=AppError::Forbidden /></div> }.into_any(),
                        _ => view! { <div data-test="forbidden"><ErrorPage error=AppError::Unauthorized /></div> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}
