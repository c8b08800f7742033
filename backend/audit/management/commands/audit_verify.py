"""``manage.py audit_verify [--chain KEY] [--anchors FILE]``: verify the audit hash chains; exit 1 naming each problem.

Checks every row's hash and link, each chain against its head (missing tail, missing chain) and
against the anchored heads: the outbox's copies, or with ``--anchors`` a JSON file of the heads as a
regulator received them (a list of ``{"chain", "seq", "hash"}`` objects, e.g. the webhook payloads).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backend.audit.models import Event
from backend.audit.services import Anchor, audit_verify, recorded_anchors


class Command(BaseCommand):
    help = "校验审计事件哈希链（逐条哈希、链头、锚定记录），报告每条链的第一处问题。"

    def add_arguments(self, parser):
        parser.add_argument("--chain", help="只校验一条链，如 enterprise:1 或 platform")
        parser.add_argument("--anchors", help="监管部门留存的链头锚定记录（JSON 列表），与本库的发送记录一并核对")

    def handle(self, *args, chain=None, anchors=None, **options):
        known = recorded_anchors()
        if anchors:
            try:
                data = json.loads(Path(anchors).read_text(encoding="utf-8"))
                rows = data.get("anchors", data) if isinstance(data, dict) else data
                known += [Anchor.from_payload(r.get("payload", r)) for r in rows]
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                raise CommandError(f"无法读取锚定记录 {anchors}：{exc}")
        breaks = audit_verify(chain=chain, anchors=known)
        total = Event.objects.filter(chain=chain).count() if chain else Event.objects.count()
        if not breaks:
            self.stdout.write(self.style.SUCCESS(f"OK: {total} events verified, {len(known)} anchors matched"))
            return
        for b in breaks:
            where = f"event_id={b.event_id}" if b.event_id is not None else "event missing"
            self.stdout.write(self.style.ERROR(f"BROKEN chain={b.chain} seq={b.seq} {where}: {b.problem}"))
        raise CommandError(f"{len(breaks)} broken chain(s)")
