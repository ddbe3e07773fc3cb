"""The results workbook (SPEC 5): sheets, charts, map, and safe writing.

No model access: everything comes from :class:`~planner.results.Results`,
the planning data and a :class:`RunRecord`.

- :func:`write_results` writes the workbook (with a plan, or a failed run's
  Summary / Diagnosis / Run).
- :func:`overview_lines`: the Overview sheet's briefing as plain lines, for a
  command's last lines (the same words).
- :class:`RunRecord`, :func:`file_sha256`, :func:`package_versions`: what the
  ``Run`` sheet records.
- :func:`check_target`, :func:`atomic_target`, :class:`OutputRefused`: safe
  writing, usable by any command that writes a workbook.
- :func:`cell`: the one way a value becomes a cell (text stays text, no NaN
  or infinity).
"""

from planner.report.cells import UnwritableValue, cell
from planner.report.run import RunRecord, file_sha256, package_versions
from planner.xlsx import OutputRefused, atomic_target, check_target, lock_files
from planner.report.workbook import NO_PLAN_SHEETS, PLAN_SHEETS, output_path, write_results
from planner.report.overview import overview_lines

__all__ = [
    "NO_PLAN_SHEETS", "PLAN_SHEETS", "OutputRefused", "RunRecord",
    "UnwritableValue", "atomic_target", "cell", "check_target", "file_sha256", "lock_files",
    "output_path", "overview_lines", "package_versions", "write_results",
]
