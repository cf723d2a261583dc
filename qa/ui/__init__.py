"""The browser chat (``qa.ui.app``, Gradio) and the escaped HTML it shows (``qa.ui.render``)."""

# Requests the app lets wait; beyond it a visitor is refused at once as busy ("This application
# is currently busy") instead of waiting minutes: eval/reliability/load.py measures it.
QUEUE_SIZE = 64
