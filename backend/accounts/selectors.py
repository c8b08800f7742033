"""Reads of organizations."""

from __future__ import annotations

from django.db.models import QuerySet

from backend.accounts.models import Enterprise, Membership, Regulator


def regulators_covering(enterprise: Enterprise) -> list[Regulator]:
    """The regulators of ``enterprise``'s jurisdiction: those with the longest matching prefix."""
    code = enterprise.division_code or ""
    prefixes = [code[:n] for n in range(2, len(code) + 1)]
    regs = list(Regulator.objects.filter(jurisdiction__in=prefixes))
    if not regs:
        return []
    longest = max(len(r.jurisdiction) for r in regs)
    return [r for r in regs if len(r.jurisdiction) == longest]


def regulator_covers(regulator: Regulator, enterprise: Enterprise) -> bool:
    return (enterprise.division_code or "").startswith(regulator.jurisdiction)


def members_with_role(enterprise: Enterprise, *roles: str) -> QuerySet[Membership]:
    return Membership.objects.filter(enterprise=enterprise, role__in=roles).select_related("user")


