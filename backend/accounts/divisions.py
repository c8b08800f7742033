"""Administrative division codes (GB/T 2260 county level; 统计用区划代码 town level) known to the platform.

Seeded into :class:`backend.accounts.models.Division` by a data migration; a deployment adds its
own rows through the admin. Town codes of 高青县 come from two public code files that agree (see
shared/data/README.md §5); 370322001, 002 and 105 rest on one source [probable].
"""

DIVISIONS: list[tuple[str, str, str | None]] = [
    ("37", "山东省", None),
    ("3703", "淄博市", "37"),
    ("370302", "淄川区", "3703"),
    ("370303", "张店区", "3703"),
    ("370304", "博山区", "3703"),
    ("370305", "临淄区", "3703"),
    ("370306", "周村区", "3703"),
    ("370321", "桓台县", "3703"),
    ("370322", "高青县", "3703"),
    ("370323", "沂源县", "3703"),
    ("370322001", "田镇街道", "370322"),
    ("370322002", "芦湖街道", "370322"),
    ("370322101", "青城镇", "370322"),
    ("370322102", "高城镇", "370322"),
    ("370322103", "黑里寨镇", "370322"),
    ("370322104", "唐坊镇", "370322"),
    ("370322105", "常家镇", "370322"),
    ("370322106", "花沟镇", "370322"),
    ("370322108", "木李镇", "370322"),
]
