"""URLs of the open HSDS API, included under /api/hsds/ by api/urls.py (names ``api:hsds-*``).

No trailing slashes: the paths are those of the HSDS API reference.
"""

from django.urls import path

from schakelpunt.directory import api

urlpatterns = [
    path("", api.AboutView.as_view(), name="hsds-about"),
    path("openapi.json", api.OpenApiFileView.as_view(), name="hsds-openapi"),
    path("services", api.ServiceListView.as_view(), name="hsds-services"),
    path("services/<uuid:id>", api.ServiceDetailView.as_view(), name="hsds-service"),
    path("organizations", api.OrganizationListView.as_view(), name="hsds-organizations"),
    path("organizations/<uuid:id>", api.OrganizationDetailView.as_view(), name="hsds-organization"),
    path("taxonomies", api.TaxonomyListView.as_view(), name="hsds-taxonomies"),
    path("taxonomies/<uuid:id>", api.TaxonomyDetailView.as_view(), name="hsds-taxonomy"),
    path("taxonomy_terms", api.TaxonomyTermListView.as_view(), name="hsds-taxonomy-terms"),
    path("taxonomy_terms/<uuid:id>", api.TaxonomyTermDetailView.as_view(), name="hsds-taxonomy-term"),
    path("service_at_locations", api.ServiceAtLocationListView.as_view(), name="hsds-service-at-locations"),
    path(
        "service_at_locations/<uuid:id>",
        api.ServiceAtLocationDetailView.as_view(),
        name="hsds-service-at-location",
    ),
]
