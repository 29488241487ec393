"""ParkLake nightly: one run per business date, through the ParkLake CLI.

The DAG does no I/O at import. Each run passes its own data interval to the job (`{{ ds }}` is the
interval's start date, i.e. the business date being closed), never "now", so backfills and reruns
of any past date behave exactly like the scheduled run. `./parklake run` exits 0 on success, 1 when
the job failed and 2 on bad configuration; its `--json` line lands in the task log.

Set the Airflow Variable `parklake_home` to the ParkLake checkout (where `./parklake` is).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG(
    dag_id="parklake_nightly",
    description="Extract the operator database into the lake, refresh marts, render the daily report",
    schedule="0 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["parklake"],
) as dag:
    BashOperator(
        task_id="nightly",
        bash_command="cd {{ var.value.parklake_home }} && ./parklake run nightly --date {{ ds }} --json",
        execution_timeout=timedelta(hours=3),
    )
