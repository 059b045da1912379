"""N browser sessions (8) generate data and train at once on one server: every result correct
and distinct, and a page load during the run served in under 2 s. See tests/browser/load.py."""

import json
import sys

from tests.browser.load import SESSIONS, run


def main() -> None:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else SESSIONS
    print(json.dumps(run(sessions)))


if __name__ == "__main__":
    main()
