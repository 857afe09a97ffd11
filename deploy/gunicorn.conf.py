"""gunicorn's configuration for production, read from the environment.

    gunicorn -c deploy/gunicorn.conf.py editorial.wsgi

| variable | meaning | default |
| --- | --- | --- |
| `GUNICORN_BIND` | address to listen on (`unix:/run/editorial.sock` behind nginx) | `127.0.0.1:8000` |
| `GUNICORN_WORKERS` | worker processes | 2 × CPUs + 1 |
| `GUNICORN_THREADS` | threads per worker (more than 1 uses the gthread worker) | `1` |
| `GUNICORN_TIMEOUT` | seconds a request may take before its worker is replaced | `30` |
| `GUNICORN_MAX_REQUESTS` | requests a worker serves before it is replaced (with jitter); 0 never | `20000` |
| `GUNICORN_FORWARDED_ALLOW_IPS` | proxies whose X-Forwarded-* headers gunicorn trusts | `127.0.0.1` |
| `GUNICORN_ACCESS_LOG` | `1`: a line per request on standard output (nginx logs them already) | off |
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = timeout
keepalive = 5  # behind nginx's keepalive pool
# A bound on whatever a long-lived worker might accumulate, not a routine: at 2,000 a busy
# worker was replaced every second or two, and each replacement started with cold
# per-process caches (p99 189 ms against 7 ms without, a quarter fewer requests served;
# benchmarks/serve.py). The parent warms what it can before forking (editorial/wsgi.py).
max_requests = _int("GUNICORN_MAX_REQUESTS", 20_000)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Errors go to the service manager (journald, docker). nginx in front logs every request
# already; a second line per request from here cost a tenth of a page served from the
# page cache. GUNICORN_ACCESS_LOG=1 turns it on (gunicorn serving without nginx).
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "").strip() in ("1", "true", "yes") else None
errorlog = "-"
# The app is imported once and forked: workers share its memory. The rendering and
# image helper processes are started by each worker on first use (articles/rendering/bounded.py).
preload_app = True
