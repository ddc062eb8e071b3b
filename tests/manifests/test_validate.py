#!/usr/bin/env python3
"""Unit-style check of validate.py: deploy/ must pass, and the broken copies
in tests/manifests/broken/ must fail, each mistake with its own message.

    test_validate.py --crds DIR

Prints "ok - ..." / "not ok - ..." lines and "manifests: N checks passed,
N failed"; exits 1 if any check failed.
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))

# (what is wrong, text the validator must print for it)
EXPECTED = [
    ("Task with `prompt` instead of `description`",
     "task-verify.yaml: Task verify-docker: spec: Additional properties are not allowed ('prompt' was unexpected)"),
    ("Task whose agentRef names no Agent",
     "task-verify.yaml: Task verify-docker: spec.agentRef.name: no Agent 'dind-sysbox' in namespace 'agents-sysbox'"),
    ("hostUsers, which AgentPodSpec lacks",
     "spec.podSpec: Additional properties are not allowed ('hostUsers' was unexpected)"),
    ("capabilities.add not a list",
     "spec.podSpec.securityContext.capabilities.add: 'SYS_ADMIN' is not of type 'array'"),
    ("env value not a string",
     "spec.podSpec.extraEnv[0].value: 42 is not of type 'string'"),
    ("a mount of a volume that does not exist",
     "spec.podSpec.extraVolumeMounts[1].name: 'dev-fuse' is not a volume of spec.podSpec.extraVolumes"),
    ("a rootless pod in a baseline namespace",
     "its pod needs Pod Security level privileged (capabilities SYS_ADMIN added; securityContext seccomp Unconfined; hostPath volumes) but namespace agents-sysbox"),
    ("a Pod Security label with a wrong level",
     "namespace.yaml: Namespace agents-sysbox: metadata.labels[pod-security.kubernetes.io/warn]: 'strict' is not one of"),
]


def run(crds, path):
    p = subprocess.run([sys.executable, os.path.join(HERE, "validate.py"), "--crds", crds, path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return p.returncode, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--crds", required=True)
    crds = ap.parse_args().crds
    passed = failed = 0

    def check(ok, what, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok - " + what)
        else:
            failed += 1
            print("not ok - " + what)
            if detail:
                print("".join("#   " + l + "\n" for l in detail.rstrip("\n").split("\n")), end="")

    rc, out = run(crds, os.path.join(REPO, "deploy"))
    check(rc == 0, "deploy/ validates", out)
    rc, out = run(crds, os.path.join(HERE, "broken"))
    check(rc == 1, "tests/manifests/broken/ fails validation (exit 1, got %d)" % rc, out)
    for what, text in EXPECTED:
        check(text in out, "broken: %s is reported" % what,
              "expected: %s\nvalidator said:\n%s" % (text, out))
    print("manifests: %d checks passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
