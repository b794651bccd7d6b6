"""``python -m trainer``: the same as the ``nextstep`` command."""

import sys

from trainer.cli import main

sys.exit(main())
