from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from policykb import views
from policykb.api import api

handler404 = "policykb.views.page_not_found"
handler500 = "policykb.views.server_error"
handler403 = "policykb.views.permission_denied"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("api/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", include("documents.urls")),
    path("", include("measures.urls")),
    path("staff/curation/", include("curation.urls")),
    path("staff/", include("staff.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
