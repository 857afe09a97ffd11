"""Run a function in a separate process with a bound on its time and memory.

Some inputs make a parser work for minutes (Python-Markdown is quadratic on a few
shapes of text). Run in the request's own process, one such request holds a worker;
two stop a small site. Here the work happens in a helper process that is killed when
its time is up, so the request answers with a clear error instead.

Helper processes are started with ``spawn`` (safe in a threaded server), import the
modules named up front, and are reused until one runs out of time or memory.
"""

import contextlib
import multiprocessing
import os
import threading

_context = multiprocessing.get_context("spawn")

# Enough for any real article; a runaway structure gets a MemoryError instead of the
# machine's memory.
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024
START_TIMEOUT = 60  # seconds for a new helper to import what it needs


class Timeout(Exception):
    """The function ran out of time; its helper process was killed."""


class HelperDied(Exception):
    """The helper process ended without answering (out of memory, killed)."""


def _serve(connection, preload, memory_limit):
    import importlib
    import resource

    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    for module in preload:
        importlib.import_module(module)
    try:
        connection.send("ready")
    except OSError:
        return  # the parent gave up on this helper, or is gone
    while True:
        try:
            function, args, kwargs = connection.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        try:
            reply = ("ok", function(*args, **kwargs))
        except Exception as exc:
            reply = ("error", exc)
        try:
            connection.send(reply)
        except Exception as exc:  # an exception that does not pickle
            connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Helper:
    def __init__(self, preload):
        self.connection, child = _context.Pipe()
        self.process = _context.Process(
            target=_serve, args=(child, tuple(preload), MEMORY_LIMIT_BYTES), daemon=True
        )
        self.process.start()
        child.close()
        try:
            ready = self.connection.poll(START_TIMEOUT) and self.connection.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.stop()
            raise HelperDied("the helper process did not start")

    def stop(self):
        self.process.kill()
        self.process.join()
        self.connection.close()


class BoundedRunner:
    """A small pool of helper processes; ``run()`` calls a function in one of them."""

    def __init__(self, *, preload=(), size=2):
        self.preload = tuple(preload)
        self.size = size
        self._lock = threading.Lock()
        self._reset()

    def _reset(self):
        self._pid = os.getpid()
        self._idle = []
        self._slots = threading.BoundedSemaphore(self.size)

    def run(self, function, *args, timeout, **kwargs):
        """``function(*args, **kwargs)`` in a helper, or ``Timeout`` after ``timeout`` seconds.

        ``function`` must be importable by name (a module-level function); its
        exceptions are raised here as they were raised there.
        """
        with self._lock:
            if os.getpid() != self._pid:  # forked (a server's preloading parent): start afresh
                self._reset()
        with self._slots:
            helper = self._take()
            try:
                helper.connection.send((function, args, kwargs))
                if not helper.connection.poll(timeout):
                    raise Timeout(f"no answer in {timeout} s")
                status, value = helper.connection.recv()
            except Timeout:
                self._replace(helper)
                raise
            except (EOFError, OSError) as exc:
                self._replace(helper)
                raise HelperDied(str(exc) or "the helper process ended") from None
            self._give_back(helper)
        if status == "error":
            raise value
        return value

    def _take(self):
        with self._lock:
            while self._idle:
                helper = self._idle.pop()
                if helper.process.is_alive():
                    return helper
                helper.stop()
        return _Helper(self.preload)

    def _replace(self, helper):
        """Stop ``helper`` and start its successor in the background, so that the next
        call does not wait for a new process to start."""
        helper.stop()

        def start():
            # Shutting down, or out of resources: the next call starts one itself.
            with contextlib.suppress(HelperDied, OSError, RuntimeError):
                self._give_back(_Helper(self.preload))

        threading.Thread(target=start, daemon=True).start()

    def _give_back(self, helper):
        with self._lock:
            if len(self._idle) < self.size:
                self._idle.append(helper)
                return
        helper.stop()  # a replacement arrived after a new one was started meanwhile

    def close(self):
        with self._lock:
            while self._idle:
                self._idle.pop().stop()
