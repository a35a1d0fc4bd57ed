#!/usr/bin/env bash
# Private PostgreSQL 15 and Redis servers for the tests:  scripts/test-services.sh start|stop|env|status|clean
#
#   start   initialises (first time) and starts a private PostgreSQL cluster and a private Redis,
#           both on free ports on 127.0.0.1 only, then waits until both accept connections
#           (pg_isready / redis-cli ping, PERFLAB_SERVICES_TIMEOUT seconds, default 30). Exits non-zero
#           with a clear message when anything fails. Running it again while they run is a no-op.
#   env     prints the export lines the tests read:
#             export PERFLAB_TEST_PG_URL=postgresql://perflab:perflab@127.0.0.1:PORT/perflab
#             export PERFLAB_TEST_REDIS_URL=redis://127.0.0.1:PORT/0
#           use:  eval "$(scripts/test-services.sh env)"      (fails when the services are not started)
#   stop    stops both (no-op when already stopped). The PostgreSQL data folder is kept for reuse.
#   status  says what runs. clean = stop + delete every file this script made.
#
# Design
# - Never touches the system's services: own data folder, own ports (never 5432/6379 unless free
#   and randomly chosen), listen_addresses=127.0.0.1, no Unix socket (unix_socket_directories=''),
#   so nothing conflicts with a postgresql/redis-server that the Debian packages started.
# - State lives in build/services/ (override: PERFLAB_SERVICES_DIR): state.env (ports, paths, the
#   generated superuser password), redis.pid, redis.log, initdb.log; the server log is
#   <data folder>/server.log.
# - PostgreSQL refuses to run as root, so when run as root every PostgreSQL command runs as the
#   `postgres` system user (runuser). That user must be able to traverse every folder above the
#   data folder; /work or /root often are not traversable for it on other machines. So the data
#   folder is build/services/pg when `postgres` can reach build/services, otherwise a
#   `mktemp -d /tmp/perflab-pg.XXXXXX` folder (its path is recorded in state.env and reused; `clean`
#   removes it). When not run as root, everything runs as the current user in build/services/pg.
# - Auth: pg_hba allows only host 127.0.0.1/32 with scram-sha-256. The superuser `postgres` gets
#   a random password (state.env, mode 600); the tests' role is perflab/perflab, owner of the
#   database perflab (the password is fixed and public: this is a throwaway loopback cluster).
# - Ports are chosen at start (random in 20000-59999, checked free by a connect to /dev/tcp) and
#   passed on the command line (pg_ctl -o "-p N", redis --port N), so a restart can pick new ones;
#   the previous ports are tried first. A failed start retries with other ports (port races).
# - Stale state from a killed run (kill -9, OOM, reboot): `start` checks whether the recorded
#   servers really answer. A postmaster.pid whose process is gone or no longer a postgres is removed
#   (left-over backends of that cluster are killed first); a Redis pid file whose process is gone or
#   unresponsive is removed/killed. A killed process that stays a zombie (no reaping PID 1 in
#   containers) counts as dead, and its postmaster.pid is removed: PostgreSQL itself would refuse
#   to start over it. A data folder whose setup did not finish (no .perflab-ready marker) is
#   deleted and initialised again.
# - Durability settings stay at PostgreSQL's defaults (fsync, synchronous_commit) so that figures
#   measured on this cluster (row-by-row vs bulk insert) are not flattered.
# - Redis: --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile; nothing on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

state_dir=${PERFLAB_SERVICES_DIR:-$root/build/services}
state_file=$state_dir/state.env
timeout_s=${PERFLAB_SERVICES_TIMEOUT:-30}
pg_bin=${PERFLAB_PG_BIN:-/usr/lib/postgresql/15/bin}
redis_pid_file=$state_dir/redis.pid

die() { echo "test-services: error: $*" >&2; exit 1; }
say() { echo "test-services: $*" >&2; }

# ---- state ---------------------------------------------------------------------------------
PG_DATA="" PG_PORT="" PG_SUPER_PASSWORD="" REDIS_PORT=""
load_state() { if [[ -f $state_file ]]; then # shellcheck disable=SC1090
  source "$state_file"; fi; }
save_state() {
  mkdir -p "$state_dir"
  umask 077
  printf 'PG_DATA=%q\nPG_PORT=%q\nPG_SUPER_PASSWORD=%q\nREDIS_PORT=%q\n' \
    "$PG_DATA" "$PG_PORT" "$PG_SUPER_PASSWORD" "$REDIS_PORT" >"$state_file.tmp"
  mv "$state_file.tmp" "$state_file"
}

# ---- helpers -------------------------------------------------------------------------------
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || die "user 'postgres' not found (is the postgresql package installed?)"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # free_port [preferred]
  local p=${1:-}
  if [[ -n $p ]] && ! port_busy "$p"; then echo "$p"; return; fi
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    port_busy "$p" || { echo "$p"; return; }
  done
  die "no free TCP port found on 127.0.0.1"
}

