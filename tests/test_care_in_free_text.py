"""Each example of issue 13, through the terminal chat: ``python -m bot chat`` as a
subprocess fed through a pipe, on a real SQLite file (tests/test_cli.py's ``run_bot``).
Typed messages use phrasings today's intent rules route; what each test checks is what
the person reads, so it holds when a learned classifier replaces the rules."""

from __future__ import annotations

from pathlib import Path

from core import content, variety
from tests.content_lint import bot_messages, lint_transcript
from tests.test_cli import run_bot


def chat(tmp_path: Path, *lines: str, lint: bool = True) -> str:
    result = run_bot(["chat", "--user", "sam"], tmp_path, stdin="".join(f"{x}\n" for x in lines))
    assert result.returncode == 0, result.stderr
    if lint:  # an empty line asks for the question again: a repeat on purpose
        assert lint_transcript(result.stdout) == [], result.stdout
    return result.stdout


def answers(transcript: str) -> list[str]:
    return bot_messages(transcript)


def test_self_criticism_is_acknowledged_and_never_saved_as_a_strength(tmp_path: Path):
    out = chat(
        tmp_path,
        "I'm useless",
        "nobody will ever hire me",
        "/strengths",
        "/mood 1",
    )
    said = answers(out)
    assert said[0] in variety.wordings("feelings.ack.self_criticism")
    assert said[2] in variety.wordings("feelings.ack.despair")
    assert "Your list is empty for now" in out  # nothing was saved as a strength
    assert "what you wrote on a steadier one" not in out
    assert 'Saved: "nobody' not in out


def test_a_strength_question_answered_with_a_feeling_saves_nothing(tmp_path: Path):
    out = chat(tmp_path, "/strengths", "1", "nobody will ever hire me", "/strengths")
    assert "I won't put that on your list" in out
    assert out.count("Your list is empty for now") == 2


def test_venting_is_not_an_application(tmp_path: Path):
    out = chat(
        tmp_path,
        "this job search is killing me",
        "I applied to 50 jobs and nothing",
        "/progress",
    )
    said = answers(out)
    assert "Nice. Which one?" not in out
    assert said[0] in variety.wordings("feelings.ack.fatigue")
    assert "Logged" not in out and "50 jobs" not in out
    assert "Nothing logged yet" in out


def test_despair_and_fatigue_get_a_fitting_answer_not_the_fallback(tmp_path: Path):
    typed = [
        "i give up",
        "I'm so tired of this",
        "what's wrong with me",
        "maybe I should just stop applying",
    ]
    out = chat(tmp_path, *typed)
    assert "simple bot" not in out
    acks = [m for m in answers(out) if not m.startswith(("If you like", "Would it help"))]
    assert acks[0] in variety.wordings("feelings.ack.despair")
    assert acks[1] in variety.wordings("feelings.ack.fatigue")
    assert acks[2] in variety.wordings("feelings.ack.self_criticism")
    assert acks[3] in variety.wordings("feelings.ack.despair")
    assert acks[0] != acks[3]  # the same feeling twice: another wording
    for message in answers(out):  # no manual, at most one offer after each
        assert "/rejected" not in message and "/applied" not in message


def test_joy_is_not_a_lot_and_a_skipped_feeling_assumes_nothing(tmp_path: Path):
    out = chat(
        tmp_path,
        "I feel great today",
        "/rejected Acme - Analyst",
        "skip",  # the stage
        "skip",  # the feeling
    )
    assert "That sounds like a lot" not in out
    assert answers(out)[0] in variety.wordings("feelings.ack.joy")
    assert "steady enough" not in out
    assert "no need to put a number on it" in out


