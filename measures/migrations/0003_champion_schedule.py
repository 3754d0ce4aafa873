"""Rebuild the champion lists in the worker when texts changed since the last build."""

from django.db import migrations

NAME = "champion lists"


def schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "measures.tasks.champions_refresh",
            "schedule_type": "I",  # every `minutes`
            "minutes": 10,
            "repeats": -1,
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0002_search_copies_sample_and_champions"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
