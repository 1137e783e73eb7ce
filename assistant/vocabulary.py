"""The indicator table's vocabulary: the level names, in the order reports print them.

Three levels (domain.md): 一级指标 (产出, 效益, 满意度, 成本), 二级指标 under them (数量, 质量, 时效,
成本 under 产出; 经济/社会/生态效益, 可持续影响 under 效益; 服务对象满意度), and the 三级 indicator
itself. Loaders normalise printed labels to these names (`read_level`: traditional characters,
converter pinyin, wrap spaces and a level's printed points `产出指标(50分)`), and infer a missing
一级指标 from the 二级指标 or the name (`infer_level1`); scoring keys its default weights by them,
writers order sections by them, and the figure ledger recognises them in prose.
"""
from __future__ import annotations

import re
import unicodedata

from .text import simplified

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


# --- reading a printed level cell ---------------------------------------------------------------------

# Printed 一级 labels that name a standard level by another word (`项目产出`, `效果指标`).
LEVEL1_ALIASES = {
    "产出": "产出指标", "项目产出": "产出指标", "产出目标": "产出指标",
    "效益": "效益指标", "项目效益": "效益指标", "效益目标": "效益指标", "效果指标": "效益指标", "效果目标": "效益指标",
    "满意度": "满意度指标", "服务对象满意度": "满意度指标", "满意度目标": "满意度指标",
    "成本": "成本指标",
}
# Pinyin a converter mirror inserts after a character: `產(chǎn)出指標(biāo)`.
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]+\)")
_LEVEL_POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]")


def plain_label(text: object) -> str:
    """A printed label as the vocabulary names it: simplified characters, converter pinyin removed,
    full-width forms and line-wrap spaces gone (`產(chǎn)出指標(biāo)` → `产出指标`, `经济效益 指标` → `经济效益指标`)."""
    value = "" if text is None else str(text)
    value = _PINYIN.sub("", value)
    value = unicodedata.normalize("NFKC", value)
    return re.sub(r"\s+", "", simplified(value))


def read_level(text: object, level: int) -> tuple[str, float | None]:
    """A printed 一级/二级 cell → (level name, the points printed in it): `产出指标(50分)` → (`产出指标`, 50)."""
    label = plain_label(text)
    points = None
    match = _LEVEL_POINTS.search(label)
    if match:
        points = float(match.group(1))
        label = (label[: match.start()] + label[match.end():]).strip()
    names = LEVEL1_NAMES if level == 1 else LEVEL2_NAMES
    if label + "指标" in names:
        label += "指标"
    elif level == 1:
        label = LEVEL1_ALIASES.get(label, label)
    return label, points


# --- inferring a missing 一级指标 -------------------------------------------------------------------------

# 二级 words → their 一级 (domain.md): checked in this order, on the printed 二级 label.
LEVEL2_PARENTS = (
    (("满意",), "满意度指标"),
    (("经济成本", "社会成本", "生态环境成本", "生态成本"), "成本指标"),
    (("效益", "可持续", "影响"), "效益指标"),
    (("数量", "质量", "时效", "成本"), "产出指标"),
)
# Words of an indicator's own name that place it, when neither level is printed.
NAME_LEVEL_WORDS = (
    (("满意度", "满意率"), "满意度指标"),
    (("效益", "受益", "带动", "增收", "收益", "可持续"), "效益指标"),
    (("数量", "个数", "人数", "户数", "次数", "场次", "面积", "长度", "规模", "合格率", "达标率", "验收", "质量",
      "及时", "时效", "完成率", "完工", "开工", "日期", "时间", "进度", "成本", "费用", "覆盖", "发放", "建设",
      "购置", "培训", "举办", "开展"), "产出指标"),
)


def infer_level1(level2: str, name: str) -> tuple[str, str] | None:
    """(一级指标, reason) for a row printed without one, from its 二级指标 or its name; None if neither tells."""
    label = plain_label(level2)
    if label:
        for words, parent in LEVEL2_PARENTS:
            word = next((w for w in words if w in label), None)
            if word:
                return parent, f"一级指标未填，由二级指标“{label}”推断为{parent}"
    plain = plain_label(name)
    for words, parent in NAME_LEVEL_WORDS:
        word = next((w for w in words if w in plain), None)
        if word:
            return parent, f"一级指标未填，由指标名称中的“{word}”推断为{parent}"
    return None
