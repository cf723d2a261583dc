"""The browser chat: ``python app.py [--corpus FOLDER] [--host HOST] [--port PORT]``.

The same as ``qa serve``: indexes the folder (the bundled corpus by default) with progress
shown, loads the model and the index once, then serves http://127.0.0.1:7860 until stopped.
"""

import sys

from qa.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
