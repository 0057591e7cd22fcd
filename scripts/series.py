#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The patch series, from patches/series: one source for the harness's
tree and for the series a maintainer applies with git am.

  series.py files                  each repository file the series adds,
                                   and its place in the kernel tree
  series.py install <tree> <state> copy those files into a kernel tree,
                                   leaving unchanged ones (and their
                                   timestamps) alone, and remove those an
                                   earlier series installed and this one
                                   no longer has
  series.py make <options>         write out/series/ (git format-patch,
                                   with a cover letter), check it with
                                   checkpatch.pl --strict and git am
  series.py check <options>        build every prefix of the series with
                                   the component's option off and on

patches/series lists, in order, each patch of patches/ and the files of
this repository it adds. A patch of patches/ is a commit message
("Subject: ..." and a body), a line "---", and hunks (possibly none).
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATCHES = os.path.join(TOP, "patches")

# Where each repository directory goes in the kernel tree.
PLACES = (
    ("rust/", "arch/arm64/kvm/fp_rust/"),
    ("include/asm/", "arch/arm64/include/asm/"),
    ("testhooks/", "arch/arm64/kvm/fp_rust/testhooks/"),
    ("selftests/", "tools/testing/selftests/kvm/aarch64/"),
    ("Documentation/", "Documentation/virt/kvm/arm/fp-rust/"),
)

# Repository files that are not part of the kernel: the host crate's root
# and the harness's own documentation.
NOT_IN_KERNEL = {"rust/lib.rs", "Documentation/harness.rst"}

# The component's option, and the base the series is made for.
OPTION = "CONFIG_KVM_ARM64_FPSIMD_RUST"
BASE_DIR = "linux-source-6.12"


def die(msg):
    print(f"series: {msg}", file=sys.stderr)
    sys.exit(1)


def place(path):
    for src, dst in PLACES:
        if path.startswith(src):
            return dst + path[len(src):]
    die(f"patches/series: no place in the tree for {path}")


def read_series():
    """[(patch file name, [repository files it adds])], in order."""
    steps = []
    with open(os.path.join(PATCHES, "series")) as f:
        for line in f:
            line = line.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            words = line.split()
            if line[0] in " \t":
                if not steps:
                    die("patches/series: a continuation line before any patch")
                steps[-1][1].extend(words)
            else:
                steps.append((words[0], words[1:]))
    return steps


def component_files():
    """Every repository file that belongs in the kernel tree."""
    found = set()
    for pat in ("rust/*.rs", "rust/*.c", "include/asm/*.h", "testhooks/*.c",
                "selftests/*.c", "selftests/*.h", "Documentation/*.rst"):
        found.update(os.path.relpath(p, TOP) for p in glob.glob(os.path.join(TOP, pat)))
    return found - NOT_IN_KERNEL


def check_listing(steps):
    """Each component file is added by exactly one patch, and exists."""
    listed = [f for _, files in steps for f in files]
    dup = {f for f in listed if listed.count(f) > 1}
    if dup:
        die(f"patches/series adds these more than once: {' '.join(sorted(dup))}")
    missing = component_files() - set(listed)
    if missing:
        die(f"patches/series adds no patch for: {' '.join(sorted(missing))}")
    gone = [f for f in listed if not os.path.isfile(os.path.join(TOP, f))]
    if gone:
        die(f"patches/series lists files that do not exist: {' '.join(gone)}")
    for p, _ in steps:
        if not os.path.isfile(os.path.join(PATCHES, p)):
            die(f"patches/series names {p}, which is not in patches/")


def split_patch(name):
    """(subject, body, hunks) of a patch of patches/."""
    with open(os.path.join(PATCHES, name)) as f:
        text = f.read()
    head, sep, hunks = text.partition("\n---\n")
    if not sep:
        die(f"{name}: no '---' line between the message and the hunks")
    m = re.match(r"Subject: (.+)\n\n", head)
    if not m:
        die(f"{name}: the message must start with 'Subject: ...' and a blank line")
    body = head[m.end():].strip("\n")
    if re.search(r"^Signed-off-by:", body, re.M):
        die(f"{name}: no Signed-off-by in patches/ (make series adds the project's)")
    return m.group(1), body, hunks.lstrip("\n")


