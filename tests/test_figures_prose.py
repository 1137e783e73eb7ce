"""The checker reads the prose capable models and officers write (issue 11), one test per cause:
paraphrased names, role words as words, counts, the form's own cells, derived values, hedges, grades
and years, reasons an officer can act on, and facts a model cites as {F12}. Every loosening has its
corrupted twin beside it, which must still be caught."""
from __future__ import annotations

import pytest

from assistant.evaluation import Budget, Evaluation, Indicator, KeyTask
from assistant.figures import check, evaluation_ledger, render_fact_ids
from assistant.quantities import parse_quantity


def _indicator(level1, name, target, actual, *, unit="", weight=None, stated_score=None, stated=None, task=None,
               level2="数量指标"):
    return Indicator(level1=level1, level2=level2, name=name, target=parse_quantity(target, unit),
                     actual=parse_quantity(actual, unit), weight=weight, stated_score=stated_score,
                     stated_completion=parse_quantity(stated) if stated else None, task=task)


@pytest.fixture(scope="module")
def project():
    """Seed 003's project, as the shared prose set uses it."""
    return evaluation_ledger(Evaluation(
        unit_name="某某办", year=2023, report_type="项目", project="港澳商协会服务集聚区综合保障经费",
        budget=Budget(budgeted=152.50, spent=140.30, by_item={"场地租赁费": 54.50, "日常运作经费": 44.47,
                                                              "运营服务项目经费": 29.90, "活动经费": 23.63}),
        stated_total=97, stated_grade="优",
        indicators=[
            _indicator("产出指标", "“倾”沙龙系列座谈场次", "≥4场", "6场"),
            _indicator("产出指标", "“港澳商协汇”公众号推文数量", "≥40篇", "41篇"),
            _indicator("产出指标", "港澳商协会之家常驻机构数量", "≥15家", "18家"),
            _indicator("效益指标", "“港澳商协汇”公众号关注量", "≥450人次", "386人次", level2="社会效益指标"),
            _indicator("满意度指标", "入驻机构服务满意度", "≥85%", "94%", level2="服务对象满意度指标"),
        ]))


@pytest.fixture(scope="module")
def department():
    task = "港澳与外事交流合作工作任务"
    return evaluation_ledger(Evaluation(
        unit_name="某某办", year=2023, budget=Budget(budgeted=2122.43, spent=2115.30),
        overall_goal="务实推动《南沙方案》落地落实，打造重大战略性平台。",
        tasks=[KeyTask(name=task, funds=163.00), KeyTask(name="国际化社区工作任务", funds=34.00)],
        policy_basis=["《开发区管委会主任会议纪要（穗南开管会纪〔2022〕9号）》"],
        indicators=[
            _indicator("产出指标", "本单位2023年接待涉港澳、涉外事团组人次", "≥1500", "2014", unit="人次", task=task,
                       stated="100%"),
            _indicator("产出指标", "组织咨委会秘书处专项工作活动次数", "≥6次", "9次"),
            _indicator("效益指标", "亚洲青年领袖论坛相关媒体报道次数", "≥150次", "203次", level2="社会效益指标"),
            _indicator("效益指标", "咨委会活动媒体报道", "≥15次", "18次", level2="社会效益指标"),
        ]))


def figure(text, shown, ledger):
    found = [f for f in check(text, ledger).figures if " ".join(f.text.split()) == shown]
    assert found, [(f.text, f.status) for f in check(text, ledger).figures]
    return found[0]


def status(text, shown, ledger) -> str:
    return figure(text, shown, ledger).status


# --- paraphrased names ---------------------------------------------------------------------------------

