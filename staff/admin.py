"""The admin site's own titles, in the interface language (never Django's defaults)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("PolicyKB administration")
admin.site.site_title = _("PolicyKB administration")
admin.site.index_title = _("Records and vocabularies")
