"""The terminal chat: ``python -m bot chat`` (adapter.py) and the scheduled messages it
shows (deliveries.py)."""
