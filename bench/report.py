#!/usr/bin/env python3
"""Summarise a bench/run.sh raw directory: print the table, write the JSON.

    report.py RAW_DIR OUT_JSON

Every duration in the raw files is nanoseconds on CLOCK_MONOTONIC inside a
pod; see bench/README.md for what each number means."""
import json
import os
import random
import statistics
import sys

RAW, OUT = sys.argv[1], sys.argv[2]


def path(name):
    return os.path.join(RAW, name)


def lines(name):
    try:
        with open(path(name)) as f:
            return [l.rstrip("\n") for l in f if l.strip()]
    except OSError:
        return []


def kv(name):
    d = {}
    for l in lines(name):
        if "=" in l:
            k, v = l.split("=", 1)
            d[k.strip()] = v.strip()
    return d


def calls(name):
    """lztimer lines -> {label: [(dur_ns, status, maxrss_kb, start, end)]}."""
    out = {}
    for l in lines(name):
        f = l.split()
        if len(f) != 7:
            continue
        try:
            out.setdefault(f[0], []).append(
                (int(f[4]), int(f[5]), int(f[6]), int(f[2]), int(f[3])))
        except ValueError:
            pass
    return out


def med(xs):
    return statistics.median(xs) if xs else None


def ms(ns):
    return None if ns is None else ns / 1e6


def us(ns):
    return None if ns is None else ns / 1e3


def rnd(x, n=3):
    return None if x is None else round(x, n)


def boot_ratio(a, b, iters=2000, seed=1):
    """95% bootstrap interval of median(a)/median(b)."""
    if len(a) < 5 or len(b) < 5:
        return None
    r = random.Random(seed)
    vals = []
    for _ in range(iters):
        ma = statistics.median(r.choices(a, k=len(a)))
        mb = statistics.median(r.choices(b, k=len(b)))
        vals.append(ma / mb)
    vals.sort()
    return [vals[int(0.025 * iters)], vals[int(0.975 * iters) - 1]]


def boot_diff(a, b, iters=2000, seed=2):
    if len(a) < 5 or len(b) < 5:
        return None
    r = random.Random(seed)
    vals = []
    for _ in range(iters):
        vals.append(statistics.median(r.choices(a, k=len(a))) -
                    statistics.median(r.choices(b, k=len(b))))
    vals.sort()
    return [vals[int(0.025 * iters)], vals[int(0.975 * iters) - 1]]


meta = kv("meta.txt")
res = {"meta": meta, "targets": {}}
rows = []          # (section, name, value text)
targets = []       # (name, met, detail)


def row(section, name, text):
    rows.append((section, name, text))


def target(key, name, met, detail):
    targets.append((name, met, detail))
    res["targets"][key] = {"met": met, "detail": detail}


# ------------------------------------------------------------------ warm --
res["warm"] = {}
warm_ok = True
for cmd, fname in (("docker ps -q", "warm-ps.txt"), ("docker version", "warm-version.txt")):
    c = calls(fname)
    d = {k: [x[0] for x in v if x[1] == 0] for k, v in c.items()}
    fails = {k: sum(1 for x in v if x[1] != 0) for k, v in c.items()}
    direct = d.get("direct", [])
    entry = {"n": {k: len(v) for k, v in d.items()}, "failed_calls": fails}
    mdir = med(direct)
    for tool in ("shim", "direct", "wrapper"):
        xs = d.get(tool, [])
        m = med(xs)
        e = {"median_ms": rnd(ms(m)), "min_ms": rnd(ms(min(xs)) if xs else None),
             "p90_ms": rnd(ms(sorted(xs)[int(0.9 * (len(xs) - 1))]) if xs else None),
             "samples_ns": xs}
        if tool != "direct" and m is not None and mdir:
            e["ratio_to_direct"] = rnd(m / mdir, 4)
            e["ratio_ci95"] = [rnd(x, 4) for x in boot_ratio(xs, direct) or []]
            # paired, call i of this tool against call i of direct (same round)
            pairs = [a - b for a, b in zip(xs, direct)]
            e["paired_diff_median_ms"] = rnd(ms(med(pairs)))
        entry[tool] = e
    res["warm"][cmd] = entry
    s, w = entry["shim"], entry["wrapper"]
    row("1. warm overhead (daemon up; median per call, ratio to the real CLI)", cmd,
        "direct %s ms | lazydind %s ms = %s x (95%% CI %s) | bash wrapper %s ms = %s x"
        % (entry["direct"]["median_ms"], s["median_ms"], s.get("ratio_to_direct"),
           "-".join(str(x) for x in s.get("ratio_ci95", [])) or "n/a",
           w["median_ms"], w.get("ratio_to_direct")))
    if s.get("ratio_to_direct") is None or s["ratio_to_direct"] > 1.01:
        warm_ok = False
    if any(fails.values()):
        row("1. warm overhead (daemon up; median per call, ratio to the real CLI)",
            cmd + " failures", str(fails))

