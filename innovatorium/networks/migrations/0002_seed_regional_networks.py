"""Seed the 15 regional networks as licensed in 2013, each with the six default constituencies."""

from django.db import migrations

from innovatorium.networks.defaults import DEFAULT_CONSTITUENCIES, REGIONAL_NETWORKS


def seed_networks(apps, schema_editor):
    Network = apps.get_model("networks", "Network")
    Constituency = apps.get_model("networks", "Constituency")
    for slug, name, description in REGIONAL_NETWORKS:
        network, _ = Network.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
        for position, (kind, cname, cdescription, verify) in enumerate(DEFAULT_CONSTITUENCIES, start=1):
            Constituency.objects.get_or_create(
                network=network,
                slug=kind.replace("_", "-"),
                defaults={
                    "name": cname, "kind": kind, "description": cdescription,
                    "requires_verification": verify, "position": position,
                },
            )


def unseed_networks(apps, schema_editor):
    Network = apps.get_model("networks", "Network")
    Network.objects.filter(slug__in=[slug for slug, _, _ in REGIONAL_NETWORKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]
    operations = [migrations.RunPython(seed_networks, unseed_networks)]
