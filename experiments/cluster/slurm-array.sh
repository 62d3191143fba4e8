#!/usr/bin/env bash
# A memcglab sweep sharded over a Slurm job array, then merged.
#
# Each array task runs one shard of the sweep's run matrix into its own SQLite file on a shared
# file system; memcglab reads which shard it is from SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and
# SLURM_ARRAY_TASK_COUNT (so --array=0-3 and --array=1-4 both give shards 0..3 of 4). No two tasks
# share a database file; the merge runs once, after every task is done.
#
# From a built checkout (npm ci && npm run build) on the shared file system:
#   jid=$(sbatch --parsable experiments/cluster/slurm-array.sh)
#   sbatch --dependency=afterok:$jid --job-name=memcglab-merge --wrap 'experiments/cluster/slurm-array.sh merge'
# A task that failed or was killed: resubmit it (sbatch --array=2 experiments/cluster/slurm-array.sh); it
# resumes its unfinished runs and skips the done ones. Resubmitting the whole array is safe too.
# Then run the merge again: it adds only what the merged file lacks.
#
# Settings (environment, or edit here): EXP, POLICIES, SEEDS, SETS (extra sweep options), OUT.
#SBATCH --job-name=memcglab-sweep
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=04:00:00
#SBATCH --output=memcglab-%x-%a.log
set -euo pipefail

cd "${SLURM_SUBMIT_DIR:-.}" # sbatch runs a copy of this script: work from where it was submitted
MEMCGLAB=${MEMCGLAB:-"node $PWD/dist/src/cli/main.js"}
EXP=${EXP:-experiments/mglru-reparent.json}
POLICIES=${POLICIES:-legacy,same-gen,tail,age-order}
SEEDS=${SEEDS:-1..8}
SETS=${SETS:-}
OUT=${OUT:-out}
mkdir -p "$OUT"

if [[ "${1:-}" == merge ]]; then
  # every shard file the array wrote (sweep.shard-<i>-of-<N>.db), into one database
  exec $MEMCGLAB merge "$OUT"/sweep.shard-*-of-*.db --into "$OUT/all.db"
fi

# One shard: with no --db, memcglab writes $OUT/sweep.shard-<i>-of-<N>.db next to MEMCGLAB_DB.
# --jobs: the cores Slurm gave this task.
# shellcheck disable=SC2086 # MEMCGLAB and SETS are word lists
MEMCGLAB_DB="$OUT/sweep.db" exec $MEMCGLAB sweep "$EXP" --policies "$POLICIES" --seeds "$SEEDS" $SETS \
  --jobs "${SLURM_CPUS_PER_TASK:-1}"
