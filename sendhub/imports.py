"""MIS imports in the admin (django-import-export 4.x), scoped to the school the data manager
acts in. The apps' resources (``students/imports.py``, ``staffing/imports.py``) build on these.

What every import here promises a school:

- rows are found, created and updated only in the acting school: the school reaches the
  resource through ``get_import_resource_kwargs`` and scopes every lookup;
- the preview says, row by row and with the row number of the spreadsheet, what will be
  created, updated, left unchanged or rejected and why;
- applying is all or nothing: a file with a rejected row offers no confirm button, the
  confirm step accepts only a file this session previewed for this school (kept for an
  hour), and if a row fails when applied (the data changed since the preview) every row is
  rolled back;
- importing the same file twice changes nothing (``skip_unchanged``; nothing is deleted);
- text that a spreadsheet would run as a formula (``=HYPERLINK(...)``) is refused.
"""

import os
import re
from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export import resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from import_export.tmp_storages import CacheStorage

from sendhub.admin_site import acting_school_id

# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_MESSAGE = (
    "Starts with {char!r}, which a spreadsheet runs as a formula. Remove it (text only)."
)


class ImportRefused(Exception):
    """The whole file is refused (its columns are wrong); shown above the preview."""


def as_text(value) -> str:
    """A cell as text: XLSX gives numbers (7.0), CSV strings; blanks are ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_not_formula(text: str) -> None:
    if text.startswith(FORMULA_STARTS):
        raise ValueError(FORMULA_MESSAGE.format(char=text[0]))


class TextWidget(widgets.CharWidget):
    """Text, trimmed; refused when it would run as a spreadsheet formula."""

    def __init__(self, required: bool = False, **kwargs):
        self.required = required
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if self.required and not text:
            raise ValueError("This cannot be blank.")
        check_not_formula(text)
        return text


class EmailWidget(TextWidget):
    """An e-mail address, lower case (sign-ins are matched without case)."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs).lower()
        if text:
            try:
                validate_email(text)
            except ValidationError as error:
                raise ValueError("This is not an e-mail address.") from error
        return text


class PhoneWidget(TextWidget):
    """A phone number: digits, spaces, brackets, dashes and a leading + only."""

    pattern = re.compile(r"^\+?[0-9(][0-9 ()\-.]{4,28}$")

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if text and not self.pattern.match(text):
            raise ValueError("This is not a phone number (digits, spaces and a leading + only).")
        return text


