#!/usr/bin/env bash
# Benchmarks: figures, never pass/fail.  Needs a running stack (./chargeasset demo).
#
# Prints requests/s and p50/p95 latency for
#   - nginx serving a static file the size of the login page (the reference),
#   - the login page (ca-base, no session),
#   - a 50-row product list (ca-base, signed in: session lookup, count + page query),
# each as a share of the static rate, and the RSS of every worker process.
# With --national (a database loaded with db/bench/national.sql; ./chargeasset bench does it)
# also, signed in as admin:
#   - a 50-row pile list filtered by city + state + manufacturer (ca-asset; count + page),
#   - a pile looked up by its asset code, as JSON: the pile list's exact code filter
#     (code=<code>, the unique index) with format=json,
#   - the station map data of one city company (/asset/map/data?company_id=, JSON).
# Usage: tests/bench/run.sh [--port N] [--db NAME] [--run DIR] [--seconds S] [--connections C]
#                           [--national]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PORT=8080 SECS=8 CONNS=32 DB=chargeasset RUNDIR=$ROOT/var/run NATIONAL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --run) RUNDIR=$2; shift 2 ;;
    --national) NATIONAL=1; shift ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
BASE="http://127.0.0.1:$PORT"
SQL="mariadb --no-defaults -S $ROOT/var/run/mysqld.sock -u root $DB"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
curl -fsS -o /dev/null "$BASE/base/login" || { echo "no stack at $BASE: run ./chargeasset demo" >&2; exit 1; }

# 60 extra products so a page of 50 rows exists; removed again at the end.
$SQL -e "INSERT IGNORE INTO products (manufacturer_id, model, name, rated_power_kw, current_type, connectors, warranty_months)
  SELECT (SELECT MIN(id) FROM companies WHERE is_manufacturer = 1), CONCAT('BENCH-', seq), CONCAT('基准测试产品 ', seq),
         60 + seq, IF(seq % 3 = 0, 'AC', 'DC'), 1 + seq % 2, 24 FROM seq_1_to_60"
STATIC=$ROOT/assets/vendor/bench-static-$PORT.html
cleanup() { $SQL -e "DELETE FROM products WHERE model LIKE 'BENCH-%'" || true; rm -f "$STATIC" "$jar"; }
jar=$(mktemp)
trap cleanup EXIT

# The reference: the login page's own bytes as a static file.
curl -fsS "$BASE/base/login" > "$STATIC"
size=$(stat -c %s "$STATIC")

# A session for the list page.
curl -fsS -c "$jar" -b "$jar" -o /tmp/ca-bench-login.html "$BASE/base/login"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' /tmp/ca-bench-login.html | sed 's/.*value="//; s/"$//')
curl -fsS -c "$jar" -b "$jar" -o /dev/null -d "_csrf=$csrf&username=admin&password=demo1234" "$BASE/base/login"
sid=$(awk '$6 == "ca_sid" { print $7 }' "$jar")
[ -n "$sid" ] || { echo "login failed" >&2; exit 1; }
rows=$(curl -fsS -H "Cookie: ca_sid=$sid" "$BASE/base/products?per=50" | grep -c '<tr>' || true)

# run name url [header...]: the figures line to stderr (the terminal, or the file stdout goes
# to), the rps to stdout.
run() {
  local name=$1 url=$2; shift 2
  local line
  line=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 30s -s tests/bench/report.lua "$@" "$url" | grep '^RESULT')
  printf '%-26s %s\n' "$name" "${line#RESULT }" >&2
  echo "$line" | sed 's/.*rps=\([0-9]*\).*/\1/'
}

