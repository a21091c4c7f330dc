#!/usr/bin/env bash
# The translations: a template made from every file in po/POTFILES (with
# the same xgettext options as meson's glib preset), and for every
# language in po/LINGUAS: the catalogue compiles with msgfmt --check, and
# after merging it with the fresh template no message is untranslated or
# fuzzy.  A string marked for translation without a German one fails
# here.  Prints TAP.
#
#   check-po.sh SOURCE_ROOT
set -uo pipefail
cd "$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mapfile -t langs < <(grep -v '^#' po/LINGUAS | tr ' ' '\n' | sed '/^$/d')
echo "1..$((1 + 4 * ${#langs[@]}))"
n=0 bad=0
report() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$tmp/out" | head -40
		bad=$((bad + 1))
	fi
}

grep -v '^#' po/POTFILES | sed '/^$/d' >"$tmp/files"
xgettext --package-name=kennel -f "$tmp/files" -o "$tmp/kennel.pot" \
	--from-code=UTF-8 --add-comments \
	--keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
	--keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
	--flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
	--flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
	--flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
	--flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
	--flag=g_markup_printf_escaped:1:c-format --flag=g_printerr:1:c-format \
	>"$tmp/out" 2>&1
report $? "xgettext makes a template from po/POTFILES ($(grep -c '^msgid ' "$tmp/kennel.pot" 2>/dev/null) messages)"

for lang in "${langs[@]}"; do
	po=po/$lang.po
	msgfmt --check --statistics -o "$tmp/$lang.mo" "$po" >"$tmp/out" 2>&1
	report $? "msgfmt --check $po ($(tail -n 1 "$tmp/out"))"

	msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.merged.po" "$po" "$tmp/kennel.pot" >"$tmp/out" 2>&1
	report $? "msgmerge $po with the fresh template"

	{ msgattrib --untranslated --no-obsolete "$tmp/$lang.merged.po" | grep '^msgid ' | tail -n +2; } >"$tmp/out" 2>&1
	[ ! -s "$tmp/out" ]
	report $? "$po translates every message of the template"

	{ msgattrib --only-fuzzy --no-obsolete "$po" | grep '^msgid ' | tail -n +2; } >"$tmp/out" 2>&1
	[ ! -s "$tmp/out" ]
	report $? "$po has no fuzzy message"
done
[ "$bad" -eq 0 ]