def same_file(a, b):
    if not os.path.exists(b) or os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def cmd_files(_args):
    steps = read_series()
    check_listing(steps)
    for _, files in steps:
        for f in files:
            print(f, place(f))


def cmd_install(args):
    """Install the series' repository files; remove from the tree those an
    earlier series installed (recorded in <state>/installed) and this one
    no longer has."""
    steps = read_series()
    check_listing(steps)
    now = [place(f) for _, files in steps for f in files]
    record = os.path.join(args.state, "installed")
    if os.path.exists(record):
        with open(record) as f:
            for old in set(f.read().split()) - set(now):
                if os.path.exists(os.path.join(args.tree, old)):
                    print(f"  REMOVE  {old}")
                    os.remove(os.path.join(args.tree, old))
    for _, files in steps:
        for f in files:
            src, dst = os.path.join(TOP, f), os.path.join(args.tree, place(f))
            if not same_file(src, dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(src, dst)
    os.makedirs(args.state, exist_ok=True)
    with open(record, "w") as f:
        f.write("\n".join(now) + "\n")


def git(repo, *argv, env=None, capture=False):
    r = subprocess.run(["git", "-C", repo, *argv], env=env, check=False,
                       capture_output=True, text=True)
    if r.returncode:
        die(f"git {' '.join(argv)}: {r.stderr.strip() or r.stdout.strip()}")
    return r.stdout if capture else None


def touched_paths(steps):
    """Base files the hunks change (not those they create)."""
    paths = set()
    for p, _ in steps:
        _, _, hunks = split_patch(p)
        for block in re.split(r"^(?=diff --git )", hunks, flags=re.M):
            m = re.match(r"diff --git a/(\S+) b/", block)
            if m and not re.search(r"^new file mode", block.split("\n@@", 1)[0], re.M):
                paths.add(m.group(1))
    return sorted(paths)


def base_version(tree):
    v = {}
    with open(os.path.join(tree, "Makefile")) as f:
        for line in f:
            m = re.match(r"(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION) = ?(.*)", line)
            if m:
                v[m.group(1)] = m.group(2).strip()
            if len(v) == 4:
                break
    return f"{v['VERSION']}.{v['PATCHLEVEL']}.{v['SUBLEVEL']}{v.get('EXTRAVERSION', '')}"


def debian_version():
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "linux-source-6.12"],
                       capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else "unknown"


def sparse_base(tarball, paths, repo, identity, date):
    """A git repository of the base's files the series changes.

    The blobs are those of the full base tree, so the series made on it
    applies to a git tree of the whole unpacked source as well.
    """
    shutil.rmtree(repo, ignore_errors=True)
    os.makedirs(repo)
    members = [f"{BASE_DIR}/{p}" for p in paths]
    subprocess.run(["tar", "-C", repo, "--strip-components=1", "-xf", tarball, *members],
                   check=True)
    git(repo, "init", "-q")
    name, email = re.match(r"(.*?)\s*<(.*)>", identity).groups()
    # format-patch takes the cover letter's From: from the configuration.
    git(repo, "config", "user.name", name)
    git(repo, "config", "user.email", email)
    git(repo, "add", "-f", "-A")
    commit(repo, "base", identity, date)


def commit(repo, message, identity, date, signoff=False):
    name, email = re.match(r"(.*?)\s*<(.*)>", identity).groups()
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email,
               GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    if signoff:
        message += f"\n\nSigned-off-by: {identity}"
    git(repo, "commit", "-q", "--allow-empty", "-m", message, env=env)


