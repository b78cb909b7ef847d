# shellcheck shell=bash
# Shared helpers for scripts/run, scripts/test, scripts/load and scripts/schema. Sourced,
# never executed: the callers own `set -euo pipefail`, so every helper is written to be
# safe under it (no bare `[[ ]] && x` as a last statement, no unset variables).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Credentials of the private MariaDB instances. They only listen on 127.0.0.1 and hold
# throwaway data, so fixed credentials are fine and keep the URLs predictable.
DB_USER=open_region
DB_PASS=open_region
# The tests' own instance, separate from the one scripts/run uses, so that running the
# suite never touches demo data. Used by scripts/test and scripts/schema.
# shellcheck disable=SC2034
TEST_DB_DIR="$ROOT/.data/mariadb-test"
# shellcheck disable=SC2034
TEST_DB_PORT=3308

# Playwright comes from npm but must use Debian's chromium: a browser download would
# fail offline and waste minutes online.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# A non-login shell (CI, cron) may lack these; tools installed below live there.
if [[ -d "$HOME/.cargo/bin" && ":$PATH:" != *":$HOME/.cargo/bin:"* ]]; then
  PATH="$HOME/.cargo/bin:$PATH"
fi
if [[ ":$PATH:" != *":/usr/sbin:"* ]]; then
  PATH="$PATH:/usr/sbin"
fi
export PATH

log() {
  printf '==> %s\n' "$*" >&2
}

die() {
  log "error: $*"
  exit 1
}

# --- installs -----------------------------------------------------------------------

APT_UPDATED=0

# Installs only the missing packages, so that the common case (all present) needs
# neither root nor the network.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  local sudo=()
  if ((EUID != 0)); then
    sudo=(sudo)
  fi
  log "apt-get install ${missing[*]}"
  if ((APT_UPDATED == 0)); then
    "${sudo[@]}" apt-get update -q
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}"
}

# The version of a package as pinned in Cargo.lock (empty when absent). Fails when the
# lock holds several versions, because then "the" version is ambiguous.
cargo_lock_version() {
  local name=$1 versions
  versions="$(awk -v want="name = \"$name\"" '
    $0 == want { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; found = 0 }
    /^$/ { found = 0 }
  ' "$ROOT/Cargo.lock" | sort -u)"
  if [[ "$versions" == *$'\n'* ]]; then
    die "Cargo.lock holds several versions of $name: $(tr '\n' ' ' <<<"$versions")"
  fi
  printf '%s\n' "$versions"
}

# Reads a tool's --version output; a missing tool yields an empty string, not an error.
first_version_in() {
  grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true
}

# npm ci wipes node_modules, so only run it when the lock file changed since the last
# install (npm writes node_modules/.package-lock.json on every install).
npm_ci_if_stale() {
  local dir=$1
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi

  # The CLI must match the wasm-bindgen crate exactly or the generated glue is rejected.
  # No --locked: its published lock file names a crate version crates.io does not serve.
  local wbg_want wbg_have
  wbg_want="$(cargo_lock_version wasm-bindgen)"
  [[ -n "$wbg_want" ]] || die "wasm-bindgen not found in Cargo.lock"
  wbg_have="$(wasm-bindgen --version 2>/dev/null | first_version_in)" || true
  if [[ "$wbg_have" != "$wbg_want" ]]; then
    log "cargo install wasm-bindgen-cli@$wbg_want (found: ${wbg_have:-none})"
    cargo install "wasm-bindgen-cli@$wbg_want"
  fi

  # Root node_modules provides Leaflet (copied into public/vendor by postinstall) and the
  # site's build tools as prebuilt binaries: binaryen's wasm-opt (Debian's wasm-opt 108
  # produces a bundle that never hydrates), esbuild (minifies the JS glue) and
  # lightningcss (the style sheet).
  npm_ci_if_stale "$ROOT"
  if [[ ! -f "$ROOT/public/vendor/leaflet/leaflet.js" ]]; then
    (cd "$ROOT" && node scripts/copy-vendor.mjs)
  fi
}

ensure_test_tools() {
  ensure_build_tools

  # Playwright drives Debian's chromium (no browser download).
  apt_install chromium
  # xmllint validates the open-data XML against its XSD in the tests.
  apt_install libxml2-utils

  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    rustup component add rustfmt clippy
  fi

  ensure_diesel
  ensure_mariadb_installed
  npm_ci_if_stale "$ROOT/end2end"
  ensure_schemathesis
}