c = calls("shim-cost.txt")
d = {k: [x[0] for x in v if x[1] == 0] for k, v in c.items()}
rss = {k: [x[2] for x in v] for k, v in c.items()}
sc = {"n": {k: len(v) for k, v in d.items()},
      "failed_calls": {k: sum(1 for x in v if x[1] != 0) for k, v in c.items()},
      "median_us": {k: rnd(us(med(v)), 1) for k, v in d.items()},
      "maxrss_kb_median": {k: med(v) for k, v in rss.items()},
      "maxrss_kb_max": {k: max(v) for k, v in rss.items() if v}}


def mdiff(a, b):
    if d.get(a) and d.get(b):
        return med(d[a]) - med(d[b])
    return None


shim_cost = mdiff("shim_true", "true")
sc["shim_cost_us"] = rnd(us(shim_cost), 1)
# The warm ratio the shim cost implies: (direct + shim cost) / direct. Far
# less noisy than the ratio of two ~100 ms medians on a shared machine.
for cmd, e in res["warm"].items():
    dm = e["direct"]["median_ms"]
    if shim_cost is not None and dm:
        e["shim"]["implied_ratio"] = rnd(1 + ms(shim_cost) / dm, 4)
ci = boot_diff(d.get("shim_true", []), d.get("true", []))
sc["shim_cost_ci95_us"] = [rnd(us(x), 1) for x in ci] if ci else None
sc["breakdown_us"] = {
    "one_extra_exec (exec_true - true)": rnd(us(mdiff("exec_true", "true")), 1),
    "shim exec + its work, no /_ping (shim_nop_noping - nop)": rnd(us(mdiff("shim_nop_noping", "nop")), 1),
    "shim work beyond one bare exec (that - one_extra_exec)":
        rnd(us(mdiff("shim_nop_noping", "nop") - mdiff("exec_true", "true")), 1)
        if mdiff("shim_nop_noping", "nop") is not None and mdiff("exec_true", "true") is not None else None,
    "daemon check in situ (shim_nop - shim_nop_noping)": rnd(us(mdiff("shim_nop", "shim_nop_noping")), 1),
    "fork+exec+wait of a static no-op (nop)": rnd(us(med(d.get("nop", []))), 1),
    "fork+exec+wait of /bin/true (true)": rnd(us(med(d.get("true", []))), 1),
}
# The headline: what the shim costs beyond the one exec any exec-based shim
# pays, i.e. shim -> /bin/true against execfloor -> /bin/true, interleaved.
over = mdiff("shim_true", "exec_true")
sc["over_exec_floor_us"] = rnd(us(over), 1)
ci = boot_diff(d.get("shim_true", []), d.get("exec_true", []))
sc["over_exec_floor_ci95_us"] = [rnd(us(x), 1) for x in ci] if ci else None
res["shim_cost"] = sc

# shimwork: lazydind's own steps in a fresh process (ns) and page faults.
work_rows = [l.split() for l in lines("shim-work.txt")]
steps = [r for r in work_rows if r and r[0] == "steps" and len(r) == 7]
flts = [r for r in work_rows if r and r[0] == "faults" and len(r) == 6]
STEP_NAMES = ["settings", "find_cli", "needs_daemon", "bring_up", "total"]
if steps:
    sw = {"n": len(steps), "bring_up_results": sorted(set(r[6] for r in steps)),
          "median_us": {}, "faults_median": {}}
    for i, name in enumerate(STEP_NAMES):
        sw["median_us"][name] = rnd(us(med([int(r[i + 1]) for r in steps])), 1)
    for i, name in enumerate(["start"] + STEP_NAMES[:4]):
        sw["faults_median"][name] = med([int(r[i + 1]) for r in flts]) if flts else None
    sc["own_work"] = sw
