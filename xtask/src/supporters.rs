//! Many citizens supporting one problem at the same moment, each sending the support
//! twice (a double tap), then all withdrawing at once: the count must move by exactly
//! the number of citizens and come back.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Barrier;
use tokio::task::JoinSet;

use crate::LoadOptions;
use crate::load::{Failures, percentile};

/// Accounts registered at once (each registration hashes a password).
const REGISTERING_AT_ONCE: usize = 16;
/// Every citizen sends each change this many times at once.
const TAPS: usize = 2;

/// What the round came to.
pub struct SupportOutcome {
    citizens: u32,
    before: u64,
    after_support: u64,
    after_withdrawal: u64,
    support_p95: Duration,
    withdrawal_p95: Duration,
}

impl SupportOutcome {
    pub fn print(&self) {
        println!("supporters");
        println!(
            "  {} citizens, each supporting twice at once: count {} → {} (expected {})",
            self.citizens,
            self.before,
            self.after_support,
            self.before + u64::from(self.citizens)
        );
        println!(
            "  all withdrawing twice at once: count → {} (expected {})",
            self.after_withdrawal, self.before
        );
        println!(
            "  latency p95: supporting {:.1} ms, withdrawing {:.1} ms",
            self.support_p95.as_secs_f64() * 1000.0,
            self.withdrawal_p95.as_secs_f64() * 1000.0
        );
    }
}

/// A registered, signed-in citizen.
pub struct Citizen {
    pub email: String,
    /// The session cookie's `name=value`.
    cookie: String,
}

pub async fn support_at_once(
    client: &reqwest::Client,
    options: &LoadOptions,
) -> Result<SupportOutcome, String> {
    let base = options.base.as_str();
    let problem = first_open_problem(client, base).await?;
    let mail_dir = options
        .mail_dir
        .as_deref()
        .ok_or("the supporters need --mail-dir")?;
    let citizens = register_citizens(client, base, mail_dir, options.supporters).await?;
    let before = support_count(client, base, &problem).await?;

    let support_p95 = everyone_at_once(client, base, &problem, &citizens, true).await?;
    let after_support = support_count(client, base, &problem).await?;
    let withdrawal_p95 = everyone_at_once(client, base, &problem, &citizens, false).await?;
    let after_withdrawal = support_count(client, base, &problem).await?;

    let outcome = SupportOutcome {
        citizens: options.supporters,
        before,
        after_support,
        after_withdrawal,
        support_p95,
        withdrawal_p95,
    };
    if after_support != before + u64::from(options.supporters) || after_withdrawal != before {
        outcome.print();
        return Err("the support count is not exact".to_string());
    }
    Ok(outcome)
}

/// Every citizen sends `support` [`TAPS`] times, all released at the same moment; every
/// answer must be 200. Returns the p95 latency.
async fn everyone_at_once(
    client: &reqwest::Client,
    base: &str,
    problem: &str,
    citizens: &[Citizen],
    support: bool,
) -> Result<Duration, String> {
    let start_line = Arc::new(Barrier::new(citizens.len() * TAPS));
    let mut sends = JoinSet::new();
    for citizen in citizens {
        for _ in 0..TAPS {
            let start_line = start_line.clone();
            let request = support_request(client, base, citizen, problem, support);
            sends.spawn(async move {
                start_line.wait().await;
                let sent = Instant::now();
                let status = request.send().await.map(|reply| reply.status().as_u16());
                (sent.elapsed(), status)
            });
        }
    }
    let mut latencies = Vec::with_capacity(citizens.len() * TAPS);
    while let Some(joined) = sends.join_next().await {
        let (latency, status) = joined.map_err(|error| format!("a supporter panicked: {error}"))?;
        match status {
            Ok(200) => latencies.push(latency),
            Ok(status) => return Err(format!("a support was answered {status}")),
            Err(error) => return Err(format!("a support got no answer: {error}")),
        }
    }
    latencies.sort_unstable();
    Ok(percentile(&latencies, 0.95))
}

