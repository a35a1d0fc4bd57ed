# Shared by load_vs_wrk.sh and co_check.sh (sourced): finds perflab, starts a one-worker
# nginx pinned to CPU 0 serving /hello, and picks the client pinning (CPU 1).
find_perflab() {
  local p=${1:-}
  if [[ -z $p ]]; then
    for c in build/release/app/perflab build/ci/app/perflab build/*/app/perflab; do [[ -x $c ]] && { p=$c; break; }; done
  fi
  [[ -x $p ]] || { echo "no perflab executable (build it, or pass --perflab PATH)" >&2; exit 2; }
  echo "$(cd "$(dirname "$p")" && pwd)/$(basename "$p")"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/hello" && return 0
    sleep 0.1
  done
  echo "nothing answered on port $1" >&2; return 1
}

# start_nginx DIR PORT: one single-process nginx (no master, so SIGSTOP stops the server).
# Callers wait for their own background jobs by pid: a bare `wait` would wait for nginx.
start_nginx() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
master_process off;
daemon off;
error_log $dir/nginx.err;
pid $dir/nginx.pid;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen 127.0.0.1:$port;
    location /hello { default_type application/json; return 200 '{"message":"hello"}'; }
  }
}
CONF
  $PIN_SERVER nginx -c "$dir/nginx.conf" >/dev/null 2>&1 &
  NGINX_PID=$!
  wait_port "$port"
}

median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

PIN_SERVER="" PIN_CLIENT=""
if (( $(nproc) >= 2 )); then PIN_SERVER="taskset -c 0"; PIN_CLIENT="taskset -c 1"; fi