sec = "1b. shim's own cost (LAZYDIND_DOCKER=/bin/true, argv[0] docker, docker ps -q)"
one_exec = mdiff("exec_true", "true")
for cmd, e in res["warm"].items():
    dm = e["direct"]["median_ms"]
    if one_exec is not None and dm:
        e["exec_floor_ratio"] = rnd(1 + ms(one_exec) / dm, 4)
    row("1. warm overhead (daemon up; median per call, ratio to the real CLI)",
        cmd + ": implied by the shim cost",
        "(direct + shim cost) / direct = %s x; floor for any exec-based shim "
        "(direct + one bare exec) / direct = %s x"
        % (e["shim"].get("implied_ratio"), e.get("exec_floor_ratio")))
row(sec, "shim -> /bin/true vs /bin/true",
    "%s us vs %s us: shim cost %s us (95%% CI %s)"
    % (sc["median_us"].get("shim_true"), sc["median_us"].get("true"), sc["shim_cost_us"],
       "-".join(str(x) for x in sc["shim_cost_ci95_us"] or []) or "n/a"))
for k, v in sc["breakdown_us"].items():
    row(sec, k, "%s us" % v)
row(sec, "shim cost minus exec floor (shim_true - exec_true)",
    "%s us (95%% CI %s)" % (sc["over_exec_floor_us"],
                           "-".join(str(x) for x in sc["over_exec_floor_ci95_us"] or []) or "n/a"))
if "own_work" in sc:
    sw = sc["own_work"]
    row(sec, "lazydind's own steps (shimwork, fresh process, median)",
        "; ".join("%s %s us" % (k, v) for k, v in sw["median_us"].items())
        + " (n=%d, bring-up %s)" % (sw["n"], "/".join(sw["bring_up_results"])))
    row(sec, "  page faults per step (median)",
        "; ".join("%s %s" % (k, v) for k, v in sw["faults_median"].items()))

# ------------------------------------------------------------- footprint --
fp = kv("footprint.txt")
sup_rss = int(fp["supervisor_VmRSS"]) if fp.get("supervisor_VmRSS", "").isdigit() else None
res["footprint"] = {
    "binary_bytes": int(meta.get("binary_bytes", 0) or 0),
    "supervisor_vmrss_kb": sup_rss,
    "supervisor": fp,
    "shim_call_maxrss_kb_with_bin_true": sc["maxrss_kb_median"].get("shim_true"),
    "bin_true_alone_maxrss_kb": sc["maxrss_kb_median"].get("true"),
    "shim_call_maxrss_kb_with_static_nop": sc["maxrss_kb_median"].get("shim_nop"),
    "static_nop_alone_maxrss_kb": sc["maxrss_kb_median"].get("nop"),
}
F = res["footprint"]

# ------------------------------------------------------------------ cold --
cold = {"lazydind": [], "wrapper": [], "limit_ready": [], "limit_e2e": [],
        "lazydind_ready_msg_ms": [], "failures": []}
# per pod: call start/end and when dockerd was exec'd, for the breakdown
starts, spawns = {}, {}
for l in lines("cold.txt"):
    f = l.split()
    try:
        if len(f) == 9 and f[2] == f[0]:
            starts[(f[0], f[1])] = (int(f[4]), int(f[5]))
        elif len(f) == 5 and f[2] == "spawn":
            spawns[(f[0], f[1])] = int(f[4])
    except ValueError:
        pass
for tool in ("lazydind", "wrapper"):
    pre, post = [], []
    for key, (t0, t1) in starts.items():
        if key[0] == tool and key in spawns:
            pre.append(spawns[key] - t0)
            post.append(t1 - spawns[key])
    cold[tool + "_before_spawn"] = pre
    cold[tool + "_spawn_to_return"] = post
for l in lines("cold.txt"):
    f = l.split()
    if len(f) < 3:
        continue
    tool, rnd_i, rest = f[0], f[1], f[2:]
    try:
        if tool in ("lazydind", "wrapper") and rest[0] == tool and len(rest) == 7:
            if int(rest[5]) == 0:
                cold[tool].append(int(rest[4]))
            else:
                cold["failures"].append(l)
        elif tool == "lazydind" and rest[0] == "msg":
            if len(rest) >= 4:
                cold["lazydind_ready_msg_ms"].append(int(rest[3]))
        elif tool == "limit":
            if rest[0] == "ok" and len(rest) >= 8:
                cold["limit_ready"].append(int(rest[3]))
                cold["limit_e2e"].append(int(rest[6]))
            else:
                cold["failures"].append(l)
    except (ValueError, IndexError):
        cold["failures"].append(l)
