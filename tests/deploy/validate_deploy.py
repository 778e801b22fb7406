#!/usr/bin/env python3
"""Checks deploy/ without Docker or a cluster (issue #8).

  validate_deploy.py k8s SOURCE_DIR JOBMATCH_CLI
      deploy/k8s/*.yaml parse; the StatefulSet has its volume claim, probes,
      resources and non-root user; the CronJob runs `jobmatch rematch-start`
      with an API key from a Secret; every CLI flag and command the manifests
      use exists in the built CLI.
  validate_deploy.py docker SOURCE_DIR BUILD_DIR JOBMATCHD JOBMATCH_CLI
      the Dockerfile builds with deploy/install-deps.sh, copies the binaries
      from where the build puts them, and its runtime stage installs a Debian
      package for every shared library the binaries load (from ldd and
      dpkg -S), each one a package the build machine has installed.
  validate_deploy.py systemd SOURCE_DIR JOBMATCHD
      `systemd-analyze verify` accepts deploy/systemd/jobmatchd.service with
      no warning (exit 77 = skipped when systemd-analyze is not installed).

Prints one line per check; exits 1 with the failures listed.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        FAILURES.append(what)
    return condition


def finish():
    if FAILURES:
        print("\n%d check(s) failed:" % len(FAILURES))
        for f in FAILURES:
            print("  - " + f)
        sys.exit(1)
    print("all checks passed")
    sys.exit(0)


# --- Kubernetes -------------------------------------------------------------

def cli_flags_and_commands(cli):
    helpfull = subprocess.run([cli, "--helpfull"], capture_output=True, text=True).stdout
    flags = set(re.findall(r"^\s+--([a-z_]+) \(", helpfull, re.M))
    usage = subprocess.run([cli, "help"], capture_output=True, text=True).stdout
    commands = set(re.findall(r"^  ([a-z][a-z-]+)\b", usage, re.M))
    return flags, commands


def check_cli_invocation(argv, flags, commands, where):
    """argv: the CLI's arguments (without the program)."""
    words = [a for a in argv if not a.startswith("--")]
    for a in argv:
        if a.startswith("--"):
            name = a[2:].split("=", 1)[0]
            check(name in flags, "%s: CLI flag --%s exists" % (where, name))
            check(not re.match(r"api_?key=", name + "="), "%s: no API key on the command line" % where)
    check(bool(words) and words[0] in commands, "%s: CLI command %r exists" % (where, words[0] if words else None))
    return words


def containers_of(pod_spec):
    return pod_spec.get("containers", [])


def mounted_dir(container, path):
    """The volume name mounted at a folder containing `path`, or None."""
    for m in container.get("volumeMounts", []):
        mp = m["mountPath"].rstrip("/") + "/"
        if path.startswith(mp):
            return m["name"]
    return None


def check_pod_basics(pod_spec, where, runtime_uid):
    sc = pod_spec.get("securityContext", {})
    check(sc.get("runAsNonRoot") is True, where + ": runAsNonRoot")
    check(sc.get("runAsUser") == runtime_uid,
          "%s: runAsUser %s is the Dockerfile's jobmatch uid %s" % (where, sc.get("runAsUser"), runtime_uid))
    volumes = {v["name"]: v for v in pod_spec.get("volumes", [])}
    return volumes


