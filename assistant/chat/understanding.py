"""How the chat reads a question without a model: normalised text, keyword cues, the example bank's
nearest neighbours, what the question names in the data, and the conversation so far.

`understand(question, evaluation, context, drafted)` gives a `Reading`: the intent, how sure it
is, the subject (an indicator, a budget item, a level, the budget …) and, when no reading is
confident, the two or three likely readings as `Option`s the UI shows as buttons. Cues are data
(`data/intent_cues.yaml`): a word several intents share (支出, 资金, 问题) is weak evidence and
never decides alone. Follow-ups (第二个, 它, 那个指标, 为什么, 效益指标呢) resolve against the
previous answer's list and subject (`Context`).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..evaluation import Evaluation
from ..quantities import QuantityError, chinese_to_number
from ..text import quoted, simplified
from ..tokenizer import tokenizer
from .context import Context, Option, Subject
from .entities import GENERIC_WORDS, budget_matches, clean_name, indicator_matches, level_named
from .intents import intent_bank
from .normalize import normalize_question, terms_for
from .routing import SECTION_WORDS, WHOLE_REPORT_WORDS, section_of

log = logging.getLogger(__name__)

CUES = Path(__file__).resolve().parents[1] / "data" / "intent_cues.yaml"
REGULATION_TERMS = Path(__file__).resolve().parents[1] / "data" / "regulation_terms.txt"
DATA_INTENTS = ("underperformers", "score", "budget", "balance", "spending", "indicator", "ranking", "points_lost",
                "level_summary", "targets_too_low", "findings")
CORPUS_INTENTS = ("policy", "past_report")
WRITING_INTENTS = ("draft", "rewrite")
CONVERSATION_INTENTS = ("small_talk", "help", "off_topic")
# Below this combined score a reading is a guess: ask back.
CONFIDENT = 0.45
# A neighbour this similar counts as in scope even with no domain word (有啥没弄完的).
IN_SCOPE_SIMILARITY = 0.93
# Topic words of the policy corpus: a question about them is in scope.
POLICY_TOPICS = ("采购", "招标", "投标", "评标", "中标", "验收", "审计", "会计", "资产", "投资", "财政", "财务", "绩效",
                 "信息公开", "预决算", "决算", "款项", "中小企业", "档案", "拨款", "转移支付", "专项资金", "结转", "概算",
                 "估算", "可研", "可行性研究", "合同", "政府")
MONEY_WORDS = ("钱", "资金", "经费", "费用", "预算", "支出", "花")
REASON_WORDS = ("为什么", "为何", "原因", "怎么回事", "咋回事", "为啥")
PRONOUNS = re.compile(r"^(那|它|其|该)(?!些)|它|那个|这个(?!项目|单位|部门)|那项|这项(?!目)|该项|该指标|那一项|这一项|那部分|这部分")
ORDINAL = re.compile(r"第\s*([一二两三四五六七八九十\d]+)\s*(?:个|项|名|位|条|类|部分)?|(最后一?个|最后一项|倒数第一个)")
COUNT = re.compile(r"(?:前|后|最高的|最低的|最好的|最差的|最多的|最少的|TOP|top|Top)\s*([一二两三四五六七八九十\d]+)\s*(?:个|项|名)?"
                   r"|([一二两三四五六七八九十\d]+)\s*(?:个|项)(?:指标|任务)?(?:最|完成率最)")
LOW_WORDS = re.compile(r"最低|最差|最不好|最糟|垫底|倒数|后[一二两三四五六七八九十\d]+|从低到高|排最后|最后|最少|差$|差的|差吗|差呢|得差")
BARE_PARTICLES = re.compile(r"[?？!！。，,、\s呢吗啊呀吧嘛的了]+")
# Intents a bare section word may mean (问题 → draft the problems, check the data, see past reports).
SECTION_READINGS = {"problems": ("draft", "past_report", "findings")}


@dataclass
class Reading:
    intent: str
    confidence: float
    text: str                                   # the question as read (normalised)
    subjects: list[Subject] = field(default_factory=list)
    level: str | None = None
    section: str | None = None
    whole_report: bool = False
    count: int | None = None                    # top N
    low: bool = False                           # worst first
    options: list[Option] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    follow_up: bool = False


@lru_cache(maxsize=1)
def cues() -> dict[str, tuple[tuple[re.Pattern, float], ...]]:
    data = yaml.safe_load(CUES.read_text(encoding="utf-8")) or {}
    out = {}
    for intent, entries in data.items():
        compiled = []
        for entry in entries:
            weight, pattern = str(entry).split(" ", 1)
            compiled.append((re.compile(pattern), float(weight)))
        out[intent] = tuple(compiled)
    return out


@lru_cache(maxsize=1)
def _regulation_terms() -> tuple[str, ...]:
    lines = REGULATION_TERMS.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def regulation_terms(text: str, evaluation: Evaluation | None) -> list[str]:
    """The regulations' own terms the question uses (单一来源, 原始凭证, 垫资), leaving out any the data's names hold."""
    names = "\n".join(simplified(n) for n in names_of(evaluation))
    return [t for t in _regulation_terms() if t in text and t not in names]


def cue_scores(text: str) -> dict[str, float]:
    """Each intent's strongest matching cue, plus a little for every further one."""
    scores = {}
    for intent, patterns in cues().items():
        hits = sorted((w for p, w in patterns if p.search(text)), reverse=True)
        if hits:
            scores[intent] = hits[0] + 0.1 * sum(hits[1:])
    return scores


