#!/usr/bin/env python3
"""Report of the end-to-end benchmark (scripts/perf-e2e.sh), standard library only.

    scripts/perf-report.py --results DIR [--doc docs/performance.md] [--svg docs/images/e2e-throughput.svg]

Reads DIR/expect.json (the generator's changelog), DIR/meta.json (sizes, versions, command),
DIR/NAME.REP.json (a contender's result line) with DIR/NAME.REP.time (GNU time: whole-process
wall, CPU, peak RSS) and DIR/instructions.txt; checks every contender's counts against the
generator's; writes DIR/report.md and, with --doc, the same text between the markers
<!-- e2e:begin --> and <!-- e2e:end --> of that file; with --svg, the chart.
Exits 1 when a count disagrees or a contender is missing, after writing everything.
"""
import argparse
import glob
import json
import os
import platform
import re
import statistics
import sys
import textwrap

BEGIN, END = "<!-- e2e:begin -->", "<!-- e2e:end -->"
CEILINGS = ["raw-consume", "parse"]
CONSUMERS = ["raw-consume", "parse", "upsertkit-source", "kafka-streams", "flink"]
PRODUCERS = ["raw-produce", "sink", "sink-buffered"]
PIPES = ["pipe-at-least-once", "pipe-exactly-once"]
PEERS = ["kafka-streams", "flink"]
KINDS = ["inserts", "update_befores", "update_afters", "deletes"]
LABELS = {
    "raw-consume": "raw librdkafka consumer (ceiling)",
    "parse": "raw consumer + simdjson parse (parse ceiling)",
    "upsertkit-source": "upsertkit source + materializer",
    "kafka-streams": "Kafka Streams KTable",
    "flink": "Flink SQL upsert-kafka",
    "raw-produce": "raw librdkafka producer (ceiling)",
    "sink": "upsertkit sink",
    "sink-buffered": "upsertkit sink, reducing buffer",
    "pipe-at-least-once": "pipe source → sink, at-least-once",
    "pipe-exactly-once": "pipe source → sink, exactly-once",
}


def load(path):
    with open(path) as f:
        return json.load(f)


def results(directory):
    """name -> list of runs (result line merged with its GNU time figures)."""
    runs = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.*.json"))):
        name, rep = os.path.basename(path)[: -len(".json")].rsplit(".", 1)
        if not rep.isdigit():
            continue
        run = load(path)
        time_path = os.path.join(directory, f"{name}.{rep}.time")
        if os.path.exists(time_path):
            with open(time_path) as f:
                # GNU time prints "Command exited with non-zero status" first on failure.
                lines = [l for l in f.read().splitlines() if l.startswith("{")]
            if lines:
                run["process"] = json.loads(lines[-1])
        runs.setdefault(name, []).append(run)
    return runs


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(runs):
    """The median of each figure over the repetitions."""
    s = {
        "reps": len(runs),
        "records": runs[0]["records"],
        "bytes": runs[0].get("bytes"),  # the JVM peers do not count bytes
        "seconds": median([r["seconds"] for r in runs]),
        "cpu_seconds": median([r["cpu_seconds"] for r in runs]),
        "version": runs[0].get("version", ""),
        "written": median([r.get("written") for r in runs]),
        "setup_rss_mb": median([r["setup_rss_kb"] / 1024 for r in runs if "setup_rss_kb" in r]),
    }
    s["records_per_s"] = median([r["records"] / r["seconds"] for r in runs if r["seconds"] > 0])
    s["records_per_cpu_s"] = median(
        [r["records"] / r["cpu_seconds"] for r in runs if r["cpu_seconds"] > 0])
    procs = [r["process"] for r in runs if "process" in r]
    s["maxrss_mb"] = median([p["maxrss_kb"] / 1024 for p in procs])
    s["process_cpu"] = median([p["user"] + p["sys"] for p in procs])
    s["process_wall"] = median([p["wall"] for p in procs])
    s["records_per_process_cpu_s"] = median(
        [r["records"] / (r["process"]["user"] + r["process"]["sys"]) for r in runs
         if "process" in r and r["process"]["user"] + r["process"]["sys"] > 0])
    s["seconds_from_start"] = median([r.get("seconds_from_start") for r in runs])
    s["commits"] = median([r.get("commits") for r in runs])
    for k in KINDS + ["unchanged", "tombstones", "offsets_records", "forwarded",
                      "forwarded_identical", "forwarded_absent_tombstones"]:
        values = {r.get(k) for r in runs}
        s[k] = values.pop() if len(values) == 1 else sorted(values, key=str)
    return s


