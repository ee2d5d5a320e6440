from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bus_portal import accessibility, views, views_inbox

handler403 = "bus_portal.views.error_403"
handler404 = "bus_portal.views.error_404"
handler500 = "bus_portal.views.error_500"

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/logga-in/", views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/tvafaktor/", views.otp_verify, name="otp_verify"),
    path("konto/tvafaktor/aktivera/", views.otp_setup, name="otp_setup"),
    path("att-gora/", views_inbox.inbox_list, name="inbox"),
    path("konto/aviseringar/", views_inbox.notification_settings, name="notification_settings"),
    path("utskick/", views_inbox.outbox_list, name="outbox"),
    path("logg/", views.AccessLogView.as_view(), name="access_log"),
    path("tillganglighet/", accessibility.statement, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("katalog/", include("agreements.urls")),
    path("sip/", include("sip.urls")),
    path("avvikelser/", include("deviations.urls")),
    path("uppfoljning/", include("followup.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_MODE:
    from bench.server import bare, bare_layout

    urlpatterns += [
        path("bench/bare/", bare, name="bench_bare"),
        path("bench/layout/", bare_layout, name="bench_layout"),
    ]
