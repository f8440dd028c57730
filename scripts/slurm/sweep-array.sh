#!/bin/bash
# One shard of a portsim sweep per Slurm array task.
#
#   sbatch --array=1-4 scripts/slurm/sweep-array.sh SWEEP.toml RESULTS
#
# The number of shards is fixed here (SHARDS, default 4, or PORTSIM_SHARDS), not taken from
# the array: a task rerun alone — `sbatch --array=3 scripts/slurm/sweep-array.sh SWEEP.toml
# RESULTS` — still runs shard 3 of 4 (Slurm would report an array of one). Keep --array=1-N
# and SHARDS equal. A task that is rerun resumes its shard from the points it had saved.
#SBATCH --job-name=portsim-sweep
# Two cores a task by default; `sbatch --cpus-per-task=N …` on the command line overrides it,
# and the sweep then runs N threads (results do not depend on the thread count).
#SBATCH --cpus-per-task=2
set -euo pipefail
SHARDS="${PORTSIM_SHARDS:-4}"
SWEEP="${1:?usage: sbatch --array=1-N sweep-array.sh SWEEP.toml RESULTS}"
RESULTS="${2:?usage: sbatch --array=1-N sweep-array.sh SWEEP.toml RESULTS}"
TASK="${SLURM_ARRAY_TASK_ID:?run as a Slurm array task (SLURM_ARRAY_TASK_ID unset)}"
if [ "$TASK" -lt 1 ] || [ "$TASK" -gt "$SHARDS" ]; then
  echo "array task $TASK is outside 1-$SHARDS: submit with --array=1-$SHARDS" >&2
  exit 2
fi
# --threads with nothing (no --cpus-per-task given) means one per core.
exec portsim sweep "$SWEEP" --shard "$TASK/$SHARDS" \
  --threads "${SLURM_CPUS_PER_TASK:-}" --quiet --no-charts \
  --out "$RESULTS/shard-$TASK"
