"""Type-ahead on PostgreSQL: a btree on lower(title) with text_pattern_ops, for "the title starts with …".

Titles with a word starting with what was typed use the trigram index on the title from 0002. SQLite's
type-ahead uses the FTS5 prefix indexes and needs nothing here.
"""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS search_doc_title_prefix ON search_searchdocument (kind, lower(title) text_pattern_ops)"
)
REVERSE = "DROP INDEX IF EXISTS search_doc_title_prefix"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_index_version")]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
