from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("documents/", views.document_list, name="documents"),
    path("documents/<int:pk>/status/", views.document_transition, name="document-status"),
    path("archive/", views.archive, name="archive"),
    path("uploads/", views.uploads, name="uploads"),
    path("uploads/status/", views.upload_status, name="upload-status"),
    path("uploads/<int:pk>/retry/", views.upload_retry_view, name="upload-retry"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/<int:pk>/", views.agency_edit, name="agency"),
    path("agencies/<int:pk>/merge/", views.agency_merge_view, name="agency-merge"),
]
