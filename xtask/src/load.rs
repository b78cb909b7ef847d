//! Problem reports through Open311 (`POST /open311/v2/requests.json`) at a fixed rate.
//!
//! The schedule is open: report `i` is due at `start + i × interval` whether or not the
//! earlier ones were answered, and its latency is counted from when it was due. A slow
//! server therefore shows as latency (and a lower achieved rate), never as a generator
//! that politely waited for it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use tokio::sync::{Semaphore, mpsc};

use crate::LoadOptions;

/// Reports in flight at most; more wait for a free slot (and that wait counts as latency).
const MAX_IN_FLIGHT: usize = 512;

/// Krasnodar's centre: reports are scattered within about 3 km of it, inside the city's
/// boundary, so every one is routed the way a real report from the city is.
const CENTRE: (f64, f64) = (45.035, 38.975);
const SCATTER_DEGREES: f64 = 0.025;

/// What one report came to.
enum Outcome {
    Accepted,
    Refused(u16),
    Unanswered(String),
}

/// Requests that were not accepted: how many for each reason, and in which second of the
/// run they were sent (the failure drill reads when a failover cost errors).
#[derive(Default)]
pub struct Failures {
    by_reason: BTreeMap<String, u64>,
    by_second: BTreeMap<u64, u64>,
}

impl Failures {
    pub fn add(&mut self, reason: String, sent_at: Duration) {
        *self.by_reason.entry(reason).or_default() += 1;
        *self.by_second.entry(sent_at.as_secs()).or_default() += 1;
    }

    pub fn count(&self) -> u64 {
        self.by_reason.values().sum()
    }

    pub fn print(&self) {
        println!("  failed     {}", self.count());
        for (reason, count) in &self.by_reason {
            println!("    {count} × {reason}");
        }
        if !self.by_second.is_empty() {
            let seconds: Vec<String> = self
                .by_second
                .iter()
                .map(|(second, count)| format!("{second} s: {count}"))
                .collect();
            println!("    by second of the run: {}", seconds.join(", "));
        }
    }
}

/// The reports' results.
pub struct ReportStats {
    pub sent: u64,
    /// The numbers of the accepted reports (each report's description names its number).
    pub accepted: Vec<u64>,
    failures: Failures,
    /// Latencies of all reports, sorted.
    latencies: Vec<Duration>,
    elapsed: Duration,
    per_minute: u32,
    memory: Option<Memory>,
}

impl ReportStats {
    pub fn failed(&self) -> u64 {
        self.failures.count()
    }

    fn percentile(&self, share: f64) -> Duration {
        percentile(&self.latencies, share)
    }

