from django.db import migrations


def create_roles(apps, schema_editor):
    from staff.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0003_publish_permission_one_published"),
        ("measures", "0004_search_copies_every_issuer"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