def check(name, s, expect):
    """Disagreements with the generator's expect file, as text."""
    problems = []
    if name in PIPES:
        # The source's counters, and one record written per +I, +U and -D (no buffer).
        written = expect["inserts"] + expect["update_afters"] + expect["deletes"]
        want = {"records": expect["records"], "bytes": expect["bytes"],
                "unchanged": expect["unchanged"], "written": written}
        want.update({k: expect[k] for k in KINDS})
    elif name in CONSUMERS:
        # The JVM peers may count bytes their own way: records and kinds are checked.
        want = {"records": expect["records"]}
        if name not in PEERS:
            want["bytes"] = expect["bytes"]
        if name == "parse":
            # The workload only deletes live keys: one tombstone per -D.
            want["tombstones"] = expect["deletes"]
        elif name != "raw-consume":
            want.update({k: expect[k] for k in KINDS})
        if name == "upsertkit-source":
            want["unchanged"] = expect["unchanged"]
    else:
        written = expect["inserts"] + expect["update_afters"] + expect["deletes"]
        want = {"records": written}
        want.update({k: expect[k] for k in KINDS})
        if name != "sink-buffered" and s.get("written") is not None and s["written"] != written:
            problems.append(f"written {s['written']:,.0f}, expected {written:,}")
    if name == "flink" and s.get("offsets_records") is not None:
        # records is ChangelogNormalize's numRecordsIn; the offsets must say the same.
        want["offsets_records"] = expect["records"]
    if name == "kafka-streams" and s.get("forwarded") is not None:
        # Streams forwards every record with a key, no-ops included (benchmarks/peers/README.md).
        want["forwarded"] = expect["records"]
        noops = s.get("forwarded_identical"), s.get("forwarded_absent_tombstones")
        if None not in noops and sum(noops) != expect["unchanged"]:
            problems.append(f"forwarded_identical + forwarded_absent_tombstones {sum(noops):,}, "
                            f"expected {expect['unchanged']:,} (unchanged)")
    for k, v in want.items():
        if s.get(k) != v:
            problems.append(f"{k} {s.get(k)}, expected {v:,}")
    return problems


def fmt(v, digits=0, suffix=""):
    if v is None:
        return "—"
    if isinstance(v, list):
        return "/".join(str(x) for x in v) + " (differ between runs)"
    return f"{v:,.{digits}f}{suffix}"


def ratio(a, b):
    return a / b if a and b else None


def machine():
    model, cores = "unknown CPU", 0
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
        m = re.search(r"^model name\s*:\s*(.*)$", text, re.M)
        model = m.group(1).strip() if m else model
        cores = len(re.findall(r"^processor\s*:", text, re.M))
        flags = re.search(r"^flags\s*:\s*(.*)$", text, re.M)
        simd = "AVX-512" if flags and "avx512f" in flags.group(1).split() else (
            "AVX2" if flags and "avx2" in flags.group(1).split() else "no AVX2")
    except OSError:
        simd = "?"
    nproc = os.cpu_count()
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    osname = platform.system()
    try:
        with open("/etc/os-release") as f:
            m = re.search(r'^PRETTY_NAME="?([^"\n]*)', f.read(), re.M)
            osname = m.group(1) if m else osname
    except OSError:
        pass
    load = ""
    try:
        load = " load average at report time " + open("/proc/loadavg").read().split()[0]
    except OSError:
        pass
    return f"{model} ({simd}), {cores} logical CPUs in /proc/cpuinfo, nproc {nproc}{mem}; {osname}, kernel {platform.release()};{load}"


def peer_version(summary, name):
    return summary[name]["version"] if name in summary else "not run"


