#!/bin/sh
# check-style: the project's static checks in the spirit of Fossil's codecheck.
# Fails on raw mysql_query outside cgi/core/db.c, SQL assembled with printf,
# unsafe string calls, hdf_set_valuef, uvar:, alt: (unescaped) and inline script/style in
# templates.  Prints TAP; run by `make check`.
cd "${1:-$(dirname "$0")/..}" || exit 1
n=0 fail=0
tmp=$(mktemp) && trap 'rm -f "$tmp"' EXIT
report() { # description; offending lines in $tmp
	n=$((n + 1))
	out=$(cat "$tmp")
	if [ -z "$out" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "$out" | sed 's/^/#   /'
		fail=1
	fi
}
c() { grep -rnE --include='*.c' --include='*.h' "$1" cgi; }
c '\bmysql_(real_)?query[[:space:]]*\(' | grep -v '^cgi/core/db.c:' >"$tmp"
report "no mysql_query outside cgi/core/db.c"
c '\b(sprintf|vsprintf|strcpy|strcat|gets)[[:space:]]*\(' >"$tmp"
report "no sprintf/strcpy/strcat/gets"
c '\bhdf_set_valuef[[:space:]]*\(' >"$tmp"
report "no hdf_set_valuef (it splits user data at '=')"
c 'printf[[:space:]]*\([^"]*"[^"]*(SELECT|INSERT|UPDATE|DELETE) ' >"$tmp"
report "no SQL built with printf-style formatting"
c 'fcgi_stdio\.h' >"$tmp"; report "fcgiapp.h, never fcgi_stdio.h"
grep -rn 'uvar:' views >"$tmp"; report "no uvar: in templates (nothing needs unescaped output)"
grep -rnE '<\?cs +alt:' views >"$tmp"; report "no alt: in templates (it prints unescaped; use if/var or call:dash)"
grep -rnE '<script>|<script [^>]*>[^<]|style="|on(click|submit|load|change)=' views >"$tmp"
report "no inline script, style or handlers in templates (CSP)"
echo "1..$n"
exit $fail
