"""Values the hazard tests share."""

#: The five commitments of a major hazard (五落实: measures, funds, contingency plan; the
#: responsible person and deadline are set on filing).
FIVE = {"measures": "更换隔爆型电机", "funds_yuan": 6800, "contingency_plan": "临时通风并加密检测"}
