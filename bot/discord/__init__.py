"""Discord front end (discord.py 2): platform.py, adapter.py, render.py, plus slash
commands (commands.py) and buttons (buttons.py)."""
