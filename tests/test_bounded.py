"""The helper processes that bound how much work and memory a job may take: the bound
is the job's own CPU time, so waiting for a core on a busy machine never counts."""

import time

import pytest

from articles.rendering.bounded import BoundedRunner, Busy, Timeout

from .busy import spin


@pytest.fixture(scope="module")
def runner():
    runner = BoundedRunner(size=1)
    yield runner
    runner.close()


def test_a_function_runs_in_a_helper_and_answers(runner):
    assert runner.run(len, "あいう", cpu_seconds=5) == 3


def test_its_exceptions_come_back_as_they_were(runner):
    with pytest.raises(ValueError, match="invalid literal"):
        runner.run(int, "x", cpu_seconds=5)


def test_too_much_work_is_stopped_and_the_next_call_gets_a_new_helper(runner):
    started = time.monotonic()
    with pytest.raises(Timeout):
        runner.run(spin, 60, cpu_seconds=0.3)
    assert time.monotonic() - started < 10
    assert runner.run(len, "ok", cpu_seconds=5) == 2


def test_waiting_is_not_work(runner):
    """A job that waits (for a core, here for a clock) spends none of its budget."""
    assert runner.run(time.sleep, 1.0, cpu_seconds=0.2) is None


def test_no_answer_at_all_is_the_machine_busy_not_the_job(runner):
    with pytest.raises(Busy):
        runner.run(time.sleep, 30, cpu_seconds=0.2, wall_seconds=0.5)
    assert runner.run(len, "ok", cpu_seconds=5) == 2


def test_memory_is_bounded(runner):
    with pytest.raises(MemoryError):
        runner.run(bytearray, 4 * 1024**3, cpu_seconds=5)
    assert runner.run(len, "ok", cpu_seconds=5) == 2


def test_a_helper_is_warm_before_it_takes_work():
    runner = BoundedRunner(size=1, preload=["tests.busy"], warm_up="tests.busy:remember_warm_up")
    try:
        assert runner.run(_warmed_up, cpu_seconds=5) is True
    finally:
        runner.close()


def _warmed_up():
    from tests import busy

    return busy.WARMED_UP
