"""Rules of organizations: the enterprise review state machine. Pure: no Django.

A self-registered enterprise is ``pending`` until a regulator admin whose jurisdiction covers its
division code approves or rejects it; a reviewed enterprise is never reviewed again (409
``invalid_transition``). Enterprises imported by a regulator are created ``approved``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

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


#: 工贸 sectors (令第10号第二条: 冶金、有色、建材、机械、轻工、纺织、烟草、商贸), each with the words of an
#: industry name that place an enterprise in it (NFKC, spaces ignored; first match in this order wins,
#: so 有色金属冶炼 is 有色 and 钢铁 冶金) and the sector article of 令第10号 that applies to it only
#: (第四条–第十条; 商贸 has no sector article — 第三条 and 第十一至十三条 only). The sector names follow
#: 《冶金有色建材机械轻工纺织烟草商贸行业安全监管分类标准（试行）》（应急厅〔2019〕17号, GB/T 4754
#: 大类 30–43 …）; the words are this platform's reading of free-text industry names [config].
SECTOR_METALLURGY, SECTOR_NONFERROUS, SECTOR_BUILDING = "metallurgy", "nonferrous", "building_materials"
SECTOR_MACHINERY, SECTOR_LIGHT, SECTOR_TEXTILE = "machinery", "light_industry", "textile"
SECTOR_TOBACCO, SECTOR_COMMERCE, SECTOR_UNKNOWN = "tobacco", "commerce", ""


@dataclass(frozen=True)
class Sector:
    """One 工贸 sector: code, label, the industry words that select it, its 令第10号 article (checklist code)."""

    code: str
    label: str
    words: tuple[str, ...]
    article: str = ""
    checklist: str = ""


SECTORS: tuple[Sector, ...] = (
    Sector(SECTOR_NONFERROUS, "有色", ("有色", "铝", "铜冶炼", "铅锌", "镁冶炼"), "第五条", "ind-2023-nonferrous"),
    Sector(SECTOR_METALLURGY, "冶金", ("冶金", "钢铁", "黑色金属", "炼铁", "炼钢", "铁合金", "轧钢"), "第四条",
           "ind-2023-metallurgy"),
    Sector(SECTOR_BUILDING, "建材", ("建材", "水泥", "非金属矿物", "平板玻璃", "玻璃纤维", "耐火材料", "石灰", "石膏"),
           "第六条", "ind-2023-building"),
    Sector(SECTOR_MACHINERY, "机械", ("机械", "金属制品", "设备制造", "汽车制造", "铸造", "电气机械", "仪器仪表"),
           "第七条", "ind-2023-machinery"),
    Sector(SECTOR_TOBACCO, "烟草", ("烟草", "卷烟", "烟叶"), "第十条", "ind-2023-tobacco"),
    Sector(SECTOR_TEXTILE, "纺织", ("纺织", "印染", "化纤", "服装", "服饰"), "第九条", "ind-2023-textile"),
    Sector(SECTOR_LIGHT, "轻工", ("轻工", "食品", "酿酒", "白酒", "酒类", "饮料", "造纸", "纸制品", "家具", "日用", "陶瓷", "塑料制品",
                                 "皮革", "电池"), "第八条", "ind-2023-light"),
    Sector(SECTOR_COMMERCE, "商贸", ("商贸", "批发", "零售", "仓储", "物流", "商场", "超市")),
)
_ARTICLE_ORDER = ("第四条", "第五条", "第六条", "第七条", "第八条", "第九条", "第十条")
SECTOR_BY_CODE: dict[str, Sector] = {s.code: s for s in SECTORS}
SECTOR_LABELS = {**{s.code: s.label for s in SECTORS}, SECTOR_UNKNOWN: "未分行业"}
#: The 令第10号 checklist of every 工贸 enterprise (第三条 and the 专项 articles 第十一至十三条).
INDUSTRIAL_GENERAL_CHECKLIST = "industrial-2023"
#: The sector checklists in the order of their articles (第四条 冶金 … 第十条 烟草).
SECTOR_CHECKLISTS: tuple[str, ...] = tuple(
    s.checklist for s in sorted(SECTORS, key=lambda s: _ARTICLE_ORDER.index(s.article) if s.article else 99) if s.checklist)


CHEM_2017_SOURCE = "安监总管三〔2017〕121号"


@dataclass(frozen=True)
class RuleSet:
    """What applies to an enterprise of one kind: permits' standard, confined-space rules, the
    major-hazard checklists (codes of :data:`compliance.rules.major_hazard.MAJOR_HAZARD_CHECKLISTS`)
    and, for 工贸, its sector (``sector``: a :data:`SECTORS` code, ``""`` when the industry names none)."""

    kind: str
    label: str
    permits: str
    confined_space: str
    checklists: tuple[str, ...]
    #: The document the major-hazard checklists come from (重大事故隐患判定标准).
    major_hazards: str = ""
    sector: str = ""

    @property
    def name(self) -> str:
        """One line naming the rule set, used in every refusal that depends on it."""
        label = f"{self.label}（{self.sector_label}）" if self.sector else self.label
        return f"{label}规则（{'、'.join(self.sources)}）"

    @property
    def sources(self) -> tuple[str, ...]:
        """The documents whose thresholds a permit refusal applies (permits, confined spaces)."""
        return tuple(dict.fromkeys((self.permits, self.confined_space)))

    @property
    def sector_label(self) -> str:
        return SECTOR_LABELS.get(self.sector, "") if self.kind == KIND_INDUSTRIAL else ""


RULE_SETS: dict[str, RuleSet] = {
    KIND_HAZCHEM: RuleSet(KIND_HAZCHEM, KIND_LABELS[KIND_HAZCHEM], "GB 30871-2022", "GB 30871-2022",
                          ("chem-2017",), CHEM_2017_SOURCE),
    # 令第10号 judges 重大事故隐患; it sets no permit thresholds. A 工贸 plant's permits are checked against
    # GB 30871-2022's thresholds (its §1 scope is 危化/化工/医药; 工贸 enterprises apply it by reference),
    # so the refusal says so rather than naming 令第10号 for a GB 30871 number.
    KIND_INDUSTRIAL: RuleSet(KIND_INDUSTRIAL, KIND_LABELS[KIND_INDUSTRIAL], "GB 30871-2022（参照执行）",
                             "《工贸企业有限空间作业安全规定》（应急管理部令第13号）",
                             (INDUSTRIAL_GENERAL_CHECKLIST, *SECTOR_CHECKLISTS), "应急管理部令第10号"),
    KIND_UNCLASSIFIED: RuleSet(KIND_UNCLASSIFIED, KIND_LABELS[KIND_UNCLASSIFIED], "GB 30871-2022", "GB 30871-2022",
                               ("chem-2017", INDUSTRIAL_GENERAL_CHECKLIST, *SECTOR_CHECKLISTS)),
}


def _normalized(industry: str) -> str:
    return "".join(unicodedata.normalize("NFKC", industry or "").split())


def classify_industry(industry: str) -> str:
    """The kind of an enterprise from its 所属行业 text: ``hazchem``, ``industrial`` or ``""``.

    NFKC-normalized, spaces ignored. ``危险化学品生产`` / ``危险化学品经营(带储存)`` / ``化工`` / ``医药``
    → hazchem; ``危险化学品经营(不带储存)`` → ""; ``工贸-机械`` / ``建材`` / ``工贸-食品`` → industrial;
    anything else (blank, 建筑施工, 矿山 …) → "". Source: GB 30871-2022 §1; 令第10号第二条."""
    text = _normalized(industry)
    if any(w in text for w in HAZCHEM_WORDS):
        return KIND_UNCLASSIFIED if any(w in text for w in HAZCHEM_EXCLUDED_WORDS) else KIND_HAZCHEM
    if any(w in text for w in INDUSTRIAL_WORDS) or classify_sector(text):
        return KIND_INDUSTRIAL
    return KIND_UNCLASSIFIED


def classify_sector(industry: str) -> str:
    """The 工贸 sector of an industry text (a :data:`SECTORS` code) or ``""`` when it names none.

    ``工贸-机械`` → machinery; ``有色金属冶炼`` → nonferrous; ``钢铁`` → metallurgy; ``工贸-食品`` →
    light_industry (食品 is a 轻工 trade); ``商贸`` → commerce; ``工贸`` alone → "". Source: 令第10号第二条."""
    text = _normalized(industry)
    return next((s.code for s in SECTORS if any(w in text for w in s.words)), SECTOR_UNKNOWN)


def rule_set_of(kind_override: str, industry: str) -> RuleSet:
    """The rule set of an enterprise: the regulator's kind when set, else the one its industry gives.

    A 工贸 enterprise whose industry names its sector gets the 令第10号 general checklist plus that
    sector's article only (a 机械 plant: ``industrial-2023`` + ``ind-2023-machinery``; a 商贸
    enterprise: ``industrial-2023`` alone — 令第10号 has no 商贸 article); one whose sector is unknown
    keeps every sector article until its industry is recorded. Source: 令第10号第二条、第四条至第十条."""
    base = RULE_SETS[kind_override or classify_industry(industry)]
    if base.kind != KIND_INDUSTRIAL:
        return base
    sector = classify_sector(industry)
    if sector == SECTOR_UNKNOWN:
        return base
    own = SECTOR_BY_CODE[sector].checklist
    return replace(base, sector=sector,
                   checklists=(INDUSTRIAL_GENERAL_CHECKLIST, *((own,) if own else ())))
