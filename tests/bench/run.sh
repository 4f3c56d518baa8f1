#!/usr/bin/env bash
# Benchmarks: figures, never pass/fail.  Needs a running stack (./chargeasset demo).
#
# Prints requests/s and p50/p95 latency for
#   - nginx serving a static file the size of the login page (the reference),
#   - the login page (ca-base, no session),
#   - a 50-row product list (ca-base, signed in: session lookup, count + page query),
# each as a share of the static rate, and the RSS of every worker process.
# Usage: tests/bench/run.sh [--port N] [--seconds S] [--connections C]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PORT=8080 SECS=8 CONNS=32
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
BASE="http://127.0.0.1:$PORT"
SQL="mariadb --no-defaults -S $ROOT/var/run/mysqld.sock -u root chargeasset"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
curl -fsS -o /dev/null "$BASE/base/login" || { echo "no stack at $BASE: run ./chargeasset demo" >&2; exit 1; }

# 60 extra products so a page of 50 rows exists; removed again at the end.
$SQL -e "INSERT IGNORE INTO products (manufacturer_id, model, name, rated_power_kw, current_type, connectors, warranty_months)
  SELECT (SELECT MIN(id) FROM companies WHERE is_manufacturer = 1), CONCAT('BENCH-', seq), CONCAT('基准测试产品 ', seq),
         60 + seq, IF(seq % 3 = 0, 'AC', 'DC'), 1 + seq % 2, 24 FROM seq_1_to_60"
cleanup() { $SQL -e "DELETE FROM products WHERE model LIKE 'BENCH-%'" || true; rm -f "$ROOT/assets/vendor/bench-static.html" "$jar"; }
jar=$(mktemp)
trap cleanup EXIT

# The reference: the login page's own bytes as a static file.
curl -fsS "$BASE/base/login" > "$ROOT/assets/vendor/bench-static.html"
size=$(stat -c %s "$ROOT/assets/vendor/bench-static.html")

# A session for the list page.
curl -fsS -c "$jar" -b "$jar" -o /tmp/ca-bench-login.html "$BASE/base/login"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' /tmp/ca-bench-login.html | sed 's/.*value="//; s/"$//')
curl -fsS -c "$jar" -b "$jar" -o /dev/null -d "_csrf=$csrf&username=admin&password=demo1234" "$BASE/base/login"
sid=$(awk '$6 == "ca_sid" { print $7 }' "$jar")
[ -n "$sid" ] || { echo "login failed" >&2; exit 1; }
rows=$(curl -fsS -H "Cookie: ca_sid=$sid" "$BASE/base/products?per=50" | grep -c '<tr>' || true)

run() { # name url [header]
  local name=$1 url=$2; shift 2
  local line
  line=$(wrk -t2 -c"$CONNS" -d"${SECS}s" -s tests/bench/report.lua "$@" "$url" | grep '^RESULT')
  printf '%-26s %s\n' "$name" "${line#RESULT }"
  echo "$line" | sed 's/.*rps=\([0-9]*\).*/\1/'
}

echo "ChargeAsset benchmark  $(date -u +%FT%TZ)  $(nproc) cores  ${SECS}s x ${CONNS} connections"
echo "static file: $size bytes; product list page: $((rows - 1)) rows"
static=$(run "nginx static ($size B)" "$BASE/assets/vendor/bench-static.html" | tee /dev/stderr | tail -1)
login=$(run "login page" "$BASE/base/login" | tee /dev/stderr | tail -1)
list=$(run "product list (50 rows)" "$BASE/base/products?per=50" -H "Cookie: ca_sid=$sid" | tee /dev/stderr | tail -1)
awk -v s="$static" -v l="$login" -v p="$list" 'BEGIN {
  printf "login page  = %5.1f%% of static (target >= 20%%)\n", 100 * l / s
  printf "list page   = %5.1f%% of static (target >= 12%%)\n", 100 * p / s }'

echo "worker RSS (KiB):"
for pidf in "$ROOT"/var/run/*.pid; do
  name=$(basename "$pidf" .pid)
  case "$name" in mysqld|nginx) continue ;; esac
  pid=$(cat "$pidf")
  for p in $pid $(pgrep -P "$pid" || true); do
    printf '  %-10s pid %-7s %s\n' "$name" "$p" "$(ps -o rss= -p "$p" | tr -d ' ')"
  done
done
