"""What a session's Gradio state holds does not grow with the questions asked (a real app in this
process, driven by Gradio's own client, as the load benchmark drives it).

Gradio 6 keeps, in a session's state, a copy of every component whose properties an event changed;
when such a component is also an event's input, each event adds one more copy (under the copy's own
id) holding the input's value. The chatbot receives properties at every answer (the thumbs), so it
must not be an input: else every question leaves one more copy of the whole conversation."""
from __future__ import annotations

import gc

import pytest

from ui_fixtures import DEPARTMENT, running_app


def _chatbots() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o).__name__ == "Chatbot")


@pytest.mark.slow
def test_a_sessions_state_does_not_grow_with_its_questions():
    from gradio_client import Client  # heavy: gradio_client

    with running_app() as (app, url):
        client = Client(url, verbose=False)
        client.predict(DEPARTMENT.name, api_name="/load_example")

        def ask(times: int) -> None:
            for _ in range(times):
                outputs = client.predict("预算执行率是多少？", api_name="/chat")
                assert "99.66%" in str(outputs[0])

        ask(2)
        states = list(app.state_holder.session_data.values())
        blocks, values, chatbots = (sum(len(s.blocks_config.blocks) for s in states),
                                    sum(len(s.config_values) for s in states), _chatbots())
        ask(6)
        assert sum(len(s.blocks_config.blocks) for s in states) == blocks
        assert sum(len(s.config_values) for s in states) == values
        assert _chatbots() == chatbots