def _number(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else int(chinese_to_number(text.replace("两", "二")))
    except (ValueError, TypeError, QuantityError):
        return None


def ordinal_of(text: str) -> int | None:
    """`第二个` → 2, `最后一个` → -1."""
    match = ORDINAL.search(text)
    if not match:
        return None
    if match.group(2):
        return -1
    return _number(match.group(1))


def count_of(text: str) -> int | None:
    match = COUNT.search(text)
    if not match:
        return None
    return _number(match.group(1) or match.group(2))


def names_of(evaluation: Evaluation | None) -> tuple[str, ...]:
    if evaluation is None:
        return ()
    return tuple([i.name for i in evaluation.indicators] + list(evaluation.budget.by_item)
                 + list(evaluation.budget.by_source) + [t.name for t in evaluation.tasks])


def _in_scope(text: str, evaluation: Evaluation | None, found_entity: bool, scores: dict[str, float]) -> bool:
    if found_entity or any(scores.get(i, 0) >= 0.6 for i in DATA_INTENTS + CORPUS_INTENTS):
        return True
    if any(w in text for w in POLICY_TOPICS + MONEY_WORDS):
        return True
    terms = terms_for(names_of(evaluation))
    return any(w in text for w in terms.words if len(w) >= 2 and w not in GENERIC_WORDS) or "指标" in text


def _indicator_subject(evaluation: Evaluation, k: int) -> Subject:
    return Subject("indicator", k, evaluation.indicators[k].name)


# Words of document titles that say nothing of a document's subject.
TITLE_GENERIC = frozenset("中华人民共和国 管理 办法 条例 规定 实施 细则 暂行 试行 关于 通知 意见 决定 方案 法 报告 年度 "
                          "我国 若干 有关 工作 制度 标准 指南".split())


def title_topics(titles) -> frozenset[str]:
    """What indexed documents are about, from their titles (`差旅费管理办法` → 差旅费): a question naming
    one of these is about the corpus, however far it is from budget performance."""
    words = set()
    for title in titles:
        for word in tokenizer().lcut(re.sub(r"[《》（）()\d\-]", " ", title or "")):
            if len(word) >= 2 and word not in TITLE_GENERIC:
                words.add(word)
    return frozenset(words)


def understand(question: str, evaluation: Evaluation | None, context: Context | None = None,
               drafted: bool = False, corpus_topics: frozenset[str] = frozenset()) -> Reading:
    """Read `question` against the data, the conversation so far and what the corpus is about."""
    context = context or Context()
    text = normalize_question(question, names_of(evaluation))
    scores = cue_scores(text)
    if regulation_terms(text, evaluation):      # a regulation's own word: asked of the regulations
        scores["policy"] = max(scores.get("policy", 0.0), 1.0)
    indicators = indicator_matches(text, evaluation)
    budget = budget_matches(text, evaluation)
    level = level_named(text, evaluation)
    section = section_of(text)
    whole = any(w in text for w in WHOLE_REPORT_WORDS)
    bare = BARE_PARTICLES.sub("", text)
    count = count_of(text)
    if count is None and re.search("最|第一|垫底|倒数第一", text) and not re.search("哪些|几个|几项|排序|排名|排一下|从高到低|从低到高", text):
        count = 1           # 最X的是哪个: the one (with any tied to it)
    reading = Reading(intent="off_topic", confidence=0.0, text=text, level=level, section=section, whole_report=whole,
                      count=count, low=bool(LOW_WORDS.search(text)), scores=scores)
    if not bare:
        reading.intent, reading.confidence = "small_talk", 1.0
        return reading

    # 1. the corpus: laws and past reports are named by their own words, whatever data words they share
    if scores.get("past_report", 0) >= 0.9 and re.search(r"报告|写|表述|描述|提到|怎么|做法|建议|范文|说法", text):
        return _decided(reading, "past_report")
    if scores.get("policy", 0) >= 1.0:
        return _decided(reading, "policy")

    # 2. writing: a rewrite of what was drafted, or a draft of a named section
    rewriting = scores.get("rewrite", 0)
    if rewriting >= 0.8 and (drafted or section or context.section):
        if not section and indicators.found and scores.get("draft", 0) == 0:
            reading.subjects = [_indicator_subject(evaluation, m.key) for m in indicators.tied]
        elif indicators.found:
            reading.subjects = [_indicator_subject(evaluation, indicators.best.key)]
        reading.section = section or context.section
        if reading.section or drafted:
            return _decided(reading, "rewrite")
    asks_to_write = not re.sub(r"帮我|帮忙|请|一下|起草|撰写|草拟|写|个|一份|一篇|吧|来", "", bare)   # 帮我写一下
    if scores.get("draft", 0) >= 0.6 and (section or whole or re.search("报告|部分|章节|一节|内容", text)
                                          or asks_to_write):
        return _decided(reading, "draft")

    # 3. follow-ups on the previous answer
    followed = _follow_up(reading, text, evaluation, context, indicators, budget, level, scores)
    if followed is not None:
        return followed

    in_scope = _in_scope(text, evaluation, bool(indicators.found or budget.found or level), scores)
    votes, neighbours = intent_bank().vote(text)
    top_similarity = neighbours[0].similarity if neighbours else 0.0
    if not in_scope and any(topic in text for topic in corpus_topics):
        return _decided(reading, "policy")          # it names what an indexed document is about
    if not in_scope:
        near_domain = top_similarity >= IN_SCOPE_SIMILARITY and max(
            (v for i, v in votes.items() if i in DATA_INTENTS), default=0) >= 0.5
        if not near_domain:
            return _conversation(reading, scores, votes)

    outright = _named_outright(text, evaluation, indicators, level, scores)
    if outright is not None:
        reading.subjects = [_indicator_subject(evaluation, outright)]
        return _decided(reading, "indicator")

    combined = {intent: scores.get(intent, 0.0) + 0.6 * votes.get(intent, 0.0)
                for intent in set(scores) | set(votes)}
    for intent in CONVERSATION_INTENTS + WRITING_INTENTS:
        combined.pop(intent, None)
    if indicators.found and not level:
        combined["indicator"] = combined.get("indicator", 0.0) + 0.6
    if budget.found:
        combined["spending"] = combined.get("spending", 0.0) + 0.6
    if level and not indicators.found:
        combined["level_summary"] = combined.get("level_summary", 0.0) + 0.8
    data_evidence = indicators.found or budget.found or level or any(scores.get(i, 0) >= 0.4 for i in DATA_INTENTS)
    if not data_evidence and any(w in text for w in POLICY_TOPICS):
        combined["policy"] = combined.get("policy", 0.0) + 0.6      # 采购, 招标, 审计 … and nothing of the data
    reading.scores = combined

    # 4. a bare word or a shared name: ask which reading is meant
    is_bare = (len(bare) <= 4 or _name_fragment(bare, evaluation, indicators)) and max(
        (scores.get(i, 0) for i in DATA_INTENTS if i != "indicator"), default=0) < 0.6
    options = _bare_options(reading, bare, evaluation, indicators, votes, section) if is_bare else []
    if len(options) > 1:
        return _clarify(reading, options)
    singular = re.search(r"那个|这个|那项|哪个", text)
    if indicators.ambiguous and (is_bare or singular) and not _strong_data_cue(scores):
        return _clarify(reading, [_indicator_option(evaluation, m.key) for m in indicators.tied[:4]])

    if not indicators.found and scores.get("ranking", 0) < 0.8:
        options = _completion_options(text, evaluation)
        if options:
            return _clarify(reading, options)
    ranked = sorted(combined.items(), key=lambda kv: -kv[1])
    decisive = [i for i in DATA_INTENTS if scores.get(i, 0) >= 1.0]
    if len(decisive) == 1 and decisive[0] != ranked[0][0]:
        ranked.insert(0, (decisive[0], combined[decisive[0]] + 1.0))
    best, best_score = ranked[0] if ranked else ("off_topic", 0.0)
    if best == "indicator" and not indicators.found:
        if not context.subject or context.subject.kind != "indicator":
            reading.intent, reading.confidence = "ranking", best_score
            return reading
        reading.subjects = [context.subject]
    if best_score < CONFIDENT:
        options = [_intent_option(intent, bare, section) for intent, value in ranked[:3] if value > 0.1]
        options = [o for o in options if o is not None]
        if len(options) > 1:
            return _clarify(reading, options)
        if not options:
            return _conversation(reading, scores, votes)
    reading.intent, reading.confidence = best, best_score
    if indicators.found and not reading.subjects:
        chosen = indicators.tied if best == "indicator" else [indicators.best]
        reading.subjects = [_indicator_subject(evaluation, m.key) for m in chosen[:4]]
    if budget.found and best == "spending":
        reading.subjects = [Subject(budget.best.kind, budget.best.key, budget.best.name)]
    if best in ("points_lost", "score", "indicator") and not reading.subjects and context.subject and (
            PRONOUNS.search(text)):
        reading.subjects = [context.subject]
    return reading


def _named_outright(text: str, evaluation: Evaluation | None, indicators, level, scores) -> int | None:
    """An indicator the question names in full and asks about as an indicator (`预算执行率那个指标完成了吗`
    where an indicator is named 预算执行率): its name outweighs the budget words it is made of."""
    if evaluation is None or not indicators.found or indicators.ambiguous or level:
        return None
    best = indicators.best
    name = clean_name(evaluation.indicators[int(best.key)].name)
    if len(name) < 3 or name not in simplified(text):
        return None
    asked_as_indicator = "指标" in text or scores.get("indicator", 0) >= 0.4
    other = any(scores.get(i, 0) >= 0.8 for i in DATA_INTENTS if i not in ("indicator", "budget"))
    return int(best.key) if asked_as_indicator and not other else None


def _name_fragment(bare: str, evaluation: Evaluation | None, indicators) -> bool:
    """The question is only a piece of several indicators' names (`创业担保贷款`): nothing is asked yet."""
    if evaluation is None or not indicators.ambiguous:
        return False
    return all(bare in clean_name(evaluation.indicators[int(m.key)].name) for m in indicators.tied)


def _decided(reading: Reading, intent: str) -> Reading:
    reading.intent, reading.confidence = intent, 1.0
    return reading


def _strong_data_cue(scores: dict[str, float]) -> bool:
    return any(scores.get(i, 0) >= 0.8 for i in DATA_INTENTS if i != "indicator")


def _conversation(reading: Reading, scores: dict[str, float], votes: dict[str, float]) -> Reading:
    """Not about the data, the corpus or the report: small talk, help, or honestly out of scope."""
    for intent in ("help", "small_talk"):
        if scores.get(intent, 0) >= 0.9:
            return _decided(reading, intent)
    talk = {i: votes.get(i, 0.0) for i in ("help", "small_talk")}
    best = max(talk, key=talk.get)
    if talk[best] >= 0.6 and len(BARE_PARTICLES.sub("", reading.text)) <= 6:
        reading.intent, reading.confidence = best, talk[best]
        return reading
    return _decided(reading, "off_topic")


def _follow_up(reading: Reading, text: str, evaluation: Evaluation | None, context: Context, indicators, budget,
               level, scores) -> Reading | None:
    """A question that leans on the previous answer: an ordinal, a pronoun, `…呢`, `为什么`."""
    if context.intent is None or evaluation is None:
        return None
    ordinal = ordinal_of(text)
    pronoun = bool(PRONOUNS.search(text))
    elliptic = text.rstrip("?？").endswith("呢") and len(text) <= 10
    why = any(w in text for w in REASON_WORDS)
    reading.follow_up = True
    strong_intent = max(((i, v) for i, v in scores.items() if i in DATA_INTENTS and v >= 0.8),
                        key=lambda kv: kv[1], default=(None, 0))[0]
    if ordinal is not None and context.listed:
        k = ordinal - 1 if ordinal > 0 else len(context.listed) - 1
        if 0 <= k < len(context.listed):
            reading.subjects = [context.listed[k]]
            return _on_subject(reading, reading.subjects[0], scores, why)
    if indicators.found and not indicators.ambiguous and (elliptic or why) and not strong_intent:
        reading.subjects = [_indicator_subject(evaluation, indicators.best.key)]
        return _on_subject(reading, reading.subjects[0], scores, why)
    if level and elliptic and not indicators.found:
        reading.level = level
        return _decided(reading, "level_summary")
    if budget.found and (elliptic or pronoun) and not indicators.found:
        match = budget.best
        reading.subjects = [Subject(match.kind, match.key, match.name)]
        return _decided(reading, "spending")
    if indicators.found or budget.found:
        reading.follow_up = False
        return None
    if (pronoun or why or elliptic or _asks_property(scores, text)) and context.subject is not None:
        # 为什么没完成 on the indicator in focus asks its reason; 没完成 there describes it, it asks no list
        listing = strong_intent in ("ranking", "targets_too_low", "findings", "spending", "balance", "level_summary") \
            or (strong_intent == "underperformers" and not (why and context.subject.kind == "indicator"))
        if listing or (strong_intent == "budget" and context.subject.kind != "budget"):
            reading.follow_up = False
            return None
        reading.subjects = [context.subject]
        return _on_subject(reading, context.subject, scores, why)
    if why and context.listed:
        reading.subjects = list(context.listed)
        return _decided(reading, "reasons")
    reading.follow_up = False
    return None


def _asks_property(scores: dict[str, float], text: str) -> bool:
    """A question about a property (目标, 得分, 差多少) that names nothing: it asks about the focus."""
    return bool(re.search(r"^(目标|得分|分值|完成率|差了?多少|原因|偏差)|目标是多少|目标值是多少|得了几分|差了多少", text)) \
        and not any(scores.get(i, 0) >= 0.8 for i in ("underperformers", "ranking", "spending", "balance"))


def _on_subject(reading: Reading, subject: Subject, scores: dict[str, float], why: bool) -> Reading:
    """What to tell about a subject the question points at."""
    if why:
        return _decided(reading, "reasons")
    if scores.get("points_lost", 0) >= 0.8:
        return _decided(reading, "points_lost")
    if subject.kind == "indicator":
        return _decided(reading, "indicator")
    if subject.kind in ("item", "source", "task"):
        return _decided(reading, "spending")
    if subject.kind == "level":
        reading.level = str(subject.key)
        return _decided(reading, "level_summary")
    if subject.kind == "budget":
        return _decided(reading, "budget")
    return _decided(reading, "score")


def _clarify(reading: Reading, options: list[Option]) -> Reading:
    seen, unique = set(), []
    for option in options:
        if option.question not in seen:
            seen.add(option.question)
            unique.append(option)
    reading.intent, reading.options = "clarify", unique[:4]
    return reading


def _indicator_option(evaluation: Evaluation, k: int) -> Option:
    name = quoted(evaluation.indicators[k].name)
    return Option(label=f"{name}的完成情况", question=f"{name}完成得怎么样")


INTENT_QUESTIONS = {
    "underperformers": ("哪些指标没有完成", "哪些指标没有完成"),
    "score": ("自评得分和等级", "总分是多少，评为什么等级"),
    "budget": ("预算执行情况（预算、支出、执行率）", "预算执行率是多少"),
    "balance": ("预算结余", "结余多少"),
    "spending": ("资金明细（用途、来源、任务资金）", "资金都用在哪些方面"),
    "ranking": ("各项指标的完成率排名", "各指标完成率从高到低排一下"),
    "points_lost": ("扣分情况", "扣了多少分"),
    "level_summary": ("各级指标完成情况", "一共几个指标，完成了几个"),
    "targets_too_low": ("目标值可能偏低的指标", "哪些指标目标值设置偏低"),
    "findings": ("数据填报有没有错误", "数据有没有填报错误"),
}


def _intent_option(intent: str, bare: str, section: str | None) -> Option | None:
    if intent in INTENT_QUESTIONS:
        label, question = INTENT_QUESTIONS[intent]
        return Option(label, question)
    if intent == "policy":
        return Option(f"政策法规中关于“{bare}”的规定", f"政策法规对{bare}有什么规定")
    if intent == "past_report":
        what = SECTION_WORDS[section][0] if section else bare
        return Option(f"往年报告中“{what}”的写法", f"往年报告里{what}是怎么写的")
    if intent in ("draft", "rewrite"):
        if section:
            name = SECTION_WORDS[section][0]
            return Option(f"起草“{name}”部分", f"起草{name}部分")
        return Option("起草报告全文", "起草报告全文")
    return None


def _bare_options(reading: Reading, bare: str, evaluation, indicators, votes, section) -> list[Option]:
    """The readings of a bare word: the indicators it names, and the intents it may stand for."""
    options: list[Option] = []
    if indicators.found:
        options += [_indicator_option(evaluation, m.key) for m in indicators.tied[:4]]
    if section and section in SECTION_READINGS:
        intents = SECTION_READINGS[section]
    else:
        intents = tuple(i for i, v in sorted(votes.items(), key=lambda kv: -kv[1])
                        if v >= 0.2 and i not in CONVERSATION_INTENTS + ("indicator", "rewrite"))
        strong = [i for i, v in reading.scores.items() if i in DATA_INTENTS and i != "indicator" and v >= 0.3]
        intents = tuple(dict.fromkeys(strong + list(intents)))
        if indicators.found:
            intents = tuple(i for i in intents if i in CORPUS_INTENTS)
    for intent in intents:
        option = _intent_option(intent, bare, section)
        if option is not None:
            options.append(option)
    if len(options) == 1 and not indicators.found:
        return []
    return options


def _completion_options(text: str, evaluation: Evaluation | None) -> list[Option]:
    """`完成率是多少` names no indicator: the indicators named with the generic word, or all of them."""
    if evaluation is None:
        return []
    words = [w for w in ("完成率", "满意度", "合格率", "覆盖率", "执行率", "达标率") if w in text]
    named = [k for k, i in enumerate(evaluation.indicators) if any(w in i.name for w in words)]
    if not named:
        return []
    options = [_indicator_option(evaluation, k) for k in named[:3]]
    label, question = INTENT_QUESTIONS["ranking"]
    return options + [Option(label, question)]
