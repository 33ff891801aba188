"""Mixed load for ``make bench``: front-office employees at work, against a local gunicorn.

Started by ``bench.run`` with ``--headless``, a fixed number of users and a run time, against
127.0.0.1 only. Each user has a session made beforehand (``bench.scenarios --sessions``), so no
password hashing distorts the figures. The mix: searching residents (page and API), opening a
resident's page, a question, the work list, and registering a contact with a question (API).
"""

import datetime
import json
import os
import random
import secrets
import string

from locust import FastHttpUser, task

with open(os.environ["BENCH_LOAD_DATA"]) as handle:
    DATA = json.load(handle)
CSRF = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
_next_user = iter(range(10**6))


class FrontOffice(FastHttpUser):
    wait_time = staticmethod(lambda: 0)  # closed loop without think time: the server's ceiling

    def on_start(self):
        number = next(_next_user)
        self.rng = random.Random(number)  # noqa: S311 - which resident to open, not a secret
        cookies = DATA["cookies"]
        cookie = f"{DATA['cookie_name']}={cookies[number % len(cookies)]}; {DATA['csrf_cookie_name']}={CSRF}"
        self.headers = {"X-CSRFToken": CSRF, "Cookie": cookie}

    @task(30)
    def search(self):
        self.client.post(
            "/inwoners/zoeken/",
            data={"q": self.rng.choice(DATA["queries"])},
            headers={**self.headers, "HX-Request": "true"},
            name="search page (htmx)",
        )

    @task(10)
    def search_api(self):
        self.client.post(
            "/api/residents/search/",
            json={"q": self.rng.choice(DATA["queries"])},
            headers=self.headers,
            name="search API",
        )

    @task(25)
    def resident(self):
        self.client.get(
            f"/inwoners/{self.rng.choice(DATA['residents'])}/", headers=self.headers, name="resident page"
        )

    @task(10)
    def question(self):
        if DATA["questions"]:
            self.client.get(
                f"/vragen/{self.rng.choice(DATA['questions'])}/", headers=self.headers, name="question page"
            )

    @task(10)
    def work_list(self):
        self.client.get("/werklijst/", headers=self.headers, name="work list")

    @task(10)
    def register(self):
        self.client.post(
            "/api/contacts/",
            json={
                "desk": DATA["desk"],
                "channel": "phone",
                "started_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "duration_minutes": 7,
                "resident": self.rng.choice(DATA["residents"]),
                "questions": [
                    {
                        "question_text": "Kan ik hulp krijgen bij het huishouden?",
                        "status": "closed",
                        "outcome": "information",
                        "answer": "Informatie gegeven over hulp bij het huishouden.",
                        "domains": ["huishouden"],
                    }
                ],
            },
            headers=self.headers,
            name="register contact (API)",
        )
