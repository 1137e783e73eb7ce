"""The chat evaluation (`python -m eval.chat`, `jixiao eval chat`) and its latency benchmark."""
