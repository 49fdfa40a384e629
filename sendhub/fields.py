"""Model fields every app shares."""

from django.core.validators import MaxLengthValidator
from django.db import models


class LimitedTextField(models.TextField):
    """Free text with a length limit that forms and full_clean() enforce (Django's
    TextField max_length alone is not validated). Long enough for a rich paragraph, short
    enough that a one-page passport or a plan PDF renders quickly."""

    def __init__(self, *args, max_length: int = 2000, **kwargs):
        kwargs["max_length"] = max_length
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))
