"""Write the MIS import samples the README and the tests use:

    students/samples/mis-pupils.csv, students/samples/mis-pupils.xlsx (the same pupils),
    students/samples/mis-contacts.csv, staffing/samples/mis-staff.csv

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


if __name__ == "__main__":
    main()
