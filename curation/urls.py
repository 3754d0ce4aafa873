from django.urls import path

from curation import views

app_name = "curation"

urlpatterns = [
    path("", views.index, name="index"),
    path("documents/<int:pk>/", views.document_review, name="document-review"),
    path("documents/<int:pk>/details/", views.document_metadata, name="document-metadata"),
    path("documents/<int:pk>/status/", views.document_status, name="document-status"),
    path("documents/<int:pk>/renumber/", views.document_renumber, name="document-renumber"),
    path("documents/<int:pk>/sections/<int:number>/", views.section_rename, name="section-rename"),
    path(
        "documents/<int:pk>/conflicts/<slug:conflict_id>/",
        views.conflict_resolve,
        name="conflict-resolve",
    ),  # fmt: skip
    path("measures/", views.measure_list, name="measures"),
    path("measures/<int:pk>/", views.measure_edit, name="measure"),
    path("measures/<int:pk>/text/<str:language>/", views.measure_text, name="measure-text"),
    path("measures/<int:pk>/targets/", views.measure_targets, name="measure-targets"),
    path("measures/<int:pk>/tags/", views.measure_tags, name="measure-tags"),
    path("measures/<int:pk>/split/", views.measure_split, name="measure-split"),
    path("measures/<int:pk>/merge/", views.measure_merge, name="measure-merge"),
    path("measures/<int:pk>/move/", views.measure_move, name="measure-move"),
    path("vocabulary/", views.vocabulary, name="vocabulary"),
    path("vocabulary/tags/new/", views.tag_save, name="tag-new"),
    path("vocabulary/tags/<int:pk>/", views.tag_save, name="tag-save"),
    path("vocabulary/glossary/new/", views.glossary_save, name="term-new"),
    path("vocabulary/glossary/<int:pk>/", views.glossary_save, name="term-save"),
    path("history/<str:label>/<int:pk>/", views.history_view, name="history"),
]
