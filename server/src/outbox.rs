//! Outbox delivery: every instance looks for due events every `poll` and hands each to
//! its channel's deliverer (plain e-mail, notifications by e-mail, departments'
//! webhooks). Claims in the database keep two instances from sending one event in the
//! same attempt, and a lapsed claim (an instance killed mid-delivery) is taken over; see
//! `platform::outbox`.

use std::time::{Duration, Instant};

use app::notifications::mail::NoticeMailer;
use platform::db::DbPool;
use platform::mail::Mailer;
use platform::outbox::{Backoff, Channel, ClaimedEvent, Deliverer, deliver_due};
use platform::webhook::WebhookSender;

use crate::metrics::Metrics;

/// Every channel's deliverer.
struct Channels {
    mail: Mailer,
    notices: NoticeMailer,
    webhooks: WebhookSender,
}

impl Deliverer for Channels {
    async fn deliver(&self, event: &ClaimedEvent) -> Result<(), String> {
        match Channel::from_stored(&event.channel) {
            Some(Channel::Email) => self.mail.deliver(event).await,
            Some(Channel::Notice) => self.notices.deliver(event).await,
            Some(Channel::Webhook) => self.webhooks.deliver(event).await,
            None => Err(format!("no deliverer for channel {:?}", event.channel)),
        }
    }
}

/// Events one run claims at most; the next run follows at once while runs find work.
const BATCH: u32 = 50;

/// Delivers due outbox events every `poll` until the process ends: mail through `mailer`
/// (its links lead to `site_url`), departments' events through `webhooks`.
pub fn spawn(
    pool: DbPool,
    mailer: Mailer,
    webhooks: WebhookSender,
    site_url: &str,
    poll: Duration,
    metrics: Metrics,
) {
    let channels = Channels {
        notices: NoticeMailer::new(pool.clone(), mailer.clone(), site_url),
        mail: mailer,
        webhooks,
    };
    let instance = crate::instance_name();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(poll);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            loop {
                // A fresh name per run: a claim names exactly the run that holds it.
                let run = format!("{instance}-{:016x}", rand::random::<u64>());
                let started = Instant::now();
                let delivered =
                    deliver_due(&pool, &channels, &run, Backoff::default(), BATCH).await;
                metrics.job_finished("outbox_delivery", delivered.is_ok(), started.elapsed());
                match delivered {
                    Ok(report) => {
                        if report != Default::default() {
                            tracing::info!(?report, "outbox delivered");
                        }
                        // Go on while runs find work: a run takes only the first due
                        // event of each ordering key, so a mailbox's backlog needs one
                        // run per message, not one poll per message.
                        if report.delivered + report.retrying + report.failed == 0 {
                            break;
                        }
                    }
                    Err(error) => {
                        tracing::error!(%error, "outbox delivery run failed");
                        break;
                    }
                }
            }
        }
    });
}
