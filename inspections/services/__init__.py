"""Writes of the regulator side (DOMAIN.md §5), one module per concept:

- :mod:`.inspections` — checklist templates, inspections (plan, start, results, findings → hazards,
  close) and follow-ups (复查);
- :mod:`.draws` — 双随机 draws (and their re-run for verification);
- :mod:`.conflicts` — declared conflicts of interest (回避);
- :mod:`.whistleblower` — anonymous reports (吹哨人): intake and triage.

Supervision (挂牌督办) and the regulator's sign-off are compliance's
(:mod:`compliance.services.supervision`, served by :mod:`compliance.api.views.supervision`).

Every service is keyword-only and atomic, takes ``actor`` (an :class:`backend.core.actors.Actor`
or a user), checks the actor's regulator and role, locks the row it transitions (a wrong source
state is 409 ``invalid_transition``) and appends an audit event in the same transaction. A
foreign object (another regulator's inspection, a report outside the jurisdiction) is 404.
"""
