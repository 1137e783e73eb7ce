"""A YAML or JSON syntax error is one Chinese message naming the file, line and column: no parser English."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from assistant.errors import DataErrors
from assistant.loaders import read_raw
from assistant.loaders.syntax import json_syntax_error, yaml_syntax_error
from assistant.loaders.yaml_json import _Loader, _PythonLoader

ENGLISH = re.compile(r"[A-Za-z]{3,}(?:[ ,'][A-Za-z]{2,}){1,}")   # two English words in a row

YAML_CASES = {   # text → (line, column, words the reason holds), the same from libyaml and PyYAML
    "单位名称: 甲\n年度: 2023\n  预算安排: 12\n": (3, 7, "缩进"),
    "绩效指标:\n  - 一级指标: 产出\n    三级指标: 场次\n   年度指标值: 12\n": (4, 4, "缩进与上文不一致"),
    "单位名称: 甲: 乙\n": (1, 8, "含冒号的值请加引号"),
    "绩效指标:\n\t- 一级指标: 产出\n": (2, 1, "制表符"),
    "单位名称: \"甲\n年度: 2023\n": (1, 7, "第1行开始的引号"),
    "预算安排: [100, 200\n实际支出: 90\n": (2, 5, "第1行开始的方括号"),
    "资金用途: {场地: 1\n": (2, 1, "花括号"),
    "预算安排: *x\n": (1, 7, "锚点"),
    "年度: 2023\n---\n年度: 2024\n": (2, 1, "多个文档"),
    "单位名称: !!python/object:os.system x\n": (1, 7, "不支持的标签"),
    "单位名称: @甲\n": (1, 7, "字符“@”"),
    "年度: 2023\n- 甲\n": (2, 1, "缩进与上文不一致"),
    "年度: 2023\n单位名称\n预算安排: 1\n": (2, 1, "缺少冒号"),
    "单位名称: }\n": (1, 7, "缺少值"),
}


@pytest.mark.parametrize("loader", [_Loader, _PythonLoader], ids=["libyaml", "pyyaml"])
@pytest.mark.parametrize("text", list(YAML_CASES))
def test_a_yaml_syntax_error_is_located_in_chinese(text, loader):
    line, column, words = YAML_CASES[text]
    with pytest.raises(yaml.YAMLError) as caught:
        list(yaml.parse(text, Loader=loader))
        yaml.load(text, Loader=loader)
    message = str(yaml_syntax_error(caught.value, text, "项目.yaml"))
    assert message.startswith(f"文件“项目.yaml”，第{line}行")
    assert words in message and "YAML格式错误" in message
    assert not ENGLISH.search(message.replace("YAML", "")), message
    if loader is _Loader:    # libyaml and PyYAML may stop a character apart; the line is the same
        assert f"第{line}行第{column}列" in message


JSON_CASES = {
    '{"年度": 2023,}': (1, 13, "最后一项后不能有逗号"),
    "{'年度': 2023}": (1, 2, "英文双引号"),
    '{"年度" 2023}': (1, 7, "缺少冒号"),
    '{"年度": }': (1, 8, "缺少值"),
    '{"年度": 2023}\n多余': (2, 1, "多余的内容"),
    '{"单位名称": "甲': (1, 10, "引号没有闭合"),
    '{"单位名称": "\\q"}': (1, 11, "转义符"),
    '{\n  "年度": 2023\n  "单位名称": "甲"\n}': (3, 3, "缺少逗号"),
    "": (1, 1, "文件是空的"),
}


@pytest.mark.parametrize("text", list(JSON_CASES))
def test_a_json_syntax_error_is_located_in_chinese(text):
    line, column, words = JSON_CASES[text]
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    message = str(json_syntax_error(caught.value, text, "项目.json"))
    assert message.startswith(f"文件“项目.json”，第{line}行第{column}列：JSON格式错误：")
    assert words in message and not ENGLISH.search(message.replace("JSON", "")), message


def test_a_long_json_line_is_shown_around_the_error():
    text = json.dumps({"项目概况": "甲" * 500, "年度": 2023}, ensure_ascii=False)[:-1] + ",}"
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    message = str(json_syntax_error(caught.value, text, "项目.json"))
    assert "（该行：“……" in message and '"年度": 2023,}”）' in message and len(message) < 200


def test_a_file_read_whole_names_its_error(tmp_path):
    path = tmp_path / "项目.yaml"
    path.write_text("单位名称: 甲\n年度: 2023\n  预算安排: 12\n", encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        read_raw(path)
    assert "文件“项目.yaml”，第3行第7列：YAML格式错误：" in str(caught.value)


def test_an_overrides_file_with_a_syntax_error_names_its_line(tmp_path):
    data = tmp_path / "项目.yaml"
    data.write_text("单位名称: 甲\n年度: 2023\n预算安排: 100\n实际支出: 90\n", encoding="utf-8")
    (tmp_path / "项目.overrides.yaml").write_text("年度: 2023\n实际支出: [90\n", encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        read_raw(data)
    message = str(caught.value)
    assert "文件“项目.overrides.yaml”，第3行" in message and "方括号" in message
    assert not ENGLISH.search(message.replace("YAML", "")), message