fn support_request(
    client: &reqwest::Client,
    base: &str,
    citizen: &Citizen,
    problem: &str,
    support: bool,
) -> reqwest::RequestBuilder {
    client
        .post(format!("{base}/api/problems/support"))
        .header("origin", base)
        .header("cookie", &citizen.cookie)
        .header("accept", "application/json")
        .form(&[("id", problem), ("support", &support.to_string())])
}

/// What steady supporting came to.
pub struct SteadyOutcome {
    sent: u64,
    /// (the citizen's e-mail, the problem's id) of every support answered 200.
    pub accepted: Vec<(String, String)>,
    failures: Failures,
}

impl SteadyOutcome {
    pub fn print(&self) {
        println!("supports");
        println!("  sent       {}", self.sent);
        println!("  accepted   {}", self.accepted.len());
        self.failures.print();
    }
}

/// Every citizen supports every problem once, spread evenly over `duration` (the
/// citizens' turns interleaved), while other load runs: the failure drill's votes.
pub async fn support_steadily(
    client: &reqwest::Client,
    base: &str,
    citizens: &[Citizen],
    problems: &[String],
    duration: Duration,
) -> SteadyOutcome {
    let turns = u32::try_from(citizens.len() * problems.len()).unwrap_or(u32::MAX);
    let pause = duration / turns.max(1);
    let start = tokio::time::Instant::now();
    let mut sends = JoinSet::new();
    for (turn, (problem, citizen)) in problems
        .iter()
        .flat_map(|problem| citizens.iter().map(move |citizen| (problem, citizen)))
        .enumerate()
    {
        let due = start + pause * u32::try_from(turn).unwrap_or(u32::MAX);
        let request = support_request(client, base, citizen, problem, true);
        let accepted = (citizen.email.clone(), problem.clone());
        sends.spawn(async move {
            tokio::time::sleep_until(due).await;
            let outcome = match request.send().await {
                Ok(reply) if reply.status().as_u16() == 200 => Ok(accepted),
                Ok(reply) => Err(format!("HTTP {}", reply.status().as_u16())),
                Err(error) => Err(format!("no answer: {error}")),
            };
            (due - start, outcome)
        });
    }
    let mut outcome = SteadyOutcome {
        sent: u64::from(turns),
        accepted: Vec::new(),
        failures: Failures::default(),
    };
    while let Some(joined) = sends.join_next().await {
        match joined {
            Ok((_, Ok(accepted))) => outcome.accepted.push(accepted),
            Ok((sent_at, Err(reason))) => outcome.failures.add(reason, sent_at),
            Err(error) => outcome
                .failures
                .add(format!("a supporter panicked: {error}"), duration),
        }
    }
    outcome.accepted.sort_unstable();
    outcome
}

/// Registers `count` new citizens (names unique to this run) as people do, by the form
/// and the link mailed to them, and returns them signed in.
pub async fn register_citizens(
    client: &reqwest::Client,
    base: &str,
    mail_dir: &std::path::Path,
    count: u32,
) -> Result<Vec<Citizen>, String> {
    let municipality = first_municipality(client, base).await?;
    let run = rand::random::<u32>();
    let emails: Vec<String> = (0..count)
        .map(|number| format!("load-{run}-{number}@example.ru"))
        .collect();
    let mut registering = JoinSet::new();
    for (number, email) in emails.iter().enumerate() {
        if registering.len() >= REGISTERING_AT_ONCE {
            next_answer(&mut registering).await?;
        }
        let request = client
            .post(format!("{base}/api/auth/register"))
            .header("origin", base)
            .header("accept", "application/json")
            .form(&[
                ("email", email.clone()),
                ("password", "load-test-password".to_string()),
                ("display_name", format!("Нагрузка {number}")),
                ("home_municipality_id", municipality.clone()),
            ]);
        registering.spawn(async move { request.send().await });
    }
    while !registering.is_empty() {
        next_answer(&mut registering).await?;
    }
    let mut citizens = Vec::new();
    let mut confirming = JoinSet::new();
    for email in emails {
        if confirming.len() >= REGISTERING_AT_ONCE {
            citizens.push(confirmed(&mut confirming).await?);
        }
        let token = mailed_token(mail_dir, &email).await?;
        let request = client
            .post(format!("{base}/api/auth/confirm"))
            .header("origin", base)
            .header("accept", "application/json")
            .form(&[("token", token)]);
        confirming.spawn(async move { (email, request.send().await) });
    }
    while !confirming.is_empty() {
        citizens.push(confirmed(&mut confirming).await?);
    }
    Ok(citizens)
}

