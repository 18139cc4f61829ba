#!/usr/bin/env bash
# Submits a sharded rotor sweep to Slurm: a job array of N shards (sweep.sbatch), then the
# merge (merge.sbatch) as a job that starts when every shard has succeeded.
#
#   examples/slurm/submit.sh [--wait] N STRATEGY [sweep options: --vary …, --metric …]
#
# Run it where the strategy, its data and the results folder are visible to every node
# (a shared file system), from the folder the paths are relative to. With --wait it returns
# when the merge is done (`sbatch --wait`), prints the ranked table and exits non-zero if
# a shard or the merge failed; without, it prints the job ids and returns at once.
# Environment: ROTOR (the rotor program, default `rotor`), ROTOR_RESULTS (default
# `results`), SBATCH_* (sbatch's own: partition, account, time limit …).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
usage="usage: $0 [--wait] N STRATEGY [--vary NAME=VALUES …]"
wait=()
if [ "${1:-}" = "--wait" ]; then
  wait=(--wait)
  shift
fi
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
n="$1"
shift
if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: N must be a whole number of shards ≥ 1, not \`$n\`" >&2
  exit 2
fi
strategy="$1"
export ROTOR_RESULTS="${ROTOR_RESULTS:-results}"
results="$ROTOR_RESULTS"

# Shards of an earlier sweep would be merged with these (and the merge would stop on them):
# never write over them, ask for a fresh folder.
shopt -s nullglob
old=("$results"/shard-*.json)
[ -e "$results/sweep.json" ] && old+=("$results/sweep.json")
if [ ${#old[@]} -gt 0 ]; then
  echo "$0: $results already holds results of a sweep (${old[0]} …);" \
    "move them away or set ROTOR_RESULTS to a new folder" >&2
  exit 1
fi
mkdir -p "$results"

# The ranking metric, if given, applies to the merged table too.
merge_options=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --metric) merge_options+=(--metric "${args[i + 1]:-}") ;;
    --metric=*) merge_options+=("${args[i]}") ;;
  esac
done

# --parsable prints `ID` or `ID;CLUSTER`.
array="$(sbatch --parsable --array="1-$n" --output="$results/shard-%a.log" \
  "$here/sweep.sbatch" "$n" "$@")"
array="${array%%;*}"
echo "submitted shards 1-$n of $strategy as job array $array" >&2
merge="$(sbatch --parsable "${wait[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$results/merge.log" "$here/merge.sbatch" "$strategy" "${merge_options[@]}")" || {
  echo "$0: the sweep failed; see $results/shard-*.log and $results/merge.log" >&2
  exit 1
}
merge="${merge%%;*}"
# `sbatch --wait` exits 0 for a merge that Slurm cancelled before it started (a shard
# failed, so afterok never held): only the merged table on disk says the sweep succeeded.
if [ ${#wait[@]} -gt 0 ] && [ ! -s "$results/sweep.txt" ]; then
  echo "$0: the sweep failed (job $merge, the merge, did not run or failed);" \
    "see $results/shard-*.log and $results/merge.log" >&2
  exit 1
fi
if [ ${#wait[@]} -eq 0 ]; then
  echo "submitted the merge as job $merge; when it is done: $results/sweep.txt, $results/sweep.json" >&2
  echo "$array $merge"
else
  cat "$results/sweep.txt"
fi
