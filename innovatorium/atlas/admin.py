"""The Atlas in the Django admin, with the CSV importer as an admin page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from innovatorium.atlas import importer
from innovatorium.atlas.forms import ImportForm
from innovatorium.atlas.models import CaseStudy, Collection, CollectionItem, CoProducer, EvidenceItem, Innovation
from innovatorium.core.permissions import requires


class EvidenceInline(admin.TabularInline):
    model = EvidenceItem
    extra = 0


class CoProducerInline(admin.TabularInline):
    model = CoProducer
    extra = 0
    raw_id_fields = ["organisation", "person"]


@admin.register(Innovation)
class InnovationAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "stage", "status", "updated_at"]
    list_filter = ["status", "stage", "innovation_type", "network"]
    search_fields = ["name", "summary"]
    raw_id_fields = ["owner_organisation", "created_by"]
    inlines = [EvidenceInline, CoProducerInline]
    change_list_template = "admin/atlas/innovation/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(requires("atlas.import_atlas")(self.import_view))
        return [path("import/", view, name="atlas_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV of innovations or case studies: all of it is imported, or none of it."""
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: list[importer.RowError] = []
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            person = getattr(request.user, "person", None)
            try:
                result = importer.import_file(data, actor=person, publish=form.cleaned_data["publish"])
            except importer.ImportRejected as exc:
                errors = exc.errors
            else:
                messages.success(request, f"Imported {result.created} {result.kind.replace('_', ' ')} "
                                          f"({result.published} published).")
                return redirect("admin:atlas_innovation_changelist")
        context = {**self.admin_site.each_context(request), "title": "Import the Atlas from CSV", "form": form,
                   "errors": errors, "opts": self.model._meta}
        return TemplateResponse(request, "admin/atlas/import.html", context)


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "status", "published_at"]
    list_filter = ["status", "network"]
    search_fields = ["title"]
    raw_id_fields = ["innovation"]


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 0
    raw_id_fields = ["innovation"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "updated_at"]
    inlines = [CollectionItemInline]
