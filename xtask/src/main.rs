//! Project tasks that are programs rather than shell scripts.
//!
//! `cargo run --release -p xtask -- load --base URL [options]` is the traffic of
//! `scripts/load` (issue 19): problem reports through Open311 at a fixed rate, then many
//! citizens supporting one problem at the same moment. `scripts/load` starts the server
//! and checks the database; this program only talks HTTP, as an outside client would.
//!
//! `xtask drill --base URL --record DIR [options]` is the traffic of the failure drill
//! (`deploy/local-cluster --failure-drill`, issue 20): reports and supports at the same
//! time for the whole run, while the script kills an instance and stops a database node.
//! Every accepted report and support is written to DIR, which the script holds against
//! the database.
//!
//! `xtask split-wasm --input M --main-out W --pkg-dir D --output-name N` cuts the browser
//! bundle at its lazy split points (`scripts/lib.sh`, `build_site`; see `split_wasm`).

mod load;
mod mailbox;
mod split_wasm;
mod supporters;

use std::process::ExitCode;
use std::time::Duration;

/// What `load` was asked to do.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The server, e.g. `http://127.0.0.1:3030`.
    pub base: String,
    /// Reports sent per minute, spread evenly.
    pub per_minute: u32,
    /// How long reports are sent.
    pub duration: Duration,
    /// The Open311 key the reports are sent with.
    pub api_key: String,
    /// Citizens who support one problem at once (0: skip that part).
    pub supporters: u32,
    /// The server's process, whose memory is sampled (Linux `/proc`).
    pub server_pid: Option<u32>,
    /// Where the server writes its mail (its `OPEN_REGION_MAIL_DIR`), which the
    /// supporters read their registration links from.
    pub mail_dir: Option<std::path::PathBuf>,
    /// Where a drill writes what was accepted (`run`, `reports`, `supports`).
    pub record: Option<std::path::PathBuf>,
    /// A token unique to this run, in every report's description: the database checks
    /// find this run's reports by it.
    pub run: String,
}

/// The task asked for.
enum Task {
    Load(LoadOptions),
    Drill(LoadOptions),
    SplitWasm(split_wasm::SplitOptions),
}

const USAGE: &str = "usage: xtask load --base URL [--per-minute N] [--minutes M | --seconds S] \
                     [--api-key KEY] [--supporters N] [--server-pid PID] [--mail-dir DIR]\n       \
                     xtask drill --base URL --record DIR [the same options]\n       \
                     xtask split-wasm --input M --main-out W --pkg-dir D --output-name N";

