"""Writes of the pupil record; one module per part (register, plans, EHC plans)."""
