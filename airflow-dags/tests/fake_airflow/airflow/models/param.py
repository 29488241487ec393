class Param:
    """Records a default and a JSON schema; Airflow validates values against it with jsonschema."""

    def __init__(self, default=None, description=None, **schema):
        self.value = default
        self.description = description
        self.schema = schema
