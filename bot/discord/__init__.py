"""Discord helpers for ``bot.discord.adapter``: rendering, buttons and slash commands."""