cm = {k: med(v) for k, v in cold.items() if k not in ("failures", "lazydind_ready_msg_ms")}
res["cold"] = {
    "samples_ns": {k: v for k, v in cold.items() if k not in ("failures", "lazydind_ready_msg_ms")},
    "median_ms": {k: rnd(ms(v)) for k, v in cm.items()},
    "lazydind_ready_msg_ms": cold["lazydind_ready_msg_ms"],
    "failures": cold["failures"],
}
C = res["cold"]
for tool in ("lazydind", "wrapper"):
    if cm.get(tool) and cm.get("limit_ready"):
        C["%s_ratio_to_limit" % tool] = rnd(cm[tool] / cm["limit_ready"], 3)
    if cm.get(tool) and cm.get("limit_e2e"):
        C["%s_ratio_to_limit_plus_cli" % tool] = rnd(cm[tool] / cm["limit_e2e"], 3)
sec = "2. cold start (fresh pod per sample; first docker version, median)"
row(sec, "limit: dockerd by hand -> first /_ping OK",
    "%s ms  (n=%d, samples %s)" % (C["median_ms"].get("limit_ready"), len(cold["limit_ready"]),
                                   [rnd(ms(x), 0) for x in cold["limit_ready"]]))
row(sec, "limit + real `docker version` after OK",
    "%s ms" % C["median_ms"].get("limit_e2e"))
row(sec, "lazydind",
    "%s ms = %s x limit (%s x limit+CLI)  (n=%d, samples %s; its own 'ready in' %s ms)"
    % (C["median_ms"].get("lazydind"), C.get("lazydind_ratio_to_limit"),
       C.get("lazydind_ratio_to_limit_plus_cli"), len(cold["lazydind"]),
       [rnd(ms(x), 0) for x in cold["lazydind"]], cold["lazydind_ready_msg_ms"]))
row(sec, "  lazydind: call -> dockerd exec'd | exec'd -> return",
    "%s ms | %s ms (the limit's spawn -> CLI return: %s ms)"
    % (rnd(ms(med(cold["lazydind_before_spawn"]))), rnd(ms(med(cold["lazydind_spawn_to_return"]))),
       C["median_ms"].get("limit_e2e")))
row(sec, "bash wrapper",
    "%s ms = %s x limit  (n=%d, samples %s)"
    % (C["median_ms"].get("wrapper"), C.get("wrapper_ratio_to_limit"), len(cold["wrapper"]),
       [rnd(ms(x), 0) for x in cold["wrapper"]]))
row(sec, "  wrapper: call -> dockerd exec'd | exec'd -> return",
    "%s ms | %s ms" % (rnd(ms(med(cold["wrapper_before_spawn"]))),
                       rnd(ms(med(cold["wrapper_spawn_to_return"])))))
if cold["failures"]:
    row(sec, "failed samples", "; ".join(cold["failures"]))