def test_good_news_has_a_path(tmp_path: Path):
    out = chat(
        tmp_path,
        "/applied Acme - Analyst",
        "6",  # no weekly goal
        "I got an offer",
        "1",  # Analyst at Acme
        "I have an interview tomorrow",
    )
    said = answers(out)
    assert "simple bot" not in out
    assert any(m in variety.wordings("good_news.celebrate.offer") for m in said)
    assert "Analyst at Acme now shows the offer" in out
    assert any(m in variety.wordings("good_news.celebrate.interview") for m in said)
    assert "preparation sheet" in out


def test_sos_ends_the_exercise_and_keeps_it_for_later(tmp_path: Path):
    out = chat(tmp_path, "/strengths add I stay calm", "/strengths", "1", "/sos", "Hello")
    after_sos = out.split("you don't have to carry this alone", 1)[-1]
    assert "emergency" in out.lower() or "116 123" in out or "988" in out
    assert "Back to where we were" not in after_sos
    assert "Type the strength you'd like to add" not in after_sos
    assert "We can pick up where we left off whenever you like." in after_sos


def test_a_crisis_message_ends_the_exercise(tmp_path: Path):
    out = chat(tmp_path, "/rejected Acme - Analyst", "I want to die", "Hello", "what's 2+2")
    said = answers(out)
    crisis = next(i for i, m in enumerate(said) if "glad you told me" in m)
    rest = said[crisis + 1 :]
    assert rest[0] == content.text("engine.greeting_after_crisis")  # a gentle hello first
    assert not any("How far did you get?" in m for m in rest)  # not carried back
    assert any("We can pick up where we left off" in m for m in rest[1:])  # offered later


def test_skip_words_and_an_empty_line(tmp_path: Path):
    out = chat(tmp_path, "/rejected", "nah", "", "later", "not now", lint=False)
    said = answers(out)
    assert said.count("What was the role? Type it, or skip.") == 2  # asked, then again
    assert "How far did you get?" in said
    assert "And how are you feeling about it right now" in out
    assert "Logged" not in out


def test_a_one_line_command_mid_dialog_keeps_the_dialog(tmp_path: Path):
    out = chat(tmp_path, "/rejected Acme", "/mood 2")
    said = answers(out)
    assert "Logged: 2/5." in said
    assert said[-2:] == ["Back to where we were:", "What was the role? Type it, or skip."]


def test_a_cv_stage_draft_reads_right_for_a_name_typed_with_a_role(tmp_path: Path):
    out = chat(
        tmp_path,
        "/rejected Acme - Analyst",
        "1",  # Application
        "3",  # feeling
        "1",  # Ask for feedback
        "1",  # now
        "the recruiter, Sarah",
    )
    assert "Hi Sarah," in out and "Hi the," not in out
    assert "time you spent with me" not in out
    assert "person you chose" not in out


def test_skip_words_answer_yes_no_and_now_later_questions(tmp_path: Path):
    out = chat(
        tmp_path,
        "/rejected Acme - Analyst",
        "skip",  # stage
        "3",  # feeling
        "1",  # Ask for feedback
        "skip",  # now / later / skip: skipped
        "/strengths",
        "1",  # how I work
        "not good at giving up",
        "no",  # don't save it
        "/strengths",
    )
    assert "Ask for feedback (skipped)" in out
    assert "Shall I save that as a strength" in out
    assert "Okay, I left it off your list." in out
    assert "Your list is empty for now" in out.split("left it off your list", 1)[1]


def test_a_feeling_is_not_a_company_role_or_application(tmp_path: Path):
    out = chat(
        tmp_path,
        "/rejected",
        "I'm useless",  # asked for the company
        "Acme",
        "skip",  # role
        "skip",  # stage
        "3",  # feeling
        "5",  # Keep applying
        "1",  # now
        "this job search is killing me",
        "/progress",
    )
    said = answers(out)
    assert said[2] in variety.wordings("feelings.ack.self_criticism")
    assert said[3] == "Which company was it? Type the name, or skip."
    assert "Logged" not in out
    assert "Nothing logged yet" not in out  # the rejection at Acme is there
    assert "Pipeline" not in out  # and no application was logged
