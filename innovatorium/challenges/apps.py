from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "innovatorium.challenges"
    verbose_name = "Challenges (needs)"
