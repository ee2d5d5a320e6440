from tests.permissions import Route, users

ROUTES = [
    Route("home"),
    Route("login", public=True),
    # Signing out ends at the login page.
    Route("logout", method="post", ok_status=(302,)),
    # Demo accounts have no second factor to verify: the page sends them on to set one up.
    Route("otp_verify", ok_status=(302,)),
    Route("otp_setup"),
    Route("access_log", allowed=users("chief")),
    Route("inbox"),
    Route("notification_settings"),
    Route("outbox", allowed=users("admin")),
    Route("accessibility", public=True),
    Route("healthz", public=True),
    Route("readyz", public=True),
]
