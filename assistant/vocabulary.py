"""The indicator table's vocabulary: the level names, in the order reports print them.

Three levels (domain.md): 一级指标 (产出, 效益, 满意度, 成本), 二级指标 under them (数量, 质量, 时效,
成本 under 产出; 经济/社会/生态效益, 可持续影响 under 效益; 服务对象满意度), and the 三级 indicator
itself. Loaders normalise printed labels to these names, scoring keys its default weights by them,
writers order sections by them, and the figure ledger recognises them in prose.
"""
from __future__ import annotations

# 一级指标 that carry indicators, in report order.
LEVEL1_ORDER = ("产出指标", "效益指标", "满意度指标", "成本指标")
# Further 一级 labels seen on real forms (process and department-wide tables).
LEVEL1_NAMES = LEVEL1_ORDER + ("过程指标", "决策指标", "管理指标", "履职效能", "管理效率")
# 二级指标, in report order.
LEVEL2_ORDER = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
                "可持续影响指标", "服务对象满意度指标")
LEVEL2_NAMES = LEVEL2_ORDER + ("经济成本指标", "社会成本指标", "生态环境成本指标")
# How prose names a level (`产出指标9项`, `社会效益方面`, `满意度`): a figure next to one of these
# counts indicators of that level, not the whole table.
LEVEL_MENTIONS = LEVEL1_ORDER + LEVEL2_ORDER[:4] + ("经济效益", "社会效益", "生态效益", "可持续影响", "满意度")


def level1_rank(level: str) -> int:
    """Where a 一级指标 sorts in a report: 产出 first, unknown levels last."""
    return LEVEL1_ORDER.index(level) if level in LEVEL1_ORDER else len(LEVEL1_ORDER)


def level2_rank(level2: str) -> int:
    """Where a 二级指标 sorts (a label printed without 指标 sorts as with it)."""
    for rank, name in enumerate(LEVEL2_ORDER):
        if level2 == name or level2 + "指标" == name:
            return rank
    return len(LEVEL2_ORDER)
