#!/usr/bin/env bash
# Benchmarks: figures, never pass/fail.  Needs a running stack (./chargeasset demo).
#
# Prints requests/s and p50/p95 latency for
#   - nginx serving a static file the size of the login page (the reference), and for each
#     signed-in page a static file of that page's own size,
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
V=$ROOT/assets/vendor
STATIC=$V/bench-static-$PORT.html
jar=$(mktemp) page=$(mktemp)
cleanup() {
  $SQL -e "DELETE FROM products WHERE model LIKE 'BENCH-%'" || true
  rm -f "$V"/bench-*-"$PORT".* "$jar" "$page"
}
trap cleanup EXIT

# The reference: the login page's own bytes as a static file.  Each signed-in page is also
# compared with a static file of its own size (served by the same nginx location), since the
# issue asks for "a static file of similar size" and a 50-row page is 20-30 times the login.
curl -fsS "$BASE/base/login" > "$STATIC"
size=$(stat -c %s "$STATIC")

# A session for the signed-in pages.
curl -fsS -c "$jar" -b "$jar" -o "$page" "$BASE/base/login"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$page" | sed 's/.*value="//; s/"$//')
curl -fsS -c "$jar" -b "$jar" -o /dev/null -d "_csrf=$csrf&username=admin&password=demo1234" "$BASE/base/login"
sid=$(awk '$6 == "ca_sid" { print $7 }' "$jar")
[ -n "$sid" ] || { echo "login failed" >&2; exit 1; }

# run name url [header...]: the figures line to stderr (the terminal, or the file stdout goes
# to), "rps p50 p95" to stdout.
run() {
  local name=$1 url=$2; shift 2
  local line
  line=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 30s -s tests/bench/report.lua "$@" "$url" | grep '^RESULT')
  printf '%-28s %s\n' "$name" "${line#RESULT }" >&2
  echo "$line" | sed 's/.*rps=\([0-9]*\) p50_ms=\([0-9.]*\) p95_ms=\([0-9.]*\).*/\1 \2 \3/'
}

# page name path ext [header...]: the page once (its first, uncached answer: time and bytes),
# its bytes as a static file of the same size, one second of warm-up at the same concurrency
# (each worker process fills its caches), then the measured run of the page and of that
# static file.  Appends a line to $SUMMARY.
SUMMARY=$(mktemp)
page() {
  local name=$1 path=$2 ext=$3; shift 3
  local h=() f cold bytes dyn sta
  for x in "$@"; do h+=(-H "$x"); done
  f=$V/bench-$(echo "$name" | tr -c 'a-z0-9' '-' | cut -c1-24)-$PORT.$ext
  cold=$(curl -fsS "${h[@]}" -o "$f" -w '%{time_total}' "$BASE$path")
  bytes=$(stat -c %s "$f")
  [ "$path" = /base/login ] || wrk -t2 -c"$CONNS" -d1s "${h[@]}" "$BASE$path" >/dev/null
  dyn=$(run "$name" "$BASE$path" "${h[@]}")
  if [ "$path" = /base/login ]; then sta=$static
  else sta=$(run "  nginx static ($bytes B)" "$BASE/assets/vendor/$(basename "$f")"); fi
  echo "$name|$bytes|$cold|$dyn|$sta" >>"$SUMMARY"
}

echo "ChargeAsset benchmark  $(date -u +%FT%TZ)  $(nproc) cores  ${SECS}s x ${CONNS} connections"
static=$(run "nginx static ($size B)" "$BASE/assets/vendor/$(basename "$STATIC")")
rows=$(curl -fsS -H "Cookie: ca_sid=$sid" "$BASE/base/products?per=50" | grep -c '<tr>' || true)
echo "product list page: $((rows - 1)) rows"
page "login page" /base/login html
page "product list (50 rows)" "/base/products?per=50" html "Cookie: ca_sid=$sid"
targets="login page=20 product list (50 rows)=12"

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
  LOOKUP="/asset/piles/lookup?code=$code&format=json"
  MAP="/asset/map/data?company_id=$company"
  echo
  echo "national scale: $tot piles; city $city, manufacturer $maker: $npiles operating piles"
  echo "  pile list   $LIST"
  echo "  pile lookup $LOOKUP  (one pile by its code, JSON)"
  echo "  map data    $MAP  ($nst stations of the company)"
  page "pile list city+state+mfr" "$LIST" html "Cookie: ca_sid=$sid"
  rows=$(grep -c '<tr>' "$V"/bench-pile-list-*-"$PORT".html || true)
  page "pile lookup by code (JSON)" "$LOOKUP" json "Cookie: ca_sid=$sid" "Accept: application/json"
  found=$(grep -o "\"$code\"" "$V"/bench-pile-lookup-*-"$PORT".json | head -1 || true)
  page "map data (one company)" "$MAP" json "Cookie: ca_sid=$sid"
  mapn=$(grep -o '"count":[0-9]*' "$V"/bench-map-data-*-"$PORT".json | tail -n 1 | cut -d: -f2 || true)
  echo "  (pile list page: $((rows - 1)) rows; lookup found ${found:-NOTHING}; map data: $mapn stations)"
  targets="$targets pile list city+state+mfr=12 pile lookup by code (JSON)=20 map data (one company)=0"
fi

echo
echo "summary (share = page rps / static rps in this run; cold = the page's first, uncached answer)"
printf '%-28s %9s %7s %8s %8s %8s  %-16s %s\n' page bytes cold_ms rps p50_ms p95_ms "of ${size} B static" "of same-size static"
while IFS='|' read -r name bytes cold dyn sta; do
  read -r rps p50 p95 <<<"$dyn"
  read -r srps _ _ <<<"$sta"
  target=$(echo "$targets" | grep -o "$name=[0-9]*" | sed 's/.*=//')
  awk -v n="$name" -v b="$bytes" -v c="$cold" -v r="$rps" -v p50="$p50" -v p95="$p95" \
      -v s="$static" -v ss="$srps" -v t="${target:-0}" 'BEGIN {
    split(s, a, " ");
    printf "%-28s %9d %7.1f %8d %8.2f %8.2f  %6.1f%%          %6.1f%%   %s\n", n, b, c * 1000, r, p50, p95,
      100 * r / a[1], 100 * r / ss, (t > 0 ? "target >= " t "%" : "") (n ~ /^(pile|map)/ ? ", p95 < 50 ms" : "") }'
done <"$SUMMARY"
rm -f "$SUMMARY"

echo "worker RSS (KiB):"
for pidf in "$RUNDIR"/*.pid; do
  name=$(basename "$pidf" .pid)
  case "$name" in mysqld|nginx|mysqld.started-by-*) continue ;; esac
  pid=$(cat "$pidf")
  for p in $pid $(pgrep -P "$pid" || true); do
    printf '  %-10s pid %-7s %s\n' "$name" "$p" "$(ps -o rss= -p "$p" | tr -d ' ')"
  done
done
