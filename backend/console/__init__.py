"""The web console (frontend/, Vue): its built assets and the history fallback that serves its index.html.

``npm run build`` (``make run`` / ``make test`` run it) writes ``frontend/dist/``: ``index.html`` and the
hashed assets under ``assets/``. Django serves the assets at ``/static/console/`` through whitenoise
(:mod:`backend.console.middleware`) and ``index.html`` at every path that is not ``/api/``, ``/admin/``,
``/static/``, ``/media/`` (:func:`backend.console.views.index`), so the console's own router (history
mode) owns ``/``, ``/e/…``, ``/m/…``, ``/r/…``, ``/login``.
"""
