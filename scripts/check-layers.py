#!/usr/bin/env python3
"""Checks src/'s structure (README.md, Layout).

- Layers: a file includes headers of its own folder and of the folders below
  it only, in the order base < config < pod < daemon < cli, always named with
  their folder ("base/util.h").
- No circle: a module (x.c with x.h) depends on every module whose header
  x.c or x.h includes; no module may reach itself through those.

Prints each breach and exits 1 when there is one."""
import os
import re
import sys

LAYERS = ["base", "config", "pod", "daemon", "cli"]
INCLUDE = re.compile(r'^#include "([^"]+)"', re.M)


def modules(src):
    """{"base/util": set of included modules} for every .c and .h."""
    deps = {}
    for layer in LAYERS:
        for name in sorted(os.listdir(os.path.join(src, layer))):
            if not name.endswith((".c", ".h")):
                continue
            mod = layer + "/" + name[:-2]
            with open(os.path.join(src, layer, name)) as f:
                incs = INCLUDE.findall(f.read())
            deps.setdefault(mod, set()).update(i[:-2] for i in incs)
    return deps


def layer_breaches(deps):
    out = []
    for mod, incs in sorted(deps.items()):
        own = LAYERS.index(mod.split("/")[0])
        for inc in sorted(incs):
            folder = inc.split("/")[0] if "/" in inc else None
            if folder not in LAYERS:
                out.append(f"{mod}: includes \"{inc}.h\" without its layer folder")
            elif LAYERS.index(folder) > own:
                out.append(f"{mod} ({LAYERS[own]}) includes {inc}.h, a layer above it")
    return out


def circles(deps):
    out, state = [], {}

    def visit(mod, path):
        state[mod] = 1
        for inc in sorted(deps.get(mod, ())):
            if inc == mod or inc not in deps:
                continue
            if state.get(inc) == 1:
                cyc = path[path.index(inc):] + [inc]
                out.append("circle: " + " -> ".join(cyc))
            elif inc not in state:
                visit(inc, path + [inc])
        state[mod] = 2

    for mod in sorted(deps):
        if mod not in state:
            visit(mod, [mod])
    return out


def main():
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    deps = modules(src)
    bad = layer_breaches(deps) + circles(deps)
    for line in bad:
        print("layers: " + line)
    if bad:
        return 1
    print(f"layers: {len(deps)} modules, every include goes to its own layer or one below, no circle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
