"""`python -m eval.chat [-v] [--kind K] [--id ID] [--no-index]` (also `jixiao eval chat`)."""
import sys

from .harness import main

sys.exit(main())