def check_k8s(source_dir, cli):
    import yaml  # python3-yaml, installed by deploy/install-deps.sh

    flags, commands = cli_flags_and_commands(cli)
    check("health" in commands and "rematch-start" in commands,
          "the CLI has the health and rematch-start commands")
    runtime_uid = dockerfile_uid(source_dir)
    docs = []
    files = sorted(glob.glob(os.path.join(source_dir, "deploy/k8s/*.yaml")))
    check(len(files) >= 2, "deploy/k8s has the StatefulSet and the CronJob (%d files)" % len(files))
    for path in files:
        name = os.path.relpath(path, source_dir)
        try:
            loaded = [d for d in yaml.safe_load_all(open(path)) if d is not None]
        except yaml.YAMLError as e:
            check(False, "%s parses as YAML (%s)" % (name, e))
            continue
        check(True, "%s parses as YAML (%d documents)" % (name, len(loaded)))
        for d in loaded:
            check(all(k in d for k in ("apiVersion", "kind", "metadata")) and "name" in d["metadata"],
                  "%s: %s has apiVersion, kind and metadata.name" % (name, d.get("kind")))
            docs.append(d)
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)

    for sts in by_kind.get("StatefulSet", []):
        where = "StatefulSet " + sts["metadata"]["name"]
        spec = sts["spec"]
        pod = spec["template"]["spec"]
        volumes = check_pod_basics(pod, where, runtime_uid)
        claims = {c["metadata"]["name"]: c for c in spec.get("volumeClaimTemplates", [])}
        check(bool(claims), where + ": has volumeClaimTemplates")
        for cname, c in claims.items():
            check("storage" in c["spec"].get("resources", {}).get("requests", {}),
                  "%s: claim %s requests storage" % (where, cname))
            check(bool(c["spec"].get("accessModes")), "%s: claim %s has accessModes" % (where, cname))
        check(sts["metadata"].get("labels", {}).items() >= spec["selector"]["matchLabels"].items() or
              spec["template"]["metadata"]["labels"].items() >= spec["selector"]["matchLabels"].items(),
              where + ": selector matches the pod labels")
        for c in containers_of(pod):
            cw = "%s container %s" % (where, c["name"])
            ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
            check(mounted_dir(c, "/var/lib/jobmatch/db") in claims,
                  cw + ": the data folder /var/lib/jobmatch/db is on a claimed volume")
            for m in c.get("volumeMounts", []):
                check(m["name"] in volumes or m["name"] in claims,
                      "%s: volume %s is defined" % (cw, m["name"]))
            for probe_name in ("readinessProbe", "livenessProbe"):
                probe = c.get(probe_name)
                if not check(probe is not None, "%s: has a %s" % (cw, probe_name)):
                    continue
                if "grpc" in probe:
                    check(probe["grpc"]["port"] in ports.values(),
                          "%s: %s is a gRPC probe on a container port" % (cw, probe_name))
                else:
                    cmd = probe.get("exec", {}).get("command", [])
                    ok = check(bool(cmd) and cmd[0].endswith("/jobmatch"),
                               "%s: %s runs the CLI's gRPC health check" % (cw, probe_name))
                    if ok:
                        words = check_cli_invocation(cmd[1:], flags, commands, cw + " " + probe_name)
                        check(words[:1] == ["health"], "%s: %s calls `jobmatch health`" % (cw, probe_name))
                        for a in cmd[1:]:
                            if a.startswith("--tls_ca_file="):
                                check(mounted_dir(c, a.split("=", 1)[1]) is not None,
                                      "%s: %s's CA file is on a mounted volume" % (cw, probe_name))
            res = c.get("resources", {})
            check({"cpu", "memory"} <= set(res.get("requests", {})), cw + ": requests cpu and memory")
            check("memory" in res.get("limits", {}), cw + ": limits memory")
            csc = c.get("securityContext", {})
            check(csc.get("allowPrivilegeEscalation") is False and csc.get("readOnlyRootFilesystem") is True,
                  cw + ": no privilege escalation, read-only root file system")
        for svc in by_kind.get("Service", []):
            for p in svc["spec"].get("ports", []):
                names = {pp.get("name") for c in containers_of(pod) for pp in c.get("ports", [])}
                check(p["targetPort"] in names, "Service %s: targetPort %s is a named container port"
                      % (svc["metadata"]["name"], p["targetPort"]))

    cronjobs = by_kind.get("CronJob", [])
    check(bool(cronjobs), "a CronJob for the nightly rematch exists")
    for cj in cronjobs:
        where = "CronJob " + cj["metadata"]["name"]
        spec = cj["spec"]
        check(len(spec.get("schedule", "").split()) == 5, where + ": schedule has five fields")
        check(spec.get("concurrencyPolicy") == "Forbid", where + ": concurrencyPolicy Forbid")
        pod = spec["jobTemplate"]["spec"]["template"]["spec"]
        check(pod.get("restartPolicy") in ("Never", "OnFailure"), where + ": restartPolicy Never or OnFailure")
        volumes = check_pod_basics(pod, where, runtime_uid)
        for c in containers_of(pod):
            cw = "%s container %s" % (where, c["name"])
            argv = list(c.get("command", [])[1:]) + list(c.get("args", []))
            check(c.get("command", [""])[0].endswith("/jobmatch"), cw + ": runs the jobmatch CLI")
            words = check_cli_invocation(argv, flags, commands, cw)
            check(words[:1] == ["rematch-start"], cw + ": calls `jobmatch rematch-start`")
            key_files = [a.split("=", 1)[1] for a in argv if a.startswith("--api_key_file=")]
            env = {e["name"]: e for e in c.get("env", [])}
            from_env = "JOBMATCH_API_KEY" in env and "secretKeyRef" in env["JOBMATCH_API_KEY"].get("valueFrom", {})
            from_file = False
            for kf in key_files:
                vol = mounted_dir(c, kf)
                from_file = vol is not None and "secret" in volumes.get(vol, {})
            check(from_env or from_file, cw + ": the API key comes from a Secret")
            for a in argv:
                if a.startswith("--tls_ca_file="):
                    check(mounted_dir(c, a.split("=", 1)[1]) is not None, cw + ": the CA file is on a mounted volume")
            check("memory" in c.get("resources", {}).get("limits", {}), cw + ": limits memory")


