"""Pure rules of the regulator side (no Django, no database): the 双随机 draw and the shipped
inspection checklists."""
