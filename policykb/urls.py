from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from policykb import views
from policykb.api import api

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", include("documents.urls")),
    path("measures/", include("measures.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
