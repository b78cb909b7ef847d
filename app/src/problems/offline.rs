//! Reports written without network: kept on the device with their photos
//! (`ui::offline_queue`), listed as waiting on the report form and on "my reports", and
//! sent when the network returns (or the app next starts), each under the id the device
//! gave it, so that the server makes one problem however often a report arrives.

use leptos::prelude::*;

use crate::i18n::{Locale, Msg, error_text, use_i18n};
use crate::ui::errors::upload_error_text;
use platform::error::AppError;

/// A report waiting on this device.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingReport {
    /// The device's id of the report.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Why the server refused it, when it did (it stays until its author removes it).
    pub refused: Option<AppError>,
}

/// The reports waiting on this device, for every page that lists them.
#[derive(Clone, Copy)]
// Only the browser sends, so the server reads none of the sending state.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct Waiting {
    reports: RwSignal<Vec<WaitingReport>>,
    refusals: RwSignal<Vec<(String, AppError)>>,
    sending: StoredValue<bool>,
}

/// The kind of the kept records.
#[cfg(feature = "hydrate")]
const KIND: &str = "problem";

/// Provides the waiting reports to the app; in the browser, loads them and sends them now
/// and whenever the network returns.
pub fn provide_waiting() {
    let waiting = Waiting {
        reports: RwSignal::new(Vec::new()),
        refusals: RwSignal::new(Vec::new()),
        sending: StoredValue::new(false),
    };
    provide_context(waiting);
    #[cfg(feature = "hydrate")]
    browser::start(waiting);
}

/// The waiting reports provided by the app.
pub fn use_waiting() -> Option<Waiting> {
    use_context::<Waiting>()
}

impl Waiting {
    /// How many reports wait.
    pub fn count(&self) -> usize {
        self.reports.with(Vec::len)
    }
}

