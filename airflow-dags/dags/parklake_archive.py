"""ParkLake archive: move rows and lake partitions past retention to cold storage, through the
ParkLake CLI.

NOT YET USABLE: the `archive` job is built in a later issue; until then `./parklake run archive`
fails with "unknown job" (exit 2) and this DAG's runs fail. Leave it paused until that lands; the
meaning of `--date` for the archive is settled there.

Monthly, at 03:00 on the 1st (as `parklake serve`'s archive schedule), passing `{{ ds }}`, the data
interval's start: the run of 1 Dec passes 2026-11-01, the month being closed. catchup is off (the
archive works from retention ages, so one run catches up on everything due). One retry after 30
minutes (the same command; archiving deletes nothing before its unit is verified, so a rerun is
safe); timeout six hours. See parklake_cli.py for the Variables the task reads at run time.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

from parklake_cli import DEFAULT_ARGS, FILTERS, bash_command

with DAG(
    dag_id="parklake_archive",
    description="Archive what is past retention to cold storage and catalogue it",
    doc_md=__doc__,
    schedule="0 3 1 * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "retries": 1, "retry_delay": timedelta(minutes=30)},
    user_defined_filters=FILTERS,
    tags=["parklake", "parklake-cli"],
) as dag:
    BashOperator(
        task_id="archive",
        bash_command=bash_command("run archive --date {{ ds }}"),
        execution_timeout=timedelta(hours=6),
    )
