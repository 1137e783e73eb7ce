"""The page in Chinese whatever the browser's language: Gradio's own strings included.

Gradio translates its components' strings (“拖放文件到此处”, “点击上传” …) by the browser's language,
read from `navigator.language` when its frontend starts. `ChinesePage` (an ASGI middleware) puts a
script at the top of every HTML page the app serves that makes that language 简体中文 before the
frontend reads it. A few messages Gradio's frontend builds in English are re-worded by the same
script when they appear (`GRADIO_ENGLISH`); the UI avoids raising them in the first place (uploads
are checked on the server, with the loader's own messages).
"""
from __future__ import annotations

import json

LOCALE = "zh-CN"

# Gradio frontend messages that are English in every locale → ours.
GRADIO_ENGLISH = (
    (r"^Invalid file types?: .*", "文件类型不受支持，请上传说明中列出的文件类型。"),
    (r"^File\(s\) exceed the maximum allowed size of (.*?):.*", "文件超过允许的大小（$1），未上传。"),
    (r"^File size exceeded maximum allowed size.*", "文件超过允许的大小，未上传。"),
    (r"^Connection errored out\.?", "与服务器的连接中断，请刷新页面。"),
    (r"^processing \|$", "处理中 |"),               # the progress line over a component being updated
    (r"^queue: (\d+)/(\d*) \|$", "排队：$1/$2 |"),
    (r"^Click to upload or drop files$", "点击上传，或将文件拖放到此处"),   # the upload box's aria-label
    (r"^File upload$", "上传文件"),
    (r"^Liked$", "已赞（有用）"),             # a thumb once pressed: Gradio labels it in English
    (r"^Disliked$", "已踩（没用）"),
)

_SCRIPT = """<script data-jixiao-locale>(function () {
  var locale = %(locale)s;
  try {
    Object.defineProperty(Navigator.prototype, "language", {get: function () { return locale; }, configurable: true});
    Object.defineProperty(Navigator.prototype, "languages", {get: function () { return [locale, "zh"]; }, configurable: true});
  } catch (e) {}
  var rules = %(rules)s.map(function (r) { return [new RegExp(r[0]), r[1]]; });
  var attributes = ["aria-label", "title"];
  function ours(text) {
    var trimmed = (text || "").trim();
    for (var i = 0; i < rules.length; i++) {
      if (rules[i][0].test(trimmed)) { return trimmed.replace(rules[i][0], rules[i][1]); }
    }
    return null;
  }
  function reword(node) {
    if (node.nodeType === 3) {
      var text = ours(node.nodeValue);
      if (text !== null) { node.nodeValue = text; }
      return;
    }
    if (node.nodeType !== 1) { return; }
    attributes.forEach(function (name) {
      var value = node.getAttribute(name), text = value && ours(value);
      if (text) { node.setAttribute(name, text); }
    });
  }
  function walk(root) {
    reword(root);
    if (root.nodeType !== 1) { return; }
    var it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    while (it.nextNode()) { reword(it.currentNode); }
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (c) {
      if (c.type === "characterData" || c.type === "attributes") { reword(c.target); }
      c.addedNodes.forEach(walk);
    });
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true, attributes: true,
                                         attributeFilter: attributes});
})();</script>"""


# Keys Gradio's frontend asks for that its own dictionaries lack (it would print the key).
MISSING_KEYS = {"common.complete": "完成"}


def translations() -> dict[str, dict[str, str]]:
    """Custom translations for `gr.I18n`: the missing keys, in every locale the page may run in."""
    return {LOCALE: dict(MISSING_KEYS), "en": dict(MISSING_KEYS)}


def locale_script() -> str:
    return _SCRIPT % {"locale": json.dumps(LOCALE), "rules": json.dumps(GRADIO_ENGLISH, ensure_ascii=False)}


def chinese_html(page: bytes) -> bytes:
    """The page with the locale script first in <head> and `lang="zh-CN"`."""
    text = page.decode("utf-8")
    text = text.replace('lang="en"', f'lang="{LOCALE}"', 1)
    head = text.find("<head>")
    if head >= 0:
        text = text[:head + 6] + locale_script() + text[head + 6:]
    return text.encode("utf-8")


class ChinesePage:
    """ASGI middleware: every text/html response goes through `chinese_html`."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                headers = dict((k.lower(), v) for k, v in message.get("headers", []))
                if b"text/html" not in headers.get(b"content-type", b"") or headers.get(b"content-encoding"):
                    start["pass"] = True
                    await send(message)
                    return
                start["message"] = message
                return
            if start.get("pass") or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = chinese_html(b"".join(chunks))
            original = start["message"]
            headers = [(k, v) for k, v in original.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode("ascii")))
            await send({**original, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
