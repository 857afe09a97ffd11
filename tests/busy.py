"""A busy machine, made on purpose: processes that keep every core at work, started and
stopped by a test (a stand-in for a server in its busy hour)."""

import contextlib
import multiprocessing
import os
import time

WARMED_UP = False


def remember_warm_up():
    global WARMED_UP
    WARMED_UP = True


def spin(seconds):
    """Work (not waiting) for ``seconds`` of wall-clock time."""
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
    return n


def _hog(stop):
    while not stop.is_set():
        for _ in range(100_000):
            pass


@contextlib.contextmanager
def busy_machine(per_core=4):
    """``per_core`` busy loops for each core, for as long as the block runs."""
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    hogs = [context.Process(target=_hog, args=(stop,), daemon=True) for _ in range(per_core * (os.cpu_count() or 1))]
    for hog in hogs:
        hog.start()
    try:
        yield
    finally:
        stop.set()
        for hog in hogs:
            hog.join(timeout=5)
            if hog.is_alive():
                hog.kill()
