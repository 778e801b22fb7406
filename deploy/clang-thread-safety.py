#!/usr/bin/env python3
"""Checks jobmatch's library sources with clang's thread-safety analysis.

Reads BUILD_DIR/compile_commands.json (CMake writes it on every configure),
takes the project's own sources outside tests/ and bench/ (generated code is
in the build folder and so left out), and compiles each with clang++
-fsyntax-only under the project's own flags plus -Wthread-safety -Werror: the
Abseil annotations (ABSL_GUARDED_BY, ABSL_EXCLUSIVE_LOCKS_REQUIRED, ...) are
checked, and the code is shown to compile with clang. GCC-only flags are
dropped. No object files are written, so it costs the parse only (about a
minute on two cores).

  python3 deploy/clang-thread-safety.py [--all] [BUILD_DIR]   (default: build)

--all checks tests/ and bench/ too (clang compatibility of everything).

Exits 0 when every file passes, 1 with clang's diagnostics otherwise, and 0
with a note when clang++ is not installed.
"""
import concurrent.futures
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

GCC_ONLY_FLAGS = ("-Wshadow=local",)
SKIPPED_DIRS = ("tests", "bench")


def clang_command(entry, clang):
    args = entry.get("arguments") or shlex.split(entry["command"])
    # Drop a compiler launcher (ccache) and the compiler itself.
    while args and os.path.basename(args[0]) in ("ccache", "sccache"):
        args = args[1:]
    args = args[1:]
    out, skip = [clang], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "-o":
            skip = True
            continue
        if arg == "-c" or arg in GCC_ONLY_FLAGS:
            continue
        out.append(arg)
    return out + ["-fsyntax-only", "-Wthread-safety", "-Werror"]


def main():
    args = sys.argv[1:]
    everything = "--all" in args
    args = [a for a in args if a != "--all"]
    build_dir = args[0] if args else "build"
    source_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    clang = shutil.which("clang++") or shutil.which("clang++-14")
    if clang is None:
        print("clang-thread-safety: clang++ not installed; check skipped")
        return 0
    database = os.path.join(build_dir, "compile_commands.json")
    with open(database) as f:
        entries = json.load(f)
    build_abs = os.path.abspath(build_dir)
    selected = []
    for entry in entries:
        path = os.path.abspath(os.path.join(entry["directory"], entry["file"]))
        rel = os.path.relpath(path, source_dir)
        if rel.startswith("..") or path.startswith(build_abs + os.sep):
            continue
        if not rel.endswith(".cc") or (not everything and rel.split(os.sep)[0] in SKIPPED_DIRS):
            continue
        selected.append((rel, entry))
    selected.sort(key=lambda item: item[0])
    started = time.monotonic()
    failures = []

    def check(item):
        rel, entry = item
        run = subprocess.run(clang_command(entry, clang), cwd=entry["directory"],
                             capture_output=True, text=True)
        return rel, run.returncode, run.stderr

    jobs = int(os.environ.get("JOBMATCH_CLANG_JOBS", "2"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for rel, code, stderr in pool.map(check, selected):
            if code != 0:
                failures.append(rel)
                sys.stdout.write(stderr)
    seconds = time.monotonic() - started
    print(f"clang-thread-safety: {len(selected) - len(failures)} passed, {len(failures)} failed"
          f" ({len(selected)} files, {seconds:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
