#!/usr/bin/env python3
"""Check the Kubernetes manifests in deploy/ (or any files and directories).

    validate.py --crds DIR [--src DIR] PATH...

Every KubeOpenCode Agent and Task is validated against the openAPIV3Schema of
its CRD in DIR (kubeopencode.io_*.yaml), made strict the way the API server
with field validation is: an object schema that lists `properties` accepts no
other field unless it says x-kubernetes-preserve-unknown-fields. The CRDs
embed the Kubernetes core schemas of the pod fields they carry
(securityContext, volumes, env, lifecycle, resources), so those are checked
too. Then what a schema cannot say:

  - metadata: a name (DNS-1123), a namespace, valid label keys and values;
  - extraVolumeMounts name volumes of extraVolumes;
  - a Task's agentRef names an Agent among the checked files, in its namespace;
  - every namespace used is a Namespace among the checked files, whose
    pod-security.kubernetes.io labels are valid, and whose `enforce` level
    admits the Agent's pod (the Pod Security Standards' controls for the
    fields an Agent can set; KubeOpenCode's restricted default
    securityContext when none is given);
  - LAZYDIND_* variables in extraEnv that lazydind's sources (--src, default
    src/ beside tests/) never mention are reported as warnings.

Prints one line per problem ("FILE: KIND NAME: PATH: message") and exits 1
if there is any; otherwise prints a summary and exits 0. Needs python3-yaml
and python3-jsonschema.
"""

import argparse
import copy
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("validate.py: python3-yaml is missing (apt-get install python3-yaml)")
try:
    import jsonschema
except ImportError:  # pragma: no cover
    sys.exit("validate.py: python3-jsonschema is missing (apt-get install python3-jsonschema)")

DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
LABEL_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")

PSA_LEVELS = ["privileged", "baseline", "restricted"]  # most to least permissive
PSA_MODES = ["enforce", "audit", "warn"]
PSA_VERSION = re.compile(r"^(latest|v1\.[0-9]+)$")
# Pod Security Standards, baseline: capabilities that may be added
# (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
BASELINE_CAPS = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
                 "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID",
                 "SYS_CHROOT"}
# restricted: the volume types it allows
RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                      "persistentVolumeClaim", "projected", "secret"}
# What KubeOpenCode applies when podSpec.securityContext is not set.
KUBEOPENCODE_DEFAULT_SC = {"allowPrivilegeEscalation": False,
                           "capabilities": {"drop": ["ALL"]},
                           "seccompProfile": {"type": "RuntimeDefault"}}


