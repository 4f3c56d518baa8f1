#!/usr/bin/env bash
# QR label benchmark (F3): figures only, never pass/fail.  Needs a running stack.
#
# Prints
#   - codes generated per second: one batch of 10,000 through POST /qr/batches
#     (serial reservation + chunked inserts, the whole request timed);
#   - labels rendered per second: GET /qr/codes/<code>.svg over the 10,000 codes
#     (QR encoding + SVG, session check, nginx; each request a different code);
#   - label pages per second: GET /qr/batches/<id>/labels?page=N (100 labels each).
# Target: labels >= 500 per second.  The bench rule and its codes are removed at the end.
# Usage: tests/bench/labels.sh [--port N] [--db NAME] [--seconds S] [--connections C]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PORT=8080 SECS=8 CONNS=16 DB=chargeasset
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
BASE="http://127.0.0.1:$PORT"
SQL="mariadb --no-defaults -S $ROOT/var/run/mysqld.sock -u root $DB -N -B"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
curl -fsS -o /dev/null "$BASE/base/login" || { echo "no stack at $BASE: run ./chargeasset demo" >&2; exit 1; }

jar=$(mktemp) paths=$(mktemp) pages=$(mktemp) page=$(mktemp)
seg=$(tr -dc 'A-Z0-9' </dev/urandom | head -c 6 || true)
rule_id=
cleanup() {
  if [ -n "$rule_id" ]; then
    $SQL -e "DELETE c FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id WHERE b.rule_id = $rule_id;
      DELETE FROM qr_batches WHERE rule_id = $rule_id; DELETE FROM code_rules WHERE id = $rule_id" || true
  fi
  rm -f "$jar" "$paths" "$pages" "$page"
}
trap cleanup EXIT

# Sign in as admin; the CSRF token of the session comes with the next page.
curl -fsS -c "$jar" -b "$jar" -o "$page" "$BASE/base/login"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$page" | sed 's/.*value="//; s/"$//')
curl -fsS -c "$jar" -b "$jar" -o /dev/null -d "_csrf=$csrf&username=admin&password=demo1234" "$BASE/base/login"
sid=$(awk '$6 == "ca_sid" { print $7 }' "$jar")
[ -n "$sid" ] || { echo "login failed" >&2; exit 1; }

$SQL -e "INSERT INTO code_rules (name, prefix, company_id, segment, year_digits, serial_width, check_char)
  VALUES ('BENCH-$seg', 'BQ', (SELECT id FROM companies WHERE kind = 'head' LIMIT 1), '$seg', 2, 6, 1)"
rule_id=$($SQL -e "SELECT id FROM code_rules WHERE name = 'BENCH-$seg'")

curl -fsS -b "$jar" -o "$page" "$BASE/qr/batches/new"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$page" | head -1 | sed 's/.*value="//; s/"$//')
key=$(grep -o 'name="form_key" value="[^"]*"' "$page" | sed 's/.*value="//; s/"$//')
t0=$(date +%s.%N)
loc=$(curl -fsS -b "$jar" -o /dev/null -w '%{redirect_url}' \
  -d "_csrf=$csrf&form_key=$key&rule_id=$rule_id&count=10000" "$BASE/qr/batches")
t1=$(date +%s.%N)
batch=$($SQL -e "SELECT id FROM qr_batches WHERE rule_id = $rule_id")
done_count=$($SQL -e "SELECT done_count FROM qr_batches WHERE id = $batch")
$SQL -e "SELECT CONCAT('/qr/codes/', code, '.svg') FROM qr_codes WHERE batch_id = $batch ORDER BY serial" >"$paths"
seq 1 100 | sed "s|^|/qr/batches/$batch/labels?layout=a4\&page=|" >"$pages"

run() { # name pathfile
  local line
  line=$(WRK_PATHS=$2 wrk -t2 -c"$CONNS" -d"${SECS}s" -s tests/bench/labels.lua \
    -H "Cookie: ca_sid=$sid" "$BASE/" | grep '^RESULT')
  printf '%-34s %s\n' "$1" "${line#RESULT }" >&2
  echo "$line" | sed 's/.*rps=\([0-9]*\).*/\1/'
}

echo "ChargeAsset QR label benchmark  $(date -u +%FT%TZ)  $(nproc) cores  ${SECS}s x ${CONNS} connections"
awk -v a="$t0" -v b="$t1" -v n="$done_count" -v l="$loc" 'BEGIN {
  printf "generate 10,000 codes: %d done in %.2f s = %.0f codes/s  (-> %s)\n", n, b - a, n / (b - a), l }'
svg=$(run "label SVG (one code each)" "$paths")
html=$(run "label page (100 labels, HTML)" "$pages")
echo "labels rendered per second (SVG): $svg  (target >= 500)"
echo "label pages per second: $html  (= $((html * 100)) labels listed per second)"
