#!/usr/bin/env bash
# Runs ca-base (one child) under valgrind against the configured database,
# drives it straight over its FastCGI socket with a mix of pages (sign-in,
# lists, forms, exports, errors, JSON), stops it, and fails on any memory
# error or definite leak.  Prints TAP.
# Usage: tests/valgrind.sh BUILD_DIR CONFIG
set -uo pipefail
build=$1 conf=$2
tmp=$(mktemp -d)
trap 'pkill -TERM -f "ca-base --config $tmp/ca.hdf" 2>/dev/null; rm -rf "$tmp"' EXIT
command -v valgrind >/dev/null || { echo "not ok 1 - valgrind missing"; echo 1..1; exit 1; }
mkdir -p "$tmp/run"
sed -e "s|^\([[:space:]]*run[[:space:]]*=\).*|\1 $tmp/run|" -e '/base {/,/}/s/procs = [0-9]*/procs = 1/' "$conf" >"$tmp/ca.hdf"
valgrind --trace-children=yes --leak-check=full --errors-for-leak-kinds=definite \
	--error-exitcode=99 --log-file="$tmp/vg.%p.log" \
	"$build/cgi/ca-base" --config "$tmp/ca.hdf" >"$tmp/out.log" 2>&1 &
for _ in $(seq 1 100); do [ -S "$tmp/run/ca-base.sock" ] && break; sleep 0.2; done
sleep 1
req() { # METHOD PATH QUERY COOKIE BODY -> status line
	REQUEST_METHOD=$1 DOCUMENT_URI=$2 QUERY_STRING=$3 REMOTE_ADDR=127.0.0.1 HTTP_COOKIE=$4 \
		CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=${#5} \
		cgi-fcgi -bind -connect "$tmp/run/ca-base.sock" <<<"$5" 2>/dev/null | tr -d '\r'
}
pre=abcdefghijabcdefghijabcdefghijabcdefghij123
sid=$(req POST /base/login "" "ca_pre=$pre" "_csrf=$pre&username=admin&password=demo1234" |
	sed -n 's/^Set-Cookie: ca_sid=\([^;]*\);.*/\1/p')
csrf=$(req GET /base/cities/new "" "ca_sid=$sid" "" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
n=0 fail=0
check() { # description status-wanted METHOD PATH QUERY BODY
	local got
	got=$(req "$3" "$4" "$5" "ca_sid=$sid" "${6-}" | sed -n 's/^Status: \([0-9]*\).*/\1/p' | head -1)
	n=$((n + 1))
	if [ "$got" = "$2" ]; then echo "ok $n - $1 ($got)"; else echo "not ok $n - $1: got $got, want $2"; fail=1; fi
}
n=1
if [ -n "$sid" ]; then echo "ok 1 - sign in"; else echo "not ok 1 - sign in"; fail=1; fi
check "home" 200 GET /base/ ""
check "product list" 200 GET /base/products "per=50&sort=rated_power_kw&dir=desc"
check "product form" 200 GET /base/products/new ""
check "CSV export" 200 GET /base/cities/export "fmt=csv"
check "XLSX export" 200 GET /base/cities/export "fmt=xlsx"
check "JSON list" 200 GET /base/dicts "format=json"
check "bad filter" 400 GET /base/records "from=bad"
check "unknown page" 404 GET /base/nope ""
check "unknown id" 404 GET /base/cities/999999999/edit ""
check "form with errors" 422 POST /base/cities "" "_csrf=$csrf&code=&name="
check "update records" 200 GET /base/records ""
pkill -TERM -f "ca-base --config $tmp/ca.hdf"
for _ in $(seq 1 50); do pgrep -f "ca-base --config $tmp/ca.hdf" >/dev/null || break; sleep 0.2; done
errs=$(cat "$tmp"/vg.*.log | grep -E "ERROR SUMMARY: [1-9]|definitely lost: [1-9]")
n=$((n + 1))
if [ -z "$errs" ] && ls "$tmp"/vg.*.log >/dev/null 2>&1; then
	echo "ok $n - valgrind: no memory errors, no definite leaks"
else
	echo "not ok $n - valgrind found problems"
	cat "$tmp"/vg.*.log | sed 's/^/# /' | tail -60
	fail=1
fi
echo "1..$n"
exit $fail
