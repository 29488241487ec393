"""ParkLake backfill: the nightly job over a range of business dates, triggered by hand, through the
ParkLake CLI.

Trigger it with the params `from` and `to` (ISO dates, both inclusive), e.g. from the UI's trigger
form or `airflow dags trigger parklake_backfill -c '{"from": "2026-11-01", "to": "2026-11-30"}'`.
Airflow validates both as YYYY-MM-DD dates before the run is created (so nothing but a date reaches
the shell); the CLI rejects `to` before `from` (exit 2). It runs
`./parklake run nightly --from <from> --to <to> --json`: one run over the range's partitions.

No schedule, so no catchup question; this DAG is how history gets loaded. No automatic retry: a
range is long and a failed one is best resumed with `./parklake restart <execution id>` (the id is
in the task log's JSON line), which redoes only what failed; clearing the task reruns the whole
range, which is safe (idempotent) but slow. Timeout 24 hours. See parklake_cli.py for the
Variables the task reads at run time.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models.param import Param
from airflow.operators.bash import BashOperator

from parklake_cli import DEFAULT_ARGS, FILTERS, bash_command

ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

with DAG(
    dag_id="parklake_backfill",
    description="Run the nightly job once over a range of business dates",
    doc_md=__doc__,
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    params={
        "from": Param(type="string", format="date", pattern=ISO_DATE,
                      description="first business date of the range (YYYY-MM-DD)"),
        "to": Param(type="string", format="date", pattern=ISO_DATE,
                    description="last business date of the range, inclusive (YYYY-MM-DD)"),
    },
    default_args={**DEFAULT_ARGS, "retries": 0},
    user_defined_filters=FILTERS,
    tags=["parklake", "parklake-cli"],
) as dag:
    BashOperator(
        task_id="backfill",
        bash_command=bash_command("run nightly --from {{ params.from }} --to {{ params.to }}"),
        execution_timeout=timedelta(hours=24),
    )
