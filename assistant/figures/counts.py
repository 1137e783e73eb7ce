"""Counts in prose: what a count counts and which of them (`共设置绩效指标16项`, `其中5项达到年度指标值`,
`1项未达到`, `六项重点工作任务中有五项列明了资金`, `这7项指标`, `其余5项`).

`read_count(...)` → `CountReading`:
- `counted`: the noun next to the figure (指标, 任务, a level such as 产出指标, 资金用途), or the one an
  earlier count of the sentence named (`16项指标中有7项…` → 指标);
- `predicate`: met (达到/完成/达标, not 完成率), unmet (未达到 …, also after the figure), over (完成率超过
  130%, 远超/明显超出 年度指标值), funded (列明资金), scored (已打分, 显示得分); a partitive `N项指标中…` keeps the words after 中
  for the counts that follow;
- `reference`: `anaphora` for 这/该/上述 (any count of the ledger), `complement` for 其余/其他/另
  (a count of some of them, never the whole);
- `cell`: a quotation in the clause (`只填写“达成预期指标”`, `填写为“100”`): the count of rows whose
  target or actual is that text (the ledger's `cell:…` counts).
A count that names neither what nor which is not read as a count at all (`全年服务企业3项`), except the
items of a list just given and summed (`四项合计152.5万元`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

COUNT_NOUNS = (("任务", "任务"), ("指标", "指标"), ("分项", "分项"), ("资金用途", "资金用途"), ("用途", "资金用途"),
               ("资金来源", "资金来源"), ("支出项目", "资金用途"), ("费用", "资金用途"))
MET = re.compile(r"^[^，。；]*?(?:均|全部|都|已)?(?:达到|达成|完成|达标|实现)(?!率|值|情况)")
UNMET = re.compile(r"未达到|未达成|未完成|未达标|未实现|没有达到|没有完成|不达标|仅基本达到|仅基本完成|未完全达到|未完全完成|"
                   r"部分达到|部分完成")
FUNDED = re.compile(r"列明|安排了?资金|有资金|填有资金|列有资金")
SCORED = re.compile(r"打分|有得分|显示得分|列有得分|填有得分|计分|给分")
OVER = re.compile(r"(?:超过|超出|高于|大于)\s*\d|远超|远高于|明显超出|明显高于|大幅超出|大幅超过")
ANAPHORA = ("这", "该", "上述", "此", "以上", "前述")
COMPLEMENT = ("其余", "其他", "另", "另外", "剩余", "剩下")
_HEAD_FILLER = re.compile(r"^(?:的|为|是|共)?(?:绩效|部门整体|重点|主要|各类|全部|所有|工作)*")
_TAIL_FILLER = re.compile(r"(?:共|共计|合计|为|有|计|达|总计|设置|设|了|：|:)+$")
_NOUN_BEFORE = re.compile(r"(指标|任务)(?:数量|个数|总数|数)?$")


@dataclass(frozen=True)
class CountReading:
    counted: str | None = None
    predicate: str | None = None
    reference: str | None = None     # anaphora | complement
    cell: str | None = None          # a quoted cell text the counted rows hold

    @property
    def says(self) -> bool:
        """Do the words say what is counted or which of them?"""
        return bool(self.counted or self.predicate or self.cell)


def read_count(before: str, after: str, tail: str, levels: dict[str, tuple[str, ...]], inherited: str | None,
               quotes: list[str]) -> CountReading:
    """`before`: the words of its clause before the figure; `after`: up to the next figure; `tail`: the
    predicate words after it (its clause); `levels`: each level with the names prose uses for it;
    `inherited`: the noun an earlier count of the sentence named."""
    head = _HEAD_FILLER.sub("", after)
    before = _TAIL_FILLER.sub("", before)
    counted = None
    for level, names in sorted(levels.items(), key=lambda item: -len(item[0])):
        if any(len(n) >= 3 and (head.startswith(n) or before.endswith(n)) or _short_level(n, head) for n in names):
            counted = level
            break
    if counted is None:
        for word, noun in COUNT_NOUNS:
            if head.startswith(word) or head.startswith("工作" + word) or before.endswith(word):
                counted = noun
                break
    if counted is None:
        noun = _NOUN_BEFORE.search(before)
        counted = noun.group(1) if noun else inherited
    tail = re.split(r"(?<=指标|任务)中|[:：“\"「(（]", tail)[0]     # not into a subset, a list or a quote
    predicate = None
    if re.search(r"待确认|待核定|待复核|无法判定|暂不判定|无法判断|暂不判断|不予判定", tail + before[-8:]):
        predicate = "review"      # indicators awaiting an officer's confirmation (their cells unread)
    elif UNMET.search(tail) or UNMET.search(before[-8:]):
        predicate = "unmet"
    elif OVER.search(tail):
        predicate = "over"
    elif FUNDED.search(tail):
        predicate = "funded"
    elif SCORED.search(before) or SCORED.search(tail):
        predicate = "scored"
    elif MET.match(tail) or re.search(r"(?:达到|达成|完成|达标)[^，。；]*的(?:有|为|共)?$", before):
        predicate = "met"
    reference = "anaphora" if before.endswith(ANAPHORA) else "complement" if before.endswith(COMPLEMENT) else None
    cell = quotes[0] if quotes and re.search(r"填写|填报|填列|只填|写为|均为|为“", tail + "".join(quotes)) else None
    return CountReading(counted, predicate, reference, cell)


def _short_level(name: str, head: str) -> bool:
    """A level's two-character name standing alone after the count (`两项时效、一项成本`, `三项成本合计…`)."""
    return len(name) == 2 and bool(re.match(re.escape(name) + r"(?:[、，,；;）)。]|(?:实际|支出|费用)?(?:合计|共计|总计)|$)", head))


def over_by_rate(tail: str, following_text: str | None, following_unit: str | None) -> bool:
    """`7项完成率超过130%`: the rate that follows the count says which of them."""
    return "完成率" in tail and following_unit == "%" and bool(
        re.match(r"\s*(?:超过|超出|高于|大于|超|逾|在)", following_text or ""))


__all__ = ["CountReading", "read_count", "over_by_rate", "COUNT_NOUNS"]
