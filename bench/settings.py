"""Settings of ``python -m bench api``: the product's, plus the bench's URL configuration (the no-DB
DRF ceiling endpoint beside the API)."""

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
