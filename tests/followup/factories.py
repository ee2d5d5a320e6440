import datetime

import factory

from agreements.models import LocalGroup
from followup.models import Answer, Question, Response, Survey


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey
        skip_postgeneration_save = True

    # Years no demo survey has, within the years the database accepts (2000–2100).
    year = factory.Sequence(lambda n: 2040 + n % 60)
    deadline = factory.LazyAttribute(lambda o: datetime.date(o.year, 11, 30))
    status = Survey.Status.OPEN

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if create:
            self.questions.set(extracted if extracted is not None else Question.objects.all())


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response
        skip_postgeneration_save = True

    survey = factory.SubFactory(SurveyFactory)
    group = factory.LazyFunction(lambda: LocalGroup.objects.order_by("pk").first())
    participants = "both"
    status = Response.Status.SUBMITTED

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create:
            self.areas.set(extracted if extracted is not None else self.group.areas.all())

    @classmethod
    def with_answers(cls, answers: dict, **kwargs) -> Response:
        """answers: {code: [choices] or "text"}"""
        response = cls(**kwargs)
        for code, value in answers.items():
            question = Question.objects.get(code=code)
            if isinstance(value, str):
                Answer.objects.create(response=response, question=question, text=value)
            else:
                Answer.objects.create(response=response, question=question, choices=list(value))
        return response
