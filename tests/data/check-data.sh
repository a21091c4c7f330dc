#!/usr/bin/env bash
# The data files as the desktop sees them: the built .desktop and
# metainfo pass their validators, the schema compiles with --strict, and
# the icons are well-formed SVG of the right size.  Prints TAP.
#
#   check-data.sh BUILD_DATA_DIR SOURCE_DATA_DIR
set -uo pipefail
build=$1 src=$2
id=org.kennel.Kennel
n=0 bad=0
check() {
	local name=$1; shift
	n=$((n + 1))
	local out
	if out=$("$@" 2>&1); then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		printf '%s\n' "$out" | sed 's/^/# /'
		bad=$((bad + 1))
	fi
}
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

echo "1..7"
check "desktop-file-validate $id.desktop" desktop-file-validate "$build/$id.desktop"
check "appstreamcli validate --no-net $id.metainfo.xml" \
	appstreamcli validate --no-net "$build/$id.metainfo.xml"
if command -v appstream-util >/dev/null; then
	check "appstream-util validate --nonet $id.metainfo.xml" \
		appstream-util validate --nonet "$build/$id.metainfo.xml"
else
	skip "appstream-util validate" "appstream-util not installed"
fi
check "glib-compile-schemas --strict" glib-compile-schemas --strict --dry-run "$src"
svg_ok() {
	python3 - "$1" "$2" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
size = sys.argv[2]
assert root.tag == '{http://www.w3.org/2000/svg}svg', root.tag
assert root.get('width') == size and root.get('height') == size, (root.get('width'), root.get('height'))
assert root.get('viewBox') == f'0 0 {size} {size}', root.get('viewBox')
PY
}
check "scalable icon is a 128 px SVG" svg_ok "$src/icons/hicolor/scalable/apps/$id.svg" 128
check "symbolic icon is a 16 px SVG" svg_ok "$src/icons/hicolor/symbolic/apps/$id-symbolic.svg" 16
# The metainfo names the desktop file it describes, and the desktop file the icon.
names_match() {
	grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$build/$id.metainfo.xml" &&
		grep -qx "Icon=$id" "$build/$id.desktop"
}
check "metainfo, desktop file and icon agree on the app id" names_match
[ "$bad" -eq 0 ]
