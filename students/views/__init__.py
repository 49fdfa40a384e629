"""Pages of the pupil record, one module per part: ``record`` (register, profile, passport,
plans, EHCP, exams, health, documents), ``care``, ``behaviour``, ``liaison`` and
``case_studies``. Each loads its object through a selector scoped to the acting staff member
(another school's or an unlinked pupil answers 404) and checks a rule from
students/rules.py on it (403)."""
