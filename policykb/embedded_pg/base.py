"""Django database backend: PostgreSQL, with the embedded server started on first connection.

Commands that never touch the database (collectstatic, compilemessages) do not start it.
"""

from django.db.backends.postgresql import base

from policykb import embedded


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        params["host"] = embedded.ensure_server(self.settings_dict["NAME"] or "postgres")
        params.setdefault("user", "postgres")
        return params
