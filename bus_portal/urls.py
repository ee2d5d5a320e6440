from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from bus_portal import accessibility, views, views_inbox, views_login
from eid import urls as eid_urls

handler403 = "bus_portal.views.error_403"
handler404 = "bus_portal.views.error_404"
handler500 = "bus_portal.views.error_500"

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/logga-in/", views_login.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", views_login.PortalLogoutView.as_view(), name="logout"),
    path("konto/tvafaktor/", views_login.otp_verify, name="otp_verify"),
    path("konto/tvafaktor/aktivera/", views_login.otp_setup, name="otp_setup"),
    path("konto/tvafaktor/reservkod/", views_login.otp_recovery, name="otp_recovery"),
    path("konto/tvafaktor/reservkoder/", views_login.otp_recovery_codes, name="otp_recovery_codes"),
    path("konto/losenord/", views_login.PasswordResetView.as_view(), name="password_reset"),
    path(
        "konto/losenord/skickat/",
        views_login.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/losenord/nytt/<uidb64>/<token>/",
        views_login.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/losenord/klart/",
        views_login.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("konto/eid/", include(eid_urls.account_urlpatterns)),
    path("saml2/", include(eid_urls.saml_urlpatterns)),
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
