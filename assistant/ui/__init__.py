"""The Gradio UI: data, chat, draft, corpus and history tabs over the officer's saved work.

    build_app(settings) -> gr.Blocks      launch(settings) -> (app, address)

`assistant.chat` is the engine and `assistant.workbench` saves the work; this package only lays
them out. See `app.py`.
"""
from .app import UISettings, build_app, launch

__all__ = ["UISettings", "build_app", "launch"]
