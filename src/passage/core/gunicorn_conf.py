"""Gunicorn settings for ``passage serve`` (``--config python:passage.core.gunicorn_conf``).

Bind address and worker count come from ``passage serve`` on the command line. Everything here
is about keeping metadata out of logs and off the disk:

- no access log: client addresses and URLs are metadata we must not keep;
- gunicorn's own "invalid request from ip=..." warning loses the address and request line;
- no control socket (gunicorn 25+ creates one in $HOME by default);
- threads in each worker, so a slow client (e.g. over Tor) does not hold a whole process.

Loading a config module also stops gunicorn from reading a stray ./gunicorn.conf.py.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

wsgi_app = "passage.wsgi:application"
worker_class = "gthread"
threads = 4
accesslog = None
errorlog = "-"
loglevel = "info"
logger_class = "passage.core.gunicorn_conf.PrivacyLogger"
control_socket_disable = True
capture_output = False
proc_name = "passage"
# Headers and request line: Django's defaults are stricter still; these only bound gunicorn.
limit_request_line = 8190
limit_request_fields = 100
timeout = 60
graceful_timeout = 25
keepalive = 5


class PrivacyLogger(Logger):  # type: ignore[misc]  # gunicorn has no type hints
    """Gunicorn's logger without client addresses or request lines."""

    def access(self, *args: Any, **kwargs: Any) -> None:
        return None

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        if isinstance(msg, str) and msg.startswith("Invalid request from ip="):
            # The message holds the client's address and part of what it sent.
            msg, args = "Invalid request refused (details are not logged)", ()
        super().warning(msg, *args, **kwargs)

    def exception(self, msg: str, *args: Any, **kwargs: Any) -> None:
        if isinstance(msg, str) and msg.startswith("Error handling request"):
            msg, args = "Error handling request (URL not logged)", ()
        super().exception(msg, *args, **kwargs)