fn parse_load(mut args: impl Iterator<Item = String>) -> Result<LoadOptions, String> {
    let mut options = LoadOptions {
        base: String::new(),
        per_minute: 10_000,
        duration: Duration::from_secs(300),
        api_key: "demo-open311-key-citizen".to_string(),
        supporters: 200,
        server_pid: None,
        mail_dir: None,
        record: None,
        run: format!("{:08x}", rand::random::<u32>()),
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |value: &str| {
            value
                .parse::<u32>()
                .map_err(|_| format!("{flag} takes a whole number, not {value:?}"))
        };
        match flag.as_str() {
            "--base" => options.base = value.trim_end_matches('/').to_string(),
            "--per-minute" => options.per_minute = number(&value)?,
            "--minutes" => options.duration = Duration::from_secs(60 * u64::from(number(&value)?)),
            "--seconds" => options.duration = Duration::from_secs(u64::from(number(&value)?)),
            "--api-key" => options.api_key = value,
            "--supporters" => options.supporters = number(&value)?,
            "--server-pid" => options.server_pid = Some(number(&value)?),
            "--mail-dir" => options.mail_dir = Some(value.into()),
            "--record" => options.record = Some(value.into()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if options.base.is_empty() {
        return Err("--base is required".to_string());
    }
    if options.supporters > 0 && options.mail_dir.is_none() {
        return Err(
            "--mail-dir is required for --supporters (the citizens confirm by mail)".into(),
        );
    }
    if options.per_minute == 0 {
        return Err("--per-minute must be at least 1".to_string());
    }
    Ok(options)
}

fn parse_task(mut args: impl Iterator<Item = String>) -> Result<Task, String> {
    match args.next().as_deref() {
        Some("load") => parse_load(args).map(Task::Load),
        Some("drill") => {
            let options = parse_load(args)?;
            if options.record.is_none() {
                return Err("--record is required for drill".to_string());
            }
            Ok(Task::Drill(options))
        }
        Some("split-wasm") => split_wasm::parse(args).map(Task::SplitWasm),
        _ => Err("unknown task".to_string()),
    }
}

fn main() -> ExitCode {
    let task = match parse_task(std::env::args().skip(1)) {
        Ok(task) => task,
        Err(problem) => {
            eprintln!("error: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let done = match task {
        Task::Load(options) => run_async(load(options)),
        Task::Drill(options) => run_async(drill(options)),
        Task::SplitWasm(options) => split_wasm::split(&options).map(|chunks| {
            println!(
                "the bundle is cut into the main module and {} chunks",
                chunks.len()
            )
        }),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("FAILED: {failure}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the traffic tasks, which are asynchronous; splitting needs no runtime.
fn run_async(task: impl std::future::Future<Output = Result<(), String>>) -> Result<(), String> {
    tokio::runtime::Runtime::new()
        .map_err(|error| format!("no async runtime: {error}"))?
        .block_on(task)
}

fn http_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|error| format!("no HTTP client: {error}"))
}

async fn load(options: LoadOptions) -> Result<(), String> {
    let client = http_client()?;
    let reports = load::send_reports(&client, &options).await?;
    reports.print();
    let mut failures = Vec::new();
    if reports.failed() > 0 {
        failures.push(format!(
            "{} of {} reports failed",
            reports.failed(),
            reports.sent
        ));
    }
    if options.supporters > 0 {
        match supporters::support_at_once(&client, &options).await {
            Ok(outcome) => outcome.print(),
            Err(failure) => failures.push(failure),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// Reports and supports side by side for the whole run; writes what was accepted. Errors
/// during a failover are expected and only counted: the drill's script judges the run by
/// the database (nothing accepted lost, nothing stored twice).
async fn drill(options: LoadOptions) -> Result<(), String> {
    let record = options.record.clone().ok_or("--record is required")?;
    let mail_dir = options.mail_dir.clone().ok_or("--mail-dir is required")?;
    let client = http_client()?;
    let citizens =
        supporters::register_citizens(&client, &options.base, &mail_dir, options.supporters)
            .await?;
    let problems = supporters::open_problems(&client, &options.base).await?;
    if problems.is_empty() || citizens.is_empty() {
        return Err("no open problem to support, or no citizen to support it".into());
    }
    let write = |name: &str, text: String| {
        std::fs::write(record.join(name), text)
            .map_err(|error| format!("{}: {error}", record.join(name).display()))
    };
    // The script starts its clock (when to kill, when to stop a node) at this file.
    write("run", format!("{}\n", options.run))?;
    let (reports, supports) = tokio::join!(
        load::send_reports(&client, &options),
        supporters::support_steadily(
            &client,
            &options.base,
            &citizens,
            &problems,
            options.duration
        )
    );
    let reports = reports?;
    reports.print();
    supports.print();
    write(
        "reports",
        reports
            .accepted
            .iter()
            .map(|number| format!("{number}\n"))
            .collect(),
    )?;
    write(
        "supports",
        supports
            .accepted
            .iter()
            .map(|(email, problem)| format!("{email}\t{problem}\n"))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<LoadOptions, String> {
        parse_load(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn options_are_read_and_bad_ones_named() {
        let options = parse(&[
            "--base",
            "http://h:1/",
            "--per-minute",
            "60",
            "--seconds",
            "5",
            "--mail-dir",
            "/tmp/mail",
        ])
        .expect("valid");
        assert_eq!(options.base, "http://h:1");
        assert_eq!(options.per_minute, 60);
        assert_eq!(options.duration, Duration::from_secs(5));
        assert_eq!(options.supporters, 200);
        assert!(parse(&["--per-minute", "60"]).is_err_and(|e| e.contains("--base")));
        assert!(parse(&["--base", "x", "--minutes", "five"]).is_err_and(|e| e.contains("five")));
        assert!(parse(&["--base", "x", "--per-minute"]).is_err_and(|e| e.contains("value")));
        assert!(parse(&["--base", "x", "--per-minute", "0"]).is_err());
        assert!(parse(&["--base", "x"]).is_err_and(|e| e.contains("--mail-dir")));
        assert!(parse(&["--base", "x", "--supporters", "0"]).is_ok());
    }

    #[test]
    fn a_drill_needs_somewhere_to_record() {
        let task = |args: &[&str]| parse_task(args.iter().map(|arg| arg.to_string()));
        let base = ["--base", "http://h:1", "--mail-dir", "/tmp/mail"];
        assert!(task(&[&["drill"], &base[..]].concat()).is_err_and(|e| e.contains("--record")));
        let recorded = task(&[&["drill"], &base[..], &["--record", "/tmp/drill"]].concat());
        assert!(matches!(recorded, Ok(Task::Drill(options)) if options.record.is_some()));
        assert!(matches!(
            task(&[&["load"], &base[..]].concat()),
            Ok(Task::Load(_))
        ));
        assert!(task(&["unload"]).is_err_and(|e| e.contains("unknown task")));
    }
}