def test_a_paraphrased_name_binds_its_figures(project):
    text = "港澳商协会之家常驻机构达到18家，超出目标3家，完成率120%。"
    assert check(text, project).ok, check(text, project).problems()
    # the corrupted twins: another indicator's value, a wrong gap
    assert status("港澳商协会之家常驻机构达到15家，超出目标3家，完成率120%。", "15家", project) == "misattributed"
    assert status("港澳商协会之家常驻机构达到16家，超出目标3家，完成率120%。", "16家", project) == "unverified"
    assert status("港澳商协会之家常驻机构达到18家，超出目标2家，完成率120%。", "2家", project) == "unverified"


def test_the_shortest_unambiguous_mention_wins(department):
    assert status("论坛相关媒体报道达203次，完成率135%。", "203次", department) == "verified"
    assert status("咨委会活动获媒体报道18次。", "18次", department) == "verified"
    assert status("咨委会活动获媒体报道203次。", "203次", department) == "misattributed"


def test_names_with_numbering_prefixes_and_units_in_brackets():
    ledger = evaluation_ledger(Evaluation(unit_name="某局", year=2022, budget=Budget(budgeted=10, spent=10),
                                          indicators=[_indicator("产出指标", "指标1:租车次数(次)", "≥8次", "9次"),
                                                      _indicator("产出指标", "四、农户施肥情况调查(户)", "≥300户", "320户")]))
    assert check("全年租车9次，农户施肥情况调查320户。", ledger).ok
    assert status("全年租车8次。", "8次", ledger) == "misattributed"


def test_content_no_name_explains_is_evidence_of_another_subject(project):
    reason = figure("此外，全年另行组织专题培训6场。", "6场", project).reason
    assert "专题培训" in reason


# --- role and hedge words are words -------------------------------------------------------------------

def test_negated_role_words(department):
    assert status("尚有7.13万元未支出。", "7.13万元", department) == "verified"       # 未支出: the balance
    assert status("实际支出7.13万元。", "7.13万元", department) == "misattributed"


def test_hedges_and_numerals_inside_other_words_are_not_read(project):
    signed = check("全年签约18家常驻机构。", project).figures
    assert [(f.text, f.approximate) for f in signed] == [("18家", False)]
    assert check("每一分钱都用在刀刃上。", project).figures == []
    assert [f.text for f in check("提前2个月完成。", project).figures] == ["2个月"]


def test_a_target_written_where_the_actual_belongs_is_caught(department):
    assert status("全年接待涉港澳、涉外事团组2014人次。", "2014人次", department) == "verified"
    swapped = figure("全年接待涉港澳、涉外事团组1500人次。", "1500人次", department)
    assert swapped.status == "misattributed" and "2014人次" in swapped.reason


# --- counts ---------------------------------------------------------------------------------------------

def test_counts_count_what_their_words_say(project):
    assert check("项目共设置绩效指标5项，其中4项达到年度指标值，1项未达到。", project).ok
    assert status("项目共设置绩效指标4项。", "4项", project) == "unverified"         # 4 is another count
    assert status("其中5项达到年度指标值，1项未达到。", "5项", project) == "unverified"
    assert status("四项合计152.5万元。", "四项", project) == "verified"             # the items just listed


# --- the form's own cells --------------------------------------------------------------------------------

def test_the_forms_cells_in_their_own_words():
    ledger = evaluation_ledger(Evaluation(
        unit_name="某局", year=2021, budget=Budget(budgeted=150, spent=125.25), stated_total=96,
        indicators=[_indicator("产出指标", "大厅运行正常率", "100%", "100%", weight=20, stated_score=18),
                    _indicator("产出指标", "办结率", "100%", "100%", weight=80, stated_score=78)]))
    assert status("项目自评得分96分。", "96分", ledger) == "verified"
    assert status("自评表中“大厅运行正常率”仅得18分。", "18分", ledger) == "verified"
    assert status("“大厅运行正常率”得18分（分值20分）。", "18分", ledger) == "verified"
    # a recomputation is the product's figure, the form's is no recomputation
    assert status("“大厅运行正常率”按规则计算应得20分。", "20分", ledger) == "verified"
    assert status("“大厅运行正常率”按规则计算应得18分。", "18分", ledger) != "verified"
    assert status("自评表中“大厅运行正常率”仅得20分。", "20分", ledger) != "verified"


