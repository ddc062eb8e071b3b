# md2man.awk: the Markdown of docs/ to man(7) roff, for lazydind(1)
# (scripts/man.sh puts the pages together). POSIX awk (mawk, gawk, busybox).
#
#   awk -v top=2 -v title=DESCRIPTION -f scripts/md2man.awk docs/commands.md
#
# A heading of level `top` becomes .SH, one level deeper .SS, deeper still a
# bold paragraph; a heading above `top` (the page's title) becomes
# `.SH title` when title is set and is dropped otherwise. Handled: paragraphs,
# `- ` and `1. ` list items (continued by indented lines), fenced code,
# tables (each row a .TP: the first cell the tag, the last the text, the
# others "header: cell"), `code` and **bold** (both bold), [text](link)
# (the text; a link to a sibling page named by its file name gets the prefix
# linkdir, e.g. -v linkdir=docs/). Nothing else of Markdown is used in docs/.

BEGIN {
    if (top == "") top = 1
    incode = 0; inpara = 0; ncols = 0; buf = ""
}

# roff-escapes plain text: backslash, hyphen-minus, the few non-ASCII
# characters of docs/ (groff reads Latin-1 without preconv).
function esc(s) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    gsub(/\342\200\224/, "\\(em", s)
    gsub(/\342\200\223/, "\\(en", s)
    gsub(/\342\200\246/, "...", s)
    gsub(/\342\206\222/, "\\(->", s)
    gsub(/\303\227/, "\\(mu", s)
    return s
}

# A line that would start with a control character is protected.
function line(s) {
    if (s ~ /^[.']/) s = "\\&" s
    print s
}

# [text](target) -> text
function unlink(s,   i, j, k, n, pre, post, text, target) {
    while ((i = index(s, "](")) > 0) {
        pre = substr(s, 1, i - 1)
        post = substr(s, i + 2)
        k = index(post, ")")
        j = 0
        for (n = length(pre); n > 0; n--)
            if (substr(pre, n, 1) == "[") { j = n; break }
        if (!j || !k) break
        text = substr(pre, j + 1)
        target = substr(post, 1, k - 1)
        sub(/#.*/, "", target)
        if (text == target && target !~ /\//) text = linkdir text
        s = substr(pre, 1, j - 1) text substr(post, k + 1)
    }
    return s
}

# Text outside code spans: escaped; each ** turns bold on or off (the state
# lasts across code spans, so **a `b` c** works).
function prose(s,   out, i) {
    s = esc(s)
    out = ""
    while ((i = index(s, "**")) > 0) {
        bold = !bold
        out = out substr(s, 1, i - 1) (bold ? "\\fB" : "\\fR")
        s = substr(s, i + 2)
    }
    return out s
}

# A paragraph's text: links dropped, `code` bold, the rest prose().
function inline(s,   out, i, j, rest) {
    s = unlink(s)
    out = ""
    bold = 0
    while ((i = index(s, "`")) > 0) {
        rest = substr(s, i + 1)
        j = index(rest, "`")
        if (!j) break
        out = out prose(substr(s, 1, i - 1))
        out = out (bold ? esc(substr(rest, 1, j - 1)) : "\\fB" esc(substr(rest, 1, j - 1)) "\\fR")
        s = substr(rest, j + 1)
    }
    out = out prose(s)
    if (bold) out = out "\\fR"
    return out
}

# Markup removed, for headings.
function plain(s) {
    s = unlink(s)
    gsub(/`/, "", s)
    gsub(/\*\*/, "", s)
    return s
}

# A paragraph (or list item) is gathered first: code spans and bold may run
# across the lines of the source.
function endpara() {
    if (buf != "") line(inline(buf))
    buf = ""
    inpara = 0
}

function para(s) {
    if (!inpara) print ".PP"
    inpara = 1
    buf = (buf == "" ? s : buf " " s)
}

function heading(level, text,   m) {
    endpara()
    m = level - top + 1
    if (m < 1) {
        if (title != "") print ".SH " title
    } else if (m == 1) {
        print ".SH " esc(toupper(plain(text)))
    } else if (m == 2) {
        print ".SS " esc(plain(text))
    } else {
        print ".PP"
        print "\\fB" esc(plain(text)) "\\fR"
    }
}

# The cells of a table row "| a | b |"; "\|" is a literal bar.
function cells(s, arr,   n, i) {
    gsub(/\\\|/, "\001", s)
    sub(/^[ \t]*\|/, "", s)
    sub(/\|[ \t]*$/, "", s)
    n = split(s, arr, "|")
    for (i = 1; i <= n; i++) {
        gsub(/\001/, "|", arr[i])
        sub(/^[ \t]+/, "", arr[i])
        sub(/[ \t]+$/, "", arr[i])
    }
    return n
}

function row(s,   c, n, i, extra) {
    n = cells(s, c)
    if (!ncols) {                       # the header
        ncols = n
        for (i = 1; i <= n; i++) head[i] = c[i]
        return
    }
    print ".TP"
    line(inline(c[1]))
    line(inline(c[n]))
    extra = ""
    for (i = 2; i < n; i++)
        extra = extra (extra == "" ? "" : "; ") inline(head[i] ": " c[i])
    if (extra != "") {
        print ".br"
        line(extra)
    }
}

incode {
    if ($0 ~ /^[ \t]*```/) {
        print ".fi"
        print ".RE"
        incode = 0
    } else {
        line(esc($0))
    }
    next
}

/^[ \t]*```/ {
    endpara()
    print ".PP"
    print ".RS 4"
    print ".nf"
    incode = 1
    next
}

/^\|/ {
    endpara()
    if ($0 !~ /^\|[-|: \t]+\|[ \t]*$/) row($0)
    next
}
{ ncols = 0 }

/^#+[ \t]/ {
    match($0, /^#+/)
    heading(RLENGTH, substr($0, RLENGTH + 2))
    next
}

/^[ \t]*$/ { endpara(); next }

/^- / {
    endpara()
    print ".IP \\(bu 2"
    inpara = 1
    buf = substr($0, 3)
    next
}

/^[0-9]+\. / {
    endpara()
    match($0, /^[0-9]+\./)
    print ".IP " substr($0, 1, RLENGTH) " 4"
    inpara = 1
    buf = substr($0, RLENGTH + 2)
    next
}

{
    sub(/^[ \t]+/, "")
    para($0)
}

END {
    endpara()
    if (incode) { print ".fi"; print ".RE" }
}
