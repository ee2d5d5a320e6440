from tests.permissions import Route, users

ROUTES = [
    Route("home"),
    Route("login", public=True),
    Route("logout", method="post"),
    Route("otp_verify"),
    Route("otp_setup"),
    Route("access_log", allowed=users("chief")),
    Route("healthz", public=True),
    Route("readyz", public=True),
]