/// The list of reports waiting on this device (nothing when none waits).
#[component]
pub fn WaitingReports() -> impl IntoView {
    let i18n = use_i18n();
    let waiting = use_waiting();
    move || {
        let reports = waiting
            .map(|waiting| waiting.reports.get())
            .unwrap_or_default();
        (!reports.is_empty()).then(|| view! {
            <section class="notice stack" data-test="waiting-reports" aria-live="polite">
                <h2>{move || i18n.t(Msg::WaitingReportsTitle)}</h2>
                <ul class="stack">
                    {reports.into_iter().map(|report| {
                        let id = report.id.clone();
                        let state = match &report.refused {
                            None => i18n.t(Msg::WaitingForNetwork).to_string(),
                            Some(refused) => refusal_text(refused, i18n.locale()),
                        };
                        view! {
                            <li data-test="waiting-report">
                                <strong>{report.title}</strong>" — "<span>{state}</span>
                                {report.refused.is_some().then(|| view! {
                                    " "
                                    <button type="button" class="link-button" on:click=move |_| forget(waiting, id.clone())>
                                        {move || i18n.t(Msg::RemoveWaitingReport)}
                                    </button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}

/// The server's refusal of a waiting report: each refused field's reason, or the error's.
fn refusal_text(refused: &AppError, locale: Locale) -> String {
    match refused {
        AppError::Invalid { errors } => errors
            .iter()
            .map(|field| upload_error_text(refused, &field.field, locale))
            .collect::<Vec<_>>()
            .join("; "),
        other => error_text(other, locale),
    }
}

/// Removes a refused report from this device.
fn forget(waiting: Option<Waiting>, id: String) {
    #[cfg(feature = "hydrate")]
    if let Some(waiting) = waiting {
        leptos::task::spawn_local(async move {
            // A store that cannot delete leaves the report listed, which is what it is.
            let _ = crate::ui::offline_queue::delete(&id).await;
            browser::refresh(waiting).await;
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (waiting, id);
}

#[cfg(feature = "hydrate")]
pub use browser::{keep, send_waiting};

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    use super::{KIND, Waiting, WaitingReport};
    use crate::photos::components::browser::upload;
    use crate::problems::model::ProblemInput;
    use crate::problems::server_fns::report_problem;
    use crate::ui::offline_queue::{self, Kept};
    use platform::error::AppError;

    /// Loads the waiting reports, sends them, and listens for the network's return.
    pub fn start(waiting: Waiting) {
        let on_online = Closure::<dyn FnMut()>::new(move || send_waiting(waiting));
        if let Some(window) = web_sys::window() {
            let _ = window
                .add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        }
        // The listener lives as long as the page.
        on_online.forget();
        // A phone can believe it is online while nothing gets through, and then no
        // "online" event comes when the network truly returns: try again now and then.
        set_interval(
            move || {
                if waiting.count() > 0 {
                    send_waiting(waiting);
                }
            },
            RETRY_EVERY,
        );
        send_waiting(waiting);
    }

    /// How often waiting reports are tried again without an "online" event.
    const RETRY_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

    /// Keeps `input` (its `client_id` set) and the held `photos` on the device, lists it as
    /// waiting, and tries to send it at once.
    pub async fn keep(
        waiting: Waiting,
        input: &ProblemInput,
        photos: Vec<web_sys::File>,
    ) -> Result<(), AppError> {
        let kept = Kept {
            id: input.client_id.clone(),
            kind: KIND.to_string(),
            title: input.title.trim().to_string(),
            input: serde_json::to_string(input).map_err(|_| AppError::Internal)?,
            files: photos,
        };
        offline_queue::put(&kept)
            .await
            .map_err(|_| AppError::Unavailable)?;
        refresh(waiting).await;
        send_waiting(waiting);
        Ok(())
    }

    /// Sends every waiting report, one run at a time.
    pub fn send_waiting(waiting: Waiting) {
        if waiting.sending.get_value() {
            return;
        }
        waiting.sending.set_value(true);
        leptos::task::spawn_local(async move {
            refresh(waiting).await;
            send_all(waiting).await;
            waiting.sending.set_value(false);
            refresh(waiting).await;
        });
    }

    /// Reads the list again from the store.
    pub async fn refresh(waiting: Waiting) {
        let kept = offline_queue::all(KIND).await.unwrap_or_default();
        let refusals = waiting.refusals.get_untracked();
        let reports = kept
            .into_iter()
            .map(|kept| WaitingReport {
                refused: refusals
                    .iter()
                    .find(|(id, _)| *id == kept.id)
                    .map(|(_, refused)| refused.clone()),
                id: kept.id,
                title: kept.title,
            })
            .collect();
        waiting.reports.set(reports);
    }

    async fn send_all(waiting: Waiting) {
        let Ok(kept) = offline_queue::all(KIND).await else {
            return;
        };
        for report in kept {
            let refused_before = waiting
                .refusals
                .with_untracked(|refusals| refusals.iter().any(|(id, _)| *id == report.id));
            if refused_before || !offline_queue::is_online() {
                continue;
            }
            let Ok(input) = serde_json::from_str::<ProblemInput>(&report.input) else {
                continue;
            };
            match send(input, report.files).await {
                Ok(()) => {
                    // Sent: a store that cannot delete sends it again later, and the
                    // server answers with the same problem.
                    let _ = offline_queue::delete(&report.id).await;
                }
                Err(AppError::Unavailable) => return,
                Err(refused) => waiting
                    .refusals
                    .update(|refusals| refusals.push((report.id, refused))),
            }
        }
    }

    /// Uploads the held photos, then sends the report with every photo's handle.
    async fn send(mut input: ProblemInput, photos: Vec<web_sys::File>) -> Result<(), AppError> {
        let mut uploaded = Vec::new();
        for photo in photos {
            match upload(photo).await {
                Ok(photo) => uploaded.push(photo.token),
                Err(AppError::Unavailable) => return Err(AppError::Unavailable),
                // The server refuses this file whenever it comes (not an image, too
                // large): the report goes without it rather than never.
                Err(_) => {}
            }
        }
        let uploaded_before = input.photos.clone();
        input.photos = join_handles(&uploaded_before, &uploaded);
        match report_problem(input.clone()).await {
            Ok(_) => Ok(()),
            // Photos uploaded before the network went are kept on the server for a day
            // only; a report that waited longer goes with the photos held on the device.
            Err(AppError::Invalid { errors })
                if errors.iter().all(|error| error.field == "photos")
                    && !uploaded_before.is_empty() =>
            {
                input.photos = join_handles("", &uploaded);
                report_problem(input).await.map(drop)
            }
            Err(refused) => Err(refused),
        }
    }

    /// The handles in `before` (comma-separated) and `added`, comma-separated.
    fn join_handles(before: &str, added: &[String]) -> String {
        before
            .split(',')
            .map(str::trim)
            .filter(|handle| !handle.is_empty())
            .map(str::to_string)
            .chain(added.iter().cloned())
            .collect::<Vec<_>>()
            .join(",")
    }
}
