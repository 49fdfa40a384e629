"""Write the MIS import samples the README and the tests use:

    students/samples/mis-pupils.csv, students/samples/mis-pupils.xlsx (the same pupils),
    students/samples/mis-contacts.csv, staffing/samples/mis-staff.csv,
    staffing/samples/timetable-periods.csv, timetable-classes.csv,
    timetable-class-lists.csv, timetable-lessons.csv (a two-week timetable of those pupils
    and staff: import staff, pupils, then the timetable files in that order)

Run from the repository root: ``.venv/bin/python scripts/mis_samples.py``. UPN check letters
come from python-stdnum (``students.upn.make_upn``), never by hand. The output is the same on
every run.
"""

import csv
import io
import re
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from students.upn import make_upn  # noqa: E402

PUPIL_COLUMNS = [
    "UPN",
    "Surname",
    "Forename",
    "PreferredForename",
    "DOB",
    "NCyearActual",
    "TutorGroup",
    "SENprovision",
    "SENtype1",
    "SENtype2",
    "PupilPremium",
    "EAL",
    "LookedAfter",
]

# surname, forename, preferred, born, year, tutor group, status, need 1, need 2, PP, EAL, LAC
PUPILS = [
    ("Bennett", "Oliver", "", date(2013, 9, 14), 7, "7B", "N", "", "", "N", "N", "N"),
    ("Hughes", "Amelia", "Millie", date(2014, 3, 2), 7, "7H", "K", "SPLD", "", "Y", "N", "N"),
    ("Patel", "Alfie", "", date(2014, 2, 5), 7, "7W", "K", "NSA", "", "N", "N", "N"),
    ("Rahman", "Mohammed", "", date(2012, 11, 21), 8, "8B", "K", "SLCN", "ASD", "N", "Y", "N"),
    ("Thompson", "Isla", "", date(2013, 6, 8), 8, "8H", "N", "", "", "N", "N", "N"),
    ("Wilson", "Harry", "", date(2012, 1, 30), 9, "9W", "E", "ASD", "SLCN", "Y", "N", "N"),
    ("O'Connor", "Grace", "", date(2012, 5, 17), 9, "9B", "K", "SEMH", "", "Y", "N", "Y"),
    ("Evans", "Jacob", "Jake", date(2010, 10, 12), 10, "10E", "N", "", "", "N", "N", "N"),
    ("Ahmed", "Zainab", "", date(2011, 4, 25), 10, "10W", "K", "MLD", "SLCN", "N", "Y", "N"),
    ("Davies", "Charlie", "", date(2009, 12, 3), 11, "11D", "E", "SEMH", "SPLD", "Y", "N", "N"),
    ("Clarke", "Sophie", "", date(2010, 7, 19), 11, "11C", "N", "", "", "N", "N", "N"),
]

CONTACT_COLUMNS = [
    "UPN",
    "ContactName",
    "Relationship",
    "Priority",
    "Phone",
    "Email",
    "ParentalResponsibility",
]

# pupil's forename, contact, relationship, priority, phone, e-mail, parental responsibility
CONTACTS = [
    ("Oliver", "Sarah Bennett", "Mother", 1, "07700 900101", "sarah.bennett@example.org", "Y"),
    ("Amelia", "Daniel Hughes", "Father", 1, "07700 900102", "dan.hughes@example.org", "Y"),
    ("Amelia", "Karen Hughes", "Mother", 2, "07700 900103", "", "Y"),
    ("Mohammed", "Ayesha Rahman", "Mother", 1, "07700 900104", "a.rahman@example.org", "Y"),
    ("Mohammed", "Imran Rahman", "Father", 2, "07700 900105", "", "Y"),
    ("Harry", "Claire Wilson", "Mother", 1, "07700 900106", "claire.wilson@example.org", "Y"),
    ("Grace", "Helen Marsh", "Foster carer", 1, "0117 496 0107", "h.marsh@example.org", "N"),
    ("Zainab", "Fatima Ahmed", "Mother", 1, "07700 900108", "fatima.ahmed@example.org", "Y"),
    ("Charlie", "Mark Davies", "Father", 1, "07700 900109", "mark.davies@example.org", "Y"),
    ("Charlie", "Linda Davies", "Grandmother", 2, "0117 496 0110", "", "N"),
    ("Sophie", "Emma Clarke", "Mother", 1, "+44 7700 900111", "emma.clarke@example.org", "Y"),
]

STAMP = datetime(2025, 9, 1, 8, 0)

STAFF_COLUMNS = ["Email", "Forename", "Surname", "Role", "JobTitle"]

STAFF = [
    ("Rachel", "Morgan", "SENDCO", "SENDCo"),
    ("David", "Shaw", "PSO", "Progress Support Officer"),
    ("Priya", "Sharma", "HLTA", "HLTA (literacy)"),
    ("Tom", "Fletcher", "HLTA", "HLTA (numeracy)"),
    ("Lucy", "Barnes", "FLS", "Learning support assistant, English"),
    ("James", "Carter", "FLS", "Learning support assistant, maths"),
    ("Hannah", "Price", "ONE_TO_ONE", "1:1 SEND assistant"),
    ("Michael", "Green", "TEACHER", "Teacher of science"),
    ("Sarah", "Mitchell", "TEACHER", "Teacher of English"),
    ("Andrew", "Lewis", "SLT", "Deputy headteacher"),
]


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

