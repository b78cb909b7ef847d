# shellcheck shell=bash
# Sourced by deploy/backup and deploy/restore: the parts of the app's DATABASE_URL.

# parse_database_url mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE: sets DB_URL_USER,
# DB_URL_PASSWORD, DB_URL_HOST, DB_URL_PORT and DB_URL_DATABASE (no %-escapes).
parse_database_url() {
  local pattern='^mysql://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?/([A-Za-z0-9_]+)$'
  if [[ ! "$1" =~ $pattern ]]; then
    echo "error: not a mysql://user[:password]@host[:port]/database URL" >&2
    exit 2
  fi
  DB_URL_USER="${BASH_REMATCH[1]}"
  DB_URL_PASSWORD="${BASH_REMATCH[3]}"
  DB_URL_HOST="${BASH_REMATCH[4]}"
  DB_URL_PORT="${BASH_REMATCH[6]:-3306}"
  DB_URL_DATABASE="${BASH_REMATCH[7]}"
  export DB_URL_USER DB_URL_PASSWORD DB_URL_HOST DB_URL_PORT DB_URL_DATABASE
}
