"""ParkLake hourly: extract what changed since each table's watermark, reconcile the touched days and
refresh the marts whose payments changed, through the ParkLake CLI.

Runs at minute 5 of every hour (as `parklake serve`'s own hourly schedule does), for the hour that
just ended. The job is driven by the tables' watermarks; its `--date` is the business date of the
data interval's end, `{{ data_interval_end | ds }}` (UTC, as the CLI's dates are): the run at
00:05 on 21 Nov passes 2026-11-21. Never "now", so a rerun of an old hour passes that hour's date.

catchup is off: the watermark makes the next run pick up whatever a missed hour would have, so
replaying missed hours only repeats work. One retry after five minutes (the same command again;
every write is idempotent); timeout 45 minutes, so a stuck run ends before it delays the next hour
much. While the nightly or the archive holds the `parklake` pool the hourly waits for its slot.
See parklake_cli.py for the Variables the task reads at run time.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

from parklake_cli import DEFAULT_ARGS, FILTERS, bash_command

with DAG(
    dag_id="parklake_hourly",
    description="Extract what changed in the operator database, reconcile it, refresh the touched marts",
    doc_md=__doc__,
    schedule="5 * * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "retries": 1, "retry_delay": timedelta(minutes=5)},
    user_defined_filters=FILTERS,
    tags=["parklake", "parklake-cli"],
) as dag:
    BashOperator(
        task_id="hourly",
        bash_command=bash_command("run hourly --date {{ data_interval_end | ds }}"),
        execution_timeout=timedelta(minutes=45),
    )
