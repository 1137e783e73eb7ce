"""The Gradio UI: data, chat, draft and corpus tabs over one `ChatSession` per browser session.

    build_app(settings) -> gr.Blocks      launch(settings) -> (app, address)

`assistant.chat` is the engine; this package only lays it out. See `app.py`.
"""
from .app import UISettings, build_app, launch

__all__ = ["UISettings", "build_app", "launch"]