/// The registration link's token mailed to `email`, waiting up to 60 s for the outbox.
async fn mailed_token(mail_dir: &std::path::Path, email: &str) -> Result<String, String> {
    for _ in 0..300 {
        if let Some(token) = crate::mailbox::confirmation_token(mail_dir, email) {
            return Ok(token);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(format!(
        "no registration mail to {email} in {}",
        mail_dir.display()
    ))
}

/// The next finished registration, which must have been answered 200.
async fn next_answer(
    running: &mut JoinSet<reqwest::Result<reqwest::Response>>,
) -> Result<reqwest::Response, String> {
    let reply = running
        .join_next()
        .await
        .ok_or("no request was running")?
        .map_err(|error| format!("a request panicked: {error}"))?;
    answered_ok(reply)
}

/// The next finished confirmation: its citizen, signed in.
async fn confirmed(
    running: &mut JoinSet<(String, reqwest::Result<reqwest::Response>)>,
) -> Result<Citizen, String> {
    let (email, reply) = running
        .join_next()
        .await
        .ok_or("no request was running")?
        .map_err(|error| format!("a request panicked: {error}"))?;
    let cookie = session_of(answered_ok(reply)?)?;
    Ok(Citizen { email, cookie })
}

fn answered_ok(reply: reqwest::Result<reqwest::Response>) -> Result<reqwest::Response, String> {
    let reply = reply.map_err(|error| format!("a request got no answer: {error}"))?;
    if reply.status().as_u16() != 200 {
        return Err(format!(
            "a registration step was answered {}",
            reply.status()
        ));
    }
    Ok(reply)
}

/// The session cookie a confirmation set.
fn session_of(reply: reqwest::Response) -> Result<String, String> {
    reply
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("or_session="))
        .and_then(|value| value.split(';').next())
        .map(str::to_string)
        .ok_or_else(|| "a confirmation set no session cookie".to_string())
}

async fn get_json(client: &reqwest::Client, url: String) -> Result<Value, String> {
    client
        .get(&url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|error| format!("{url}: {error}"))?
        .json()
        .await
        .map_err(|error| format!("{url} is not JSON: {error}"))
}

async fn first_municipality(client: &reqwest::Client, base: &str) -> Result<String, String> {
    let municipalities = get_json(client, format!("{base}/api/municipalities")).await?;
    municipalities[0]["id"]
        .as_u64()
        .map(|id| id.to_string())
        .ok_or_else(|| "the server lists no municipality".to_string())
}

async fn first_open_problem(client: &reqwest::Client, base: &str) -> Result<String, String> {
    open_problems(client, base)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| "the server lists no open problem".to_string())
}

/// The ids of up to 20 open problems (published, not yet resolved: each can be
/// supported), read as an outside client would, through Open311.
pub async fn open_problems(client: &reqwest::Client, base: &str) -> Result<Vec<String>, String> {
    let requests = get_json(
        client,
        format!("{base}/open311/v2/requests.json?status=open&page_size=20"),
    )
    .await?;
    Ok(requests
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|request| request["service_request_id"].as_u64())
        .map(|id| id.to_string())
        .collect())
}

async fn support_count(client: &reqwest::Client, base: &str, problem: &str) -> Result<u64, String> {
    // The answer is the pair (the problem, what the viewer may do with it).
    let answer = get_json(client, format!("{base}/api/problem?id={problem}")).await?;
    answer[0]["summary"]["support_count"]
        .as_u64()
        .ok_or_else(|| format!("problem {problem} has no support count"))
}