# --- Dockerfile -----------------------------------------------------------

def dockerfile_text(source_dir):
    text = open(os.path.join(source_dir, "deploy/Dockerfile")).read()
    return text.replace("\\\n", " ")


def dockerfile_uid(source_dir):
    m = re.search(r"useradd[^\n]*--uid (\d+)", dockerfile_text(source_dir))
    return int(m.group(1)) if m else None


def stages(text):
    parts = re.split(r"^FROM ", text, flags=re.M)[1:]
    return ["FROM " + p for p in parts]


def runtime_packages(stage):
    pkgs = set()
    for m in re.finditer(r"apt-get install ([^&\n]*)", stage):
        pkgs |= {w for w in m.group(1).split() if not w.startswith("-")}
    return pkgs


def shared_library_packages(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    libs = sorted(set(re.findall(r"=> (/\S+)", out)))
    libs = [l for l in libs if not re.search(r"lib(asan|ubsan)", l)]  # sanitizer builds
    # One dpkg -S for all (merged /usr: dpkg may know the /lib spelling).
    candidates = {}
    for lib in libs:
        real = os.path.realpath(lib)
        candidates[lib] = [real, real.replace("/usr/lib/", "/lib/"), lib, lib.replace("/usr/lib/", "/lib/")]
    queries = sorted({c for cs in candidates.values() for c in cs})
    res = subprocess.run(["dpkg", "-S"] + queries, capture_output=True, text=True)
    owner_of = {}
    for line in res.stdout.splitlines():
        pkg, _, path = line.partition(": ")
        owner_of[path.strip()] = pkg.split(":")[0].split(",")[0].strip()
    owners = {lib: next((owner_of[c] for c in cs if c in owner_of), None) for lib, cs in candidates.items()}
    return owners


# Present in debian:bookworm-slim without installing anything.
BASE_IMAGE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}


def dependency_closure(packages):
    """The packages apt installs with `packages`: their Depends, recursively
    (as installed on this machine, which has the same Debian release)."""
    seen, todo = set(), list(packages)
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        res = subprocess.run(["dpkg-query", "-W", "-f=${Depends},${Pre-Depends}", p],
                             capture_output=True, text=True)
        for alternative in res.stdout.split(","):
            name = alternative.split("|")[0].strip().split(" ")[0].split(":")[0]
            if name:
                todo.append(name)
    return seen


