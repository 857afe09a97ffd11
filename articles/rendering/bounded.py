"""Run a function in a separate process with a bound on the work it may do.

Some inputs make a parser work for minutes (Python-Markdown is quadratic on a few
shapes of text). Run in the request's own process, one such request holds a worker;
two stop a small site. Here the work happens in a helper process, so the request
answers with a clear error instead.

The bound measures **work, not waiting**: a job may spend ``cpu_seconds`` of its
helper's own CPU time (an interval timer on the process's CPU clock, ``ITIMER_PROF``,
with ``RLIMIT_CPU`` behind it for code that never returns to Python). On a busy machine
an ordinary job waits longer for a core, but spends no more CPU, so it is not refused.
Only if no answer comes for ``wall_seconds`` (a generous backstop) is the helper
killed, and that is reported as the machine being busy (``Busy``), never blamed on the
job. Memory is bounded with ``RLIMIT_AS``.

Helper processes are started with ``spawn`` (safe in a threaded server), import the
modules named up front, run a warm-up job before they take work (the first real job
would otherwise pay for lazy imports), and are reused until one goes over its bound;
its successor is started, and warmed up, in the background.
"""

import contextlib
import importlib
import math
import multiprocessing
import os
import signal
import threading
import time

_context = multiprocessing.get_context("spawn")

# Enough for any real article; a runaway structure gets a MemoryError instead of the
# machine's memory.
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024
START_TIMEOUT = 120  # seconds of waiting for a new helper to import and warm up
# Seconds of CPU, beyond a job's budget, after which the kernel stops a helper that is
# stuck where the interval timer's signal cannot be handled (inside one C call).
CPU_GRACE = 2


class Timeout(Exception):
    """The job used up its CPU time: the work itself is too much. Its helper was replaced."""


class Busy(Exception):
    """No answer within the wall-clock backstop: the machine is too busy to tell whether
    the job is too much. Say so, and never remember it as the job's fault."""


class HelperDied(Exception):
    """The helper process ended without answering (killed from outside, or failed to start)."""


class _OverBudget(BaseException):
    # A BaseException: code that catches Exception must not swallow the bound.
    pass


def _on_cpu_timer(signum, frame):
    raise _OverBudget


def _name_of(function):
    return f"{function.__module__}:{function.__qualname__}"


def _load(name):
    module, _, qualname = name.partition(":")
    target = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def _serve(connection, preload, memory_limit, warm_up):
    import resource

    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    signal.signal(signal.SIGPROF, _on_cpu_timer)
    for module in preload:
        importlib.import_module(module)
    if warm_up:
        with contextlib.suppress(Exception):
            _load(warm_up)()
    try:
        connection.send("ready")
    except OSError:
        return  # the parent gave up on this helper, or is gone
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    while True:
        try:
            function, args, kwargs, cpu_seconds = connection.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        started = time.process_time()
        if cpu_seconds:
            limit = math.ceil(started + cpu_seconds) + CPU_GRACE
            resource.setrlimit(resource.RLIMIT_CPU, (limit if hard < 0 else min(limit, hard), hard))
        try:
            if cpu_seconds:
                signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
            try:
                reply = ("ok", function(*args, **kwargs))
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
        except _OverBudget:
            reply = ("over", time.process_time() - started)
        except Exception as exc:
            reply = ("error", exc)
        try:
            connection.send(reply)
        except Exception as exc:  # an exception that does not pickle
            connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Helper:
    def __init__(self, preload, warm_up):
        self.connection, child = _context.Pipe()
        self.process = _context.Process(
            target=_serve, args=(child, tuple(preload), MEMORY_LIMIT_BYTES, warm_up), daemon=True
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

    def exit_signal(self):
        """The signal that ended the process, once it has ended, or None."""
        self.process.join(timeout=5)
        code = self.process.exitcode
        return -code if code is not None and code < 0 else None


def wall_backstop(cpu_seconds):
    """Seconds of waiting after which a job with this CPU budget is given up: on a busy
    machine a job gets a fraction of a core, so a generous multiple of its budget, but
    within a web worker's own timeout (gunicorn's 30 s)."""
    return min(max(15.0, 15 * cpu_seconds), 25.0)


def patient_backstop(cpu_seconds):
    """The same for work nobody waits on (an import, the task worker): the machine may be
    busy for long, and giving up then would only mean doing the work again."""
    return max(120.0, 30 * cpu_seconds)


class BoundedRunner:
    """A small pool of helper processes; ``run()`` calls a function in one of them.

    ``warm_up`` names a module-level function (its dotted path) each helper runs once
    before it takes work."""

    def __init__(self, *, preload=(), size=2, warm_up=None):
        self.preload = tuple(preload)
        self.warm_up = _name_of(warm_up) if callable(warm_up) else warm_up
        self.size = size
        self._lock = threading.Lock()
        self._reset()

    def _reset(self):
        self._pid = os.getpid()
        self._idle = []
        self._slots = threading.BoundedSemaphore(self.size)

    def run(self, function, *args, cpu_seconds, wall_seconds=None, **kwargs):
        """``function(*args, **kwargs)`` in a helper, with at most ``cpu_seconds`` of the
        helper's CPU time (``Timeout`` beyond) and at most ``wall_seconds`` of waiting
        for the answer (``Busy`` beyond; by default ``wall_backstop(cpu_seconds)``).

        ``function`` must be importable by name (a module-level function); its
        exceptions are raised here as they were raised there.
        """
        wall = wall_seconds if wall_seconds is not None else wall_backstop(cpu_seconds)
        with self._lock:
            if os.getpid() != self._pid:  # forked (a server's preloading parent): start afresh
                self._reset()
        with self._slots:
            helper = self._take()
            try:
                helper.connection.send((function, args, kwargs, cpu_seconds))
                if not helper.connection.poll(wall):
                    raise Busy(f"no answer in {wall:.0f} s of waiting")
                status, value = helper.connection.recv()
            except Busy:
                self._replace(helper)
                raise
            except (EOFError, OSError) as exc:
                stopped_by = helper.exit_signal()
                self._replace(helper)
                if stopped_by == signal.SIGXCPU:
                    raise Timeout(f"over {cpu_seconds} s of CPU time") from None
                raise HelperDied(str(exc) or "the helper process ended") from None
            if status == "over":
                # Stopped half-way through someone's code: a fresh helper takes over.
                self._replace(helper)
                raise Timeout(f"over {cpu_seconds} s of CPU time ({value:.2f} s used)")
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
        return _Helper(self.preload, self.warm_up)

    def _replace(self, helper):
        """Stop ``helper`` and start its successor (warmed up) in the background, so that
        the next call does not wait for a new process to start."""
        helper.stop()

        def start():
            # Shutting down, or out of resources: the next call starts one itself.
            with contextlib.suppress(HelperDied, OSError, RuntimeError):
                self._give_back(_Helper(self.preload, self.warm_up))

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