def report(directory):
    expect = load(os.path.join(directory, "expect.json"))
    meta = load(os.path.join(directory, "meta.json"))
    runs = results(directory)
    summary = {name: summarize(r) for name, r in runs.items()}
    problems = list(meta.get("failures", []))
    for name, s in summary.items():
        for p in check(name, s, expect):
            problems.append(f"{name}: {p}")
    expected_names = ["raw-consume", "upsertkit-source"] + PRODUCERS + PIPES
    if meta.get("peers"):
        expected_names += PEERS
    for name in expected_names:
        if name not in summary:
            problems.append(f"{name}: no result")
    instructions = None
    try:
        with open(os.path.join(directory, "instructions.txt")) as f:
            m = re.search(r"decode\+materialize (\d+) instructions/record", f.read())
            instructions = int(m.group(1)) if m else None
    except OSError:
        pass

    cpp_version = summary.get("upsertkit-source", summary.get("raw-consume", {})).get("version", "")
    raw = summary.get("raw-consume", {})
    ours = summary.get("upsertkit-source", {})
    out = []
    w = out.append
    w(f"Run of {meta['date']} (UTC): `{meta['command']}`"
      + (" (**quick smoke run**, not the issue's sizes)" if meta.get("quick") else "") + ".")
    w("")
    w(f"- **Workload**: {expect['records']:,} records ({expect['bytes'] / 1e6:,.1f} MB of keys and "
      f"values) over {expect['keys']:,} keys, {expect['partitions']} partitions, seed "
      f"{expect['seed']}, mix {expect['mix']} (update, repeat, tombstone, new key, %); expected "
      f"changelog: {expect['inserts']:,} +I, {expect['update_befores']:,} -U, "
      f"{expect['update_afters']:,} +U, {expect['deletes']:,} -D, {expect['unchanged']:,} "
      f"unchanged, {expect['live_keys']:,} live keys at the end.")
    w(f"- **Machine**: {machine()}.")
    broker = ("a cluster given with --brokers" if meta.get("brokers_given")
              else f"Apache Kafka {meta.get('kafka_broker')} (one KRaft node on 127.0.0.1, started by the script)")
    w(f"- **Versions**: {meta.get('gxx')}; {cpp_version}; broker {broker}; "
      f"{meta.get('java')}; Kafka Streams peer: {peer_version(summary, 'kafka-streams')}; "
      f"Flink peer: {peer_version(summary, 'flink')}.")
    w(f"- **Repetitions**: {meta.get('reps')} per C++ contender, {meta.get('jvm_reps')} per JVM "
      "peer; each figure is the median over them. `records/s` and CPU are the contender's own "
      "processing window (wall time and getrusage CPU of all its threads); the whole process "
      "(start-up, a JVM's included) and peak RSS are from GNU time.")
    w("")
    parse = summary.get("parse", {})
    w("Consumers (each reads the whole topic; all but the two ceilings materialize it):")
    w("")
    w("| contender | records/s | vs raw consume | vs parse | window CPU s | records per CPU-s (window) "
      "| whole process: wall s, CPU s | records per CPU-s (whole process) "
      "| upsertkit's records/CPU-s vs this (window, process) | peak RSS | +I / -U / +U / -D | counts |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in CONSUMERS:
        if name not in summary:
            if name in PEERS or name == "parse":
                w(f"| {LABELS[name]} | not run |" + " |" * 10)
            continue
        s = summary[name]
        bad = [p for p in problems if p.startswith(name + ":")]
        if name == "raw-consume":
            kinds = "—"
        elif name == "parse":
            kinds = f"{fmt(s.get('tombstones'))} tombstones"
        else:
            kinds = " / ".join(fmt(s[k]) for k in KINDS)
        agree = "**DISAGREE**" if bad else {
            "raw-consume": "records and bytes agree",
            "parse": "records, bytes and tombstones agree"}.get(name, "agree")
        vs = "—"
        if name in PEERS:
            vs = (f"{fmt(ratio(ours.get('records_per_cpu_s'), s['records_per_cpu_s']), 2, 'x')}, "
                  f"{fmt(ratio(ours.get('records_per_process_cpu_s'), s['records_per_process_cpu_s']), 2, 'x')}")
        w(f"| {LABELS[name]} | {fmt(s['records_per_s'])} | "
          f"{fmt(ratio(s['records_per_s'], raw.get('records_per_s')), 2, 'x')} | "
          f"{'—' if name == 'raw-consume' else fmt(ratio(s['records_per_s'], parse.get('records_per_s')), 2, 'x')} | "
          f"{fmt(s['cpu_seconds'], 2)} | {fmt(s['records_per_cpu_s'])} | "
          f"{fmt(s['process_wall'], 2)}, {fmt(s['process_cpu'], 2)} | "
          f"{fmt(s['records_per_process_cpu_s'])} | {vs} | "
          f"{fmt(s['maxrss_mb'], 0, ' MB')} | {kinds} | {agree} |")
    w("")
    w("The parse ceiling is the raw consumer plus raw simdjson On-Demand over every value (every "
      "field of the order read, tombstones counted, nothing materialized): the JSON parse every "
      "decoding consumer must pay, so the source's gap to the raw ceiling that lies between raw "
      "and parse is not decoding overhead of upsertkit's. The window is the contender's own: for "
      "the C++ programs it starts before the consumer is created; for the JVM peers at the first "
      "record they process (start-up, group join and job submission excluded: see the whole "
      "process columns and `seconds_from_start` in their result lines).")
    rates = [x.get("records_per_s") for x in (raw, parse, ours)]
    if all(rates) and rates[2] < rates[0]:
        parse_us, source_us = (1e6 / rates[1] - 1e6 / rates[0]), (1e6 / rates[2] - 1e6 / rates[0])
        w(f"In this run the parse ceiling spent {parse_us:.2f} µs per record more than the raw "
          f"one and the source {source_us:.2f} µs: the JSON parse alone is "
          f"{100 * parse_us / source_us:.0f}% of the source's gap to the raw ceiling (wall time "
          "of the windows).")
    w("")
    w("Sink (the same changelog written to a new topic; records = the +I, +U and -D to write):")
    w("")
    w("| contender | records/s | vs raw produce | CPU s | records per CPU-s | records written | peak RSS | of which setup |")
    w("|---|---|---|---|---|---|---|---|")
    rawp = summary.get("raw-produce", {})
    for name in PRODUCERS:
        if name not in summary:
            continue
        s = summary[name]
        w(f"| {LABELS[name]} | {fmt(s['records_per_s'])} | "
          f"{fmt(ratio(s['records_per_s'], rawp.get('records_per_s')), 2, 'x')} | "
          f"{fmt(s['cpu_seconds'], 2)} | {fmt(s['records_per_cpu_s'])} | {fmt(s['written'])} | "
          f"{fmt(s['maxrss_mb'], 0, ' MB')} | {fmt(s['setup_rss_mb'], 0, ' MB')} |")
    w("")
    w("Peak RSS of the produce contenders includes the changelog their untimed setup holds in "
      "memory (RSS when the clock starts: \"of which setup\").")
    w("")
    if any(n in summary for n in PIPES):
        interval = meta.get("pipe_commit_interval_ms", 100)
        w(f"Pipes (`INSERT INTO out SELECT * FROM in`: the source in a consumer group feeding the "
          f"sink, the workload topic copied to a new one; records = input records; a durability "
          f"point every {interval} ms: at-least-once flushes the sink then commits, exactly-once "
          f"commits the sink's transaction with the source's offsets in it):")
        w("")
        w("| contender | records/s | vs source alone | vs raw consume | CPU s | records per CPU-s "
          "| records written | durability points | peak RSS | counts |")
        w("|---|---|---|---|---|---|---|---|---|---|")
        for name in PIPES:
            if name not in summary:
                continue
            s = summary[name]
            bad = [p for p in problems if p.startswith(name + ":")]
            w(f"| {LABELS[name]} | {fmt(s['records_per_s'])} | "
              f"{fmt(ratio(s['records_per_s'], ours.get('records_per_s')), 2, 'x')} | "
              f"{fmt(ratio(s['records_per_s'], raw.get('records_per_s')), 2, 'x')} | "
              f"{fmt(s['cpu_seconds'], 2)} | {fmt(s['records_per_cpu_s'])} | {fmt(s['written'])} | "
              f"{fmt(s['commits'])} | {fmt(s['maxrss_mb'], 0, ' MB')} | "
              f"{'**DISAGREE**' if bad else 'agree'} |")
        alo, eos = summary.get("pipe-at-least-once", {}), summary.get("pipe-exactly-once", {})
        cost = ratio(eos.get("records_per_s"), alo.get("records_per_s"))
        if cost is not None:
            w("")
            w(f"Exactly-once runs at **{cost:.2f}x** the at-least-once pipe's records/s in this run "
              f"({fmt(ratio(eos.get('records_per_cpu_s'), alo.get('records_per_cpu_s')), 2, 'x')} "
              "its records per CPU-second).")
        w("")
    if instructions is not None:
        w(f"Decode (CSV key + JSON value) + materialize: **{instructions:,} instructions per record** "
          "(callgrind, `scripts/instruction-count.sh --e2e`: 50,000 records of the same workload "
          "over 5,000 keys).")
        w("")

    # Targets of issue 7.
    def target(text, value, goal, better="higher"):
        if value is None:
            return f"| {text} | not measured | {goal}x | — |"
        met = value >= goal if better == "higher" else value <= goal
        return f"| {text} | {value:.2f}x | {goal}x | {'met' if met else '**missed**'} |"

    w("| target (issue 7) | measured | goal | |")
    w("|---|---|---|---|")
    w(target("upsertkit source records/s vs raw consume", ratio(ours.get("records_per_s"), raw.get("records_per_s")), 0.8))
    vs_parse = ratio(ours.get("records_per_s"), parse.get("records_per_s"))
    w(f"| upsertkit source records/s vs parse ceiling (for reference, not a target) | "
      f"{fmt(vs_parse, 2, 'x')} | — | — |")
    for peer, goal in (("kafka-streams", 10), ("flink", 20)):
        p = summary.get(peer, {})
        row = target(f"records per CPU-s (processing window) vs {LABELS[peer]}", ratio(ours.get("records_per_cpu_s"), p.get("records_per_cpu_s")), goal)
        whole = ratio(ours.get("records_per_process_cpu_s"), p.get("records_per_process_cpu_s"))
        if whole is not None:
            row = row.replace("x | ", f"x (whole process: {whole:.2f}x) | ", 1)
        w(row)
        mem = ratio(ours.get("maxrss_mb"), p.get("maxrss_mb"))
        w(f"| peak RSS vs {LABELS[peer]} | {fmt(mem, 2, 'x')} | < 1x | "
          f"{'—' if mem is None else ('met' if mem < 1 else '**missed**')} |")
    w(target("upsertkit sink records/s vs raw produce", ratio(summary.get("sink", {}).get("records_per_s"), rawp.get("records_per_s")), 0.8))
    w(target("sink with buffer records/s vs raw produce", ratio(summary.get("sink-buffered", {}).get("records_per_s"), rawp.get("records_per_s")), 0.8))
    w("")
    if problems:
        w("**Problems in this run** (a disagreement is a bug to explain):")
        w("")
        for p in problems:
            w(f"- {p}")
    else:
        w("Every contender's changelog counts agree with the generator's.")
    w("")
    w("![records/s and records per CPU-second per contender](images/e2e-throughput.svg)")
    meta["footer"] = (
        textwrap.wrap(f"Machine: {machine()}.", 140)
        + textwrap.wrap(f"Versions: {meta.get('gxx')}; {cpp_version}; broker {broker}; "
                        f"{meta.get('java')}; {peer_version(summary, 'kafka-streams')}; "
                        f"{peer_version(summary, 'flink')}.", 140)
        + textwrap.wrap("Processing window: the contender's own clock (JVM peers from their first "
                        "record); whole process: GNU time, start-up included (consumers only: a "
                        "producer's process also generates the changelog it writes).", 140))
    return "\n".join(out) + "\n", summary, problems, meta


def esc(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg(summary, meta, path, footer=()):
    """Grouped horizontal bars per contender: records/s, records per CPU-second of the
    contender's window and of the whole process; `footer`: lines of machine and versions."""
    names = [n for n in CONSUMERS + PRODUCERS + PIPES if n in summary]
    series = [("records/s (wall)", "records_per_s", "#4e79a7"),
              ("records per CPU-s (processing window)", "records_per_cpu_s", "#f28e2b"),
              ("records per CPU-s (whole process)", "records_per_process_cpu_s", "#59a14f")]
    bars = len(series)
    top = max([summary[n].get(k) or 0 for n in names for _, k, _ in series] + [1])
    label_w, bar_w, bar_h, gap, pad = 330, 420, 13, 14, 20
    width = label_w + bar_w + 110
    legend_y = pad + 30
    head = legend_y + 22
    height = head + len(names) * (bars * bar_h + gap) + 12 + 16 * len(footer) + pad
    e = []
    e.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="13">')
    e.append(f'<rect width="{width}" height="{height}" fill="white"/>')
    sizes = f"{meta['records']:,} records, {meta['keys']:,} keys, {meta['partitions']} partitions"
    quick = " (quick smoke run)" if meta.get("quick") else ""
    e.append(f'<text x="{pad}" y="{pad + 4}" font-size="15" font-weight="bold">upsertkit end to end '
             f'on a real broker: {sizes}</text>')
    e.append(f'<text x="{pad}" y="{pad + 22}" fill="#555">{meta["date"][:10]}, median of '
             f'{meta["reps"]} (C++) / {meta["jvm_reps"]} (JVM) runs{quick}; millions; higher is better</text>')
    x = pad
    for label, _, color in series:
        e.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{color}"/>')
        e.append(f'<text x="{x + 16}" y="{legend_y + 11}">{label}</text>')
        x += 16 + 7 * len(label) + 24
    y = head
    last_consumer = max((i for i, n in enumerate(names) if n in CONSUMERS), default=-1)
    for i, n in enumerate(names):
        s = summary[n]
        e.append(f'<text x="{label_w - 8}" y="{y + bars * bar_h / 2 + 4:.0f}" text-anchor="end">{esc(LABELS[n])}</text>')
        for j, (_, key, color) in enumerate(series):
            if key == "records_per_process_cpu_s" and n in PRODUCERS + PIPES:
                continue  # producers generate the changelog untimed; pipes create topics
            v = s.get(key)
            w = max(1, bar_w * (v or 0) / top)
            yy = y + j * bar_h
            e.append(f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="{bar_h - 2}" fill="{color}"/>')
            text = "—" if v is None else f"{v / 1e6:.2f}"
            e.append(f'<text x="{label_w + w + 6:.1f}" y="{yy + bar_h - 3}" font-size="11">{text}</text>')
        y += bars * bar_h + gap
        if i == last_consumer and i != len(names) - 1:
            e.append(f'<line x1="{pad}" x2="{width - pad}" y1="{y - gap / 2}" y2="{y - gap / 2}" stroke="#ccc"/>')
    e.append(f'<line x1="{label_w}" x2="{label_w}" y1="{head - 4}" y2="{y - gap + 4}" stroke="#333"/>')
    y += 12
    for line in footer:
        e.append(f'<text x="{pad}" y="{y}" font-size="11" fill="#555">{esc(line)}</text>')
        y += 16
    e.append("</svg>")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(e) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--doc")
    parser.add_argument("--svg")
    args = parser.parse_args()
    text, summary, problems, meta = report(args.results)
    with open(os.path.join(args.results, "report.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.results, "summary.json"), "w") as f:
        json.dump({"summary": summary, "problems": problems}, f, indent=1)
    svg(summary, meta, os.path.join(args.results, "e2e-throughput.svg"), meta["footer"])
    if args.svg:
        svg(summary, meta, args.svg, meta["footer"])
    if args.doc:
        with open(args.doc) as f:
            doc = f.read()
        if BEGIN not in doc or END not in doc:
            sys.exit(f"perf-report: {args.doc} has no {BEGIN} ... {END} markers")
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(args.doc, "w") as f:
            f.write(head + BEGIN + "\n" + text + END + tail)
    sys.stdout.write(text)
    if problems:
        sys.stderr.write("perf-report: PROBLEMS:\n" + "".join(f"  - {p}\n" for p in problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