PERIOD_COLUMNS = ["Week", "Day", "Name", "Kind", "Starts", "Ends"]

# A secondary school day: six lessons, and the slots outside lessons where support happens.
DAY_PLAN = [
    ("Before school", "Before school", "08:00", "08:40"),
    ("P1", "Lesson", "08:45", "09:35"),
    ("P2", "Lesson", "09:35", "10:25"),
    ("Break", "Break", "10:25", "10:45"),
    ("P3", "Lesson", "10:45", "11:35"),
    ("P4", "Lesson", "11:35", "12:25"),
    ("Lunch", "Lunch", "12:25", "13:10"),
    ("P5", "Lesson", "13:10", "14:00"),
    ("P6", "Lesson", "14:00", "14:50"),
    ("After school", "After school", "15:00", "16:00"),
]

CLASS_COLUMNS = ["Name", "Subject", "Faculty", "Teacher", "Room"]

# name, subject, faculty (as seed_demo names them), teacher (of STAFF), room, year taught
CLASSES = [
    ("7X/En1", "English", "English", ("Sarah", "Mitchell"), "E1", 7),
    ("7X/Ma1", "Maths", "Maths", ("Andrew", "Lewis"), "M2", 7),
    ("8X/Sc1", "Science", "Science", ("Michael", "Green"), "S1", 8),
    ("9Y/En2", "English", "English", ("Sarah", "Mitchell"), "E1", 9),
    ("10X/Sc2", "Science", "Science", ("Michael", "Green"), "S2", 10),
    ("11Y/Hi1", "History", "Humanities", ("Andrew", "Lewis"), "H1", 11),
]


def staff_email(first: str, last: str) -> str:
    return f"{first.lower()}.{last.lower()}@oakfield.example.org"


def period_rows() -> list[list]:
    return [
        [week, day, name, kind, starts, ends]
        for week in (1, 2)
        for day in DAYS
        for name, kind, starts, ends in DAY_PLAN
    ]


def lesson_rows() -> list[list]:
    """Five lessons a cycle for each class, on alternate days, so that no teacher has two
    classes at once."""
    rows = []
    for week in (1, 2):
        for index, (name, *_) in enumerate(CLASSES):
            for day_number, day in enumerate(DAYS, 1):
                if (day_number + index + week) % 2 == 0:
                    rows.append([name, week, day, f"P{(2 * index + day_number + week) % 6 + 1}"])
    return rows


def upn_for(index: int, born: date) -> str:
    """A permanent UPN from a Warwickshire (937) school, allocated in the reception year."""
    reception_year = born.year + (5 if born.month >= 9 else 4)
    return make_upn(937, 4021, reception_year, 101 + index * 7)


def pupil_rows() -> list[list]:
    """PUPILS with the UPN in front, in the order of PUPIL_COLUMNS."""
    return [[upn_for(index, pupil[3]), *pupil] for index, pupil in enumerate(PUPILS)]


def save_stable(book: Workbook, path: Path) -> None:
    """Save without the time of saving (openpyxl stamps it), so a rerun changes no byte."""
    buffer = io.BytesIO()
    book.save(buffer)
    modified = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + modified, data)
            entry = zipfile.ZipInfo(item.filename, date_time=STAMP.timetuple()[:6])
            out.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)


def write_csv(path: Path, columns: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def main() -> None:
    pupils = pupil_rows()
    # MIS exports in England write dates as DD/MM/YYYY.
    write_csv(
        ROOT / "students/samples/mis-pupils.csv",
        PUPIL_COLUMNS,
        [[*row[:4], row[4].strftime("%d/%m/%Y"), *row[5:]] for row in pupils],
    )

    book = Workbook()
    sheet = book.active
    sheet.title = "Pupils"
    sheet.append(PUPIL_COLUMNS)
    for row in pupils:
        sheet.append(row)  # DOB a date cell, year a number, as a spreadsheet holds them
    for cell in sheet["E"][1:]:
        cell.number_format = "DD/MM/YYYY"
    book.properties.created = STAMP
    book.properties.creator = "SendHub sample"
    save_stable(book, ROOT / "students/samples/mis-pupils.xlsx")

    upn_of = {row[2]: row[0] for row in pupils}
    write_csv(
        ROOT / "students/samples/mis-contacts.csv",
        CONTACT_COLUMNS,
        [[upn_of[forename], *rest] for forename, *rest in CONTACTS],
    )
    write_csv(
        ROOT / "staffing/samples/mis-staff.csv",
        STAFF_COLUMNS,
        [
            [f"{first.lower()}.{last.lower()}@oakfield.example.org", first, last, role, title]
            for first, last, role, title in STAFF
        ],
    )
    write_csv(ROOT / "staffing/samples/timetable-periods.csv", PERIOD_COLUMNS, period_rows())
    write_csv(
        ROOT / "staffing/samples/timetable-classes.csv",
        CLASS_COLUMNS,
        [
            [name, subject, faculty, staff_email(*teacher), room]
            for name, subject, faculty, teacher, room, _ in CLASSES
        ],
    )
    write_csv(
        ROOT / "staffing/samples/timetable-class-lists.csv",
        ["Class", "UPN"],
        [[name, row[0]] for name, *_, year in CLASSES for row in pupils if row[5] == year],
    )
    write_csv(
        ROOT / "staffing/samples/timetable-lessons.csv",
        ["Class", "Week", "Day", "Period"],
        lesson_rows(),
    )


if __name__ == "__main__":
    main()