def apply_step(repo, name, files):
    _, _, hunks = split_patch(name)
    if hunks.strip():
        with tempfile.NamedTemporaryFile("w", suffix=".patch") as t:
            t.write(hunks)
            t.flush()
            git(repo, "apply", "--index", t.name)
    for f in files:
        dst = os.path.join(repo, place(f))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(TOP, f), dst)
        git(repo, "add", "-f", place(f))


def checkpatch(ksrc, patch):
    """[(kind, type, message)] of checkpatch.pl --strict on one patch."""
    r = subprocess.run(["perl", "scripts/checkpatch.pl", "--strict", "--terse",
                        "--show-types", "--no-summary", patch],
                       cwd=ksrc, capture_output=True, text=True)
    found = []
    for line in r.stdout.splitlines():
        m = re.match(r".*?: (ERROR|WARNING|CHECK):(\w+): (.*)", line)
        if m:
            found.append(m.groups())
    return found


def read_reasons():
    """(patch number or '*', type, reason) from patches/checkpatch-reasons."""
    reasons = []
    with open(os.path.join(PATCHES, "checkpatch-reasons")) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            num, typ, reason = line.split(None, 2)
            reasons.append((num, typ, reason))
    return reasons


def cmd_make(args):
    steps = read_series()
    check_listing(steps)
    t0 = time.time()
    work = os.path.join(args.build, "series")
    repo = os.path.join(work, "git")
    # One date for every commit: the repository's last commit, so that the
    # same repository state makes the same series.
    date = subprocess.run(["git", "-C", TOP, "log", "-1", "--format=%cI"],
                          capture_output=True, text=True).stdout.strip() or "2026-01-01T00:00:00Z"
    sparse_base(args.tarball, touched_paths(steps), repo, args.identity, date)
    base = git(repo, "rev-parse", "HEAD", capture=True).strip()
    for name, files in steps:
        subject, body, _ = split_patch(name)
        apply_step(repo, name, files)
        commit(repo, f"{subject}\n\n{body}", args.identity, date, signoff=True)

    out = os.path.join(args.out, "series")
    shutil.rmtree(out, ignore_errors=True)
    git(repo, "format-patch", "-q", "--cover-letter", "--numbered", "--no-signature",
        "--subject-prefix=PATCH", "-o", out, f"{base}..HEAD")
    patches = sorted(p for p in os.listdir(out) if p != "0000-cover-letter.patch")

    # checkpatch.pl --strict on every patch: no ERROR, and every WARNING or
    # CHECK has its reason in patches/checkpatch-reasons.
    reasons = read_reasons()
    summary, unexplained, errors = [], [], []
    for i, p in enumerate(patches, 1):
        found = checkpatch(args.ksrc, os.path.join(out, p))
        counts = {k: sum(1 for f in found if f[0] == k) for k in ("ERROR", "WARNING", "CHECK")}
        summary.append((i, p, counts, found))
        for kind, typ, msg in found:
            if kind == "ERROR":
                errors.append(f"{p}: {kind}:{typ}: {msg}")
            elif not any(n in ("*", f"{i:04d}") and t == typ for n, t, _ in reasons):
                unexplained.append(f"{p}: {kind}:{typ}: {msg}")
    if errors or unexplained:
        die("checkpatch.pl --strict:\n  " + "\n  ".join(errors + [
            u + " (no reason in patches/checkpatch-reasons)" for u in unexplained]))

    write_cover(out, args, patches, summary, reasons)

    # The series applies with git am to a clean base.
    check = os.path.join(work, "am")
    shutil.rmtree(check, ignore_errors=True)
    git(repo, "worktree", "prune")
    git(repo, "worktree", "add", "-q", "--detach", check, base)
    name, email = re.match(r"(.*?)\s*<(.*)>", args.identity).groups()
    r = subprocess.run(["git", "-C", check, "-c", f"user.name={name}", "-c", f"user.email={email}",
                        "am", "-q", *[os.path.join(out, p) for p in patches]],
                       capture_output=True, text=True)
    if r.returncode:
        die(f"git am of {out} failed:\n{r.stdout}{r.stderr}")
    if git(check, "rev-parse", "HEAD^{tree}", capture=True) != git(repo, "rev-parse", "HEAD^{tree}", capture=True):
        die("git am of the series gives another tree than the series was made from")
    git(repo, "worktree", "remove", "--force", check)
    print(f"  SERIES  {out}: {len(patches)} patches and a cover letter, "
          f"against Linux {base_version(args.ksrc)}; checkpatch --strict: "
          f"{sum(s[2]['WARNING'] for s in summary)} warnings, "
          f"{sum(s[2]['CHECK'] for s in summary)} checks, all explained; "
          f"git am applies it ({time.time() - t0:.0f} s)")


