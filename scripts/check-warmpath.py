#!/usr/bin/env python3
"""check-warmpath.py [BINARY]: every function of lazydind's that
src/warmpath.ld names is in the binary and inside .text.warm.

The linker script matches input sections by name, and a name that matches
nothing is no error to the linker: a function renamed or no longer split out
by GCC (.isra, .constprop) would silently fall back to .text, and the warm
path would pay a page fault or two more (bench/README.md, "Branch warm2").
This catches the renames; a new function on the warm path is found by
bench/warmfaults.sh."""
import re
import subprocess
import sys

binary = sys.argv[1] if len(sys.argv) > 1 else "lazydind"
script = open("src/warmpath.ld").read()
names = sorted(set(re.findall(r"^\s*\*\(\.text\.([A-Za-z0-9_.]+)\)\s*$", script, re.M)))

sections = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True,
                          check=True).stdout
m = re.search(r"\]\s+\.text\.warm\s+PROGBITS\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", sections)
if not m:
    sys.exit(f"check-warmpath: {binary} has no .text.warm section (src/warmpath.ld not linked?)")
lo, hi = int(m.group(1), 16), int(m.group(1), 16) + int(m.group(2), 16)

addrs = {}
for line in subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout.splitlines():
    f = line.split()
    if len(f) == 3 and f[1] in "tT":
        addrs.setdefault(f[2], []).append(int(f[0], 16))

bad = []
for sec in names:
    # GCC's sections for main and cold parts: .text.startup.main, .text.unlikely.f
    n = re.sub(r"^(startup|unlikely|hot)\.", "", sec)
    if n not in addrs:
        bad.append(f"{n}: no such function in {binary} (renamed? update src/warmpath.ld)")
    elif any(not lo <= a < hi for a in addrs[n]):
        bad.append(f"{n}: outside .text.warm")
for b in bad:
    print("check-warmpath: " + b, file=sys.stderr)
if bad:
    sys.exit(1)
print(f"warmpath: {len(names)} functions src/warmpath.ld names are in .text.warm")
