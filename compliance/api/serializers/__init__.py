"""Serializers of the compliance API, one module per resource group."""
