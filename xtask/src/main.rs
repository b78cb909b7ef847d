//! Project tasks that are programs rather than shell scripts.
//!
//! `cargo run --release -p xtask -- load --base URL [options]` is the traffic of
//! `scripts/load` (issue 19): problem reports through Open311 at a fixed rate, then many
//! citizens supporting one problem at the same moment. `scripts/load` starts the server
//! and checks the database; this program only talks HTTP, as an outside client would.

mod load;
mod mailbox;
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
}

const USAGE: &str = "usage: xtask load --base URL [--per-minute N] [--minutes M | --seconds S] \
                     [--api-key KEY] [--supporters N] [--server-pid PID] [--mail-dir DIR]";

fn parse_load(mut args: impl Iterator<Item = String>) -> Result<LoadOptions, String> {
    let mut options = LoadOptions {
        base: String::new(),
        per_minute: 10_000,
        duration: Duration::from_secs(300),
        api_key: "demo-open311-key-citizen".to_string(),
        supporters: 200,
        server_pid: None,
        mail_dir: None,
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

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let options = match args.next().as_deref() {
        Some("load") => parse_load(args),
        _ => Err("unknown task".to_string()),
    };
    let options = match options {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("error: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: no async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("FAILED: {failure}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: LoadOptions) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|error| format!("no HTTP client: {error}"))?;
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
}