echo "ChargeAsset benchmark  $(date -u +%FT%TZ)  $(nproc) cores  ${SECS}s x ${CONNS} connections"
echo "static file: $size bytes; product list page: $((rows - 1)) rows"
static=$(run "nginx static ($size B)" "$BASE/assets/vendor/$(basename "$STATIC")")
login=$(run "login page" "$BASE/base/login")
list=$(run "product list (50 rows)" "$BASE/base/products?per=50" -H "Cookie: ca_sid=$sid")
awk -v s="$static" -v l="$login" -v p="$list" 'BEGIN {
  printf "login page  = %5.1f%% of static (target >= 20%%)\n", 100 * l / s
  printf "list page   = %5.1f%% of static (target >= 12%%)\n", 100 * p / s }'

if [ "$NATIONAL" = 1 ]; then
  # The city with the most stations, its company, and the manufacturer with the most piles
  # operating there; a pile code from the middle of the table.
  read -r city company < <($SQL -N -B -e "SELECT city_id, company_id FROM stations
    GROUP BY city_id, company_id ORDER BY COUNT(*) DESC, city_id LIMIT 1")
  read -r maker npiles < <($SQL -N -B -e "SELECT pr.manufacturer_id, COUNT(*) FROM piles p
    JOIN products pr ON pr.id = p.product_id JOIN stations s ON s.id = p.station_id
    WHERE s.city_id = $city AND p.state = 'operating' GROUP BY pr.manufacturer_id
    ORDER BY COUNT(*) DESC LIMIT 1")
  code=$($SQL -N -B -e "SELECT code FROM piles WHERE id = (SELECT MIN(id) + (MAX(id) - MIN(id)) DIV 2 FROM piles)")
  read -r nst tot < <($SQL -N -B -e "SELECT (SELECT COUNT(*) FROM stations WHERE company_id = $company),
    (SELECT COUNT(*) FROM piles)")
  LIST="/asset/piles?city_id=$city&state=operating&manufacturer_id=$maker&per=50"
  LOOKUP="/asset/piles?code=$code&format=json"
  MAP="/asset/map/data?company_id=$company"
  rows=$(curl -fsS -H "Cookie: ca_sid=$sid" "$BASE$LIST" | grep -c '<tr>' || true)
  found=$(curl -fsS -H "Cookie: ca_sid=$sid" -H 'Accept: application/json' "$BASE$LOOKUP" | grep -o "\"$code\"" | head -1 || true)
  mapn=$(curl -fsS -H "Cookie: ca_sid=$sid" "$BASE$MAP" | grep -o '"id"' | wc -l || true)
  echo
  echo "national scale: $tot piles; city $city, manufacturer $maker: $npiles operating piles"
  echo "  pile list   $LIST  ($((rows - 1)) rows on the page)"
  echo "  pile lookup $LOOKUP  (pile list filtered by q, JSON; ${found:-NOT FOUND})"
  echo "  map data    $MAP  ($nst stations of the company, $mapn in the answer)"
  plist=$(run "pile list city+state+mfr" "$BASE$LIST" -H "Cookie: ca_sid=$sid")
  plook=$(run "pile lookup by code (JSON)" "$BASE$LOOKUP" -H "Cookie: ca_sid=$sid" -H 'Accept: application/json')
  pmap=$(run "map data (one company)" "$BASE$MAP" -H "Cookie: ca_sid=$sid")
  awk -v s="$static" -v l="$plist" -v k="$plook" -v m="$pmap" 'BEGIN {
    printf "pile list   = %5.1f%% of static (target >= 12%%, p95 < 50 ms)\n", 100 * l / s
    printf "pile lookup = %5.1f%% of static (target >= 20%%, p95 < 50 ms)\n", 100 * k / s
    printf "map data    = %5.1f%% of static (p95 < 50 ms)\n", 100 * m / s }'
fi

echo "worker RSS (KiB):"
for pidf in "$RUNDIR"/*.pid; do
  name=$(basename "$pidf" .pid)
  case "$name" in mysqld|nginx|mysqld.started-by-*) continue ;; esac
  pid=$(cat "$pidf")
  for p in $pid $(pgrep -P "$pid" || true); do
    printf '  %-10s pid %-7s %s\n' "$name" "$p" "$(ps -o rss= -p "$p" | tr -d ' ')"
  done
done
