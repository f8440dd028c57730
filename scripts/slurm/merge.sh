#!/bin/bash
# Joins a sweep's shards once the array has finished — whether or not every task succeeded:
#
#   JOB=$(sbatch --parsable --array=1-4 scripts/slurm/sweep-array.sh SWEEP.toml RESULTS)
#   sbatch --dependency=afterany:$JOB scripts/slurm/merge.sh RESULTS
#
# (`afterany`, not `afterok`: an afterok merge never runs once a task has failed, even after
# the task is rerun.) `portsim merge` checks that every point is there; if not, it writes
# nothing, exits 2 and names the shards to rerun ("rerun shard 3/4"): rerun those tasks and
# submit this script again, e.g. `sbatch --dependency=afterok:$(sbatch --parsable --array=3
# scripts/slurm/sweep-array.sh SWEEP.toml RESULTS) scripts/slurm/merge.sh RESULTS`.
#SBATCH --job-name=portsim-merge
set -euo pipefail
RESULTS="${1:?usage: sbatch merge.sh RESULTS}"
exec portsim merge "$RESULTS"/shard-* --out "$RESULTS/all"
