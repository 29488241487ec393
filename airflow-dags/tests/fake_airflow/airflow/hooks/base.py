import json

from airflow.exceptions import AirflowNotFoundException


class Connection:
    def __init__(self, conn_id, host=None, port=None, schema=None, login=None, password=None, extra=None):
        self.conn_id = conn_id
        self.host = host
        self.port = port
        self.schema = schema
        self.login = login
        self.password = password
        self.extra = extra

    @property
    def extra_dejson(self):
        return json.loads(self.extra) if self.extra else {}


class BaseHook:
    """get_connection reads a dict of Connection objects the tests fill in."""

    connections = {}

    @classmethod
    def get_connection(cls, conn_id):
        if conn_id not in cls.connections:
            raise AirflowNotFoundException(f"The conn_id `{conn_id}` isn't defined")
        return cls.connections[conn_id]
