"""Writes of the compliance app. Import from the submodules (``register``, ``hazards``, …)."""