def check_docker(source_dir, build_dir, binaries):
    text = dockerfile_text(source_dir)
    st = stages(text)
    check(len(st) >= 2, "Dockerfile is multi-stage (%d stages)" % len(st))
    build, runtime = st[0], st[-1]
    check("COPY deploy/install-deps.sh" in build and "bash deploy/install-deps.sh" in build,
          "build stage installs with deploy/install-deps.sh")
    check(re.search(r"^USER (?!root)\S+", runtime, re.M) is not None, "runtime stage runs as a non-root user")
    check(not re.search(r"\b(g\+\+|gcc|build-essential|cmake|-dev)\b", " ".join(runtime_packages(runtime))),
          "runtime stage installs no compilers or -dev packages")
    health = re.search(r"HEALTHCHECK[^\n]*CMD (\[[^\n]*\])", runtime)
    if check(health is not None, "runtime stage has a health check"):
        import json
        argv = json.loads(health.group(1))
        clis = [b for b in binaries if os.path.basename(b) == "jobmatch"]
        if check(argv[0].endswith("/jobmatch") and bool(clis), "the health check runs the jobmatch CLI"):
            flags, commands = cli_flags_and_commands(clis[0])
            words = check_cli_invocation(argv[1:], flags, commands, "HEALTHCHECK")
            check(words[:1] == ["health"], "HEALTHCHECK calls `jobmatch health`")
    for binary in binaries:
        rel = os.path.relpath(binary, build_dir)
        check("/src/build/" + rel in runtime, "runtime stage copies %s from the build stage (build/%s)"
              % (os.path.basename(binary), rel))
        m = re.search(r"--target ([^\n&]*)", build)
        check(m is not None and os.path.basename(binary) in m.group(1).split(),
              "build stage builds target %s" % os.path.basename(binary))

    pkgs = runtime_packages(runtime)
    print("      runtime packages: " + " ".join(sorted(pkgs)))
    for p in sorted(pkgs):
        res = subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True)
        check("install ok installed" in res.stdout,
              "runtime package %s is the one installed here by deploy/install-deps.sh's -dev packages" % p)
    provided = dependency_closure(pkgs | BASE_IMAGE_PACKAGES)
    needed = {}
    for binary in binaries:
        for lib, pkg in shared_library_packages(binary).items():
            needed.setdefault(pkg, set()).add(os.path.basename(lib))
    for pkg, libs in sorted(needed.items(), key=lambda kv: str(kv[0])):
        libs = sorted(libs) if len(libs) <= 4 else sorted(libs)[:3] + ["%d more" % (len(libs) - 3)]
        check(pkg is not None and pkg in provided,
              "runtime stage provides %s (package %s%s)" % (", ".join(libs), pkg,
                                                          "" if pkg in pkgs else ", a dependency"))


# --- systemd --------------------------------------------------------------

def check_systemd(source_dir, jobmatchd):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        print("SKIP  systemd-analyze is not installed (Debian package systemd); unit not verified")
        sys.exit(77)
    unit = open(os.path.join(source_dir, "deploy/systemd/jobmatchd.service")).read()
    check("ExecStart=/usr/bin/jobmatchd " in unit, "the unit starts /usr/bin/jobmatchd")
    with tempfile.TemporaryDirectory() as tmp:
        # The binary is not installed here: point the unit at the built one.
        path = os.path.join(tmp, "jobmatchd.service")
        with open(path, "w") as f:
            f.write(unit.replace("/usr/bin/jobmatchd", os.path.abspath(jobmatchd)))
        res = subprocess.run([tool, "verify", path], capture_output=True, text=True, timeout=120)
        complaints = [l for l in (res.stdout + res.stderr).splitlines() if "jobmatchd.service" in l]
        check(res.returncode == 0 and not complaints,
              "systemd-analyze verify accepts the unit%s" % ("" if not complaints else ": " + "; ".join(complaints)))
    for option in ("NoNewPrivileges=yes", "ProtectSystem=strict", "User=jobmatch", "ReadWritePaths=/var/lib/jobmatch"):
        check(option in unit, "the unit sets " + option)


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    mode, source_dir = argv[1], argv[2]
    if mode == "k8s":
        check_k8s(source_dir, argv[3])
    elif mode == "docker":
        check_docker(source_dir, argv[3], argv[4:])
    elif mode == "systemd":
        check_systemd(source_dir, argv[3])
    else:
        print(__doc__)
        return 2
    finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
