"""A tqdm progress bar for management commands (writes to stderr, silent when not a TTY unless forced)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tqdm import tqdm


def progress_bar(iterable: Iterable[Any], desc: str = "", **kwargs: Any) -> Iterable[Any]:
    items = list(iterable)
    return tqdm(items, desc=desc or None, total=len(items), unit="行", leave=False, **kwargs)
