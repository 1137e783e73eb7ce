"""A work-around for Gradio's session state, which otherwise grows with every event (Gradio 6.31).

When an event changes a component's properties (`gr.update(feedback_value=…)`, `gr.update(choices=…)`,
`gr.update(visible=…)`), Gradio keeps a new copy of the component in that browser session's state,
made with a fresh component id. The next event that has the component as input, or as an output given
a plain value, looks the copy up and stores it once more under *the copy's own* id
(`if block._id not in state: state[block._id] = block` in `Blocks.preprocess_data` and
`postprocess_data`), together with the value in the session's configuration. So a chatbot whose thumbs
are set with each answer left one more copy of itself, and of the whole conversation, at every
question (measured: 60 copies a round in the 20-session load, about 7 MB a round, kept until the
session ends). Giving each copy the id of the component it stands for makes that lookup find it:
one copy per component and session, as Gradio means it.
"""
from __future__ import annotations


def keep_copies_under_their_component() -> None:
    """Patch `gradio.state_holder.SessionState.__setitem__` (once per process): a component copy stored
    for component `key` takes `key` as its id."""
    from gradio.blocks import Block  # heavy: gradio (~2 s) loads only when the UI is built
    from gradio.state_holder import SessionState  # heavy: gradio

    store = SessionState.__setitem__
    if getattr(store, "keeps_component_ids", False):
        return

    def __setitem__(self, key, value):
        if isinstance(value, Block) and value._id != key:
            value._id = key
        store(self, key, value)

    __setitem__.keeps_component_ids = True
    SessionState.__setitem__ = __setitem__
