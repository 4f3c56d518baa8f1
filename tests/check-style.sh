#!/bin/sh
# check-style: the project's static checks in the spirit of Fossil's codecheck.
# Fails on raw mysql_query outside cgi/core/db.c, SQL assembled with printf,
# unsafe string calls, hdf_set_valuef, uvar:, alt: (unescaped) and inline script/style in
# templates, and HTML sinks in our scripts (assets/js, not assets/vendor).  Prints TAP; run
# by `make check`.
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
# Our scripts put data into the page as text only: no HTML sinks, and Leaflet (which writes a
# string tooltip, popup, divIcon html or attribution as HTML) gets elements — a builder call or
# a function returning one — never a string (issue 9: a station name navigated the viewer away).
js() { grep -nE "$1" assets/js/*.js /dev/null; }
js '\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write(ln)?[[:space:]]*\(|\.html[[:space:]]*\(|createContextualFragment|DOMParser|srcdoc' >"$tmp"
report "no HTML sinks in assets/js (innerHTML, outerHTML, insertAdjacentHTML, document.write, .html(), DOMParser)"
js '\.(bindTooltip|bindPopup|setContent|setTooltipContent|setPopupContent)[[:space:]]*\(' |
	grep -vE '\.(bindTooltip|bindPopup|setContent|setTooltipContent|setPopupContent)[[:space:]]*\([[:space:]]*(function\b|[A-Za-z_$][A-Za-z0-9_$]*[[:space:]]*\()' >"$tmp"
report "Leaflet tooltips and popups in assets/js get elements (a builder call or a function), never strings"
js '\bhtml[[:space:]]*:' | grep -vE '\bhtml[[:space:]]*:[[:space:]]*[A-Za-z_$][A-Za-z0-9_$]*[[:space:]]*\(' >"$tmp"
report "Leaflet divIcons in assets/js get elements (a builder call), never strings"
js 'attribution[[:space:]]*:|addAttribution[[:space:]]*\(' | grep -v 'escapeHtml(' >"$tmp"
report "Leaflet attributions in assets/js are escaped text"
js "[\`'\"][[:space:]]*<[A-Za-z!/]" >"$tmp"
report "no markup in string or template literals in assets/js"
echo "1..$n"
exit $fail