# ------------------------------------------------------------ activation --
# act.txt, per fresh pod ("activate ROUND" then): the two timed `lazydind
# activate` calls (lztimer lines), "idle dockerd=N socket=0|1" after a 1 s
# pause, "client RESULT T0 CONNECT FIRST FULL HTTP ERRNO" (connping),
# "spawn PID APPEARED_NS" (procwatch), "after dockerd=N", "msg ...".
phases = meta.get("phases")
act_ran = ("act" in phases.split()) if phases is not None else bool(lines("act.txt"))
if act_ran:
    pods = {}
    for l in lines("act.txt"):
        f = l.split()
        if len(f) < 3 or f[0] != "activate":
            continue
        p = pods.setdefault(f[1], {"raw": []})
        p["raw"].append(l)
        rest = f[2:]
        try:
            if rest[0] in ("activate", "activate_again") and len(rest) == 7:
                p[rest[0]] = (int(rest[4]), int(rest[5]))
            elif rest[0] in ("idle", "after"):
                p[rest[0]] = dict(x.split("=", 1) for x in rest[1:] if "=" in x)
            elif rest[0] == "client" and len(rest) == 8:
                p["client"] = {"result": rest[1], "t0": int(rest[2]), "connect": int(rest[3]),
                               "first": int(rest[4]), "full": int(rest[5]),
                               "http": int(rest[6]), "errno": rest[7]}
            elif rest[0] == "spawn" and len(rest) == 3:
                p["spawn"] = int(rest[2])
            elif rest[0] == "msg":
                p["msg"] = " ".join(rest[1:])
        except ValueError:
            pass
    A = {"pods": len(pods), "activate_ns": [], "activate_again_ns": [], "activate_failed": [],
         "idle_dockerd": [], "idle_socket": [], "results": {}, "refused": 0,
         "connect_ns": [], "first_byte_ns": [], "full_ns": [], "before_spawn_ns": [],
         "spawn_to_answer_ns": [], "dockerd_after": [], "messages": [], "incomplete_pods": [],
         "round_ratios": []}
    # the limit sample of the same round, for per-round (paired) ratios
    limit_by_round = {}
    for l in lines("cold.txt"):
        f = l.split()
        if len(f) >= 6 and f[0] == "limit" and f[2] == "ok":
            try:
                limit_by_round[f[1]] = int(f[5])
            except ValueError:
                pass
    for k in sorted(pods, key=lambda x: int(x) if x.isdigit() else 0):
        p = pods[k]
        for key in ("activate", "activate_again"):
            if key in p:
                dur, st = p[key]
                if st == 0:
                    A[key + "_ns"].append(dur)
                else:
                    A["activate_failed"].append("round %s %s: exit %d" % (k, key, st))
        if "idle" in p:
            A["idle_dockerd"].append(int(p["idle"].get("dockerd", -1)))
            A["idle_socket"].append(p["idle"].get("socket") == "1")
        if "after" in p:
            A["dockerd_after"].append(int(p["after"].get("dockerd", -1)))
        if p.get("msg"):
            A["messages"].append(p["msg"])
        c = p.get("client")
        if not c:
            A["incomplete_pods"].append(p["raw"])
            continue
        A["results"][c["result"]] = A["results"].get(c["result"], 0) + 1
        if c["result"] == "refused" or c["errno"] == "ECONNREFUSED":
            A["refused"] += 1
        if c["connect"] >= 0 and c["result"] not in ("refused", "connect_error"):
            A["connect_ns"].append(c["connect"])
        if c["result"] == "ok":
            A["first_byte_ns"].append(c["first"])
            A["full_ns"].append(c["full"])
            if limit_by_round.get(k):
                A["round_ratios"].append(c["full"] / limit_by_round[k])
            if "spawn" in p:
                A["before_spawn_ns"].append(p["spawn"] - c["t0"])
                A["spawn_to_answer_ns"].append(c["t0"] + c["full"] - p["spawn"])
    lim = cold["limit_ready"]
    mlim = med(lim)
    mfull, mfirst = med(A["full_ns"]), med(A["first_byte_ns"])
    act = {
        "what": "fresh pod per sample: `lazydind activate` (timed), 1 s idle, then one client "
                "connects once to /var/run/docker.sock and sends GET /_ping, no retries; "
                "activation latency = connect -> full answer; limit = dockerd spawned by hand "
                "-> first /_ping OK (1 ms polling), the same rounds' samples",
        "limit_samples_from": "cold" if "cold" in (phases or "cold").split() else "act",
        "median_ms": {
            "activate": rnd(ms(med(A["activate_ns"]))),
            "activate_again": rnd(ms(med(A["activate_again_ns"]))),
            "connect": rnd(ms(med(A["connect_ns"])), 4),
            "first_byte": rnd(ms(mfirst)),
            "full_answer": rnd(ms(mfull)),
            "limit_ready": rnd(ms(mlim)),
            "connect_to_dockerd_exec": rnd(ms(med(A["before_spawn_ns"]))),
            "dockerd_exec_to_answer": rnd(ms(med(A["spawn_to_answer_ns"]))),
        },
        "ratio_to_limit": rnd(mfull / mlim, 3) if mfull and mlim else None,
        "ratio_to_limit_ci95": [rnd(x, 3) for x in boot_ratio(A["full_ns"], lim) or []],
        "first_byte_ratio_to_limit": rnd(mfirst / mlim, 3) if mfirst and mlim else None,
        "per_round_ratios": [rnd(x, 3) for x in A["round_ratios"]],
        "per_round_ratio_median": rnd(med(A["round_ratios"]), 3),
        "clients": sum(A["results"].values()),
        "results": A["results"],
        "refused": A["refused"],
        "idle_dockerd_counts": A["idle_dockerd"],
        "idle_socket_present": A["idle_socket"],
        "dockerd_after_counts": A["dockerd_after"],
        "activate_failed": A["activate_failed"],
        "messages": A["messages"],
        "incomplete_pods": A["incomplete_pods"],
        "samples_ns": {k: A[k] for k in ("activate_ns", "activate_again_ns", "connect_ns",
                                         "first_byte_ns", "full_ns", "before_spawn_ns",
                                         "spawn_to_answer_ns")},
        "limit_samples_ns": lim,
    }
    res["activation"] = act
    AM = act["median_ms"]
    sec = ("2b. socket activation (fresh pod per sample; `lazydind activate`, then ONE client "
           "connect + GET /_ping, no retries; median)")
    row(sec, "lazydind activate (starts the listener)",
        "%s ms  (n=%d, samples %s); again, already active: %s ms%s"
        % (AM["activate"], len(A["activate_ns"]), [rnd(ms(x), 1) for x in A["activate_ns"]],
           AM["activate_again"],
           "; FAILED: " + ", ".join(A["activate_failed"]) if A["activate_failed"] else ""))
    row(sec, "after activate, 1 s later, no connection yet",
        "dockerd running in %d of %d pods; socket present in %d of %d"
        % (sum(1 for x in A["idle_dockerd"] if x != 0), len(A["idle_dockerd"]),
           sum(A["idle_socket"]), len(A["idle_socket"])))
    row(sec, "client connect() (one per pod, no retries)",
        "clients %d: %d refused (ECONNREFUSED), results %s; connect() returned in %s us"
        % (act["clients"], A["refused"], A["results"], rnd(us(med(A["connect_ns"])), 1)))
    row(sec, "limit: dockerd by hand -> first /_ping OK",
        "%s ms  (n=%d, same rounds' samples)" % (AM["limit_ready"], len(lim)))
    row(sec, "connect -> first byte of the answer",
        "%s ms = %s x limit" % (AM["first_byte"], act["first_byte_ratio_to_limit"]))
    row(sec, "connect -> full answer (activation latency)",
        "%s ms = %s x limit (95%% CI %s)  (n=%d, samples %s)"
        % (AM["full_answer"], act["ratio_to_limit"],
           "-".join(str(x) for x in act["ratio_to_limit_ci95"]) or "n/a", len(A["full_ns"]),
           [rnd(ms(x), 0) for x in A["full_ns"]]))
    row(sec, "  same, per round against that round's limit sample",
        "median %s x  (ratios %s)" % (act["per_round_ratio_median"], act["per_round_ratios"]))
    row(sec, "  connect -> dockerd exec'd | exec'd -> answer",
        "%s ms | %s ms (the limit's spawn -> OK: %s ms)"
        % (AM["connect_to_dockerd_exec"], AM["dockerd_exec_to_answer"], AM["limit_ready"]))
    row(sec, "dockerd after the answer",
        "%s per pod" % A["dockerd_after"])
    if A["messages"]:
        distinct = sorted(set(A["messages"]), key=A["messages"].index)
        row(sec, "lazydind activate printed (%d distinct)" % len(distinct),
            distinct[0][:160])
    if A["incomplete_pods"] or A["activate_failed"]:
        row(sec, "incomplete samples", "; ".join(" | ".join(x) for x in A["incomplete_pods"]))