def measured_on(path):
    return time.strftime("%Y-%m-%d", time.gmtime(os.path.getmtime(path)))


def check_figures(out):
    """The last make check of this checkout (out/results.json), in words."""
    path = os.path.join(out, "results.json")
    if not os.path.exists(path):
        return "(make check has not run in this checkout: no figures.)"
    with open(path) as f:
        res = json.load(f)
    rows = res["rows"]
    count = {s: sum(1 for r in rows if r["status"] == s) for s in ("pass", "fail", "skip", "xfail")}
    kernels = sorted({r["kernel"] for r in rows if "kernel" in r and r["kernel"]})
    cells = {(r["kernel"], r["mode"], r["cpu"]) for r in rows if r.get("mode") and r.get("cpu")}
    base = res.get("base", {})
    return (f"The last make check ({measured_on(path)}, Linux {base.get('kernel', '?')}, "
            f"kernels {', '.join(kernels)}, {len(cells)} cells): {count['pass']} passed, "
            f"{count['fail']} failed, {count['skip']} skipped, {count['xfail']} known "
            "failures of the base kernel (Documentation/virt/kvm/arm/fp-rust/known-problems.rst).")


def bench_figures(out):
    """The last make bench of this checkout (out/bench.json): Rust/C per scenario."""
    path = os.path.join(out, "bench.json")
    if not os.path.exists(path):
        return "  (make bench has not run in this checkout: no figures.)"
    with open(path) as f:
        res = json.load(f)["results"]
    runs = [r for r in res if "figure" in r]
    lines = []
    for mode in sorted({r["mode"] for r in runs}):
        lines.append(f"  {'KVM mode ' + mode + ', instructions per exit':57} {'C':>5} {'Rust':>5} Rust/C")
        for sc in sorted({r["scenario"] for r in runs if r["mode"] == mode}):
            figs = {}
            for k in ("c", "rust"):
                v = [r["figure"] for r in runs if (r["scenario"], r["mode"], r["kernel"]) == (sc, mode, k)]
                if v:
                    figs[k] = sum(v) / len(v)
            if len(figs) == 2:
                title = next(r["title"] for r in runs if r["scenario"] == sc)
                lines.append(f"  {sc} {title:55} {figs['c']:5.0f} {figs['rust']:5.0f} "
                             f"{figs['rust'] / figs['c']:6.3f}")
    lines.append(f"  (make bench, {measured_on(path)})")
    return "\n".join(lines)


