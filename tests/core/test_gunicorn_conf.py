"""The web server's settings module as gunicorn loads it: no access log (client addresses and
URLs are metadata we must not keep) and the logger that drops them from gunicorn's warnings."""

from __future__ import annotations

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


def test_no_access_log_and_the_privacy_logger(config: Config) -> None:
    assert config.accesslog is None
    assert config.logger_class is gunicorn_conf.PrivacyLogger
