from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "innovatorium.record"
    verbose_name = "The public record"