# ----------------------------------------------------------- concurrency --
res["concurrency"] = {}
sec = "3. %s parallel first calls (docker version, each under timeout 60)" % meta.get("conc_n", "64")
for tool in ("lazydind", "wrapper"):
    c = calls("conc-%s.txt" % tool).get(tool, [])
    post = kv("conc-%s.post" % tool)
    durs = [x[0] for x in c]
    ok = [x for x in c if x[1] == 0]
    hang = [x for x in c if x[1] == 124 or x[1] == 137]
    fail = [x for x in c if x[1] not in (0, 124, 137)]
    e = {"calls": len(c), "ok": len(ok), "failed": len(fail), "hung": len(hang),
         "dockerd_after": int(post["dockerd_count"]) if post.get("dockerd_count", "").isdigit() else None,
         "supervisors_after": post.get("supervisor_count"),
         "starting_msgs": post.get("starting_msgs"),
         "median_ms": rnd(ms(med(durs))), "max_ms": rnd(ms(max(durs)) if durs else None),
         "median_ok_ms": rnd(ms(med([x[0] for x in ok]))),
         "exit_statuses": sorted(set(x[1] for x in c)),
         "stderr_top": lines("conc-%s.err" % tool),
         "samples_ns": durs}
    res["concurrency"][tool] = e
    if tool == "lazydind":
        ref = [x[0] for x in calls("conc-warm-direct.txt").get("direct", [])]
        res["concurrency"]["warm_direct_reference"] = {
            "calls": len(ref), "median_ms": rnd(ms(med(ref))),
            "max_ms": rnd(ms(max(ref)) if ref else None), "samples_ns": ref}
        row(sec, "reference: same calls to the real CLI, daemon already up",
            "latency median %s ms, max %s ms (n=%d)"
            % (rnd(ms(med(ref))), rnd(ms(max(ref)) if ref else None), len(ref)))
    row(sec, tool,
        "%d ok, %d failed, %d hung of %d; dockerd after: %s; latency median %s ms, max %s ms"
        % (e["ok"], e["failed"], e["hung"], e["calls"], e["dockerd_after"],
           e["median_ms"], e["max_ms"]))

