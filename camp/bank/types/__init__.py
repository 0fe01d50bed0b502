"""The question type classes behind `camp.bank.question_types`, one module per family.

Import from `camp.bank.question_types`, which owns the registry; these modules are its parts.
"""
