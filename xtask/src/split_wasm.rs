//! `xtask split-wasm`: cuts the browser bundle at the split points that `#[lazy]` and
//! `#[lazy_route]` mark, so that a page downloads only the code it runs (issue 13).
//!
//! The splitting itself is `wasm_split_cli_support`, the library cargo-leptos' `--split`
//! runs; this program only puts its output where the site and leptos expect it:
//! - the main module, which wasm-bindgen then processes as before, at `--main-out`;
//! - the chunks and the loader the main module imports
//!   (`__wasm_split.______________________.js`, a name leptos' `HydrationScripts` knows)
//!   in the site's package directory;
//! - `__wasm_split_manifest.json` beside them: which chunks each split point needs, from
//!   which the server preloads the chunks of the page it renders.

use std::path::{Path, PathBuf};

/// What `split-wasm` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitOptions {
    /// The module cargo built.
    pub input: PathBuf,
    /// Where the main module goes (wasm-bindgen's input).
    pub main_out: PathBuf,
    /// The site's package directory, where the chunks, the loader and the manifest go.
    pub pkg_dir: PathBuf,
    /// The name of wasm-bindgen's JS glue in the package directory, without `.js`; the
    /// chunks import `initSync` from it.
    pub output_name: String,
}

/// The loader's name: leptos looks for exactly this file when no file hashing is set.
const LOADER: &str = "__wasm_split.______________________.js";
/// The manifest's name, likewise.
const MANIFEST: &str = "__wasm_split_manifest.json";

pub fn parse(mut args: impl Iterator<Item = String>) -> Result<SplitOptions, String> {
    let (mut input, mut main_out, mut pkg_dir, mut output_name) = (None, None, None, None);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--input" => input = Some(PathBuf::from(value)),
            "--main-out" => main_out = Some(PathBuf::from(value)),
            "--pkg-dir" => pkg_dir = Some(PathBuf::from(value)),
            "--output-name" => output_name = Some(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(SplitOptions {
        input: input.ok_or("--input is required")?,
        main_out: main_out.ok_or("--main-out is required")?,
        pkg_dir: pkg_dir.ok_or("--pkg-dir is required")?,
        output_name: output_name.ok_or("--output-name is required")?,
    })
}

/// Splits the module; returns the chunks written (their paths).
pub fn split(options: &SplitOptions) -> Result<Vec<PathBuf>, String> {
    let read =
        |path: &Path| std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()));
    let input = read(&options.input)?;
    std::fs::create_dir_all(&options.pkg_dir)
        .map_err(|error| format!("{}: {error}", options.pkg_dir.display()))?;
    remove_earlier_chunks(&options.pkg_dir)?;
    let main_module = format!("./{}.js", options.output_name);
    let link_name = format!("./{LOADER}");
    let split = wasm_split_cli_support::transform({
        let mut split = wasm_split_cli_support::Options::new(&input);
        split.output_dir = &options.pkg_dir;
        split.main_out_path = &options.main_out;
        split.main_module = &main_module;
        split.link_name = &link_name;
        split
    })
    .map_err(|error| format!("splitting {}: {error:?}", options.input.display()))?;
    // Sorted, so that the same module always gives the same file.
    let manifest: std::collections::BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    let manifest = serde_json::to_string_pretty(&manifest)
        .map_err(|error| format!("the manifest: {error}"))?;
    let manifest_path = options.pkg_dir.join(MANIFEST);
    std::fs::write(&manifest_path, manifest)
        .map_err(|error| format!("{}: {error}", manifest_path.display()))?;
    Ok(split.split_modules)
}

/// Chunks are named after their split point and a hash: a build whose split points
/// changed would otherwise leave the last build's chunks in the site for ever.
fn remove_earlier_chunks(pkg_dir: &Path) -> Result<(), String> {
    let entries =
        std::fs::read_dir(pkg_dir).map_err(|error| format!("{}: {error}", pkg_dir.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_chunk =
            name.ends_with(".wasm") && (name.starts_with("split_") || name.starts_with("chunk_"));
        if is_chunk || name == LOADER || name == MANIFEST {
            std::fs::remove_file(entry.path())
                .map_err(|error| format!("{}: {error}", entry.path().display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> impl Iterator<Item = String> {
        line.split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn every_path_is_required_and_unknown_options_are_refused() {
        let parsed = parse(args(
            "--input a.wasm --main-out b.wasm --pkg-dir site/pkg --output-name open-region",
        ));
        assert_eq!(
            parsed,
            Ok(SplitOptions {
                input: "a.wasm".into(),
                main_out: "b.wasm".into(),
                pkg_dir: "site/pkg".into(),
                output_name: "open-region".into(),
            })
        );
        assert_eq!(
            parse(args("--input a.wasm --main-out b.wasm --pkg-dir p")),
            Err("--output-name is required".to_string())
        );
        assert_eq!(
            parse(args("--input a.wasm --colour red")),
            Err("unknown option --colour".to_string())
        );
    }

    #[test]
    fn only_the_split_outputs_of_an_earlier_build_are_removed() {
        let dir = tempfile::tempdir().expect("a scratch directory");
        for name in [
            "open-region.wasm",
            "open-region.js",
            "open-region.css",
            "split_manage_route_123.wasm",
            "chunk_4.wasm",
            LOADER,
            MANIFEST,
        ] {
            std::fs::write(dir.path().join(name), b"x").expect("a file");
        }
        remove_earlier_chunks(dir.path()).expect("removed");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("listed")
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["open-region.css", "open-region.js", "open-region.wasm"]
        );
    }
}