# Schemathesis (PyPI) generates the API traffic of the test suite. It lives in its own
# virtual environment outside the clone, pinned, so warm runs skip the install.
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_ENV="${XDG_CACHE_HOME:-$HOME/.cache}/open-region/schemathesis-$SCHEMATHESIS_VERSION"
SCHEMATHESIS="$SCHEMATHESIS_ENV/bin/schemathesis"
ensure_schemathesis() {
  if [[ -x "$SCHEMATHESIS" ]]; then
    return 0
  fi
  if ! python3 -m venv --help >/dev/null 2>&1; then
    apt_install python3-venv
  fi
  log "pip install schemathesis==$SCHEMATHESIS_VERSION"
  rm -rf "$SCHEMATHESIS_ENV"
  python3 -m venv "$SCHEMATHESIS_ENV"
  "$SCHEMATHESIS_ENV/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
}

# diesel_cli checks migrations and generates schema.rs. It links libmysqlclient, hence
# libmariadb-dev-compat + pkg-config; the app itself talks to MariaDB in pure Rust.
ensure_diesel() {
  apt_install libmariadb-dev-compat pkg-config
  if ! diesel --version >/dev/null 2>&1; then
    log "cargo install diesel_cli (mysql only)"
    cargo install 'diesel_cli@2.3.*' --no-default-features --features mysql --locked
  fi
}

# --- private MariaDB ------------------------------------------------------------------