# -------------------------------------------------------- start failure --
res["start_failure"] = {}
sec = "4. start failure (daemon.json {\"no-such-option\": true}; caller bounded at 40 s)"
for tool in ("lazydind", "wrapper"):
    e = {"told_after_ms": None, "after_dockerd_exit_ms": None, "dockerd_lived_ms": None,
         "exit_status": None, "message": None}
    call = None
    watch = None
    for l in lines("fail-%s.txt" % tool):
        f = l.split()
        if len(f) == 7 and f[0] == tool:
            call = [int(x) for x in f[2:]]
        elif f and f[0] == "watch":
            watch = f[1:]
        elif f and f[0] == "msg":
            e["message"] = l[4:]
    if call:
        start, end, dur, status, _ = call
        e["told_after_ms"] = rnd(ms(dur))
        e["exit_status"] = status
        if watch and len(watch) == 3:
            pid, appeared, exited = (int(x) for x in watch)
            e["after_dockerd_exit_ms"] = rnd(ms(end - exited))
            e["dockerd_lived_ms"] = rnd(ms(exited - appeared))
            e["dockerd_exit_after_call_start_ms"] = rnd(ms(exited - start))
        else:
            e["watch"] = watch
    res["start_failure"][tool] = e
    row(sec, tool,
        "told after %s ms (exit %s), %s ms after dockerd exited (dockerd lived %s ms); says: %s"
        % (e["told_after_ms"], e["exit_status"], e["after_dockerd_exit_ms"],
           e["dockerd_lived_ms"], (e["message"] or "")[:160]))

# ------------------------------------------------------------- footprint --
sec = "5. footprint"
row(sec, "binary size", "%s bytes (%.2f MiB)" % (F["binary_bytes"], F["binary_bytes"] / 1048576))
row(sec, "supervisor VmRSS", "%s kB (VmHWM %s kB, RssAnon %s kB, RssFile %s kB)"
    % (sup_rss, fp.get("supervisor_VmHWM"), fp.get("supervisor_RssAnon"), fp.get("supervisor_RssFile")))
row(sec, "peak RSS of one warm shim call",
    "%s kB with LAZYDIND_DOCKER=/bin/true (/bin/true alone %s kB); %s kB in front of a static no-op (no-op alone %s kB)"
    % (F["shim_call_maxrss_kb_with_bin_true"], F["bin_true_alone_maxrss_kb"],
       F["shim_call_maxrss_kb_with_static_nop"], F["static_nop_alone_maxrss_kb"]))

# --------------------------------------------------------------- targets --
W = res["warm"]
target("warm_ratio", "warm <= 1.01x direct (measured medians)",
       warm_ok,
       "; ".join("%s %s x" % (k, W[k]["shim"].get("ratio_to_direct")) for k in W))
target("warm_ratio_implied", "warm <= 1.01x direct (direct + shim cost)",
       all(W[k]["shim"].get("implied_ratio") is not None and W[k]["shim"]["implied_ratio"] <= 1.01
           for k in W),
       "; ".join("%s %s x" % (k, W[k]["shim"].get("implied_ratio")) for k in W))
