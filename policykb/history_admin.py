"""The admin's history pages (django-simple-history) under the site's Content-Security-Policy."""

from __future__ import annotations

import base64
import hashlib

from csp.decorators import csp_update
from simple_history.admin import SimpleHistoryAdmin

# django-simple-history's history list writes one style attribute (its paginator's
# `border-top: 0`). Rather than allow inline styles, the history pages allow exactly that
# declaration by its hash ('unsafe-hashes' covers style attributes only, never scripts).
_PAGINATOR_STYLE = "border-top: 0"
_ALLOWED_ATTRIBUTE_STYLE = {
    "style-src-attr": [
        "'unsafe-hashes'",
        "'sha256-"
        + base64.b64encode(hashlib.sha256(_PAGINATOR_STYLE.encode()).digest()).decode()
        + "'",
    ]
}


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages pass the site's Content-Security-Policy."""

    def history_view(self, request, object_id, extra_context=None):  # type: ignore[no-untyped-def]
        view = csp_update(_ALLOWED_ATTRIBUTE_STYLE)(super().history_view)
        return view(request, object_id, extra_context=extra_context)
