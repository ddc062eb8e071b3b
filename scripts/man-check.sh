#!/bin/sh
# man-check.sh: `make install` into a scratch DESTDIR, then checks what it put
# there: the binary, and lazydind(1) with only the requests scripts/man.sh
# emits, rendering without a warning and listing every command of
# `lazydind --help` (rendering only where groff or man is installed; neither
# is a build dependency). Run by `make man-check`, from the repository root.
set -eu
dest=$(mktemp -d /tmp/lazydind-man-check.XXXXXX)
trap 'rm -rf "$dest"' EXIT
fail() { echo "man-check: $*" >&2; exit 1; }

${MAKE:-make} -s install DESTDIR="$dest" PREFIX=/usr >/dev/null
page=$dest/usr/share/man/man1/lazydind.1
[ -x "$dest/usr/bin/lazydind" ] || fail "make install put no executable at \$DESTDIR/usr/bin/lazydind"
[ -f "$page" ] || fail "make install put no page at \$DESTDIR/usr/share/man/man1/lazydind.1"
[ "$(stat -c %a "$page")" = 644 ] || fail "lazydind.1 has mode $(stat -c %a "$page"), not 644"

# every control line is one of man.sh's requests: no text line of docs/
# became a request by starting with . or '
bad=$(grep -n "^[.']" "$page" | grep -v -E "^[0-9]+:\.(TH|SH|SS|PP|TP|IP|RS|RE|nf|fi|br|nh|ad|BR|\\\\\")( |$)" || true)
[ -z "$bad" ] || fail "unexpected requests in lazydind.1: $bad"

# the commands of the usage text, e.g. "install", "--version"
cmds=$(./lazydind --help | sed -n '/^commands:/,/^$/s/^  \([^ ,]*\).*/\1/p')
[ -n "$cmds" ] || fail "no commands in lazydind --help"

if command -v groff >/dev/null 2>&1; then
    warn=$(groff -man -ww -z "$page" 2>&1) || fail "groff failed: $warn"
    [ -z "$warn" ] || fail "groff warns: $warn"
    text=$(groff -man -Tutf8 -P-cbou "$page" 2>/dev/null)
elif command -v man >/dev/null 2>&1; then
    text=$(MANWIDTH=100 man -l "$page" 2>/dev/null)  # not a tty: plain text
else
    echo "man-check: installed; neither groff nor man here, so the page was not rendered"
    exit 0
fi
for c in $cmds; do
    printf '%s\n' "$text" | grep -q -e "lazydind $c" || fail "lazydind.1 does not show 'lazydind $c'"
done

# every setting of docs/configuration.md's table
vars=$(sed -n 's/^| `\(LAZYDIND_[A-Z_]*\)`.*/\1/p' docs/configuration.md)
[ -n "$vars" ] || fail "no settings table in docs/configuration.md"
for v in $vars; do
    printf '%s\n' "$text" | grep -q -e "^ *$v\$" || fail "lazydind.1 does not list $v"
done
echo "man-check: lazydind(1) installed, renders, and shows all $(echo $cmds | wc -w) commands and $(echo $vars | wc -w) settings"
