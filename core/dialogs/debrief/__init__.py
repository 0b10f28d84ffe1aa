"""/rejected: the rejection debrief.

Company, role and stage where the person wants to give them, how they feel (logged as
a mood; a low score brings up their strengths once a day), then a menu of the six
steps of docs/CONTENT.md. Each step can be taken now, saved for later or skipped; the
choice is kept in ``Rejection.steps``. ``/rejected Acme - Analyst`` fills company and
role at once; free text like "turned down by Acme" fills the company.

The ``Rejection`` row is written at the first answer (at once when the command or the
sentence names the company or role) and updated with each answer, so what was said
survives if the person leaves. A debrief left unfinished (in the opening questions,
or in a step begun and not finished, which counts as saved for later) or with steps
saved for later is offered again by ``/rejected``.

Modules: ``common`` (the menu and shared pieces), ``opening`` (company, role, stage,
feeling, resume) and ``steps`` (the six steps, reusing the standalone dialogs'
pieces, so a request drafted here is the same as one from ``/feedback``).
"""

from __future__ import annotations

from core.dialog import Dialog
from core.dialogs.debrief import opening, steps
from core.dialogs.debrief.common import SIX_STEPS, STAGES
from core.dialogs.fields import split_company_role

__all__ = ["DIALOG", "SIX_STEPS", "STAGES", "split_company_role"]

DIALOG = Dialog(
    name="debrief",
    commands=("rejected",),
    steps={
        "start": opening.start,
        "resume": opening.resume,
        "company": opening.company,
        "role": opening.role,
        "stage": opening.stage,
        "feeling": opening.feeling,
        "link": opening.link,
        "menu": steps.menu,
        "decide": steps.decide,
        "fb_interviewer": steps.fb_interviewer,
        "fb_remind": steps.fb_remind,
        "rf_control": steps.rf_control,
        "rf_outside": steps.rf_outside,
        "rf_takeaway": steps.rf_takeaway,
        "sk_gap": steps.sk_gap,
        "sk_date": steps.sk_date,
        "tg_company": steps.tg_company,
        "tg_check": steps.tg_check,
        "ap_log": steps.ap_log,
        "ap_goal": steps.ap_goal,
        "st_add": steps.st_add,
        "st_confirm": steps.st_confirm,
    },
    computed_steps=opening.QUESTIONS,
)
