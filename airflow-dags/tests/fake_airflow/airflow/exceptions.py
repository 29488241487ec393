class AirflowException(Exception):
    """A task failure; Airflow retries the task if it has retries left."""


class AirflowFailException(AirflowException):
    """A task failure Airflow does not retry."""


class AirflowNotFoundException(AirflowException):
    """A connection (or other object) that does not exist."""
