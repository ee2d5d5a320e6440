from django.contrib import admin

from followup.models import (
    AnswerOption,
    Commentary,
    IndicatorYear,
    ManualFigure,
    Question,
    Response,
    Survey,
    SurveyContact,
)


class AnswerOptionInline(admin.TabularInline):
    model = AnswerOption
    extra = 0
    ordering = ["position", "pk"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    inlines = [AnswerOptionInline]
    list_display = ["code", "section", "kind", "text", "active"]
    list_filter = ["section", "kind", "active"]
    ordering = ["order", "code"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "deadline"]
    ordering = ["-year"]


@admin.register(SurveyContact)
class SurveyContactAdmin(admin.ModelAdmin):
    list_display = ["group", "user", "active"]
    ordering = ["group__name"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "group", "participants", "status", "source"]
    list_filter = ["survey", "status", "participants"]
    ordering = ["survey", "group__name"]


admin.site.register(Commentary)
admin.site.register(IndicatorYear)
admin.site.register(ManualFigure)
