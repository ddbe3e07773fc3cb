"""The Hauts-de-France 2030 example (SPEC 6) and its replication at scale.

``build_example()`` gives the one-region example; ``scale_example(ex, n)``
replicates it as ``n`` neighbouring regions; ``write_example(path, ex)``
writes the input workbook with its ``Sources`` sheet.
"""

from planner.example.build import Example, build_example

__all__ = ["Example", "build_example"]
