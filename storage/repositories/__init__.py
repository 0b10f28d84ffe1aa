"""Repository functions, one module per part of a person's record.

Each function takes the ``AsyncSession`` of the current unit of work (opened by the
engine with ``Database.write()`` or ``Database.read()``) and never commits itself.
"""
