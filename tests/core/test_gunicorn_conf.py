"""The web server's settings module as gunicorn loads it: no access log, our logger, and the
post-fork hook that shortens the GIL switch interval in each worker."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from gunicorn.config import Config

from passage.core import gunicorn_conf


@pytest.fixture
def config() -> Config:
    # What gunicorn does with ``--config python:passage.core.gunicorn_conf``.
    cfg = Config()
    for name, value in vars(gunicorn_conf).items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg


@pytest.fixture
def switch_interval() -> Iterator[None]:
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_no_access_log_and_the_privacy_logger(config: Config) -> None:
    assert config.accesslog is None
    assert config.logger_class is gunicorn_conf.PrivacyLogger


@pytest.mark.usefixtures("switch_interval")
def test_each_worker_hands_the_gil_round_sooner(config: Config) -> None:
    sys.setswitchinterval(0.005)
    config.post_fork(None, None)
    assert sys.getswitchinterval() == pytest.approx(gunicorn_conf.GIL_SWITCH_INTERVAL)
    assert gunicorn_conf.GIL_SWITCH_INTERVAL < 0.005
