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

    def get_new_connection(self, conn_params: dict):  # type: ignore[no-untyped-def]
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError:  # psycopg's own, not yet wrapped by Django
            # A server that died (kill -9, a crash) is started again, then tried once more.
            host = embedded.revive()
            if host is None:
                raise
            return super().get_new_connection({**conn_params, "host": host})