def strict_schema(node):
    """A copy of an OpenAPI v3 (structural) schema as JSON Schema that, like
    the API server, refuses fields the schema does not list."""
    if isinstance(node, list):
        return [strict_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k in ("properties", "patternProperties"):
            out[k] = {name: strict_schema(sub) for name, sub in v.items()}
        elif k in ("items", "additionalProperties", "not") or k in ("allOf", "anyOf", "oneOf"):
            out[k] = strict_schema(v)
        elif k.startswith("x-kubernetes-") or k in ("nullable", "format", "description"):
            continue
        else:
            out[k] = copy.deepcopy(v)
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if ("properties" in out and "additionalProperties" not in out
            and not node.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


def load_crds(crd_dir):
    """{(apiVersion, kind): (json schema, crd file)} for every served version."""
    schemas = {}
    if not crd_dir or not os.path.isdir(crd_dir):
        sys.exit("validate.py: no CRD directory %r (expected ../shared/kubeopencode/crds "
                 "beside the repository; pass --crds DIR)" % crd_dir)
    for fn in sorted(os.listdir(crd_dir)):
        if not fn.endswith((".yaml", ".yml")):
            continue
        path = os.path.join(crd_dir, fn)
        with open(path) as f:
            for doc in yaml.safe_load_all(f):
                if not doc or doc.get("kind") != "CustomResourceDefinition":
                    continue
                group = doc["spec"]["group"]
                kind = doc["spec"]["names"]["kind"]
                for ver in doc["spec"]["versions"]:
                    if not ver.get("served", True):
                        continue
                    schema = strict_schema(ver["schema"]["openAPIV3Schema"])
                    schemas[("%s/%s" % (group, ver["name"]), kind)] = (schema, path)
    if not schemas:
        sys.exit("validate.py: no CustomResourceDefinition found in %s" % crd_dir)
    return schemas


def yaml_files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in sorted(os.walk(p)):
                for fn in sorted(files):
                    if fn.endswith((".yaml", ".yml")):
                        yield os.path.join(root, fn)
        else:
            yield p


def fmt_path(parts):
    s = ""
    for p in parts:
        s += "[%d]" % p if isinstance(p, int) else ("." if s else "") + str(p)
    return s or "(document)"


class Checker:
    def __init__(self, schemas, src_dir):
        self.schemas = schemas
        self.errors = []
        self.warnings = []
        self.docs = []           # (file, doc)
        self.src_text = None
        if src_dir and os.path.isdir(src_dir):
            text = []
            # src/ is one folder per layer (README.md, Layout)
            for top, dirs, files in sorted(os.walk(src_dir)):
                dirs.sort()
                for fn in sorted(files):
                    if fn.endswith((".c", ".h")):
                        with open(os.path.join(top, fn), errors="replace") as f:
                            text.append(f.read())
            self.src_text = "\n".join(text)

    def err(self, fn, doc, path, msg):
        who = "%s %s" % (doc.get("kind", "?"), (doc.get("metadata") or {}).get("name", "?")) \
            if isinstance(doc, dict) else "document"
        self.errors.append("%s: %s: %s: %s" % (fn, who, path, msg))

    def load(self, fn):
        try:
            with open(fn) as f:
                docs = list(yaml.safe_load_all(f))
        except yaml.YAMLError as e:
            self.errors.append("%s: not valid YAML: %s" % (fn, e))
            return
        except OSError as e:
            self.errors.append("%s: %s" % (fn, e))
            return
        for doc in docs:
            if doc is None:
                continue
            if not isinstance(doc, dict):
                self.errors.append("%s: a document is not a mapping" % fn)
                continue
            self.docs.append((fn, doc))

    # ---------------------------------------------------------------- checks
    def check_metadata(self, fn, doc, namespaced):
        md = doc.get("metadata")
        if not isinstance(md, dict):
            self.err(fn, doc, "metadata", "missing")
            return
        name = md.get("name")
        if not isinstance(name, str) or not DNS1123_SUBDOMAIN.match(name) or len(name) > 253:
            self.err(fn, doc, "metadata.name", "%r is not a DNS-1123 subdomain" % (name,))
        ns = md.get("namespace")
        if namespaced:
            if ns is None:
                self.err(fn, doc, "metadata.namespace",
                         "missing: say which namespace (its Pod Security level matters)")
            elif not isinstance(ns, str) or not DNS1123_LABEL.match(ns) or len(ns) > 63:
                self.err(fn, doc, "metadata.namespace", "%r is not a DNS-1123 label" % (ns,))
        for field in ("labels", "annotations"):
            m = md.get(field)
            if m is None:
                continue
            if not isinstance(m, dict):
                self.err(fn, doc, "metadata." + field, "not a mapping")
                continue
            for k, v in m.items():
                if not isinstance(v, str):
                    self.err(fn, doc, "metadata.%s[%s]" % (field, k),
                             "value %r is not a string (quote it)" % (v,))
                if field == "labels":
                    self.check_label(fn, doc, "metadata.labels", k, v)

    def check_label(self, fn, doc, where, k, v):
        prefix, _, name = str(k).rpartition("/")
        if (prefix and (not DNS1123_SUBDOMAIN.match(prefix) or len(prefix) > 253)) \
                or not LABEL_NAME.match(name) or len(name) > 63:
            self.err(fn, doc, "%s[%s]" % (where, k), "not a valid label key")
        if isinstance(v, str) and (not LABEL_VALUE.match(v) or len(v) > 63):
            self.err(fn, doc, "%s[%s]" % (where, k), "%r is not a valid label value" % v)

    def check_schema(self, fn, doc):
        key = (doc.get("apiVersion"), doc.get("kind"))
        schema, crd = self.schemas[key]
        validator = jsonschema.Draft7Validator(schema)
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
            path = list(e.absolute_path)
            if path[:1] == ["metadata"]:
                continue  # metadata is checked by check_metadata
            msg = e.message
            if e.validator == "additionalProperties":
                msg += " (not a field of %s in %s)" % (fmt_path(path) if path else key[1],
                                                      os.path.basename(crd))
            self.err(fn, doc, fmt_path(path), msg)

    def check_agent(self, fn, doc):
        spec = doc.get("spec") or {}
        ps = spec.get("podSpec") or {}
        vols = {v.get("name") for v in ps.get("extraVolumes") or [] if isinstance(v, dict)}
        for i, m in enumerate(ps.get("extraVolumeMounts") or []):
            if isinstance(m, dict) and m.get("name") not in vols:
                self.err(fn, doc, "spec.podSpec.extraVolumeMounts[%d].name" % i,
                         "%r is not a volume of spec.podSpec.extraVolumes (%s)"
                         % (m.get("name"), ", ".join(sorted(map(str, vols))) or "none"))
        for k, v in (ps.get("labels") or {}).items():
            self.check_label(fn, doc, "spec.podSpec.labels", k, v)
        for i, e in enumerate(ps.get("extraEnv") or []):
            name = e.get("name", "") if isinstance(e, dict) else ""
            if (name.startswith("LAZYDIND_") and self.src_text is not None
                    and name not in self.src_text):
                self.warnings.append("%s: Agent %s: spec.podSpec.extraEnv[%d]: %s is not read "
                                     "by lazydind's sources (not implemented yet?)"
                                     % (fn, doc.get("metadata", {}).get("name"), i, name))

    def pod_level(self, doc):
        """The least permissive Pod Security level that admits the Agent's pod,
        and the reasons it is not stricter."""
        ps = (doc.get("spec") or {}).get("podSpec") or {}
        sc = ps.get("securityContext")
        sc = KUBEOPENCODE_DEFAULT_SC if sc is None else sc
        psc = ps.get("podSecurityContext") or {}
        priv, base = [], []  # reasons for privileged, for baseline
        if sc.get("privileged"):
            priv.append("privileged: true")
        added = (sc.get("capabilities") or {}).get("add") or []
        added = set([added] if isinstance(added, str) else added)
        if added - BASELINE_CAPS:
            priv.append("capabilities %s added" % ", ".join(sorted(added - BASELINE_CAPS)))
        for where, ctx in (("securityContext", sc), ("podSecurityContext", psc)):
            if (ctx.get("seccompProfile") or {}).get("type") == "Unconfined":
                priv.append("%s seccomp Unconfined" % where)
            if (ctx.get("appArmorProfile") or {}).get("type") == "Unconfined":
                priv.append("%s AppArmor Unconfined" % where)
        if sc.get("procMount") not in (None, "Default"):
            priv.append("procMount %s" % sc.get("procMount"))
        vols = [v for v in ps.get("extraVolumes") or [] if isinstance(v, dict)]
        if any("hostPath" in v for v in vols):
            priv.append("hostPath volumes")
        if priv:
            return "privileged", priv
        if not (sc.get("runAsNonRoot") is True or psc.get("runAsNonRoot") is True):
            base.append("runAsNonRoot is not true")
        if sc.get("allowPrivilegeEscalation") is not False:
            base.append("allowPrivilegeEscalation is not false")
        dropped = (sc.get("capabilities") or {}).get("drop") or []
        if "ALL" not in ([dropped] if isinstance(dropped, str) else dropped):
            base.append("capabilities are not dropped (ALL)")
        if added - {"NET_BIND_SERVICE"}:
            base.append("capabilities added")
        st = (sc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
        if st not in ("RuntimeDefault", "Localhost"):
            base.append("no RuntimeDefault seccomp profile")
        for v in vols:
            kinds = set(v) - {"name"}
            if kinds - RESTRICTED_VOLUMES:
                base.append("volume %s is %s" % (v.get("name"), ", ".join(sorted(kinds))))
        return ("baseline", base) if base else ("restricted", [])

    def check_namespace(self, fn, doc):
        labels = (doc.get("metadata") or {}).get("labels") or {}
        for k, v in labels.items():
            if not str(k).startswith("pod-security.kubernetes.io/"):
                continue
            mode = str(k).split("/", 1)[1]
            if mode in PSA_MODES:
                if v not in PSA_LEVELS:
                    self.err(fn, doc, "metadata.labels[%s]" % k,
                             "%r is not one of %s" % (v, ", ".join(PSA_LEVELS)))
            elif mode.endswith("-version") and mode[:-len("-version")] in PSA_MODES:
                if not isinstance(v, str) or not PSA_VERSION.match(v):
                    self.err(fn, doc, "metadata.labels[%s]" % k,
                             "%r is not `latest` or v1.N" % (v,))
            else:
                self.err(fn, doc, "metadata.labels[%s]" % k, "not a Pod Security label")
        if "pod-security.kubernetes.io/enforce" not in labels:
            self.err(fn, doc, "metadata.labels", "no pod-security.kubernetes.io/enforce label")

    # ------------------------------------------------------------------ run
    def run(self):
        namespaces, agents = {}, {}
        counted = 0
        for fn, doc in self.docs:
            key = (doc.get("apiVersion"), doc.get("kind"))
            if key == ("v1", "Namespace"):
                counted += 1
                self.check_metadata(fn, doc, namespaced=False)
                self.check_namespace(fn, doc)
                namespaces[(doc.get("metadata") or {}).get("name")] = (fn, doc)
            elif key in self.schemas:
                counted += 1
                self.check_metadata(fn, doc, namespaced=True)
                self.check_schema(fn, doc)
                if key[1] == "Agent":
                    self.check_agent(fn, doc)
                    md = doc.get("metadata") or {}
                    agents[(md.get("namespace"), md.get("name"))] = (fn, doc)
            elif str(doc.get("apiVersion", "")).startswith("kubeopencode.io/"):
                self.err(fn, doc, "apiVersion/kind",
                         "no CRD defines %s %s" % (key[0], key[1]))
            else:
                # another API (e.g. a policy engine's): only its shape
                if not key[0] or not key[1]:
                    self.err(fn, doc, "apiVersion/kind", "missing")
                self.check_metadata(fn, doc, namespaced=False)
        # cross-document checks
        for fn, doc in self.docs:
            key = (doc.get("apiVersion"), doc.get("kind"))
            if key not in self.schemas:
                continue
            md = doc.get("metadata") or {}
            ns = md.get("namespace")
            if ns is not None and ns not in namespaces:
                self.err(fn, doc, "metadata.namespace",
                         "namespace %r is not defined in the checked files (%s)"
                         % (ns, ", ".join(sorted(map(str, namespaces))) or "none"))
            if key[1] == "Task":
                ref = ((doc.get("spec") or {}).get("agentRef") or {}).get("name")
                if ref is not None and (ns, ref) not in agents:
                    self.err(fn, doc, "spec.agentRef.name",
                             "no Agent %r in namespace %r among the checked files" % (ref, ns))
            if key[1] == "Agent" and ns in namespaces:
                need, why = self.pod_level(doc)
                nfn, ndoc = namespaces[ns]
                enforce = ((ndoc.get("metadata") or {}).get("labels") or {}).get(
                    "pod-security.kubernetes.io/enforce")
                if enforce in PSA_LEVELS and PSA_LEVELS.index(enforce) > PSA_LEVELS.index(need):
                    self.err(fn, doc, "spec.podSpec",
                             "its pod needs Pod Security level %s (%s) but namespace %s "
                             "(%s) enforces %s" % (need, "; ".join(why), ns, nfn, enforce))
        return counted


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--crds", required=True, help="directory of KubeOpenCode CRD files")
    ap.add_argument("--src", default=os.path.join(here, "..", "..", "src"),
                    help="lazydind's C sources, for the LAZYDIND_* warning")
    ap.add_argument("--quiet", action="store_true", help="no summary line")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    checker = Checker(load_crds(args.crds), args.src)
    files = list(yaml_files(args.paths))
    if not files:
        sys.exit("validate.py: no YAML files in %s" % " ".join(args.paths))
    for fn in files:
        checker.load(fn)
    counted = checker.run()
    for w in checker.warnings:
        print("warning: " + w)
    for e in checker.errors:
        print(e)
    if checker.errors:
        print("validate.py: %d problem(s) in %d file(s)" % (len(checker.errors), len(files)))
        return 1
    if not args.quiet:
        print("validate.py: %d documents in %d files valid (%d checked against a schema)"
              % (len(checker.docs), len(files), counted))
    return 0


if __name__ == "__main__":
    sys.exit(main())
