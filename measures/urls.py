from django.urls import path

from measures import feeds, matching_views, views

app_name = "measures"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("measures/<int:pk>/", views.measure_detail, name="detail"),
    path("search/export.<str:fmt>", views.search_export, name="export"),
    path("search/feed/", feeds.SearchFeed(), name="search-feed"),
    path("agencies/<slug:key>/feed/", feeds.AgencyFeed(), name="agency-feed"),
    path("tags/<slug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("about/data/", views.about_data, name="about-data"),
    path("match/", matching_views.match, name="match"),
    path("match/export.<str:fmt>", matching_views.match_export, name="match-export"),
]

from measures import browse  # noqa: E402

urlpatterns += [
    path("years/", browse.years_overview, name="years"),
    path("years/<int:year>/", browse.year_detail, name="year"),
]
