"""Deployment: the timetable, allocations of staff to periods, cover and my day.

A layer above the pupil record (DESIGN.md "Layers"): it reads students and cpd, and writes
the "staff member supports pupil" links (source ALLOCATION) that the access rules read.
The people layer (staffing.models' schools and staff, staffing.services) never imports it.
"""
