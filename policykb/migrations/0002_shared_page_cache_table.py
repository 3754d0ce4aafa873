"""The shared answer cache's table (CACHES["shared-pages"], policykb.pagecache): run again,
`createcachetable` creates the tables that do not exist yet and leaves the others."""

from importlib import import_module

from django.db import migrations

create_cache_table = import_module("policykb.migrations.0001_cache_table").create_cache_table


class Migration(migrations.Migration):
    dependencies = [("policykb", "0001_cache_table")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
