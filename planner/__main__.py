"""``python -m planner``: the same command line as ``planner``."""

import sys

from planner.cli import main

sys.exit(main())
