"""whitenoise serving the console's built assets (``CONSOLE_DIST_DIR``) at ``/static/console/``.

The assets are not collected into STATIC_ROOT: Vite already names them by content hash, and the manifest
storage of production (``WHITENOISE_KEEP_ONLY_HASHED_FILES``) would rename them away from the names
``index.html`` uses. With autorefresh (DEBUG) a console built after the server started is found at once.
"""

from __future__ import annotations

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware

#: URL prefix of the console's assets (Vite's ``base`` in frontend/vite.config.ts).
CONSOLE_STATIC_PREFIX = settings.STATIC_URL.rstrip("/") + "/console/"


class ConsoleWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """Django's static files (STATIC_ROOT) and the console's ``dist/`` under ``/static/console/``."""

    def __init__(self, get_response=None, settings=settings):
        super().__init__(get_response, settings=settings)
        dist = settings.CONSOLE_DIST_DIR
        if dist.is_dir() or self.autorefresh:
            self.add_files(str(dist), prefix=CONSOLE_STATIC_PREFIX)

    def immutable_file_test(self, path: str, url: str) -> bool:
        """Vite's hashed ``assets/`` are cached for ever; ``index.html`` is not (never served from here
        in practice: the fallback view answers it with no-cache)."""
        if url.startswith(CONSOLE_STATIC_PREFIX + "assets/"):
            return True
        return super().immutable_file_test(path, url)
