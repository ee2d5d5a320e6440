"""Survey responses at scale for the benchmark (see bus_portal/scale.py): bulk inserts only."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bus_portal.scale import BATCH, ScaleContext
from followup.demo import pick_answer
from followup.models import Answer, AnswerOption, Participants, Question, Response, Survey
from followup.question_bank import ensure_question_bank


def seed(ctx: ScaleContext) -> dict[str, int]:
    """One joint response per group and year (about 10 % answered per principal) until the
    scale's number of responses is reached."""
    ensure_question_bank(Question, AnswerOption)
    questions = [
        q
        for q in Question.objects.filter(active=True).prefetch_related("answer_options")
        if q.is_choice
    ]
    per_year = max(1, ctx.sizes["survey_responses"] // ctx.sizes["years"])
    created = 0
    rng = ctx.rng
    for year in range(ctx.first_year, ctx.today.year + 1):
        survey, made = Survey.objects.get_or_create(
            year=year,
            defaults={"deadline": datetime.date(year, 11, 30), "status": Survey.Status.CLOSED},
        )
        if made:
            survey.questions.set(questions)
        taken = set(Response.objects.filter(survey=survey).values_list("group_id", "participants"))
        responses, areas = [], []
        for group in ctx.groups[:per_year]:
            split = rng.random() < 0.1
            for participants in (
                [Participants.MUNICIPALITY, Participants.REGION] if split else [Participants.BOTH]
            ):
                if (group.pk, participants) in taken:
                    continue
                responses.append(
                    Response(
                        survey=survey,
                        group=group,
                        participants=participants,
                        status=Response.Status.SUBMITTED,
                        source=Response.Source.IMPORT,
                        submitted_at=timezone.make_aware(datetime.datetime(year, 11, 15)),
                    )
                )
                areas.extend((len(responses) - 1, area.pk) for area in group.areas.all())
        Response.objects.bulk_create(responses, batch_size=BATCH)
        through = Response.areas.through
        through.objects.bulk_create(
            [through(response_id=responses[i].pk, area_id=area_id) for i, area_id in areas],
            batch_size=BATCH,
        )
        Answer.objects.bulk_create(
            [
                Answer(response=r, question=q, choices=pick_answer(rng, q, year))
                for r in responses
                for q in questions
            ],
            batch_size=BATCH,
        )
        created += len(responses)
    return {"survey_responses": created}