ensure_mariadb_installed() {
  if ! command -v mariadbd >/dev/null 2>&1; then
    apt_install mariadb-server
  fi
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Runs the mariadb client against 127.0.0.1:PORT as the app user; extra args as for
# `mariadb` (e.g. -e "SQL"). Batch mode without headers, so SELECT output is parseable.
mariadb_sql() {
  local port=$1
  shift
  # The character set is named: the client's default follows the locale, which on a bare
  # machine is not UTF-8, and Russian text in a query or its answer would be garbled.
  mariadb --no-defaults --protocol=tcp --host=127.0.0.1 --port="$port" --connect-timeout=5 \
    --default-character-set=utf8mb4 \
    --user="$DB_USER" --password="$DB_PASS" --batch --skip-column-names "$@"
}

# Unix sockets are limited to 108 bytes; a deep checkout would otherwise fail to start
# with a confusing error.
mariadb_socket_path() {
  local dir=$1 port=$2
  if ((${#dir} + 12 <= 100)); then
    printf '%s\n' "$dir/mysqld.sock"
  else
    printf '%s\n' "${TMPDIR:-/tmp}/open-region-mariadb-$port.sock"
  fi
}

# start_private_mariadb DIR PORT: make sure a MariaDB usable by the app user answers on
# 127.0.0.1:PORT, starting our own from DIR if needed. It is left running on purpose:
# later runs reuse it in well under a second. Prints nothing on stdout.
start_private_mariadb() {
  local dir=$1 port=$2
  local sock
  sock="$(mariadb_socket_path "$dir" "$port")"

  if port_open "$port"; then
    # Usually ours from an earlier run, or one started from another checkout (CI clones
    # elsewhere but uses the same port). Reuse it if it really works: a server whose
    # checkout was deleted still accepts logins but cannot create databases.
    # The probe's name is unique so that concurrent runs cannot disturb each other.
    local probe="open_region_probe_$$_$RANDOM"
    if mariadb_sql "$port" -e "CREATE DATABASE $probe; DROP DATABASE IF EXISTS $probe" >/dev/null 2>&1; then
      return 0
    fi
    if ! mariadb_sql "$port" -e 'SELECT 1' >/dev/null 2>&1; then
      die "port $port is in use by something that is not a private MariaDB of this project; stop it or free the port"
    fi
    log "the MariaDB on port $port cannot create databases (data directory deleted?); shutting it down"
    mariadb-admin --no-defaults --protocol=tcp --host=127.0.0.1 --port="$port" --connect-timeout=5 \
      --user="$DB_USER" --password="$DB_PASS" shutdown || true
    local i
    for ((i = 0; i < 60; i++)); do
      port_open "$port" || break
      sleep 0.5
    done
    if port_open "$port"; then
      die "port $port is still busy after shutting down the old MariaDB"
    fi
  fi

  ensure_mariadb_installed
  mkdir -p "$dir"

  # --user=root is required when running as root and refused otherwise.
  local as_root=()
  if ((EUID == 0)); then
    as_root=(--user=root)
  fi

  # The marker is written only after a complete initialisation, so an interrupted
  # mariadb-install-db is redone instead of leaving a half-made data directory.
  if [[ ! -f "$dir/.initialised" ]]; then
    log "initialising MariaDB data directory in $dir/data"
    rm -rf "$dir/data"
    if ! mariadb-install-db --no-defaults --datadir="$dir/data" "${as_root[@]}" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install-db.log" 2>&1; then
      tail -n 30 "$dir/install-db.log" >&2
      die "mariadb-install-db failed (log: $dir/install-db.log)"
    fi
    touch "$dir/.initialised"
  fi

  log "starting MariaDB on 127.0.0.1:$port (data: $dir/data)"
  rm -f "$sock"
  # setsid + nohup: the server must outlive this script and not receive the terminal's
  # Ctrl-C or the CI job's process-group kill. All three standard streams are redirected
  # so that it never holds a caller's pipe open (which would hang `... | tee`).
  setsid nohup mariadbd --no-defaults --datadir="$dir/data" --socket="$sock" --port="$port" \
    --bind-address=127.0.0.1 --pid-file="$dir/mariadbd.pid" "${as_root[@]}" --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --log-error="$dir/mariadbd.err" </dev/null >>"$dir/mariadbd.out" 2>&1 &
  local pid=$! i ready=0
  for ((i = 0; i < 60; i++)); do
    if mariadb-admin --no-defaults --socket="$sock" --user=root ping >/dev/null 2>&1; then
      ready=1
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.5
  done
  if ((ready == 0)); then
    tail -n 30 "$dir/mariadbd.err" >&2 || true
    die "MariaDB did not become ready on port $port (log: $dir/mariadbd.err)"
  fi

  # ALL ON *.*: tests create and drop a database each. Host 127.0.0.1, not localhost:
  # with --skip-name-resolve a TCP client is matched by its IP only.
  mariadb --no-defaults --socket="$sock" --user=root -e "
    CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
    GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';"
}

# Stops a MariaDB started by start_private_mariadb (not used by the scripts; for cleanup
# by hand: `source scripts/lib.sh; stop_private_mariadb .data/mariadb-test 3308`).
stop_private_mariadb() {
  local dir=$1 port=$2
  mariadb-admin --no-defaults --socket="$(mariadb_socket_path "$dir" "$port")" --user=root shutdown
}

# Gives scripts/run a database without any setup by the user; an explicit DATABASE_URL
# (e.g. a shared server) always wins.
ensure_database_url() {
  if [[ -n "${DATABASE_URL:-}" ]]; then
    return 0
  fi
  ensure_mariadb_installed
  start_private_mariadb "$ROOT/.data/mariadb" 3307
  mariadb_sql 3307 -e 'CREATE DATABASE IF NOT EXISTS open_region CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
  export DATABASE_URL="mysql://$DB_USER:$DB_PASS@127.0.0.1:3307/open_region"
}

# --- schema ---------------------------------------------------------------------------

# schema_from_migrations PORT OUT [--redo]: applies migrations/ to a scratch database on
# the MariaDB at PORT and writes what `diesel print-schema` derives from it to OUT.
# With --redo, every migration is also reverted and re-applied, proving each down.sql.
#
# Why not simply `diesel migration run`: with print_schema.file set in diesel.toml, diesel
# rewrites crates/platform/src/db/schema.rs after every run/redo, so a drift check would overwrite
# the very file it checks. Migrations therefore run with an empty config (no schema
# file), and the schema is printed with the real diesel.toml: the output is byte for
# byte what `diesel migration run` would have written (same function inside diesel).
schema_from_migrations() {
  local port=$1 out=$2 redo=${3:-}
  local db="open_region_schema_$$_$RANDOM"
  local url="mysql://$DB_USER:$DB_PASS@127.0.0.1:$port/$db"
  local no_config rc=0
  no_config="$(mktemp)"
  mariadb_sql "$port" -e "CREATE DATABASE \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  {
    diesel migration --migration-dir "$ROOT/migrations" run \
      --config-file "$no_config" --database-url "$url" >&2 &&
      if [[ "$redo" == --redo ]]; then
        diesel migration --migration-dir "$ROOT/migrations" redo --all \
          --config-file "$no_config" --database-url "$url" >&2
      fi &&
      diesel print-schema --config-file "$ROOT/diesel.toml" --database-url "$url" >"$out"
  } || rc=$?
  mariadb_sql "$port" -e "DROP DATABASE IF EXISTS \`$db\`" || true
  rm -f "$no_config"
  return "$rc"
}

# --- server ---------------------------------------------------------------------------

# The site lives in <repo>/target/site, but the binaries go to cargo's target directory,
# which CI moves out of the clone via CARGO_TARGET_DIR.
cargo_target_dir() {
  local target="${CARGO_TARGET_DIR:-$ROOT/target}"
  if [[ "$target" != /* ]]; then
    target="$ROOT/$target"
  fi
  printf '%s\n' "$target"
}

export_target_dir() {
  SERVER="$(cargo_target_dir)/release/server"
  export SERVER
}

# Where the server finds the site; paths are relative: run the server from $ROOT. The
# builds read LEPTOS_OUTPUT_NAME too (leptos names the WASM file in the page after it).
export_leptos_env() {
  export LEPTOS_OUTPUT_NAME=open-region
  export LEPTOS_SITE_ROOT=target/site
  export LEPTOS_SITE_PKG_DIR=pkg
  export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
  export LEPTOS_RELOAD_PORT=3001
}

# --- the release build ----------------------------------------------------------------

# Builds what the server serves and the server itself, in five tools' steps (no
# cargo-leptos: compiling it took 15-30 minutes of every new machine's first run):
#   1. the hydrate entry (`frontend`) for wasm32 with the size-optimised profile;
#   2. `xtask split-wasm` cuts the module at the lazy routes: their chunks, the loader
#      and the manifest go to target/site/pkg, the main module to wasm-bindgen, which
#      writes its JS glue and the module named after LEPTOS_OUTPUT_NAME as the page's
#      hydration script expects (open-region.{js,wasm});
#   3. wasm-opt -Oz on every module, esbuild minifies the JS; steps 2-3 are skipped
#      when the module cargo built is the one the site already holds;
#   4. lightningcss turns style/main.css into pkg/open-region.css for the browsers of
#      browserslist's "defaults", and public/ is copied to the site's root;
#   5. the server binary (release).
build_site() {
  export_leptos_env
  export_target_dir
  local bin="$ROOT/node_modules/.bin"
  local front_target name="$LEPTOS_OUTPUT_NAME"
  front_target="$(cargo_target_dir)/front"
  local site="$ROOT/$LEPTOS_SITE_ROOT"
  local pkg="$site/$LEPTOS_SITE_PKG_DIR"
  local module="$front_target/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  local built_from="$front_target/site-built-from.sha256"

  log "cargo build frontend (wasm32, wasm-release)"
  cargo build --package=frontend --lib --target=wasm32-unknown-unknown \
    --profile=wasm-release --target-dir="$front_target"

  mkdir -p "$pkg"
  local digest
  digest="$(sha256sum "$module" | cut -d ' ' -f 1)"
  if [[ -f "$pkg/$name.wasm" && -f "$pkg/$name.js" && -f "$built_from" &&
    "$(cat "$built_from")" == "$digest" ]]; then
    log "the site's WASM is up to date"
  else
    rm -f "$built_from"
    log "split at the lazy routes, wasm-bindgen, wasm-opt, esbuild"
    local main_module="$front_target/$name-main.wasm"
    cargo run --quiet --package=xtask -- split-wasm --input "$module" --main-out "$main_module" \
      --pkg-dir "$pkg" --output-name "$name"
    # The chunks call the main module through the exports the linker made, which
    # wasm-bindgen would otherwise drop; demangling would rename them.
    wasm-bindgen --target=web --no-typescript --keep-lld-exports --no-demangle \
      --out-name="$name" --out-dir="$pkg" "$main_module"
    mv -f "$pkg/${name}_bg.wasm" "$pkg/$name.wasm"
    # About 150 modules (the main one and the chunks); npm's wasm-opt spends most of its
    # second per module starting up, so they are optimised side by side.
    find "$pkg" -maxdepth 1 -name '*.wasm' -print0 |
      xargs -0 -P "$(nproc)" -I '{}' "$bin/wasm-opt" -Oz --enable-bulk-memory \
        --enable-nontrapping-float-to-int '{}' -o '{}'
    local js
    for js in "$pkg/$name.js" "$pkg"/__wasm_split.*.js; do
      "$bin/esbuild" "$js" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$js"
    done
    printf '%s\n' "$digest" >"$built_from"
  fi

  log "lightningcss style/main.css, public/"
  "$bin/lightningcss" --minify --targets defaults "$ROOT/style/main.css" \
    --output-file "$pkg/$name.css"
  # A file deleted from public/ must leave the site too.
  find "$site" -mindepth 1 -maxdepth 1 ! -name "$LEPTOS_SITE_PKG_DIR" -exec rm -rf {} +
  cp -R "$ROOT/public/." "$site/"
  log "Brotli and gzip copies of the browser's code"
  node "$ROOT/scripts/compress.mjs" "$pkg" "$site/vendor"

  log "cargo build server (release)"
  cargo build --package=server --bin=server --release
}

# demo_session BASE EMAIL: signs the demo account EMAIL in at BASE (http://host:port)
# and prints its `or_session=...` cookie; fails when the sign-in is refused.
demo_session() {
  local cookie
  cookie="$(curl -fsS -o /dev/null -D - -X POST "$1/api/auth/login" -H "Origin: $1" \
    --data-urlencode "email=$2" --data-urlencode "password=openregion-demo" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(or_session=[^;]*\).*/\1/p' | head -n 1)"
  [[ -n "$cookie" ]] || return 1
  printf '%s\n' "$cookie"
}

# --- a release server for the suite and the load script --------------------------------

TEST_SERVER_PID=
TEST_SERVER_LOG=

stop_test_server() {
  if [[ -n "$TEST_SERVER_PID" ]] && kill -0 "$TEST_SERVER_PID" 2>/dev/null; then
    kill "$TEST_SERVER_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 40; i++)); do
      kill -0 "$TEST_SERVER_PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 "$TEST_SERVER_PID" 2>/dev/null || true
    wait "$TEST_SERVER_PID" 2>/dev/null || true
  fi
  TEST_SERVER_PID=
}

server_log_tail() {
  log "last 50 lines of $TEST_SERVER_LOG"
  tail -n 50 "$TEST_SERVER_LOG" >&2 || true
}

# Starts the release server on address $1 over a fresh database $2 holding exactly the
# demo data, logging to $3; returns once it answers /healthz.
start_test_server() {
  local address="$1" database="$2"
  mariadb_sql "$TEST_DB_PORT" -e "DROP DATABASE IF EXISTS $database; CREATE DATABASE $database CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  export DATABASE_URL="$TEST_DATABASE_URL/$database"
  export LEPTOS_SITE_ADDR="$address"
  export_leptos_env
  "$SERVER" migrate
  "$SERVER" seed-demo
  serve_release "$address" "$3"
}

# Starts the release server on address $1 over the database DATABASE_URL names as it is,
# logging to $2; returns once it answers /healthz.
serve_release() {
  local address="$1"
  TEST_SERVER_LOG="$2"
  # A leftover server on the port would answer our health check and be tested instead.
  if port_open "${address##*:}"; then
    echo "error: $address is already in use (a leftover test server?)" >&2
    return 1
  fi
  export LEPTOS_SITE_ADDR="$address"
  export_leptos_env
  mkdir -p "$(dirname "$TEST_SERVER_LOG")"
  trap stop_test_server EXIT
  "$SERVER" >"$TEST_SERVER_LOG" 2>&1 </dev/null &
  TEST_SERVER_PID=$!

  local i
  for ((i = 0; i < 120; i++)); do
    if curl -fsS -o /dev/null --max-time 2 "http://$address/healthz" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$TEST_SERVER_PID" 2>/dev/null; then
      break
    fi
    sleep 0.5
  done
  echo "error: the server did not answer http://$address/healthz within 60 s" >&2
  server_log_tail
  stop_test_server
  return 1
}
