#!/usr/bin/python3
"""Where a JFR recording's CPU samples went: reads `jfr print --stack-depth 64 --events
jdk.ExecutionSample` on stdin and prints the methods that were on top of the stack most often (self),
the methods on the stack most often (total, each method counted once per sample), and the samples
by thread name (digits folded, so a pool's threads add up). Used by bench/profile.sh."""
import collections
import re
import sys

TOP = 25
samples = 0
self_counts = collections.Counter()
total_counts = collections.Counter()
threads = collections.Counter()
frames = None
thread = None
for line in sys.stdin:
    line = line.strip()
    if line.startswith("sampledThread = "):
        name = re.match(r'sampledThread = "([^"]*)"', line)
        thread = re.sub(r"\d+", "N", name.group(1)) if name else "?"
    elif line == "stackTrace = [":
        frames = []
    elif frames is not None and line == "]":
        if frames:
            samples += 1
            self_counts[frames[0]] += 1
            for method in set(frames):
                total_counts[method] += 1
            threads[thread] += 1
        frames = None
    elif frames is not None and line != "...":
        # "a.b.C.method(Args) line: 12" -> "a.b.C.method"
        frames.append(re.sub(r"\(.*$", "", line))


def show(title, counter):
    print(f"{title}")
    for method, count in counter.most_common(TOP):
        print(f"  {100.0 * count / samples:5.1f} %  {method}")
    print()


if samples == 0:
    sys.exit("jfr-top.py: no execution samples in the input")
print(f"{samples} CPU samples of Java code (jdk.ExecutionSample)\n")
show("By thread:", threads)
show(f"Self (top of the stack), the top {TOP}:", self_counts)
show(f"Total (anywhere on the stack), the top {TOP}:", total_counts)
