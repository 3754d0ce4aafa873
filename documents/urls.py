from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.home, name="home"),
    path("documents/", views.document_list, name="list"),
    path("documents/<int:pk>/", views.document_detail, name="detail"),
]
urlpatterns += [
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/<slug:key>/", views.agency_detail, name="agency"),
]
