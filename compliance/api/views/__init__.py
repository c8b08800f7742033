"""Viewsets of the compliance API, one module per resource group (routes in ``compliance.api.urls``)."""
