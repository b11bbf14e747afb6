"""The search index: one row per searchable thing, plus its facet values.

Full-text indexing is per database: on SQLite an FTS5 table (`search_fts`) kept in step by triggers, on
PostgreSQL a generated `tsvector` column with a GIN index (see migrations/0002). Django only sees the plain
columns, so the same model works on both.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DocumentKind(models.TextChoices):
    INNOVATION = "innovation", "Innovation"
    CASE_STUDY = "case_study", "Case study"
    CHALLENGE = "challenge", "Challenge"


class SearchDocument(models.Model):
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    object_id = models.BigIntegerField()
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["kind", "-published_at"], name="search_doc_browse")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchFacet(models.Model):
    """One facet value of a document (an innovation in two care settings has two `care_setting` rows)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=20)  # the document's kind, copied so counts need no join
    field = models.CharField(max_length=30)
    value = models.CharField(max_length=80)
    label = models.CharField(max_length=200)

    class Meta:
        indexes = [
            # filtering: documents with this value
            models.Index(fields=["kind", "field", "value", "document"], name="search_facet_filter"),
            # counting: the facet values of the matched documents
            models.Index(fields=["document", "field", "value"], name="search_facet_count"),
        ]

    def __str__(self) -> str:
        return f"{self.field}={self.value}"


class SearchIndexVersion(models.Model):
    """A single row whose token changes, in the same transaction, with every write to the index tables.

    Database triggers (migrations/0003) set `token` to a fresh random number on any insert, update or delete of
    documents or facets, so processes that keep facet bitmaps in memory (selectors._index) can tell with one
    tiny read whether what they hold is still the committed index. A random token rather than a counter: a
    rolled-back write may have bumped a counter that a later write would bump to the same number again.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"search index version {self.token}"
