"""`python -m eval.retrieval [--questions Q] [--corpus C] [--embeddings E] [--json]` (also `jixiao eval retrieval`)."""
import sys

from .harness import main

sys.exit(main())
