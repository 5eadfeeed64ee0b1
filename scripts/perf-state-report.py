#!/usr/bin/env python3
"""The report of scripts/perf-state.sh: markdown tables from a results directory.

Exits 1 when a changelog count disagrees with the generator's (a first build must emit exactly
the generator's changes; a restart with nothing new must emit none).
"""
import json
import os
import sys


def load(out, name):
    result, timing = None, None
    path = os.path.join(out, name + ".json")
    if os.path.exists(path):
        with open(path) as f:
            result = json.load(f)
    path = os.path.join(out, name + ".time")
    if os.path.exists(path):
        with open(path) as f:
            text = f.read().strip().splitlines()
            timing = json.loads(text[-1]) if text else None
    return result, timing


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "meta.json")) as f:
        meta = json.load(f)
    problems = []
    kinds = ("inserts", "update_befores", "update_afters", "deletes")

    def expect(topic):
        path = os.path.join(out, "expect-%s.json" % topic)
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return json.load(f)

    def check(name, result, wanted):
        if result is None:
            problems.append("%s: no result" % name)
            return
        for k in kinds:
            if k in result and result[k] != wanted[k]:
                problems.append("%s: %s %d, expected %d" % (name, k, result[k], wanted[k]))

    print("# perf-state %s" % meta["date"])
    print()
    print("`%s`; %d partitions; topics: small %s, large %s, wide %s." % (
        meta["command"], meta["partitions"], meta["topics"]["small"], meta["topics"]["large"],
        meta["topics"]["wide"]))
    print()
    print("## Restart with nothing new (consumer group)")
    print()
    print("| topic | store | broker delay | membership | caught up after (s) | process wall (s) "
          "| records read | first build (s, CPU s) |")
    print("|---|---|---|---|---|---|---|---|")
    zero = {k: 0 for k in kinds}
    for size in ("small", "large") if meta.get("only") != "wide" else ():
        topic = meta["topics"][size]
        records = meta[size]
        wanted = expect(topic)
        for store in ("memory", "rocksdb"):
            build, build_time = load(out, "build-%s-%s" % (size, store))
            check("build-%s-%s" % (size, store), build, wanted)
            first = "—"
            if build and build_time:
                first = "%.2f, %.2f" % (build["seconds"], build_time["user"] + build_time["sys"])
            for suffix, delay, member in (("delay0", 0, "dynamic"), ("delay3000", 3000, "dynamic"),
                                          ("delay3000-static", 3000, "static")):
                name = "restart-%s-%s-%s" % (size, store, suffix)
                result, timing = load(out, name)
                if result is None and timing is None:
                    continue
                check(name, result, zero)
                label = member
                if store == "rocksdb":
                    label = "static (derived: the default)" if member == "static" else \
                        "dynamic (--dynamic-membership)"
                elif member == "static":
                    label = "static (group.instance.id)"
                print("| %s (%d records) | %s | %d ms | %s | %s | %s | %s | %s |" % (
                    size, records, store, delay, label,
                    "%.2f" % result["seconds"] if result else "failed",
                    "%.2f" % timing["wall"] if timing else "—",
                    "{:,}".format(result["records"]) if result else "—", first))
                first = ""
    if meta.get("only") == "restart":
        return finish(meta, problems)
    print()
    print("## %d records over %d keys, first build, no group" % (meta["wide"], meta["wide_keys"]))
    print()
    wanted = expect(meta["topics"]["wide"])
    print("Live keys at the end: {:,}.".format(wanted.get("live_keys", 0)))
    print()
    print("| contender | wall (s) | CPU s (whole process) | records per CPU-s | vs Kafka Streams "
          "| peak RSS (MB) | state on disk (MB) |")
    print("|---|---|---|---|---|---|---|")
    rows = {}
    for name in ("wide-rocksdb", "wide-memory", "wide-kafka-streams"):
        result, timing = load(out, name)
        if result is None or timing is None:
            continue
        if name != "wide-kafka-streams":
            check(name, result, wanted)
        cpu = timing["user"] + timing["sys"]
        rows[name] = (result, timing, result["records"] / cpu if cpu > 0 else 0.0)
    ks = rows.get("wide-kafka-streams")
    for name, (result, timing, rate) in rows.items():
        print("| %s | %.2f | %.2f | %s | %s | %.0f | %s |" % (
            name[len("wide-"):], timing["wall"], timing["user"] + timing["sys"],
            "{:,.0f}".format(rate), "%.2fx" % (rate / ks[2]) if ks and ks[2] > 0 else "—",
            timing["maxrss_kb"] / 1024.0,
            "%.0f" % (result["state_disk_bytes"] / 1e6) if "state_disk_bytes" in result else "—"))
    restart, restart_time = load(out, "wide-rocksdb-restart")
    if restart is not None and restart_time is not None:
        check("wide-rocksdb-restart", restart, {k: 0 for k in kinds})
        print()
        print("Restart of the rocksdb contender on the state it left (nothing new, no group): "
              "caught up after %.2f s (process wall %.2f s), %s records read, peak RSS %.0f MB."
              % (restart["seconds"], restart_time["wall"], "{:,}".format(restart["records"]),
                 restart_time["maxrss_kb"] / 1024.0))
    return finish(meta, problems)


def finish(meta, problems):
    if meta["failures"]:
        print()
        print("Failures: " + "; ".join(meta["failures"]))
    if problems:
        print()
        print("Count disagreements: " + "; ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
