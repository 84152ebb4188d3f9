"""`python -m bot health`: the Docker HEALTHCHECK. Asks the running bot's /healthz on
METRICS_PORT (on this machine) and exits 0 when it says healthy, 1 otherwise."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request

from bot.config import ConfigError, load_dotenv_once, load_settings

TIMEOUT_SECONDS = 5.0


def run_probe() -> int:
    load_dotenv_once()
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"kcbot health: configuration error: {exc}", file=sys.stderr)
        return 1
    if settings.metrics_port is None:
        print(
            "kcbot health: METRICS_PORT is not set, so there is no /healthz to ask", file=sys.stderr
        )
        return 1
    host = settings.metrics_host
    if host in ("0.0.0.0", "::", ""):  # listening everywhere: ask over loopback
        host = "127.0.0.1"
    url = f"http://{host}:{settings.metrics_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as reply:
            body = reply.read().decode("utf-8", "replace")
            status = reply.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read().decode("utf-8", "replace"), exc.code
    except OSError as exc:
        print(f"kcbot health: {url} did not answer: {exc}", file=sys.stderr)
        return 1
    print(body.strip())
    try:
        healthy = bool(json.loads(body).get("healthy"))
    except ValueError:
        healthy = False
    return 0 if status == 200 and healthy else 1
