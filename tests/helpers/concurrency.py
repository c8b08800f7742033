"""Running one callable in several threads at once (the race tests, on a real transaction)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_concurrently(fn: Callable[[], Any], times: int = 2) -> tuple[list[Any], list[BaseException]]:
    """Call ``fn`` in ``times`` threads released together by a barrier; each thread closes its own
    database connection. Returns ``(results, errors)``: what the calls returned and what they raised,
    in completion order. Use with ``@pytest.mark.django_db(transaction=True)``."""
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(times)

    def go() -> None:
        try:
            start.wait()
            results.append(fn())
        except BaseException as exc:  # noqa: BLE001 - handed back to the test, which asserts on it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
