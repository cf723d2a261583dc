"""``python -m eval``: the same as ``qa eval``."""

import sys

from eval.quality.run import main

sys.exit(main())
