"""In Chromium, the Content-Security-Policy blocks nothing the site itself needs."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_and_api_docs_work_under_the_policy(live_server, page, screenshot):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    for path in ("/en/", "/zh-hans/documents/", "/en/admin/login/"):
        page.goto(live_server.url + path)
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)  # Swagger UI ran
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/measures" in paths
    screenshot("api-docs")
    assert refused == []


def _admin_pages(django_user_model) -> list[str]:
    """Every page of the admin for a superuser: the index, and for each registered model
    its list, add form, one object's form, history, one history entry (django-simple-history)
    and delete confirmation."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = django_user_model.objects.get(username="root")
    pages = ["/en/admin/", "/en/admin/password_change/"]
    for model, model_admin in admin.site._registry.items():
        base = f"/en/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages.append(base)
        if model_admin.has_add_permission(request):
            pages.append(f"{base}add/")
        if (obj := model.objects.order_by("pk").first()) is not None:
            pages += [f"{base}{obj.pk}/change/", f"{base}{obj.pk}/history/"]
            if hasattr(obj, "history") and (entry := obj.history.order_by("pk").first()):
                pages.append(f"{base}{obj.pk}/history/{entry.pk}/")
            if model_admin.has_delete_permission(request, obj):
                pages.append(f"{base}{obj.pk}/delete/")
    return pages


def test_every_admin_page_works_under_the_policy(
    live_server, page, screenshot, seeds, django_user_model
):
    django_user_model.objects.create_superuser("root", password="a long pass 7")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}/en/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a long pass 7")
    page.click("input[type=submit]")
    page.wait_for_url("**/en/admin/")
    visited = []
    for path in _admin_pages(django_user_model):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        visited.append((path, list(refused)))
        if "/history/" in path:
            screenshot("admin-history" if path.endswith("/history/") else "admin-history-entry")
    assert len(visited) > 20
    assert refused == [], [(path, seen) for path, seen in visited if seen][:3]
