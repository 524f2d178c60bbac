#!/usr/bin/env python3
"""Start-up against a bare JVM (issue 29): `rsslab --version` as a user runs it (target/rsslab, the launcher: the
class data sharing archive deploy/make-cds made at `mvn package`) against a JVM that prints hello (a class compiled
here into a temporary folder, the JDK's own default archive), and `java -jar rsslab.jar --version` (no archive of
rsslab's) beside them; `rsslab variants` with and without the archive, for a command that builds its subcommand. Rounds alternate the order; medians (min-max) of wall and CPU (user + system) time.
Goal: rsslab --version at most 4 times the bare JVM's hello.

   bench/startup-vs-jvm.py [N]        (default 15 rounds)
"""
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written into the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
b.require_build()
launcher = os.path.join(b.ROOT, "target", "rsslab")
jsa = os.path.join(b.ROOT, "target", "rsslab.jsa")
if not os.path.exists(jsa):
    print("note: no %s: the launcher runs without an archive" % jsa)
work = tempfile.mkdtemp()
with open(os.path.join(work, "Hello.java"), "w") as f:
    f.write('public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n')
subprocess.run(["javac", "-d", work, os.path.join(work, "Hello.java")], check=True)

cmds = {"hello": ["java", "-cp", work, "Hello"],
        "rsslab --version": [launcher, "--version"],
        "java -jar rsslab.jar --version (no archive)": ["java", "-jar", b.JAR, "--version"],
        "rsslab variants": [launcher, "variants"],
        "java -jar rsslab.jar variants (no archive)": ["java", "-jar", b.JAR, "variants"]}
runs = {k: [] for k in cmds}
print("load average at the start: %s" % b.load())
for i in range(n):
    for k in (list(cmds) if i % 2 == 0 else list(cmds)[::-1]):
        runs[k].append(b.run(cmds[k]))
hello_wall = sorted(r.wall for r in runs["hello"])[n // 2]
for k, rs in runs.items():
    print("%-45s wall %s s, CPU %s s" % (k, b.spread([r.wall for r in rs]), b.spread([r.cpu for r in rs])))
for k in list(cmds)[1:]:
    ratios = [x.wall / h.wall for x, h in zip(runs[k], runs["hello"])]
    print("%s / hello, wall, per round: %s (goal <= 4 for rsslab --version)" % (k, b.spread(ratios, "%.2f")))
print("load average at the end: %s" % b.load())
