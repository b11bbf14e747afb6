"""Seed the controlled vocabularies (care settings, clinical areas) from atlas/taxonomy.py."""

from django.db import migrations

from innovatorium.atlas.taxonomy import CARE_SETTINGS, CLINICAL_AREAS


def seed(apps, schema_editor):
    Term = apps.get_model("atlas", "TaxonomyTerm")
    for vocabulary, terms in (("care_setting", CARE_SETTINGS), ("clinical_area", CLINICAL_AREAS)):
        for slug, name in terms.items():
            Term.objects.update_or_create(vocabulary=vocabulary, slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("atlas", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
