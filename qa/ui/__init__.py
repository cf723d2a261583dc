"""The browser chat (``qa.ui.app``, Gradio) and the escaped HTML it shows (``qa.ui.render``)."""

# Requests the app lets wait; beyond it a visitor is refused at once as busy ("This application
# is currently busy") instead of waiting minutes: eval/reliability/load.py measures it.
QUEUE_SIZE = 64

# Browser sessions whose conversation the server keeps (Gradio's state_session_capacity; the
# least recently used goes first). Gradio keeps a session's copy of the page's settings for as
# long as the session is kept, closed or not: about 50 KB each here, so its default of 10,000
# would let a long-running server grow by about 500 MB. A session dropped beyond this limit
# starts afresh: its next question is not read as a follow-up of the earlier ones.
CONVERSATIONS = 500

# Answers of a conversation whose sources the chat can bring back (a click on an earlier
# answer's citation). An answer keeps only the passages it cites: 1-4 KB pickled for the demo
# corpus's and the test manuals' answers, so tens of KB a session beside the settings above.
# A citation of an older answer says that its sources are no longer kept.
KEPT_ANSWERS = 10
