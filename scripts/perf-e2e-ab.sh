#!/usr/bin/env bash
# Two builds' end-to-end contenders alternated on one broker and one topic: whether a change
# made the source or the sink slower, beyond the noise of a shared VM (issue 15: "no regression
# beyond noise, shown by alternating old and new binaries").
#
#   scripts/perf-e2e-ab.sh OLD_BIN NEW_BIN [--reps N] [--records N] [--keys K]
#                          [--partitions P] [--seed S] [--brokers HOST:PORT]
#                          [--contenders raw-consume,source,raw-produce,sink,sink-buffered]
#
# OLD_BIN and NEW_BIN are directories holding upsertkit_e2e_consume and upsertkit_e2e_produce
# (build/release/benchmarks of two checkouts; NEW_BIN also upsertkit_e2e_workload, which writes
# the topic). Each repetition runs every contender (raw consume, source, raw produce, sink,
# sink with the reducing buffer) with both builds back to back, old first in odd repetitions
# and new first in even ones, so a drift of the machine falls on both. Prints one line per run
# (records/s and CPU-seconds) and a table of new/old per repetition; writes the runs to
# build/perf-e2e-ab/<UTC timestamp>/runs.tsv. Starts its own broker unless --brokers is given.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
die() {
  echo "perf-e2e-ab: $*" >&2
  exit 1
}
(($# >= 2)) || die "usage: scripts/perf-e2e-ab.sh OLD_BIN NEW_BIN [--reps N] [--records N] [--keys K] [--partitions P] [--seed S] [--brokers HOST:PORT] [--contenders LIST]"
old_bin=$(cd "$1" && pwd) || die "no directory $1"
new_bin=$(cd "$2" && pwd) || die "no directory $2"
shift 2
reps=3 records=2000000 keys=200000 partitions=4 seed=42 brokers=""
contenders=raw-consume,source,raw-produce,sink,sink-buffered
while (($#)); do
  case $1 in
  --reps) reps=$2 ;;
  --records) records=$2 ;;
  --keys) keys=$2 ;;
  --partitions) partitions=$2 ;;
  --seed) seed=$2 ;;
  --brokers) brokers=$2 ;;
  --contenders) contenders=$2 ;;
  *) die "unknown option $1" ;;
  esac
  shift 2
done
known=" raw-consume source raw-produce sink sink-buffered "
IFS=, read -ra chosen <<<"$contenders"
((${#chosen[@]})) || die "--contenders: the list is empty"
seen=" "
for c in "${chosen[@]}"; do
  [[ $known == *" $c "* ]] || die "--contenders: unknown contender '$c' (known:$known)"
  [[ $seen != *" $c "* ]] || die "--contenders: '$c' is listed twice"
  seen+="$c "
done
for b in "$old_bin" "$new_bin"; do
  for program in upsertkit_e2e_consume upsertkit_e2e_produce; do
    [[ -x $b/$program ]] || die "$b/$program does not exist (build the release preset with -DUPSERTKIT_BUILD_BENCHMARKS=ON)"
  done
done
[[ -x $new_bin/upsertkit_e2e_workload ]] || die "$new_bin/upsertkit_e2e_workload does not exist"

out=build/perf-e2e-ab/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
log() { echo "perf-e2e-ab: $*" >&2; }

# shellcheck source=scripts/lib/perf-broker.sh
source scripts/lib/perf-broker.sh
perf_broker_start

topic=orders-e2e-ab-$records-$keys-$partitions-$seed
workload=(--records "$records" --keys "$keys" --seed "$seed")
log "workload: $records records over $keys keys into $topic ($partitions partitions)"
"$new_bin/upsertkit_e2e_workload" --brokers "$brokers" --topic "$topic" \
  --partitions "$partitions" "${workload[@]}" --expect "$out/expect.json" --recreate

printf 'rep\tcontender\tbuild\trecords\tseconds\tcpu_seconds\n' >"$out/runs.tsv"
# run REP CONTENDER BUILD BIN: one run; its JSON result's figures into runs.tsv.
run() {
  local rep=$1 contender=$2 build=$3 bin=$4 result
  local command
  case $contender in
  raw-consume) command=("$bin/upsertkit_e2e_consume" --mode raw --brokers "$brokers" --topic "$topic") ;;
  source) command=("$bin/upsertkit_e2e_consume" --mode source --brokers "$brokers" --topic "$topic") ;;
  raw-produce | sink | sink-buffered)
    local mode=${contender#raw-}
    [[ $contender == raw-produce ]] && mode=raw
    command=("$bin/upsertkit_e2e_produce" --mode "$mode" --brokers "$brokers"
      --topic "$topic-out-$contender-$build-$rep" --partitions "$partitions" "${workload[@]}"
      --recreate --drop-topic)
    ;;
  *) die "unknown contender $contender" ;;
  esac
  if ! result=$("${command[@]}" 2>"$out/$contender.$build.$rep.err" | tail -n 1); then
    die "$contender ($build, rep $rep) failed: see $out/$contender.$build.$rep.err"
  fi
  python3 - "$rep" "$contender" "$build" "$result" >>"$out/runs.tsv" <<'EOF'
import json, sys
rep, contender, build, line = sys.argv[1:]
r = json.loads(line)
print(f"{rep}\t{contender}\t{build}\t{r['records']}\t{r['seconds']}\t{r['cpu_seconds']}")
EOF
  tail -n 1 "$out/runs.tsv" | awk -F'\t' '{printf "perf-e2e-ab: rep %s %-14s %-4s %6.2f M records/s, %.2f CPU-s\n", $1, $2, $3, $4 / $5 / 1e6, $6}' >&2
}

for ((rep = 1; rep <= reps; ++rep)); do
  order=(old new)
  ((rep % 2 == 0)) && order=(new old)
  for contender in "${chosen[@]}"; do
    for build in "${order[@]}"; do
      bin=$old_bin
      [[ $build == new ]] && bin=$new_bin
      run "$rep" "$contender" "$build" "$bin"
    done
  done
done

python3 - "$out/runs.tsv" <<'EOF'
import csv, sys
runs = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
rate = {(r["rep"], r["contender"], r["build"]): int(r["records"]) / float(r["seconds"]) for r in runs}
reps = sorted({r["rep"] for r in runs}, key=int)
contenders = [c for c in ["raw-consume", "source", "raw-produce", "sink", "sink-buffered"]
              if any(r["contender"] == c for r in runs)]
ceiling = {"source": "raw-consume", "sink": "raw-produce", "sink-buffered": "raw-produce"}
print("| contender | " + " | ".join(f"rep {r}: old, new (M rec/s)" for r in reps) + " | new/old each rep |")
print("|---|" + "---|" * len(reps) + "---|")
for c in contenders:
    cells, ratios = [], []
    for r in reps:
        o, n = rate[(r, c, "old")], rate[(r, c, "new")]
        cell = f"{o / 1e6:.2f}, {n / 1e6:.2f}"
        if c in ceiling and (r, ceiling[c], "old") in rate:
            cell += f" ({o / rate[(r, ceiling[c], 'old')]:.2f}x, {n / rate[(r, ceiling[c], 'new')]:.2f}x of raw)"
        cells.append(cell)
        ratios.append(f"{n / o:.2f}")
    print(f"| {c} | " + " | ".join(cells) + " | " + ", ".join(ratios) + " |")
EOF
log "runs in $out/runs.tsv"