def write_cover(out, args, patches, summary, reasons):
    cover = os.path.join(out, "0000-cover-letter.patch")
    with open(cover) as f:
        text = f.read()
    with open(os.path.join(PATCHES, "cover-letter")) as f:
        tmpl = f.read()
    subject, _, blurb = tmpl.partition("\n\n")
    # Per patch: the counts and the types found; then each reason once.
    lines, used = [], []
    for i, p, counts, found in summary:
        types = {}
        for kind, typ, _ in found:
            types[typ] = types.get(typ, 0) + 1
        what = ", ".join(f"{t} x{n}" if n > 1 else t for t, n in types.items())
        lines.append(f"  {i:2d}/{len(patches)}: {counts['ERROR']} errors, {counts['WARNING']} warnings, "
                     f"{counts['CHECK']} checks{': ' + what if what else ''}")
        for typ in types:
            r = next(r for r in reasons if r[0] in ("*", f"{i:04d}") and r[1] == typ)
            if r not in used:
                used.append(r)
    lines.append("")
    for num, typ, why in used:
        where = "" if num == "*" else f" (patch {int(num)})"
        lines += textwrap.wrap(f"{typ}{where}: {why}", 72, initial_indent="  ", subsequent_indent="    ")
    blurb = blurb.replace("@BASE@", f"Linux {base_version(args.ksrc)} (Debian linux-source-6.12 {debian_version()})")
    blurb = blurb.replace("@CHECKPATCH@", "\n".join(lines))
    blurb = blurb.replace("@N@", str(len(patches)))
    blurb = blurb.replace("@CHECK@", "\n".join(textwrap.wrap(check_figures(args.out), 72)))
    blurb = blurb.replace("@BENCH@", bench_figures(args.out))
    text = text.replace("*** SUBJECT HERE ***", subject.strip())
    text = text.replace("*** BLURB HERE ***", blurb.strip("\n"))
    with open(cover, "w") as f:
        f.write(text)


def series_options(steps):
    """{option: the number of the patch that adds it} for the series' options."""
    found = {}
    for i, (p, _) in enumerate(steps, 1):
        _, _, hunks = split_patch(p)
        for opt in re.findall(r"^\+config (\w+)$", hunks, re.M):
            found.setdefault("CONFIG_" + opt, i)
    return found


def fragment(frags, drop, path):
    """Concatenate frags into path, without the options in drop."""
    with open(path, "w") as out:
        for frag in frags:
            with open(frag) as f:
                for line in f:
                    m = re.match(r"(?:# )?(CONFIG_\w+)[= ]", line)
                    if not (m and m.group(1) in drop):
                        out.write(line)


def run(argv, log):
    with open(log, "a") as f:
        f.write(f"$ {' '.join(argv)}\n")
        f.flush()
        return subprocess.run(argv, stdout=f, stderr=subprocess.STDOUT).returncode == 0


