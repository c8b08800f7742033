"""Rules of organizations: the enterprise review state machine. Pure: no Django.

A self-registered enterprise is ``pending`` until a regulator admin whose jurisdiction covers its
division code approves or rejects it; a reviewed enterprise is never reviewed again (409
``invalid_transition``). Enterprises imported by a regulator are created ``approved``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from backend.core.states import StateMachine, Transition

PENDING, APPROVED, REJECTED, SUSPENDED = "pending", "approved", "rejected", "suspended"

#: Enterprise review (企业注册审核). Roles: the *regulator's* admin — the service checks that the
#: actor is a regulator member (403 ``not_regulator_admin``) and covers the enterprise (403
#: ``outside_jurisdiction``) before the table is consulted.
ENTERPRISE_REVIEW = StateMachine(
    "enterprise_review",
    {
        "approve": Transition({PENDING}, APPROVED, roles={"admin"}),
        "reject": Transition({PENDING}, REJECTED, roles={"admin"}),
    },
    labels={PENDING: "待审核", APPROVED: "已通过", REJECTED: "已驳回", SUSPENDED: "已停用"},
    action_labels={"approve": "审核通过", "reject": "驳回"},
)


# --- enterprise kind → rule set (issue 14 point 11) --------------------------------------------------
#: Kinds of enterprise, each deciding the rule set that applies to it. ``hazchem``: 危险化学品生产、
#: 经营（带储存）、化工、医药 — GB 30871-2022 §1 (范围) and the 2017 化工/危化 major-hazard list
#: (安监总管三〔2017〕121号); ``industrial``: 工贸 (冶金、有色、建材、机械、轻工、纺织、烟草、商贸) —
#: 应急管理部令第10号《工贸企业重大事故隐患判定标准》第二条 and, for confined spaces,
#: 《工贸企业有限空间作业安全规定》（应急管理部令第13号）. ``""`` (未分类): the industry names neither;
#: the regulator decides (until it does, every checklist may be used).
KIND_HAZCHEM, KIND_INDUSTRIAL, KIND_UNCLASSIFIED = "hazchem", "industrial", ""
KIND_LABELS = {KIND_HAZCHEM: "危险化学品/化工/医药", KIND_INDUSTRIAL: "工贸", KIND_UNCLASSIFIED: "未分类"}

#: Words of an industry name that make it ``hazchem`` (GB 30871-2022 §1). "不带储存" wins over them:
#: a 危险化学品经营 enterprise without storage is outside §1 and is left to the regulator.
HAZCHEM_WORDS = ("危险化学品", "危化", "化工", "医药", "制药")
HAZCHEM_EXCLUDED_WORDS = ("不带储存", "无储存")
#: Words that make an industry ``industrial`` (令第10号第二条: 冶金、有色、建材、机械、轻工、纺织、烟草和
#: 商贸等工贸企业; 食品 is a 轻工 trade).
INDUSTRIAL_WORDS = ("工贸", "冶金", "有色", "建材", "机械", "轻工", "纺织", "烟草", "商贸", "食品")


@dataclass(frozen=True)
class RuleSet:
    """What applies to an enterprise of one kind: permits' standard, confined-space rules, the
    major-hazard checklists (codes of :data:`compliance.rules.major_hazard.MAJOR_HAZARD_CHECKLISTS`)."""

    kind: str
    label: str
    permits: str
    confined_space: str
    checklists: tuple[str, ...]

    @property
    def name(self) -> str:
        """One line naming the rule set, used in every refusal that depends on it."""
        return f"{self.label}规则（{'、'.join(self.sources)}）"

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.permits, self.confined_space)))


RULE_SETS: dict[str, RuleSet] = {
    KIND_HAZCHEM: RuleSet(KIND_HAZCHEM, KIND_LABELS[KIND_HAZCHEM], "GB 30871-2022", "GB 30871-2022",
                          ("chem-2017",)),
    KIND_INDUSTRIAL: RuleSet(KIND_INDUSTRIAL, KIND_LABELS[KIND_INDUSTRIAL], "应急管理部令第10号",
                             "《工贸企业有限空间作业安全规定》（应急管理部令第13号）", ("industrial-2023",)),
    KIND_UNCLASSIFIED: RuleSet(KIND_UNCLASSIFIED, KIND_LABELS[KIND_UNCLASSIFIED], "GB 30871-2022", "GB 30871-2022",
                               ("chem-2017", "industrial-2023")),
}


def classify_industry(industry: str) -> str:
    """The kind of an enterprise from its 所属行业 text: ``hazchem``, ``industrial`` or ``""``.

    NFKC-normalized, spaces ignored. ``危险化学品生产`` / ``危险化学品经营(带储存)`` / ``化工`` / ``医药``
    → hazchem; ``危险化学品经营(不带储存)`` → ""; ``工贸-机械`` / ``建材`` / ``工贸-食品`` → industrial;
    anything else (blank, 建筑施工, 矿山 …) → "". Source: GB 30871-2022 §1; 令第10号第二条."""
    text = "".join(unicodedata.normalize("NFKC", industry or "").split())
    if any(w in text for w in HAZCHEM_WORDS):
        return KIND_UNCLASSIFIED if any(w in text for w in HAZCHEM_EXCLUDED_WORDS) else KIND_HAZCHEM
    if any(w in text for w in INDUSTRIAL_WORDS):
        return KIND_INDUSTRIAL
    return KIND_UNCLASSIFIED


def rule_set_of(kind_override: str, industry: str) -> RuleSet:
    """The rule set of an enterprise: the regulator's kind when set, else the one its industry gives."""
    return RULE_SETS[kind_override or classify_industry(industry)]
