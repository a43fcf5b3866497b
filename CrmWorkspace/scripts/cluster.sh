#!/usr/bin/env bash
# A local cluster on loopback, to try several servers on one machine: a private PostgreSQL and Redis (Debian's packages, run from
# data/cluster/), two app servers on them with demo data (seeded once, by the first server, on the first start), and the app's own
# load balancer (YARP) with sticky sessions in front. Usage: cluster.sh [start|stop|status]
#   start   builds the app (Release), starts what is not running, prints where to open it (default)
#   stop    stops the balancer, the app servers, Redis and PostgreSQL (the data stays: the next start seeds nothing)
#   status  says what runs
# Remove data/cluster/ (after stop) to start again from an empty database.
# Ports (change with these variables): CRM_CLUSTER_PORT 5090 (balancer), 5091 and 5092 (app servers), CRM_CLUSTER_PG_PORT 55432,
# CRM_CLUSTER_REDIS_PORT 56379. CRM_CLUSTER_DIR moves the folder; CRM_CLUSTER_NO_BUILD=1 uses the build as it is.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
dir="${CRM_CLUSTER_DIR:-$root/data/cluster}"
port="${CRM_CLUSTER_PORT:-5090}"
ports=("$((port + 1))" "$((port + 2))")
pg_port="${CRM_CLUSTER_PG_PORT:-55432}"
redis_port="${CRM_CLUSTER_REDIS_PORT:-56379}"
dll="$root/CrmWorkspace/bin/Release/net10.0/linux-x64/CrmWorkspace.dll"
connection="Host=127.0.0.1;Port=$pg_port;Database=crm;Username=crm"
started=$SECONDS

