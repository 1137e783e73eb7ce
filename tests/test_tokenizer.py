"""The jieba set-up: the disk-read phrase tokenizer cuts exactly as the in-memory one."""
from pathlib import Path

from assistant import tokenizer as tokenizers
from assistant.figures.words import ATOMIC_WORDS

ROOT = Path(__file__).resolve().parent.parent


def _texts():
    files = sorted((ROOT / "corpus").rglob("*.md"))[:20] + sorted((ROOT / "examples").rglob("*.yaml"))
    return [f.read_text(encoding="utf-8") for f in files]


def test_phrase_tokenizer_cuts_as_the_in_memory_tokenizer():
    in_memory = tokenizers.tokenizer(ATOMIC_WORDS)
    from_disk = tokenizers.phrase_tokenizer(ATOMIC_WORDS)
    assert isinstance(from_disk.FREQ, tokenizers.DiskFrequencies)
    assert from_disk.total == in_memory.total
    for text in _texts():
        assert from_disk.lcut(text, HMM=False) == in_memory.lcut(text, HMM=False)
        assert from_disk.lcut(text) == in_memory.lcut(text)
    for phrase in ("签约20家", "未支出资金", "预算执行率达到100%", "每一分钱"):
        assert from_disk.lcut(phrase, HMM=False) == in_memory.lcut(phrase, HMM=False)


def test_phrase_tokenizer_builds_its_table_once_per_dictionary(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path))
    first = tokenizers._frequency_file(("一个新词组",))
    assert first.exists() and first.parent == tmp_path / "jieba"
    assert tokenizers._frequency_file(("一个新词组",)) == first
    assert tokenizers._frequency_file(("另一个新词",)) != first
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".")]      # no partial file left
    table = tokenizers.DiskFrequencies(first)
    assert "一个新词组" in table and table["一个新词组"] == tokenizers.EXTRA_WORD_FREQUENCY
    assert "不是词的字串xyz" not in table and table.get("不是词的字串xyz", 0) == 0


def test_phrase_tokenizer_without_a_writable_cache_cuts_from_memory(tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("JIXIAO_CACHE", str(blocked))
    monkeypatch.setattr(tokenizers, "_phrase_tokenizers", {})
    tok = tokenizers.phrase_tokenizer(("只在内存里",))
    assert tok.lcut("只在内存里切分", HMM=False)[0] == "只在内存里"