    pub fn print(&self) {
        let seconds = self.elapsed.as_secs_f64();
        println!("reports");
        println!("  target     {} per minute", self.per_minute);
        println!(
            "  sent       {} in {seconds:.1} s ({:.0} per minute achieved)",
            self.sent,
            self.sent as f64 * 60.0 / seconds.max(f64::EPSILON)
        );
        println!("  accepted   {}", self.accepted.len());
        self.failures.print();
        println!(
            "  latency    p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            millis(self.percentile(0.50)),
            millis(self.percentile(0.95)),
            millis(self.percentile(0.99)),
            millis(self.latencies.last().copied().unwrap_or_default()),
        );
        match &self.memory {
            Some(memory) => println!(
                "  server     resident {} MiB at the start, {} MiB peak while loaded, \
                 {} MiB high-water mark since it started",
                memory.start_kib / 1024,
                memory.peak_kib / 1024,
                memory.high_water_kib / 1024
            ),
            None => println!("  server     memory not sampled (no --server-pid)"),
        }
        // The last line is what scripts/load reads to check the database.
        println!("accepted {}", self.accepted.len());
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The `share` percentile of sorted `latencies` (nearest rank).
pub fn percentile(latencies: &[Duration], share: f64) -> Duration {
    if latencies.is_empty() {
        return Duration::ZERO;
    }
    let rank = (share * latencies.len() as f64).ceil() as usize;
    latencies[rank.clamp(1, latencies.len()) - 1]
}

/// Sends the reports and waits for every answer.
pub async fn send_reports(
    client: &reqwest::Client,
    options: &LoadOptions,
) -> Result<ReportStats, String> {
    let services = service_codes(client, &options.base).await?;
    let url = format!("{}/open311/v2/requests.json", options.base);
    let interval = Duration::from_secs(60) / options.per_minute;
    let total = (options.duration.as_secs_f64() / interval.as_secs_f64()).round() as u64;
    let sampler = options.server_pid.map(MemorySampler::start);

    let slots = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let (results, mut answers) = mpsc::unbounded_channel();
    let start = tokio::time::Instant::now();
    for number in 0..total {
        let due = start + interval * u32::try_from(number).unwrap_or(u32::MAX);
        tokio::time::sleep_until(due).await;
        let form = report_form(&options.api_key, &services, &options.run, number);
        let (client, url, slots, results) =
            (client.clone(), url.clone(), slots.clone(), results.clone());
        tokio::spawn(async move {
            let outcome = match slots.acquire_owned().await {
                Ok(_slot) => post(&client, &url, &form).await,
                Err(closed) => Outcome::Unanswered(closed.to_string()),
            };
            let _ = results.send((number, due - start, due.elapsed(), outcome));
        });
    }
    drop(results);

    let mut stats = ReportStats {
        sent: total,
        accepted: Vec::new(),
        failures: Failures::default(),
        latencies: Vec::with_capacity(usize::try_from(total).unwrap_or(0)),
        elapsed: Duration::ZERO,
        per_minute: options.per_minute,
        memory: None,
    };
    while let Some((number, sent_at, latency, outcome)) = answers.recv().await {
        stats.latencies.push(latency);
        match outcome {
            Outcome::Accepted => stats.accepted.push(number),
            Outcome::Refused(status) => stats.failures.add(format!("HTTP {status}"), sent_at),
            Outcome::Unanswered(reason) => stats.failures.add(reason, sent_at),
        }
    }
    stats.elapsed = start.elapsed();
    stats.latencies.sort_unstable();
    stats.accepted.sort_unstable();
    if let Some(sampler) = sampler {
        stats.memory = sampler.finish().await;
    }
    Ok(stats)
}

async fn post(client: &reqwest::Client, url: &str, form: &[(&'static str, String)]) -> Outcome {
    match client.post(url).form(form).send().await {
        Ok(reply) if reply.status().as_u16() == 201 => {
            // The body is read so that the connection is reused.
            match reply.bytes().await {
                Ok(_) => Outcome::Accepted,
                Err(error) => Outcome::Unanswered(format!("body not read: {error}")),
            }
        }
        Ok(reply) => Outcome::Refused(reply.status().as_u16()),
        Err(error) => Outcome::Unanswered(format!("no answer: {error}")),
    }
}

/// The description of report `number` of run `run`; the load's database checks find a
/// run's reports by it.
pub fn report_description(run: &str, number: u64) -> String {
    format!("Нагрузочная проверка {run}: обращение № {number}. Не горит фонарь у дома.")
}

fn report_form(
    api_key: &str,
    services: &[String],
    run: &str,
    number: u64,
) -> Vec<(&'static str, String)> {
    let mut random = rand::rng();
    let service = &services[random.random_range(0..services.len())];
    let lat = CENTRE.0 + random.random_range(-SCATTER_DEGREES..SCATTER_DEGREES);
    let lon = CENTRE.1 + random.random_range(-SCATTER_DEGREES..SCATTER_DEGREES);
    vec![
        ("api_key", api_key.to_string()),
        ("service_code", service.clone()),
        ("lat", format!("{lat:.6}")),
        ("long", format!("{lon:.6}")),
        (
            "address_string",
            format!("Краснодар, нагрузочная точка {number}"),
        ),
        ("description", report_description(run, number)),
    ]
}

/// The Open311 service codes the server offers.
async fn service_codes(client: &reqwest::Client, base: &str) -> Result<Vec<String>, String> {
    let services: serde_json::Value = client
        .get(format!("{base}/open311/v2/services.json"))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|error| format!("services.json: {error}"))?
        .json()
        .await
        .map_err(|error| format!("services.json is not JSON: {error}"))?;
    let codes: Vec<String> = services
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|service| service["service_code"].as_str().map(str::to_string))
        .collect();
    if codes.is_empty() {
        return Err("the server offers no Open311 services".to_string());
    }
    Ok(codes)
}

/// The server's resident memory, in KiB.
struct Memory {
    start_kib: u64,
    peak_kib: u64,
    high_water_kib: u64,
}

/// Reads the server's resident set every 200 ms while the load runs.
struct MemorySampler {
    pid: u32,
    start_kib: Option<u64>,
    stop: tokio::sync::oneshot::Sender<()>,
    peak: tokio::task::JoinHandle<u64>,
}

impl MemorySampler {
    fn start(pid: u32) -> Self {
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        let start_kib = status_kib(pid, "VmRSS:");
        let peak = tokio::spawn(async move {
            let mut peak = 0;
            loop {
                peak = peak.max(status_kib(pid, "VmRSS:").unwrap_or(0));
                tokio::select! {
                    _ = &mut stopped => return peak,
                    _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                }
            }
        });
        MemorySampler {
            pid,
            start_kib,
            stop,
            peak,
        }
    }

    async fn finish(self) -> Option<Memory> {
        let _ = self.stop.send(());
        let peak_kib = self.peak.await.ok()?;
        Some(Memory {
            start_kib: self.start_kib?,
            peak_kib,
            high_water_kib: status_kib(self.pid, "VmHWM:")?,
        })
    }
}

/// A `kB` line of `/proc/PID/status`.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let latencies: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&latencies, 0.95), Duration::from_millis(95));
        assert_eq!(percentile(&latencies, 0.50), Duration::from_millis(50));
        assert_eq!(percentile(&latencies, 1.0), Duration::from_millis(100));
        assert_eq!(percentile(&latencies[..1], 0.95), Duration::from_millis(1));
        assert_eq!(percentile(&[], 0.95), Duration::ZERO);
    }

    #[test]
    fn own_memory_is_read_from_proc() {
        let kib = status_kib(std::process::id(), "VmRSS:").expect("VmRSS");
        assert!(kib > 0);
        assert_eq!(status_kib(std::process::id(), "NoSuchField:"), None);
    }
}
