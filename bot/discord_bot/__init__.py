"""Discord helpers for ``bot.discord_adapter``: rendering, buttons and slash commands."""
