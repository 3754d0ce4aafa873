from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("measures/<int:pk>/", views.measure_detail, name="detail"),
]
