from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "innovatorium.projects"
    verbose_name = "Programmes and co-production projects"
