"""Chat model providers, one file each; `assistant.llm.chat_model` picks one by name."""