# Alive and not a zombie: a process killed with -9 stays a zombie until reaped, and in containers
# whose PID 1 does not reap, that is forever; kill -0 (and PostgreSQL's own lock check) succeed on it.
pid_alive() {
  [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}
pid_comm() { cat "/proc/$1/comm" 2>/dev/null || true; }

pg_ready() { [[ -n $PG_PORT ]] && "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }
redis_ready() {
  [[ -n $REDIS_PORT ]] && [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}
# Our Redis is the process in our pid file, not merely something on the recorded port.
redis_ours_running() {
  local pid
  pid=$(cat "$redis_pid_file" 2>/dev/null || true)
  pid_alive "$pid" && [[ $(pid_comm "$pid") == redis-server* ]]
}
pg_ours_running() { # the postmaster of postmaster.pid is a live postgres process
  [[ -n $PG_DATA && -f $PG_DATA/postmaster.pid ]] || return 1
  local pid
  pid=$(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
  pid_alive "$pid" && [[ $(pid_comm "$pid") == postgres* ]]
}

# ---- PostgreSQL ----------------------------------------------------------------------------
choose_pg_data() {
  [[ -n $PG_DATA && -d $PG_DATA ]] && return
  mkdir -p "$state_dir"
  if [[ $(id -u) -ne 0 ]] || runuser -u postgres -- test -x "$state_dir" 2>/dev/null; then
    PG_DATA=$state_dir/pg
  else
    PG_DATA=$(mktemp -d /tmp/perflab-pg.XXXXXX)
    say "postgres cannot reach $state_dir; using $PG_DATA for the cluster"
  fi
  save_state
}

pg_init() {
  if [[ -d $PG_DATA && ! -f $PG_DATA/.perflab-ready ]]; then
    [[ -n $(ls -A "$PG_DATA") ]] && say "removing the unfinished cluster in $PG_DATA"
    rm -rf "${PG_DATA:?}"
  fi
  [[ -f $PG_DATA/.perflab-ready ]] && return
  mkdir -p "$PG_DATA"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_DATA"
  chmod 700 "$PG_DATA"
  PG_SUPER_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  save_state
  local pwfile
  pwfile=$(mktemp)
  printf '%s\n' "$PG_SUPER_PASSWORD" >"$pwfile"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$pwfile"
  say "initialising a PostgreSQL cluster in $PG_DATA"
  if ! as_pg "$pg_bin/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$state_dir/initdb.log" 2>&1; then
    rm -f "$pwfile"; cat "$state_dir/initdb.log" >&2; die "initdb failed (log above)"
  fi
  rm -f "$pwfile"
  as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<'EOF'
# perflab test cluster (scripts/test-services.sh); the port is given on the command line
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
EOF
  as_pg tee "$PG_DATA/pg_hba.conf" >/dev/null <<'EOF'
# perflab test cluster: loopback TCP with passwords only
host all all 127.0.0.1/32 scram-sha-256
EOF
}

# Removes the leftovers of a killed postmaster so pg_ctl can start again.
pg_clean_stale() {
  local pidfile=$PG_DATA/postmaster.pid pid
  [[ -f $pidfile ]] || return 0
  pid=$(head -n1 "$pidfile" 2>/dev/null || true)
  if pid_alive "$pid" && [[ $(pid_comm "$pid") == postgres* ]]; then
    say "stopping an unresponsive postmaster (pid $pid)"
    as_pg "$pg_bin/pg_ctl" stop -D "$PG_DATA" -m immediate -w -t 10 >/dev/null 2>&1 || kill -9 "$pid" 2>/dev/null || true
  fi
  # Backends of a postmaster killed with -9 notice and exit on their own; while any is left the
  # new postmaster refuses to start (shared memory still in use). They are recognised by their
  # working directory, which is the data folder. Kill them and wait.
  local p left
  for _ in $(seq 50); do
    left=0
    for p in /proc/[0-9]*; do
      [[ $(readlink "$p/cwd" 2>/dev/null) == "$PG_DATA" ]] || continue
      kill -9 "${p#/proc/}" 2>/dev/null || true
      left=1
    done
    ((left)) || break
    sleep 0.1
  done
  say "removing a stale postmaster.pid"
  rm -f "$pidfile"
}

pg_start() {
  load_state
  if [[ -f $PG_DATA/.perflab-ready ]] && pg_ours_running && pg_ready; then
    say "PostgreSQL already running on port $PG_PORT"
    return
  fi
  choose_pg_data
  # running but unresponsive, or set up only halfway: stop it before anything else
  if pg_ours_running; then
    say "stopping a PostgreSQL that is not usable"
    as_pg "$pg_bin/pg_ctl" stop -D "$PG_DATA" -m immediate -w -t 10 >/dev/null 2>&1 || true
  fi
  pg_clean_stale
  pg_init
  local attempt
  for attempt in 1 2 3; do
    PG_PORT=$(free_port "$([[ $attempt == 1 ]] && echo "$PG_PORT")")
    save_state
    if as_pg "$pg_bin/pg_ctl" start -D "$PG_DATA" -o "-p $PG_PORT" -l "$PG_DATA/server.log" \
        -w -t "$timeout_s" >/dev/null 2>&1 && wait_for pg_ready; then
      break
    fi
    say "PostgreSQL did not start on port $PG_PORT (attempt $attempt):"
    tail -n 15 "$PG_DATA/server.log" >&2 || true
    as_pg "$pg_bin/pg_ctl" stop -D "$PG_DATA" -m immediate >/dev/null 2>&1 || true
    pg_clean_stale
    [[ $attempt == 3 ]] && die "PostgreSQL failed to start (log: $PG_DATA/server.log)"
  done
  # CREATEDB: a suite that needs tables of its own (users, orders) makes a database of its
  # own, so that suites never see each other's rows.
  if [[ ! -f $PG_DATA/.perflab-ready ]]; then
    PGPASSWORD=$PG_SUPER_PASSWORD "$pg_bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
      -v ON_ERROR_STOP=1 -q >/dev/null <<'EOF' || die "could not create the perflab role and database"
CREATE ROLE perflab LOGIN CREATEDB PASSWORD 'perflab';
CREATE DATABASE perflab OWNER perflab;
EOF
    as_pg touch "$PG_DATA/.perflab-ready"
  fi
  say "PostgreSQL 15 ready on 127.0.0.1:$PG_PORT (data $PG_DATA)"
}

pg_stop() {
  load_state
  [[ -n $PG_DATA && -d $PG_DATA ]] || return 0
  if pg_ours_running; then
    as_pg "$pg_bin/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 30 >/dev/null 2>&1 ||
      as_pg "$pg_bin/pg_ctl" stop -D "$PG_DATA" -m immediate -w -t 10 >/dev/null 2>&1 || true
    say "PostgreSQL stopped"
  fi
  pg_clean_stale
}

# ---- Redis ---------------------------------------------------------------------------------
redis_stop() {
  load_state
  local pid
  pid=$(cat "$redis_pid_file" 2>/dev/null || true)
  if pid_alive "$pid" && [[ $(pid_comm "$pid") == redis-server* ]]; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 50); do pid_alive "$pid" || break; sleep 0.1; done
    if pid_alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
    say "Redis stopped"
  fi
  rm -f "$redis_pid_file"
}

redis_start() {
  load_state
  if redis_ours_running && redis_ready; then say "Redis already running on port $REDIS_PORT"; return; fi
  redis_stop # stale or unresponsive
  mkdir -p "$state_dir"
  local attempt
  for attempt in 1 2 3; do
    REDIS_PORT=$(free_port "$([[ $attempt == 1 ]] && echo "$REDIS_PORT")")
    save_state
    if redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --pidfile "$redis_pid_file" --logfile "$state_dir/redis.log" \
        --dir "$state_dir" >/dev/null 2>&1 && wait_for redis_ready && redis_ours_running; then
      say "Redis ready on 127.0.0.1:$REDIS_PORT"
      return
    fi
    say "Redis did not start on port $REDIS_PORT (attempt $attempt):"
    tail -n 10 "$state_dir/redis.log" >&2 || true
    redis_stop
  done
  die "Redis failed to start (log: $state_dir/redis.log)"
}

wait_for() { # wait_for CHECK: polls until CHECK succeeds or timeout_s passes
  local deadline=$((SECONDS + timeout_s))
  until "$1"; do
    ((SECONDS < deadline)) || { say "$1: no answer after ${timeout_s}s"; return 1; }
    sleep 0.2
  done
}

# ---- commands ------------------------------------------------------------------------------
cmd=${1:-}
case $cmd in
  start)
    command -v redis-server >/dev/null || die "redis-server not installed (packaging/install-deps.sh)"
    [[ -x $pg_bin/initdb ]] || die "PostgreSQL 15 not found in $pg_bin (packaging/install-deps.sh)"
    pg_start
    redis_start
    ;;
  env)
    load_state
    { pg_ours_running && pg_ready; } || die "PostgreSQL is not running; run scripts/test-services.sh start"
    { redis_ours_running && redis_ready; } || die "Redis is not running; run scripts/test-services.sh start"
    echo "export PERFLAB_TEST_PG_URL=postgresql://perflab:perflab@127.0.0.1:$PG_PORT/perflab"
    echo "export PERFLAB_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
    ;;
  stop)
    pg_stop
    redis_stop
    ;;
  status)
    load_state
    if pg_ours_running && pg_ready; then echo "postgresql: running on 127.0.0.1:$PG_PORT ($PG_DATA)"; else echo "postgresql: stopped"; fi
    if redis_ours_running && redis_ready; then echo "redis: running on 127.0.0.1:$REDIS_PORT"; else echo "redis: stopped"; fi
    ;;
  clean)
    pg_stop
    redis_stop
    load_state
    [[ -n $PG_DATA && -d $PG_DATA ]] && rm -rf "${PG_DATA:?}"
    rm -rf "${state_dir:?}"
    say "removed the services' state"
    ;;
  *)
    echo "usage: $0 start|stop|env|status|clean" >&2
    exit 2
    ;;
esac