def test_a_stated_rate_its_formula_contradicts_needs_the_forms_words(department):
    assert status("“本单位2023年接待涉港澳、涉外事团组人次”完成率100%。", "100%", department) == "unverified"
    assert status("“本单位2023年接待涉港澳、涉外事团组人次”自评表填报完成率为100%。", "100%", department) == "verified"


# --- derived values --------------------------------------------------------------------------------------

def test_conversions_multiples_and_percentage_points(department, project):
    assert status("预算安排0.2122亿元。", "0.2122亿元", department) == "verified"
    assert status("预算安排0.21亿元。", "0.21亿元", department) == "unverified"
    text = "全年接待涉港澳、涉外事团组2014人次，是目标值1500人次的1.34倍。"
    assert check(text, department).ok, check(text, department).problems()
    assert status(text.replace("1.34倍", "1.43倍"), "1.43倍", department) != "verified"
    assert status("距全额执行相差0.34个百分点。", "0.34个百分点", department) == "verified"
    assert status("入驻机构服务满意度达到94%，高于85%的目标值9个百分点。", "9个百分点", project) == "verified"
    assert status("入驻机构服务满意度达到94%，高于85%的目标值9%。", "9%", project) != "verified"


def test_a_rate_per_population_is_one_figure():
    ledger = evaluation_ledger(Evaluation(unit_name="某局", year=2020, budget=Budget(budgeted=10, spent=10),
                                          indicators=[_indicator("效益指标", "年森林火灾发生率", "≤6.5次/10万公顷",
                                                                 "0.2次/10万公顷")]))
    figures = check("年森林火灾发生率为0.2次/10万公顷。", ledger).figures
    assert [(f.text, f.status) for f in figures] == [("0.2次/10万公顷", "verified")]
    assert status("年森林火灾发生率为0.2次/万公顷。", "0.2次/万公顷", ledger) == "unverified"


def test_sums_of_the_forms_scores_and_the_sentences_own_arithmetic():
    ledger = evaluation_ledger(Evaluation(
        unit_name="某局", year=2020, budget=Budget(budgeted=7.29, spent=7.29),
        indicators=[_indicator("产出指标", "项目验收合格率", "=100%", "100%", weight=20, stated_score=19),
                    _indicator("产出指标", "项目完成及时率", "=100%", "100%", weight=20, stated_score=19),
                    _indicator("效益指标", "违法行为责停率", "≥95%", "95%", weight=30, stated_score=27,
                               level2="社会效益指标")]))
    text = "项目验收合格率和项目完成及时率各得19分，违法行为责停率得27分，3项合计65分，比分值合计70分少5分。"
    assert check(text, ledger).ok, check(text, ledger).problems()
    assert status(text.replace("合计65分", "合计66分"), "66分", ledger) != "verified"
    assert status(text.replace("少5分", "少7分"), "7分", ledger) != "verified"


def test_hedged_approximations_verify_as_approximate(project):
    near = figure("公众号关注量为386人次，完成率约85.8%。", "约85.8%", project)
    assert near.status == "verified" and near.approximate
    assert status("公众号关注量为386人次，完成率约88%。", "约88%", project) == "unverified"


# --- grades and years ------------------------------------------------------------------------------------

def test_grades_are_figures(project):
    assert status("自评得分97分，评价等级为“优”。", "优", project) == "verified"
    assert status("自评得分97分，评价等级为“良”。", "良", project) == "unverified"


def test_years_in_their_roles(department):
    assert status("力争2024年预算执行更加精准。", "2024年", department) == "verified"   # the next year, in a measure
    assert status("力争2023年预算执行更加精准。", "2023年", department) == "unverified"
    # 2022 is only inside the data's document number: not a year of the data
    assert status("公众号于2022年新开设。", "2022年", department) == "unverified"


