"""ParkLake nightly: one run per business date, through the ParkLake CLI.

The DAG does no I/O at import. Each run passes its own data interval to the job (`{{ ds }}` is the
interval's start date, i.e. the business date being closed: the 02:00 run of 21 Nov closes 20 Nov),
never "now", so reruns of any past date behave exactly like the scheduled run. `./parklake run` exits
0 on success, 1 when the job failed and 2 on bad configuration; its `--json` line lands in the task
log and, being the last line of output, in the task's XCom.

catchup is off: a scheduler that was down does not replay every missed night on its own. History is
loaded with the manual `parklake_backfill` DAG, one run over the whole range. A single missed night
can be run from the UI (trigger the DAG for that logical date) or cleared and rerun.

Retries: two, ten minutes apart, each rerunning the same command (idempotent; a new run redoes what
the failed one left owed). `./parklake restart <execution id>` by hand does the same resuming at the
failed step. Timeout three hours. See parklake_cli.py for the Variables the task reads at run time.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

from parklake_cli import DEFAULT_ARGS, FILTERS, bash_command

with DAG(
    dag_id="parklake_nightly",
    description="Extract the operator database into the lake, refresh marts, render the daily report",
    doc_md=__doc__,
    schedule="0 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "retries": 2, "retry_delay": timedelta(minutes=10)},
    user_defined_filters=FILTERS,
    tags=["parklake", "parklake-cli"],
) as dag:
    BashOperator(
        task_id="nightly",
        bash_command=bash_command("run nightly --date {{ ds }}"),
        execution_timeout=timedelta(hours=3),
    )
