"""/help: what the bot can do."""

from __future__ import annotations

from core.commands import command_menu
from core.dialog import Answer, Context, Dialog, Outcome, done, reply


async def start(ctx: Context, answer: Answer) -> Outcome:
    lines = [ctx.say("help.intro"), "", ctx.say("help.commands_heading")]
    for command in command_menu():
        key = "help.line" if command.usage else "help.line_no_usage"
        lines.append(
            ctx.say(key, name=command.name, usage=command.usage, description=command.description)
        )
    lines += ["", ctx.say("help.outro")]
    return done(reply("\n".join(lines)))


DIALOG = Dialog(
    name="help", commands=("help",), steps={"start": start}, personal=False, interjection=True
)