# --- reasons an officer can act on, the product's own output ----------------------------------------------

def test_the_reason_says_what_the_data_holds_for_that_subject_and_role(department):
    reason = figure("“组织咨委会秘书处专项工作活动次数”完成率153%。", "153%", department).reason
    assert "完成率应为150%" in reason


def test_the_product_prints_what_it_checks():
    from assistant.actuals import load
    from assistant.chat.answers import findings_text
    from assistant.drafting import draft_report
    from assistant.scoring import score

    evaluation = Evaluation(unit_name="某局", year=2022, budget=Budget(budgeted=278.4449, spent=30.0),
                            indicators=[_indicator("产出指标", "示范区建立面积", "≥2.3亿元", "2.45亿元"),
                                        _indicator("产出指标", "配方肥到位率", "≥90%", "80%"),
                                        _indicator("产出指标", "资金到位金额", "≥2.45亿元", "2.3亿元")])
    draft = draft_report(evaluation)
    assert all(s.check.ok for s in draft.sections), [p for s in draft.sections for p in s.check.problems()]
    text = "\n".join(s.text for s in draft.sections)
    assert "0.15亿元" in text and "10个百分点" in text              # never 0.1亿元, never 10%
    card = score(evaluation)
    answer = findings_text(card)
    assert "低于90%" in answer and check(answer, evaluation_ledger(evaluation)).ok


# --- facts a model cites ---------------------------------------------------------------------------------

def test_a_model_citing_fact_ids_gets_the_ledgers_printing(department):
    rate = next(e for e in department if e.role == "execution_rate" and not e.stated)
    text = render_fact_ids(f"全年预算执行率为{{{rate.id}}}。", department)
    assert text == "全年预算执行率为99.66%。" and check(text, department).ok
    assert "【待核实" in render_fact_ids("完成率为{F9999}。", department)


# --- forms and tables ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def weighted():
    """A form whose weights make 100, a table's worth of rows."""
    return evaluation_ledger(Evaluation(
        unit_name="某局", year=2022, budget=Budget(budgeted=29, spent=27.8), stated_execution_rate=parse_quantity("0.958"),
        indicators=[_indicator("产出指标", "修缮建筑面积", "6000平方米", "6000平方米", weight=40, stated_score=40),
                    _indicator("产出指标", "验收通过率", "100%", "95%", weight=30, stated_score=25),
                    _indicator("效益指标", "工程质量管理", "≥95%", "98%", weight=30, stated_score=30,
                               level2="社会效益指标")]))


def test_weights_printed_as_shares_and_rows_counted_back(weighted):
    table = ("| 指标 | 年度指标值 | 实际完成值 | 权重 |\n|---|---|---|---|\n| 修缮建筑面积 | 6000平方米 | 6000平方米 | 40% |\n"
             "| 验收通过率 | 100% | 95% | 30% |\n| 工程质量管理 | ≥95% | 98% | 30% |\n\n以上3项指标中2项达到目标。")
    assert check(table, weighted).ok, check(table, weighted).problems()
    wrong = [f for f in check(table.replace("中2项达到", "中3项达到"), weighted).figures if f.text == "3项"]
    assert [f.status for f in wrong] == ["verified", "unverified"]
    assert status("产出指标权重合计70%。", "70%", weighted) == "verified"
    assert status("产出指标权重合计60%。", "60%", weighted) != "verified"


def test_a_rate_the_form_prints_as_a_fraction(weighted):
    text = "自评表执行率填为0.958，按27.8万元÷29万元计算为95.86%，四舍五入应填0.959。"
    assert check(text, weighted).ok, check(text, weighted).problems()
    assert status(text.replace("应填0.959", "应填0.969"), "0.969", weighted) != "verified"


def test_a_count_printed_with_another_unit_is_caught(project):
    assert status("项目共设置绩效指标5场。", "5场", project) == "unverified"
