#!/usr/bin/env python3
"""An example receiver of Open Region's webhooks, for a department's document-flow system.

It checks what every receiver must check before trusting a delivery:
  - the signature: X-OpenRegion-Signature is "t=<unix seconds>,v1=<hex>", where <hex> is
    the HMAC-SHA256 of "<t>.<raw body>" with the endpoint's secret;
  - the time: a delivery signed more than 5 minutes ago is a replay and is refused;
  - the event id (X-OpenRegion-Event-Id, also "id" in the body): delivery is at least
    once, so an id seen before is acknowledged again and not processed twice.
It answers 204 to a delivery it accepts (Open Region retries anything but 2xx) and 401
to one whose signature or time is wrong.

With OPEN_REGION_URL and DEPARTMENT_TOKEN (a token an admin issued on the department's
integration page) it also takes up each routed problem through the answers API, as the
department's registry clerk would: POST /api/v1/department/problems/<id>/acknowledge.

Usage: WEBHOOK_SECRET=... [OPEN_REGION_URL=http://127.0.0.1:3000 DEPARTMENT_TOKEN=...]
       scripts/webhook-receiver.py [port]   (standard library only)
"""

import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ.get("WEBHOOK_SECRET", "").encode()
SITE = os.environ.get("OPEN_REGION_URL", "").rstrip("/")
TOKEN = os.environ.get("DEPARTMENT_TOKEN", "")
TOLERANCE_SECONDS = 300
seen_event_ids = set()


def verify(header: str, body: bytes, now: int) -> bool:
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    expected = hmac.new(SECRET, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given) and abs(now - timestamp) <= TOLERANCE_SECONDS


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if not verify(self.headers.get("X-OpenRegion-Signature", ""), body, int(time.time())):
            self.send_response(401)
            self.end_headers()
            return
        event = json.loads(body)
        if event["id"] not in seen_event_ids:
            seen_event_ids.add(event["id"])
            print(f"{event['kind']}: {json.dumps(event['data'], ensure_ascii=False)}", flush=True)
            if event["kind"] == "problem.routed" and SITE and TOKEN:
                acknowledge(event["data"]["problem_id"])
        self.send_response(204)
        self.end_headers()


def acknowledge(problem_id: int) -> None:
    request = urllib.request.Request(
        f"{SITE}/api/v1/department/problems/{problem_id}/acknowledge",
        data=b"{}",
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            print(f"  acknowledged: {answer.read().decode()}", flush=True)
    except urllib.error.HTTPError as refused:
        # The API says why in the app's words (Accept-Language picks the language).
        print(f"  refused {refused.code}: {refused.read().decode()}", flush=True)


if __name__ == "__main__":
    if not SECRET:
        sys.exit("set WEBHOOK_SECRET to the endpoint's secret")
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8099
    HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