class YesNoWidget(widgets.Widget):
    """Flags as the MIS and our exports write them: Y / N (also Yes, No, True, 1 …).
    A blank cell gives the field's default."""

    YES = {"y", "yes", "true", "t", "1"}
    NO = {"n", "no", "false", "f", "0"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = as_text(value).lower()
        if not text:
            return None
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError("Use Y or N.")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else ("Y" if value else "N")


class UkDateWidget(widgets.Widget):
    """A date as English MIS exports write it (17/05/2013), ISO (2013-05-17), or a date cell
    of a spreadsheet."""

    formats = ("%d/%m/%Y", "%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = as_text(value)
        if not text:
            return None
        for fmt in self.formats:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError("This is not a date: write it as DD/MM/YYYY, e.g. 17/05/2013.")

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class WholeNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if not text:
            return None
        if not text.isdigit():
            raise ValueError("Use a whole number.")
        return int(text)


class ChoiceWidget(widgets.Widget):
    """One of a model field's choices, by value or label, without regard to case."""

    def __init__(self, choices, hint: str, blank=None, **kwargs):
        super().__init__(**kwargs)
        self.lookup = {}
        for value, label in choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value
        self.hint, self.blank = hint, blank

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if not text:
            return self.blank
        try:
            return self.lookup[text.lower()]
        except KeyError:
            raise ValueError(self.hint) from None


def header_key(header) -> str:
    return re.sub(r"[^a-z0-9]", "", as_text(header).lower())


def show_value(value) -> str:
    """A cell as the data manager typed it, for messages (short)."""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    text = as_text(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


class SchoolImportResource(resources.ModelResource):
    """A ModelResource that imports into one school: built with ``school`` (the acting
    school) and ``actor`` (the acting StaffMember) by ``SchoolImportMixin``."""

    #: columns a file must have (canonical names, as in ``column_name``)
    required_columns: tuple[str, ...] = ()
    #: other spellings of columns (compared without case, spaces or punctuation)
    column_aliases: dict[str, str] = {}
    #: the field that identifies a row; each value once per file
    key_field: str = ""

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, school=None, actor=None, **kwargs):
        super().__init__()
        self.school = school
        self.actor = actor
        self.sheet_rows: list[int] = []
        self.duplicates: dict[int, str] = {}

    # --- the file as a whole ------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if self.school is None:
            self.refuse(dataset, "There is no school to import into.")
        self.normalise_headers(dataset)
        missing = [c for c in self.required_columns if c not in dataset.headers]
        if missing:
            self.refuse(
                dataset,
                f"The file has no {', '.join(missing)} column. The first row must name the "
                f"columns: {', '.join(self.column_names())}.",
            )
        self.drop_blank_rows(dataset)
        self.find_duplicates(dataset)

    def refuse(self, dataset, message: str):
        while len(dataset):
            dataset.rpop()
        raise ImportRefused(message)

    def column_names(self) -> list[str]:
        return [field.column_name for field in self.get_import_fields()]

    def normalise_headers(self, dataset) -> None:
        """Match column names without regard to case, spaces and punctuation
        ("Preferred forename" is PreferredForename), and the aliases."""
        known = {header_key(name): name for name in self.column_names()}
        known.update({header_key(alias): name for alias, name in self.column_aliases.items()})
        headers, seen = [], {}
        for header in dataset.headers or []:
            name = known.get(header_key(header), as_text(header))
            if name in seen and name in known.values():
                self.refuse(dataset, f"The columns {seen[name]!r} and {header!r} both give {name}.")
            seen[name] = header
            headers.append(name)
        dataset.headers = headers

    def drop_blank_rows(self, dataset) -> None:
        """Spreadsheets carry empty rows at the end; they are not rows to import. Row numbers
        in messages stay those of the spreadsheet (header = row 1)."""
        kept = []
        for index in range(len(dataset) - 1, -1, -1):
            if all(as_text(value) == "" for value in dataset[index]):
                del dataset[index]
            else:
                kept.append(index + 2)
        self.sheet_rows = sorted(kept)

    def find_duplicates(self, dataset) -> None:
        if not self.key_field:
            return
        first_seen: dict[object, int] = {}
        for number, row in enumerate(dataset.dict, 1):
            key = self.row_key(row)
            if not key:
                continue
            if key in first_seen:
                self.duplicates[number] = (
                    f"Also on row {self.sheet_row(first_seen[key])}: each appears once in a file."
                )
            else:
                first_seen[key] = number

    def row_key(self, row):
        """What identifies the row (UPN, e-mail …), normalised; ``None`` if blank."""
        field = self.fields[self.key_field]
        try:
            return field.widget.clean(row.get(field.column_name)) or None
        except ValueError:
            return None

    def after_import(self, dataset, result, **kwargs):
        # ModelResource resets the table's pk sequence to max(id) after creating rows. SendHub
        # never imports ids, and on a shared database that reset could hand out ids another
        # school's transaction already holds; so it is not done.
        pass

    # --- one row ------------------------------------------------------------------------

    def sheet_row(self, number: int) -> int:
        if 0 < number <= len(self.sheet_rows):
            return self.sheet_rows[number - 1]
        return number + 1

    def before_import_row(self, row, **kwargs):
        problem = self.duplicates.get(kwargs.get("row_number"))
        if problem:
            raise ValidationError({self.fields[self.key_field].attribute: problem})

    def init_instance(self, row=None):
        return self._meta.model(school=self.school)

    def get_queryset(self):
        if self.school is None:
            return self._meta.model.objects.none()
        return self._meta.model.objects.filter(school=self.school)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.school_id != self.school.pk:
            errors[NON_FIELD_ERRORS] = ["This row belongs to another school."]
        try:
            self.check_row(instance, errors)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        super().validate_instance(instance, errors, validate_unique)

    def check_row(self, instance, errors: dict) -> None:
        """Rules between the columns of a row; raise ValidationError keyed by attribute.
        Fields that already failed are in ``errors``."""

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        number = self.sheet_row(kwargs.get("row_number", 0))
        row_result.sheet_row = number
        row_result.problems = self.describe_problems(number, row_result, row)
        if row_result.diff is None:  # rejected: show what the file says
            row_result.cells = [show_value(row.get(c)) for c in self.get_diff_headers()]
        else:
            row_result.cells = row_result.diff
        return row_result

    def column_for(self, key: str) -> str:
        for field in self.get_import_fields():
            attribute = field.attribute or ""
            if key in (attribute, attribute.removesuffix("_id")):
                return field.column_name
        return ""

    def describe_problems(self, number: int, row_result, row) -> list[str]:
        """'Row 4: UPN "A8012...": This is not a valid UPN …', one line per problem."""
        problems = []
        error = row_result.validation_error
        if error is not None:
            items = (
                error.message_dict.items()
                if hasattr(error, "error_dict")
                else [(NON_FIELD_ERRORS, error.messages)]
            )
            for key, texts in items:
                column = self.column_for(key)
                value = show_value(row.get(column)) if column else ""
                where = f'{column} "{value}"' if value else column
                for text in texts:
                    problems.append(
                        f"Row {number}: {where}: {text}" if where else f"Row {number}: {text}"
                    )
        for failure in row_result.errors:
            problems.append(f"Row {number}: could not be imported ({failure.error}).")
        return problems


def reraise_as(attribute: str, error: ValidationError):
    """A service's ValidationError, keyed by the column the data manager can correct."""
    return ValidationError({attribute: error.messages})


class PreviewFileStorage(CacheStorage):
    """The uploaded file between preview and confirm. In the shared cache (Redis in
    production, so any web process can take the confirm) and gone after an hour; the
    library's default leaves every unconfirmed upload of pupils' data in /tmp."""

    CACHE_LIFETIME = 60 * 60


class SchoolImportMixin:
    """Admin import for a ``SchoolScopedAdmin``; put it before ``ImportMixin`` (or
    ``ImportExportMixin``). Set ``import_resource_classes`` and ``import_help``."""

    import_template_name = "admin/sendhub/mis_import.html"
    tmp_storage_class = PreviewFileStorage
    import_formats = [CSV, XLSX]  # what an MIS exports; shadows the library's setting
    import_resource_classes: list = []
    import_help = ""
    skip_import_confirm = False
    pending_session_key = "sendhub_pending_imports"

    def get_import_resource_classes(self, request):
        return self.import_resource_classes

    def has_import_permission(self, request) -> bool:
        return bool(
            acting_school_id(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def get_import_resource_kwargs(self, request, **kwargs):
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        membership = request.membership
        return {**kwargs, "school": membership.school, "actor": membership}

    def get_import_context_data(self, **kwargs):
        return {**super().get_import_context_data(**kwargs), "import_help": self.import_help}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            # Only a file this session previewed without errors, for this school, can be
            # confirmed; the temporary file name alone is not enough.
            pending = dict(request.session.get(self.pending_session_key, {}))
            pending[os.path.basename(initial["import_file_name"])] = acting_school_id(request)
            request.session[self.pending_session_key] = dict(list(pending.items())[-10:])
        return initial

    def process_import(self, request, **kwargs):
        if request.method == "POST":
            if not self.has_import_permission(request):
                raise PermissionDenied
            name = os.path.basename(request.POST.get("import_file_name", ""))
            pending = dict(request.session.get(self.pending_session_key, {}))
            if not name or pending.pop(name, None) != acting_school_id(request):
                raise PermissionDenied("Upload the file again and check the preview first.")
            request.session[self.pending_session_key] = pending
            if self.get_tmp_storage_class()(name=name).read() is None:
                messages.error(request, "The preview has expired. Upload the file again.")
                return HttpResponseRedirect(self.import_url())
        return super().process_import(request, **kwargs)

    def process_dataset(self, dataset, form, request, **kwargs):
        # All or nothing: if any row fails now (the data changed since the preview), the
        # rows already written are rolled back too.
        kwargs["rollback_on_validation_errors"] = True
        return super().process_dataset(dataset, form, request, **kwargs)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            failed = result.totals["invalid"] + result.totals["error"] or "Some"
            messages.error(
                request,
                f"Nothing was imported: {failed} row(s) could not be applied (the records "
                "changed since the preview). Upload the file again to see why.",
            )
            return HttpResponseRedirect(self.import_url())
        return super().process_result(result, request)

    def import_url(self) -> str:
        opts = self.model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_import", current_app=self.admin_site.name
        )
