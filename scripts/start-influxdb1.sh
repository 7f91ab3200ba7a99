# Sourced by the scripts that need a real InfluxDB 1.x server (scripts/demo-v1.sh,
# scripts/bench-refresh-v1.sh): `start_influxd1 INFLUXD DIR ADMIN ADMIN_PW [EXTRA_CONF]` starts
# INFLUXD on free loopback ports with authentication on, reporting off and its meta, data and
# WAL under DIR, waits for /ping and creates the first admin user. It sets INFLUXD1_URL and
# INFLUXD1_PID; the caller stops the server. EXTRA_CONF is appended to the configuration.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_influxd1() {
    local influxd="$1" dir="$2" admin="$3" admin_pw="$4" extra="${5:-}"
    local http_port rpc_port
    http_port="$(free_port)"; rpc_port="$(free_port)"
    mkdir -p "$dir"
    cat > "$dir/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$dir/meta"
  logging-enabled = false
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$http_port"
  auth-enabled = true
  log-enabled = false
[logging]
  level = "warn"
$extra
CONF
    "$influxd" -config "$dir/influxdb.conf" > "$dir/influxd.log" 2>&1 &
    INFLUXD1_PID=$!
    INFLUXD1_URL="http://127.0.0.1:$http_port"
    local _
    for _ in $(seq 100); do curl -sf "$INFLUXD1_URL/ping" > /dev/null && break; sleep 0.2; done
    curl -sf "$INFLUXD1_URL/query" --data-urlencode "q=CREATE USER \"$admin\" WITH PASSWORD '$admin_pw' WITH ALL PRIVILEGES" > /dev/null
}
