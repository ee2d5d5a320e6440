from django.contrib import admin

from sip.models import LocalRules

# Only the deadlines are administered here: plans, cases and consents hold a child's personal
# data and are read through the audited screens, never through the admin.


@admin.register(LocalRules)
class LocalRulesAdmin(admin.ModelAdmin):
    list_display = ["local_group", "first_meeting_days", "forum_meeting_days"]
