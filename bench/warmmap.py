#!/usr/bin/env python3
"""warmmap.py: which input sections the warm path touches (for src/warmpath.ld).

  warmmap.py where MAP ADDR...        the input section (and object) holding
                                      each hex address, from a link map
  warmmap.py funcs MAP BINARY FUNCS   the .text input sections holding the
                                      functions named in FUNCS (one a line,
                                      e.g. callgrind's fn= names), as lines
                                      for src/warmpath.ld's .text.warm

MAP is the link map of BINARY: `make -W src/warmpath.ld LDFLAGS=-Wl,-Map=FILE`.
bench/warmfaults.sh uses `where` on each page fault of one warm call."""
import re
import subprocess
import sys


def sections(mapfile):
    """(start, size, section, file, output section) of every input section."""
    lines = open(mapfile).read().split("\n")
    start = lines.index("Linker script and memory map")
    out, pend, res = None, None, []
    for ln in lines[start:]:
        m = re.match(r"^(\.\S+)", ln)
        if m:
            out = m.group(1)
        m = re.match(r"^ (\.\S+|__\S+)\s*$", ln)
        if m:
            pend = m.group(1)
            continue
        m = re.match(r"^ (\.\S+|__\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", ln)
        if m and (m.group(1) or pend) and int(m.group(3), 16) > 0:
            res.append((int(m.group(2), 16), int(m.group(3), 16), m.group(1) or pend,
                        m.group(4).strip(), out))
        pend = None
    return res


def spec(sec, obj):
    """A linker-script input section spec for SEC of OBJ."""
    m = re.search(r"([^/]+\.a)\((.+)\)$", obj)
    if m:
        return "*%s:%s(%s)" % (m.group(1), m.group(2), sec)
    if obj.startswith("src/"):
        return "*(%s)" % sec
    return "*%s(%s)" % (obj.rsplit("/", 1)[-1], sec)


def where(mapfile, addrs):
    secs = sections(mapfile)
    for a in addrs:
        v = int(a, 16)
        hit = [s for s in secs if s[0] <= v < s[0] + s[1]]
        print("%-14s %s" % (a, "  ".join("%s %s (%d bytes, in %s)" % (s[2], s[3].rsplit("/", 1)[-1],
                                                                     s[1], s[4]) for s in hit) or "-"))


def funcs(mapfile, binary, names):
    secs = [s for s in sections(mapfile) if s[4] in (".text", ".text.warm")]
    syms = {}
    nm = subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout
    for ln in nm.split("\n"):
        f = ln.split()
        if len(f) == 3 and f[1] in "tTiWw":
            syms.setdefault(f[2], []).append(int(f[0], 16))
    seen = set()
    for name in open(names).read().split():
        for a in syms.get(name.split("'")[0], []):
            for s in secs:
                if s[0] <= a < s[0] + s[1] and (s[2], s[3]) not in seen:
                    seen.add((s[2], s[3]))
                    print("        %s" % spec(s[2], s[3]))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "where":
        where(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 5 and sys.argv[1] == "funcs":
        funcs(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
