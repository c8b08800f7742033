"""Names people read and type: login normalisation and the lookalike/invisible-name rule (BREAKIT D1, D20).

Pure (stdlib + confusable-homoglyphs): used by the services, the login limits and the CSV parser.
"""

from __future__ import annotations

import unicodedata

#: Alphabetic scripts whose letters pass for one another (Latin ``o``, Cyrillic ``о``, Greek ``ο``).
#: A name mixing two of them is refused; Han mixed with Latin (``ABC化工``) is ordinary and allowed.
LOOKALIKE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "GEORGIAN"})
#: Unicode categories never allowed in a name: controls, format characters (ZWSP U+200B, ZWJ,
#: bidi overrides such as RLO U+202E, BOM), private use, unassigned, line/paragraph separators.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})


def login_username(raw: str) -> str:
    """The username login authenticates with: surrounding whitespace removed, NFKC-normalised
    (Django stores usernames NFKC-normalised, ``AbstractBaseUser.normalize_username``)."""
    return unicodedata.normalize("NFKC", (raw or "").strip()).strip()


def login_identity(raw: str) -> str:
    """The key of the per-identity login limit: :func:`login_username` of ``raw``, case-folded and
    without format characters, so every spelling that reaches one account shares one limit
    (``" officer"``, ``"officer "``, ``"ＯＦＦＩＣＥＲ"``, ``"officer\\u200b"``)."""
    name = login_username((raw or "")[:4096])
    return "".join(c for c in name.casefold() if unicodedata.category(c) != "Cf")[:150]


def name_problem(text: str, *, lookalike_check: bool = False) -> tuple[str, str] | None:
    """``(code, message)`` of what is wrong with the (stripped) name ``text``, or None.

    Codes: ``blank`` (nothing visible, e.g. only ZWSP), ``invisible_characters`` (a control, format or
    bidi character anywhere: ZWSP padding, RLO), ``mixed_script`` (with ``lookalike_check``: letters of
    two lookalike scripts such as Latin and Cyrillic in one name, ``"оfficer"``). The rule is ours:
    confusable-homoglyphs' ``is_dangerous`` also refuses ``ABC化工``; its script table
    (``categories.unique_aliases``) names the scripts.
    """
    from confusable_homoglyphs import categories

    if any(unicodedata.category(c) in FORBIDDEN_CATEGORIES for c in text):
        return "invisible_characters", "名称不能包含不可见字符或控制字符（如零宽空格、方向控制符）。"
    if not text:
        return "blank", "名称不能为空。"
    if lookalike_check:
        scripts = categories.unique_aliases(text) & LOOKALIKE_SCRIPTS
        if len(scripts) > 1:
            return "mixed_script", f"名称混用了易混淆的文字（{'、'.join(sorted(scripts))}）。"
    return None


