#!/usr/bin/env bash
# Replays each CASE.in.tsv through `upsertkit-orders --replay - $(cat CASE.args)` (run in this
# directory) and checks
#   stdout      == CASE.expected
#   exit status == CASE.exit (0 when absent)
#   stderr      contains every line of CASE.stderr (fixed strings), when present.
# Usage: run.sh PATH/TO/upsertkit-orders
set -u
exe=${1:?usage: run.sh PATH/TO/upsertkit-orders}
exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")
here=$(cd "$(dirname "$0")" && pwd)
cd "$here" || exit 1  # CASE.args may name files relative to this directory
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
for input in "$here"/*.in.tsv; do
  name=$(basename "$input" .in.tsv)
  args=()
  [[ -s "$here/$name.args" ]] && read -r -a args <"$here/$name.args"
  expected_exit=0
  [[ -f "$here/$name.exit" ]] && expected_exit=$(<"$here/$name.exit")
  "$exe" --replay - "${args[@]}" <"$input" >"$work/out" 2>"$work/err"
  status=$?
  problems=()
  diff -u "$here/$name.expected" "$work/out" >"$work/diff" || problems+=("stdout differs")
  [[ $status == "$expected_exit" ]] || problems+=("exit $status, expected $expected_exit")
  if [[ -f "$here/$name.stderr" ]]; then
    while IFS= read -r needle; do
      grep -qF -- "$needle" "$work/err" || problems+=("stderr lacks: $needle")
    done <"$here/$name.stderr"
  fi
  if ((${#problems[@]} == 0)); then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: ${problems[*]}"
    cat "$work/diff"
    echo "--- stderr:"
    cat "$work/err"
  fi
done
echo "replay: $pass passed, $fail failed"
[[ $fail == 0 ]]
