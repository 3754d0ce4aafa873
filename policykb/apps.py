from django.apps import AppConfig


class PolicykbConfig(AppConfig):
    name = "policykb"
    verbose_name = "PolicyKB"
