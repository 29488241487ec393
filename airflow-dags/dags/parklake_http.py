"""ParkLake through its HTTP API: the same four DAGs as the CLI flavour, for Airflow workers that are
not on the ParkLake host. Each task calls `parklake_api.run_job` (standard library only), which
starts the run on `parklake serve`, polls it until it ends and fails when it ends badly, with the
run's failure text in the error. Install this flavour or the CLI one, not both, and turn off the
schedules `parklake serve` would fire itself (PARKLAKE_SCHEDULE_HOURLY_ENABLED=false, likewise
NIGHTLY, ARCHIVE) so a job is not triggered twice.

- parklake_http_hourly: minute 5 of every hour, `hourly` for the date of the data interval's end.
- parklake_http_nightly: 02:00 daily, `nightly` for `{{ ds }}`, the business date being closed.
- parklake_http_archive: 03:00 on the 1st, `archive` for `{{ ds }}`, the month being closed (the
  archive job is built in a later issue: leave this DAG paused until then).
- parklake_http_backfill: manual, params `from` and `to` (ISO dates), `nightly` once over the range.

Dates, catchup, retries, timeouts and the `parklake` pool are the CLI flavour's, for the same
reasons (see each parklake_<job>.py). When another job holds the lake (409) a task waits for it, up
to 30 minutes for the hourly and two hours for the others, inside its execution timeout.

Only the job and its dates are template fields; the API address and token are read from the
Connection `parklake_api` (or the Variables parklake_api_url / parklake_api_token) when the task
runs, and never appear in a rendered field, a log line or an error.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models.param import Param
from airflow.operators.python import PythonOperator

from parklake_api import run_job

CONN_ID = "parklake_api"
POOL = "parklake"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _dag(dag_id, task_id, description, schedule, retries, retry_delay, timeout, busy_wait, op_kwargs, params=None):
    with DAG(
        dag_id=dag_id,
        description=description,
        doc_md=__doc__,
        schedule=schedule,
        start_date=datetime(2026, 1, 1),
        catchup=False,
        max_active_runs=1,
        params=params or {},
        default_args={"owner": "parklake", "pool": POOL, "retries": retries, "retry_delay": retry_delay},
        tags=["parklake", "parklake-http"],
    ) as dag:
        PythonOperator(
            task_id=task_id,
            python_callable=run_job,
            op_kwargs={**op_kwargs, "conn_id": CONN_ID, "busy_wait_seconds": busy_wait.total_seconds()},
            execution_timeout=timeout,
        )
    return dag


hourly = _dag(
    "parklake_http_hourly", "hourly", "Hourly extraction, reconciliation and mart refresh, through the ParkLake API",
    "5 * * * *", 1, timedelta(minutes=5), timedelta(minutes=45), timedelta(minutes=30),
    {"job": "hourly", "date": "{{ data_interval_end | ds }}"})

nightly = _dag(
    "parklake_http_nightly", "nightly", "Nightly pipeline for the closed business date, through the ParkLake API",
    "0 2 * * *", 2, timedelta(minutes=10), timedelta(hours=3), timedelta(hours=2),
    {"job": "nightly", "date": "{{ ds }}"})

archive = _dag(
    "parklake_http_archive", "archive", "Archive what is past retention (job not built yet), through the ParkLake API",
    "0 3 1 * *", 1, timedelta(minutes=30), timedelta(hours=6), timedelta(hours=2),
    {"job": "archive", "date": "{{ ds }}"})

backfill = _dag(
    "parklake_http_backfill", "backfill", "The nightly job once over a range of business dates, through the ParkLake API",
    None, 0, timedelta(minutes=10), timedelta(hours=24), timedelta(hours=2),
    {"job": "nightly", "date_from": "{{ params.from }}", "date_to": "{{ params.to }}"},
    params={
        "from": Param(type="string", format="date", pattern=ISO_DATE,
                      description="first business date of the range (YYYY-MM-DD)"),
        "to": Param(type="string", format="date", pattern=ISO_DATE,
                    description="last business date of the range, inclusive (YYYY-MM-DD)"),
    })
