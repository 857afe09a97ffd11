"""Requests per second of the read API's article list at two archive sizes, side by side.

    .venv/bin/python benchmarks/api.py [SMALL LARGE]        # default 1000 100000, SQLite
    BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/api.py

Each size gets a throwaway database filled as benchmarks/scale.py fills it (Zipf-tagged
articles, 10% drafts). Requests go in-process through the whole middleware stack
(Django's test client, one client address, rate limit lifted), for a fixed time each:
the first page, a page 30 pages deep (reached by following the cursor), a common
company's articles and a search. Prints req/s per request at both sizes and their ratio:
a cursor keeps page 31 as cheap as page 1. Figures, not a test.
"""

import json
import os
import sys
import time
from pathlib import Path

import scale

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 3


def child(count, database_url):
    client = scale.prepare(count, database_url, fill_it=False, EDITORIAL_API_RATE="100000000/min")
    deep = "/api/v1/articles/"
    for _ in range(30):
        deep = client.get(deep).json()["next"].removeprefix("http://testserver")
    requests = {
        "articles, first page": "/api/v1/articles/",
        "articles, page 31 (cursor)": deep,
        "articles of a common company": "/api/v1/articles/?company=company-0",
        f"search {scale.COMMON_WORD}": f"/api/v1/articles/?q={scale.COMMON_WORD}",
    }
    fifth = client.get("/api/v1/articles/").json()["results"][5]["slug"]
    requests["one article"] = f"/api/v1/articles/by-slug/{fifth}/"
    figures = {}
    for name, url in requests.items():
        assert client.get(url).status_code == 200, (name, url)
        done, started = 0, time.perf_counter()
        while time.perf_counter() - started < SECONDS:
            client.get(url)
            done += 1
        figures[name] = done / (time.perf_counter() - started)
    return figures


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]), sys.argv[3])))
        return
    sizes = [int(arg) for arg in sys.argv[1:3]] or [1000, 100_000]
    figures = scale.at_sizes(__file__, sizes, "api")
    small, large = sizes
    print(f"read API, requests per second, in-process ({'PostgreSQL' if os.environ.get('BENCH_PG') else 'SQLite'})")
    print(f"{'request':34} {small:>10,} {large:>10,}   ratio")
    for name in figures[small]:
        print(f"{name:34} {figures[small][name]:10.0f} {figures[large][name]:10.0f}   "
              f"×{figures[small][name] / figures[large][name]:.2f} slower")


if __name__ == "__main__":
    main()
