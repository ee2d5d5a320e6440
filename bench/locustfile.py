"""Mixed workload for the bounded load test (127.0.0.1 only). Paths come from bench/targets.json."""

import json
import os
import random
import re

from locust import HttpUser, between, task

TARGETS = json.load(open(os.environ["BENCH_TARGETS"]))  # noqa: SIM115
PASSWORD = os.environ["BENCH_PASSWORD"]
PAGES = [t for t in TARGETS if t["kind"] == "page"]
USERS = sorted({t["user"] for t in PAGES})


class PortalUser(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.username = random.choice(USERS)
        self.paths = [t["path"] for t in PAGES if t["user"] == self.username]
        page = self.client.get("/konto/logga-in/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/konto/logga-in/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/konto/logga-in/"},
            name="login",
        )

    @task
    def browse(self):
        self.client.get(random.choice(self.paths), name=self.username)
