"""The slowest texts for the renderer: found by search, and the shapes known to be bad.

    .venv/bin/python benchmarks/render_worst_case.py [--examples N] [--size CHARS]

1. Hypothesis searches for the text of at most --size characters (default 20,000) that
   takes the renderer longest, guided by ``target()`` on the time of each try.
2. Known bad shapes (unclosed brackets, deep nesting…) at 20 KB unbounded, in this
   process, and at the body limit through the bounded helper, which must answer within
   about EDITORIAL_RENDER_TIMEOUT whatever the text.

Times are also given as a ratio to an ordinary text of the same size rendered in the
same run, since machines here are shared and noisy. Figures, not a verdict.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "editorial.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from hypothesis import HealthCheck, given, target  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from articles.rendering.markdown import RenderError, render, render_here  # noqa: E402

PIECES = ["[", "]", "(", ")", "![", "[^", "<", ">", "<a ", "<div>", "<b>", "`", "*", "_", "#", "> ", "- ", "1. ",
          "|", "\n", "\n\n", "    ", "&#", "{: ", "本文", "x"]
KNOWN = {
    "unclosed [": "[", "unclosed ![": "![", "unclosed [^": "[^", "unclosed [a](": "[a](", "nested <div>": "<div>",
    "nested <ul><li>": "<ul><li>", "<a x ": "<a x ", "quotes > ": "> ", "setext x/---": "x\n---\n",
    "ordinary prose": "生成AIの推論コストは、モデルの大きさと入力の長さで決まる。各社は専用チップと量子化で"
                      "その費用を下げようとしており、[発表資料](https://example.com/a)によれば半分になった例もある。"
                      "ただし精度との兼ね合いは**用途ごと**に確かめる必要がある。\n\n",
}


def timed(function, *args):
    start = time.perf_counter()
    try:
        function(*args)
        outcome = "ok"
    except RenderError:
        outcome = "refused"
    return time.perf_counter() - start, outcome


def ordinary(size):
    return (KNOWN["ordinary prose"] * (size // len(KNOWN["ordinary prose"]) + 1))[:size]


def search(examples, size):
    worst = {"seconds": 0.0, "text": ""}
    # A short motif repeated to the full size: the shape every slow text found so far has.
    motifs = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join)
    texts = motifs.map(lambda motif: (motif * (size // len(motif) + 1))[:size])

    @hypothesis_settings(max_examples=examples, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(texts)
    def slowest(text):
        seconds, _ = timed(render_here, text)
        target(seconds, label="seconds")
        if seconds > worst["seconds"]:
            worst.update(seconds=seconds, text=text)

    render_here("warm up")
    slowest()
    return worst


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--size", type=int, default=20_000)
    options = parser.parse_args()

    print(f"Searching {options.examples} texts of at most {options.size:,} characters for the slowest…")
    worst = search(options.examples, options.size)
    baseline, _ = timed(render_here, ordinary(len(worst["text"])))
    print(f"worst found: {len(worst['text']):,} chars, {worst['seconds'] * 1000:.0f} ms unbounded "
          f"(×{worst['seconds'] / baseline:.0f} an ordinary text of that size); starts {worst['text'][:60]!r}")

    limit = settings.EDITORIAL_MAX_BODY_CHARS
    print(f"\nKnown shapes: unbounded at 20,000 chars; through the bound "
          f"({settings.EDITORIAL_RENDER_TIMEOUT} s) at the body limit ({limit:,} chars)")
    base_small, _ = timed(render_here, ordinary(20_000))
    render("warm up the helper")
    for name, unit in KNOWN.items():
        small = (unit * (20_000 // len(unit) + 1))[:20_000]
        full = (unit * (limit // len(unit) + 1))[:limit]
        unbounded, _ = timed(render_here, small)
        bounded, outcome = timed(render, full)
        print(f"  {name:18} {unbounded * 1000:8.0f} ms (×{unbounded / base_small:6.1f})   "
              f"bounded {bounded:5.2f} s {outcome}")


if __name__ == "__main__":
    main()
