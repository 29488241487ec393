"""Shared by the CLI-flavour ParkLake DAGs (parklake_hourly, _nightly, _archive, _backfill): the bash
script each task runs and the settings every one of them has. No DAG is defined here.

Where the CLI is and which lake it works on are read when the task runs, never at import: the
script's templates read the Airflow Variables `parklake_dir` (the checkout holding `./parklake`) and
`parklake_home` (exported as PARKLAKE_HOME, the lake/reports/embedded-data folder). An unset or
empty Variable falls back to the worker's environment (PARKLAKE_DIR, PARKLAKE_HOME), then to
/opt/parklake for the checkout and to the CLI's own default for the home. Values are shell-quoted
by the DAGs' `sh` filter (shlex.quote), so a path with spaces or quotes cannot break the script.

Retries rerun the same `./parklake run` command rather than `./parklake restart <id>`: every write
is idempotent and a new run also redoes what an earlier failed run left owed (failed marts, tables,
reports), so a retry converges to the same lake. A restart would need the failed execution's id,
which a BashOperator retry cannot get from its failed try. The id is in the task log's JSON line
for an operator who prefers `./parklake restart <id>` by hand.

Every task runs in the Airflow pool `parklake` (create it with one slot), so the four DAGs never run
two jobs on the lake at once; the CLI would refuse the second ("another ParkLake job is running").
"""
import shlex
from datetime import timedelta

POOL = "parklake"

DEFAULT_DIR = "/opt/parklake"

# Available in the DAGs' templates as `| sh`.
FILTERS = {"sh": shlex.quote}

# What each DAG's default_args start from; a DAG overrides retries, delay and timeout for its job.
DEFAULT_ARGS = {
    "owner": "parklake",
    "pool": POOL,
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
}


def bash_command(args):
    """The script that runs `./parklake <args> --json` from the checkout, with PARKLAKE_HOME set.

    Exit codes are the CLI's: 0 success, 1 the job failed (or another job holds the lake), 2 bad
    configuration or usage; the script itself exits 2 when the checkout is not there.
    """
    return (
        "set -euo pipefail\n"
        "dir={{ var.value.get('parklake_dir', '') | sh }}\n"
        "home={{ var.value.get('parklake_home', '') | sh }}\n"
        'dir="${dir:-${PARKLAKE_DIR:-' + DEFAULT_DIR + '}}"\n'
        'if [ -n "$home" ]; then export PARKLAKE_HOME="$home"; fi\n'
        'if [ ! -x "$dir/parklake" ]; then\n'
        '  echo "parklake: no executable $dir/parklake (set the Airflow Variable parklake_dir'
        ' or PARKLAKE_DIR to the ParkLake checkout)" >&2\n'
        "  exit 2\n"
        "fi\n"
        'cd "$dir"\n'
        f"exec ./parklake {args} --json\n"
    )
