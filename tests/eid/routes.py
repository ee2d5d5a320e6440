from tests.permissions import Route

# Without configured identity providers (the test settings) the SAML addresses lead to the login
# page; tests/eid/test_saml.py exercises them against a real identity provider.
NOT_CONFIGURED = (302,)

ROUTES = [
    Route("otp_recovery", ok_status=(302,)),  # demo accounts have no recovery codes
    Route("otp_recovery_codes", ok_status=(302,)),  # nor a verified second factor
    Route("password_reset", public=True),
    Route("password_reset_done", public=True),
    Route(
        "password_reset_confirm",
        public=True,
        kwargs=lambda: {"uidb64": "MQ", "token": "set-password"},
    ),
    Route("password_reset_complete", public=True),
    Route("eid_unknown_identity", public=True),
    Route("eid_failed", public=True),
    Route("saml2_login", public=True, ok_status=NOT_CONFIGURED),
    Route("saml2_acs", public=True, method="post", ok_status=NOT_CONFIGURED),
    Route("saml2_logout", method="post", ok_status=NOT_CONFIGURED),
    Route("saml2_ls", public=True, ok_status=NOT_CONFIGURED),
    Route("saml2_ls_post", public=True, ok_status=NOT_CONFIGURED),
    Route("saml2_metadata", public=True, ok_status=NOT_CONFIGURED),
]