target("shim_cost", "shim cost < 500 us",
       shim_cost is not None and shim_cost < 500e3, "%s us" % sc["shim_cost_us"])
target("shim_over_floor", "shim cost <= exec floor + 100 us",
       over is not None and over <= 100e3,
       "%s us over the exec floor (95%% CI %s)"
       % (sc["over_exec_floor_us"],
          "-".join(str(x) for x in sc["over_exec_floor_ci95_us"] or []) or "n/a"))
r = C.get("lazydind_ratio_to_limit")
target("cold", "cold <= 1.05x limit (spawn -> first OK)", r is not None and r <= 1.05,
       "%s x (the CLI's own docker version alone puts the limit + CLI at %s x)"
       % (r, rnd(cm["limit_e2e"] / cm["limit_ready"], 3) if cm.get("limit_e2e") and cm.get("limit_ready") else None))
r2 = C.get("lazydind_ratio_to_limit_plus_cli")
target("cold_plus_cli", "cold <= 1.05x (limit + the CLI's docker version)",
       r2 is not None and r2 <= 1.05, "%s x" % r2)
if "activation" in res:
    AC = res["activation"]
    r3 = AC["ratio_to_limit"]
    target("activation", "activation <= 1.05x limit (connect -> answer)",
           r3 is not None and r3 <= 1.05,
           "%s x (%s ms vs %s ms)" % (r3, AC["median_ms"]["full_answer"],
                                      AC["median_ms"]["limit_ready"]))
    target("activation_no_refused", "no connection refused, every client answered",
           AC["clients"] > 0 and AC["refused"] == 0 and not AC["incomplete_pods"]
           and AC["results"].get("ok") == AC["clients"],
           "%s of %s connects refused; %s answered 200 OK"
           % (AC["refused"], AC["clients"], AC["results"].get("ok", 0)))
L = res["concurrency"].get("lazydind", {})
target("concurrency", "64/64 concurrent callers succeed, one daemon",
       L.get("ok") == int(meta.get("conc_n", 64)) and L.get("calls") == int(meta.get("conc_n", 64))
       and L.get("dockerd_after") == 1,
       "%s/%s ok, %s dockerd" % (L.get("ok"), L.get("calls"), L.get("dockerd_after")))
S = res["start_failure"].get("lazydind", {})
a = S.get("after_dockerd_exit_ms")
target("start_failure", "start failure reported < 1 s after dockerd exits",
       a is not None and a < 1000 and S.get("exit_status") not in (0, 124, None),
       "%s ms after exit" % a)
target("supervisor_rss", "supervisor RSS <= 1 MiB", sup_rss is not None and sup_rss <= 1024,
       "%s kB" % sup_rss)

# ----------------------------------------------------------------- print --
print("lazydind benchmark  %s  (%s; nproc %s, kernel %s, dockerd %s; lazydind %s, git %s)"
      % (meta.get("date"), meta.get("cpu", "?"), meta.get("nproc"), meta.get("kernel"),
         meta.get("pod_dockerd", "?").replace("Docker version ", ""),
         meta.get("lazydind_version", "?"), meta.get("git")))
print("load average %s at start, %s at end; %s other containers running at start; %s s"
      % (meta.get("loadavg_start"), meta.get("loadavg_end"), meta.get("other_pods_start"),
         meta.get("bench_seconds")))
if sc.get("over_exec_floor_us") is not None:
    print("\nshim cost minus exec floor: %s us (95%% CI %s) per warm call; shim cost %s us, "
          "exec floor %s us" % (sc["over_exec_floor_us"],
                                "-".join(str(x) for x in sc["over_exec_floor_ci95_us"] or []) or "n/a",
                                sc["shim_cost_us"],
                                sc["breakdown_us"]["one_extra_exec (exec_true - true)"]))
last = None
for s, n, t in rows:
    if s != last:
        print("\n" + s)
        last = s
    print("  %-56s %s" % (n, t))
print("\ntargets")
for n, met, detail in targets:
    print("  %-56s %-7s %s" % (n, "met" if met else "MISSED", detail))

with open(OUT + ".tmp", "w") as f:
    json.dump(res, f, indent=1)
    f.write("\n")
os.replace(OUT + ".tmp", OUT)
