#!/usr/bin/env python3
"""probe_trace_breakdown.py TRACE - where a probe run spends its time, by section.

Test tooling for capture-bench-reports.sh. TRACE is the stderr of the probe run under
  bash -c 'PS4="+${EPOCHREALTIME} "; set -x; . netready-probe.sh ...'
Every traced command starts with "+<seconds.micros> ". For each section the time from the end of the
previous section to its `emit_section NAME` call is "collect" (running the command or reading the
file), and from that call to emit_section's last line (`NSECTIONS=...`) is "encode" (wc, base64 of
the output and stderr, appending to the sections file). Prints a table, slowest first, then the
slowest single commands (time until the next traced command starts, so a pipeline is charged to
its last stage).
"""

import re
import sys

LINE = re.compile(r"^(\++)(\d+\.\d+) (.*)$")


def main(path):
    events = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if m:
                events.append((len(m.group(1)), float(m.group(2)), m.group(3)))
    if not events:
        sys.exit("no trace lines in " + path)
    first, last = events[0][1], events[-1][1]
    start = next((t for d, t, c in events if c == "collect_all"), first)
    sections = []          # (name, collect, encode)
    mark = start
    pending = None         # (name, t_emit)
    for depth, t, cmd in events:
        if cmd.startswith("emit_section "):
            pending = (cmd.split(" ", 1)[1], t)
        elif cmd.startswith("NSECTIONS=") and pending:
            name, t_emit = pending
            sections.append((name, t_emit - mark, t - t_emit))
            mark = t
            pending = None
    tail = last - mark
    total = last - first
    print("%-34s %9s %9s %9s" % ("section", "collect", "encode", "total"))
    for name, c, e in sorted(sections, key=lambda s: -(s[1] + s[2])):
        print("%-34s %7.0f ms %6.0f ms %6.0f ms" % (name, c * 1000, e * 1000, (c + e) * 1000))
    sc = sum(s[1] for s in sections)
    se = sum(s[2] for s in sections)
    print("%-34s %7.0f ms %6.0f ms %6.0f ms" % ("all %d sections" % len(sections), sc * 1000, se * 1000,
                                                 (sc + se) * 1000))
    print("%-34s %27.0f ms" % ("before collecting (setup, uuid)", (start - first) * 1000))
    print("%-34s %27.0f ms" % ("write_report + --output copy", tail * 1000))
    print("%-34s %27.0f ms" % ("traced span", total * 1000))
    # slowest single commands
    steps = []
    for i in range(len(events) - 1):
        steps.append((events[i + 1][1] - events[i][1], events[i][2]))
    steps.sort(key=lambda s: -s[0])
    print("\nslowest traced commands (until the next traced command):")
    for dt, cmd in steps[:12]:
        print("  %7.0f ms  %s" % (dt * 1000, cmd[:110]))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