def cmd_check(args):
    """Build every prefix of out/series with the component's option off and on."""
    steps = read_series()
    series = os.path.join(args.out, "series")
    patches = sorted(p for p in os.listdir(series) if p != "0000-cover-letter.patch")
    if len(patches) != len(steps):
        die(f"{series} has {len(patches)} patches, patches/series {len(steps)}: run make series first")
    work = os.path.join(args.build, "series-check")
    tree = os.path.join(work, "tree")
    log = os.path.join(work, "log")
    os.makedirs(work, exist_ok=True)
    open(log, "w").close()
    t0 = time.time()
    name, email = re.match(r"(.*?)\s*<(.*)>", args.identity).groups()

    # A git tree of the whole unpacked base, made once and reset each run.
    stamp = os.path.join(work, "tree.base")
    want = f"{args.tarball} {os.path.getsize(args.tarball)} {os.path.getmtime(args.tarball)}"
    have = open(stamp).read() if os.path.exists(stamp) else ""
    if have != want or not os.path.isdir(os.path.join(tree, ".git")):
        print(f"  UNPACK  {args.tarball} into a git tree ({tree})", flush=True)
        shutil.rmtree(tree, ignore_errors=True)
        os.makedirs(tree)
        subprocess.run(["tar", "-C", tree, "--strip-components=1", "-xf", args.tarball], check=True)
        git(tree, "init", "-q")
        git(tree, "add", "-f", "-A")
        commit(tree, "base", args.identity, "2026-01-01T00:00:00Z")
        git(tree, "tag", "-f", "base")
        with open(stamp, "w") as f:
            f.write(want)
    if os.path.isdir(os.path.join(tree, ".git", "rebase-apply")):
        git(tree, "am", "--abort")
    git(tree, "reset", "-q", "--hard", "base")
    git(tree, "clean", "-q", "-f", "-d", "-x")

    options = series_options(steps)
    flavours = {"off": args.off.split(), "on": args.on.split()}
    kmake = ["make", "-s", "-C", tree, "ARCH=arm64", "LLVM=1", f"-j{os.cpu_count()}"]
    configured = {}
    failed = None
    for i, p in enumerate(patches, 1):
        ts = time.time()
        r = subprocess.run(["git", "-C", tree, "-c", f"user.name={name}", "-c", f"user.email={email}",
                            "am", "-q", os.path.join(series, p)], capture_output=True, text=True)
        if r.returncode:
            failed = f"{p}: git am failed: {r.stderr.strip()}"
            break
        present = {o for o, n in options.items() if n <= i}
        changed = git(tree, "diff", "--name-only", "HEAD~1", "HEAD", capture=True).split()
        done = []
        for fl, frags in flavours.items():
            wanted = set()
            for frag in frags:
                with open(frag) as f:
                    wanted |= set(re.findall(r"^(CONFIG_\w+)=", f.read(), re.M))
            missing = (wanted & set(options)) - present
            if fl == "on" and OPTION in missing:
                done.append(f"on: not yet ({OPTION} comes with patch {options[OPTION]})")
                continue
            obj = os.path.join(work, fl)
            key = tuple(sorted(missing))
            if configured.get(fl) != key:
                # The first build with the option starts from the other's
                # objects: Kbuild then rebuilds only what the option changes.
                if fl == "on" and not os.path.exists(os.path.join(obj, "vmlinux")) and \
                        os.path.exists(os.path.join(work, "off", "vmlinux")):
                    shutil.copytree(os.path.join(work, "off"), obj, symlinks=True, dirs_exist_ok=True)
                frag = os.path.join(work, f"{fl}.config")
                fragment(frags, missing, frag)
                if not run([os.path.join(TOP, "scripts", "kconfig.sh"), tree, obj, frag], log):
                    failed = f"{p}: the configuration with the option {fl} failed (see {log})"
                    break
                configured[fl] = key
            if not run(kmake + [f"O={obj}", "Image"], log):
                failed = f"{p}: the kernel with the option {fl} does not build (see {log})"
                break
            done.append(f"{fl}: kernel")
        if failed:
            break
        if any(c.startswith("tools/testing/selftests/kvm/") for c in changed):
            obj = os.path.join(work, "off")
            ok = run(kmake + [f"O={obj}", "headers_install"], log) and run(
                ["make", "-s", "-C", os.path.join(tree, "tools/testing/selftests"), f"-j{os.cpu_count()}",
                 "TARGETS=kvm", "ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-",
                 "TARGET_ARCH=-static", f"O={obj}"], log)
            if not ok:
                failed = f"{p}: the KVM selftests do not build (see {log})"
                break
            done.append("selftests")
        print(f"  STEP    {i:2d}/{len(patches)} {p}: {', '.join(done)} ({time.time() - ts:.0f} s)", flush=True)
    if failed:
        die(f"series-check: {failed}")
    print(f"  SERIES  every prefix of the {len(patches)} patches builds, the option off and on "
          f"({time.time() - t0:.0f} s)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("files")
    p = sub.add_parser("install")
    p.add_argument("tree")
    p.add_argument("state", help="where the list of installed files is kept")
    p = sub.add_parser("make")
    p.add_argument("--tarball", required=True)
    p.add_argument("--ksrc", required=True, help="an unpacked base tree, for checkpatch.pl and the version")
    p.add_argument("--build", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--identity", required=True)
    p = sub.add_parser("check")
    p.add_argument("--tarball", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--identity", required=True)
    p.add_argument("--off", required=True, help="config fragments of the kernel without the option")
    p.add_argument("--on", required=True, help="config fragments of the kernel with the option")
    args = ap.parse_args()
    for k in ("tarball", "ksrc", "build", "out", "tree", "state"):
        if getattr(args, k, None):
            setattr(args, k, os.path.abspath(getattr(args, k)))
    {"files": cmd_files, "install": cmd_install, "make": cmd_make,
     "check": cmd_check}[args.cmd](args)


if __name__ == "__main__":
    main()