say() { printf '[%3ds] %s\n' "$((SECONDS - started))" "$*"; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
# initdb and the server refuse to run as root: as root, PostgreSQL runs as Debian's "postgres" user (as the tests do).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
pg_running() { [ -f "$dir/pg/data/postmaster.pid" ] && kill -0 "$(head -1 "$dir/pg/data/postmaster.pid")" 2>/dev/null; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits until an app (or the balancer) answers on its port; fails with its log's tail if its process ended.
wait_http() {
  local name=$1 url=$2 pidfile=$3 limit=${4:-300}
  for ((i = 0; i < limit * 4; i++)); do
    if curl -fs -o /dev/null --max-time 5 "$url"; then return 0; fi
    if ! alive "$pidfile"; then echo "$name stopped while starting; the end of $dir/logs/$name.log:" >&2; tail -20 "$dir/logs/$name.log" >&2; exit 1; fi
    sleep 0.25
  done
  echo "$name did not answer at $url within $limit s; see $dir/logs/$name.log" >&2
  exit 1
}

start_postgres() {
  if pg_running; then say "PostgreSQL runs already (port $pg_port)"; return; fi
  local bin; bin="$(pg_bin)"
  if [ ! -f "$dir/pg/data/PG_VERSION" ]; then
    mkdir -p "$dir/pg"
    [ "$(id -u)" != 0 ] || chown postgres: "$dir/pg"
    # Trust on loopback only, no password: a cluster for trying things, not for production.
    as_pg "$bin/initdb" -D "$dir/pg/data" -U crm --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/logs/initdb.log" 2>&1 \
      || { echo "initdb failed; see $dir/logs/initdb.log" >&2; exit 1; }
    say "PostgreSQL cluster created in $dir/pg/data"
  fi
  # No Unix socket: its path would depend on the folder's length, and Debian's /var/run/postgresql belongs to the system cluster.
  as_pg "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/postgres.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200" start >/dev/null \
    || { echo "PostgreSQL did not start; see $dir/pg/postgres.log" >&2; exit 1; }
  if [ -z "$(psql -h 127.0.0.1 -p "$pg_port" -U crm -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'crm'")" ]; then
    psql -h 127.0.0.1 -p "$pg_port" -U crm -d postgres -qc "CREATE DATABASE crm ENCODING 'UTF8'" >/dev/null
  fi
  say "PostgreSQL on 127.0.0.1:$pg_port (database crm, user crm)"
}

start_redis() {
  if alive "$dir/run/redis.pid"; then say "Redis runs already (port $redis_port)"; return; fi
  mkdir -p "$dir/redis"
  # Only pub/sub goes through it (events, presence, cache signals): nothing to save.
  redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --pidfile "$dir/run/redis.pid" --logfile "$dir/logs/redis.log" \
    --dir "$dir/redis" --save '' --appendonly no
  for ((i = 0; i < 100; i++)); do [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break; sleep 0.1; done
  say "Redis on 127.0.0.1:$redis_port"
}

# start_app NAME PORT: an app server on PostgreSQL and Redis, in demo mode (an empty database gets the demo company, once).
start_app() {
  local name=$1 p=$2
  if alive "$dir/run/$name.pid"; then say "$name runs already (port $p)"; return; fi
  port_taken "$p" && { echo "Port $p is taken by another program; set CRM_CLUSTER_PORT to move the cluster's ports." >&2; exit 1; }
  ASPNETCORE_ENVIRONMENT=Production setsid nohup dotnet "$dll" --Urls="http://127.0.0.1:$p" --Database:Provider=PostgreSQL \
    "--Database:ConnectionString=$connection" "--Live:Redis=127.0.0.1:$redis_port" --Demo:Enabled=true \
    >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/run/$name.pid"
  wait_http "$name" "http://127.0.0.1:$p/account/login" "$dir/run/$name.pid"
  say "$name on http://127.0.0.1:$p"
}

start_balancer() {
  if alive "$dir/run/balancer.pid"; then say "balancer runs already (port $port)"; return; fi
  port_taken "$port" && { echo "Port $port is taken by another program; set CRM_CLUSTER_PORT to move the cluster's ports." >&2; exit 1; }
  setsid nohup dotnet "$dll" balancer --urls "http://127.0.0.1:$port" --backends "http://127.0.0.1:${ports[0]},http://127.0.0.1:${ports[1]}" \
    >"$dir/logs/balancer.log" 2>&1 </dev/null &
  echo $! >"$dir/run/balancer.pid"
  wait_http balancer "http://127.0.0.1:$port/account/login" "$dir/run/balancer.pid" 60
  say "balancer on http://127.0.0.1:$port"
}

# stop_pid NAME: TERM, then KILL after 20 s.
stop_pid() {
  local f="$dir/run/$1.pid"
  if alive "$f"; then
    local pid; pid="$(cat "$f")"
    kill "$pid"
    for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    say "$1 stopped"
  fi
  rm -f "$f"
}

case "${1:-start}" in
  start)
    bash CrmWorkspace/scripts/prereqs.sh cluster
    mkdir -p "$dir/logs" "$dir/run"
    # Everything in here is this machine's: never committed.
    [ -f "$dir/.gitignore" ] || echo '*' >"$dir/.gitignore"
    if [ "${CRM_CLUSTER_NO_BUILD:-0}" != 1 ]; then
      say "building the app (Release)"
      dotnet build "$root/CrmWorkspace" -c Release -nologo -v quiet >"$dir/logs/build.log" 2>&1 || { tail -20 "$dir/logs/build.log" >&2; exit 1; }
    fi
    [ -f "$dll" ] || { echo "No build at $dll: run without CRM_CLUSTER_NO_BUILD=1." >&2; exit 1; }
    start_postgres
    start_redis
    # One after the other: the first migrates the database and seeds the demo company, the second finds it done.
    start_app server-1 "${ports[0]}"
    start_app server-2 "${ports[1]}"
    start_balancer
    cat <<EOF

Open http://127.0.0.1:$port  (sign in as admin@demo.local, or any demo user, password Demo-2026)
  balancer  http://127.0.0.1:$port  -> server-1 http://127.0.0.1:${ports[0]}, server-2 http://127.0.0.1:${ports[1]} (sticky per browser)
  database  $connection
  Redis     127.0.0.1:$redis_port
  logs      $dir/logs/  (PostgreSQL's: $dir/pg/postgres.log)
Stop with: bash CrmWorkspace/scripts/cluster.sh stop
EOF
    ;;
  stop)
    stop_pid balancer
    stop_pid server-2
    stop_pid server-1
    if alive "$dir/run/redis.pid"; then redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || stop_pid redis; say "Redis stopped"; fi
    rm -f "$dir/run/redis.pid"
    if pg_running; then as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null; say "PostgreSQL stopped"; fi
    ;;
  status)
    for n in balancer server-1 server-2 redis; do if alive "$dir/run/$n.pid"; then echo "$n: running (pid $(cat "$dir/run/$n.pid"))"; else echo "$n: stopped"; fi; done
    if pg_running; then echo "postgresql: running (port $pg_port)"; else echo "postgresql: stopped"; fi
    ;;
  *)
    echo "Usage: $0 [start|stop|status]" >&2
    exit 2
    ;;
esac
