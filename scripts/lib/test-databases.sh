# Shared by scripts/test: finding and dropping the databases tests create. Source it; it
# defines functions only. Test databases are named orderpath_test_<run>_<created>_<random>
# (see crates/testing/src/names.rs): <run> is the run's id, <created> Unix seconds.

# A fresh run id for ORDERPATH_TEST_RUN: lower-case letters and digits, unique among the
# runs going on at the same time.
new_test_run_id() {
  printf 'r%s%04x' "$(date +%s)" "$((RANDOM * 32768 + RANDOM))" | cut -c1-20
}

# Lists the test databases of run $2 on the server of admin URL $1.
run_test_databases() {
  local admin_url=$1 run=$2
  psql "$admin_url" -tAc "SELECT datname FROM pg_database
    WHERE datname LIKE 'orderpath\\_test\\_${run}\\_%' ORDER BY datname"
}

# Lists the test databases whose name starts with $3 (default: every test database) that
# are abandoned: created more than $2 hours ago, with no session connected. A run still
# going never has databases that old, and a database in use has a session.
abandoned_test_databases() {
  local admin_url=$1 hours=$2 prefix=${3:-orderpath_test_}
  [[ $prefix =~ ^[a-z0-9_]+$ && $hours =~ ^[0-9]+$ ]] || { echo "bad prefix or hours" >&2; return 1; }
  psql "$admin_url" -tAc "SELECT d.datname FROM pg_database d
    WHERE left(d.datname, length('$prefix')) = '$prefix'
      AND (regexp_match(d.datname, '^orderpath_test_[a-z0-9]+_([0-9]+)_[0-9a-f]+\$'))[1]::bigint
          < extract(epoch FROM now())::bigint - $hours * 3600
      AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)
    ORDER BY d.datname"
}

# Drops the databases named on stdin, one a line. With "force" as $2, ends the sessions
# connected to them first; without it a database someone connected to meanwhile stays.
drop_databases() {
  local admin_url=$1 how=${2:-} db option=""
  [ "$how" = force ] && option=" WITH (FORCE)"
  while IFS= read -r db; do
    [ -n "$db" ] || continue
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS \"$db\"$option" >/dev/null 2>&1 \
      || echo "could not drop $db (someone is connected to it?)" >&2
  done
}
