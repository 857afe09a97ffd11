"""The helper processes that bound how long and how much memory a rendering may take."""

import time

import pytest

from articles.bounded import BoundedRunner, Timeout


@pytest.fixture(scope="module")
def runner():
    runner = BoundedRunner(size=1)
    yield runner
    runner.close()


def test_a_function_runs_in_a_helper_and_answers(runner):
    assert runner.run(len, "あいう", timeout=30) == 3


def test_its_exceptions_come_back_as_they_were(runner):
    with pytest.raises(ValueError, match="invalid literal"):
        runner.run(int, "x", timeout=30)


def test_running_out_of_time_kills_the_helper_and_the_next_call_gets_a_new_one(runner):
    with pytest.raises(Timeout):
        runner.run(time.sleep, 30, timeout=0.3)
    assert runner.run(len, "ok", timeout=30) == 2


def test_memory_is_bounded(runner):
    with pytest.raises(MemoryError):
        runner.run(bytearray, 4 * 1024**3, timeout=30)
    assert runner.run(len, "ok", timeout=30) == 2
