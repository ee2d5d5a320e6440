"""The SAML endpoints (under ``saml2/``) and the eID pages (under ``konto/eid/``)."""

from django.urls import path

from eid import views

saml_urlpatterns = [
    path("login/", views.EidLoginView.as_view(), name="saml2_login"),
    path("acs/", views.EidAcsView.as_view(), name="saml2_acs"),
    path("logout/", views.EidLogoutInitView.as_view(), name="saml2_logout"),
    path("ls/", views.EidLogoutServiceView.as_view(), name="saml2_ls"),
    path("ls/post/", views.EidLogoutServiceView.as_view(), name="saml2_ls_post"),
    path("metadata/", views.EidMetadataView.as_view(), name="saml2_metadata"),
]

account_urlpatterns = [
    path("inget-konto/", views.unknown_identity, name="eid_unknown_identity"),
    path("misslyckades/", views.failed, name="eid_failed"),
]
