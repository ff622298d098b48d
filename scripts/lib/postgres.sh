# Shared by scripts/run, scripts/test and .ci/run: finding and starting PostgreSQL.
# Source it; it defines functions only.

# The folder holding the PostgreSQL server binaries of the newest installed version.
pg_bin_dir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
    return
  fi
  for candidate in /usr/local/pgsql/bin /opt/homebrew/bin /usr/local/bin /usr/bin; do
    if [ -x "$candidate/initdb" ]; then echo "$candidate"; return; fi
  done
  return 1
}

# True when a PostgreSQL server answers on host $1, port $2 (it may still refuse us).
pg_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$1" -p "$2" -t 2
  else
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
  fi
}

# True when user `postgres` can really connect to host $1, port $2 without being asked for
# a password: `pg_isready` also succeeds on a server that would then demand one.
pg_accepts() {
  if command -v psql >/dev/null 2>&1; then
    PGCONNECT_TIMEOUT=3 psql -w -X -q -h "$1" -p "$2" -U postgres -d postgres -Atc 'SELECT 1' \
      >/dev/null 2>&1
  else
    pg_answers "$1" "$2"
  fi
}

# Makes sure the machine's own PostgreSQL on 127.0.0.1:5432 is up, starting the
# Debian cluster when it is installed but stopped. Returns non-zero if none answers.
ensure_local_postgres() {
  pg_answers 127.0.0.1 5432 && return 0
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "Starting the local PostgreSQL $version cluster..." >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
    for _ in $(seq 1 30); do
      pg_answers 127.0.0.1 5432 && return 0
      sleep 1
    done
  fi
  pg_answers 127.0.0.1 5432
}

# Runs a command as the owner of the private cluster: PostgreSQL refuses to run as root.
# From `/`, so that a working folder the owner cannot enter draws no warnings.
as_cluster_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The folder of the private cluster of the project in $1: `$1/.pgdata`, unless the
# cluster's owner cannot reach it (as root in a home folder of mode 0700, the owner is the
# `postgres` user); then a folder of its own under /var/lib/orderpath, named after the
# project's path so that every clone keeps its own.
private_cluster_root() {
  local project=$1
  if [ "$(id -u)" != 0 ] || [ -f "$project/.pgdata/data/PG_VERSION" ] \
      || as_cluster_owner test -x "$project"; then
    echo "$project/.pgdata"
  else
    echo "/var/lib/orderpath/$(basename "$project")-$(printf '%s' "$project" | sha256sum | cut -c1-8)"
  fi
}

# Initialises (once) and starts a private cluster under $1 listening on 127.0.0.1:$2,
# from the PostgreSQL binaries on this machine. Trust auth, superuser `postgres`.
# Refuses when another server already holds the port.
start_private_cluster() {
  local root=$1 port=$2 bin
  bin=$(pg_bin_dir) || { echo "No PostgreSQL server binaries found (install postgresql)." >&2; return 1; }
  if pg_answers 127.0.0.1 "$port"; then
    command -v psql >/dev/null 2>&1 || return 0
    local serving
    serving=$(PGCONNECT_TIMEOUT=3 psql -w -X -h 127.0.0.1 -p "$port" -U postgres -d postgres \
      -Atc 'SHOW data_directory' 2>/dev/null || true)
    [ "$serving" = "$root/data" ] && return 0
    echo "Another PostgreSQL server${serving:+ (data in $serving)} listens on 127.0.0.1:$port;" \
      "choose another port with ORDERPATH_EMBEDDED_DB_PORT." >&2
    return 1
  fi
  if [ ! -d "$root" ]; then
    mkdir -p "$root"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
      chown postgres "$root"
      chmod 700 "$root"
    fi
  fi
  if [ ! -f "$root/data/PG_VERSION" ]; then
    echo "Initialising a private PostgreSQL cluster in $root/data..." >&2
    as_cluster_owner "$bin/initdb" -D "$root/data" -U postgres --auth=trust --encoding=UTF8 >"$root/initdb.log" 2>&1 \
      || { cat "$root/initdb.log" >&2; return 1; }
  fi
  echo "Starting the private cluster on 127.0.0.1:$port..." >&2
  as_cluster_owner "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $root" start >&2 \
    || { tail -n 20 "$root/server.log" >&2; return 1; }
}

# Stops the private cluster under $1 if it runs (as its owner, so that it works as root).
stop_private_cluster() {
  local root=$1 bin
  if [ ! -f "$root/data/postmaster.pid" ]; then
    echo "The private cluster in $root/data is not running." >&2
    return 0
  fi
  bin=$(pg_bin_dir) || { echo "No PostgreSQL server binaries found." >&2; return 1; }
  as_cluster_owner "$bin/pg_ctl" -D "$root/data" -m fast -w stop >&2
}

# Creates database $2 on the server of admin URL $1 unless it exists.
ensure_database() {
  local admin_url=$1 name=$2
  if ! command -v psql >/dev/null 2>&1; then
    echo "psql not found: assuming database $name exists." >&2
    return 0
  fi
  if [ "$(psql -w -X "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
    psql -w -X "$admin_url" -qc "CREATE DATABASE \"$name\"" >&2
  fi
}
