"""Officers' forms on a report."""

from __future__ import annotations

from balai import toolkit as tk

from balai_pengaduan.settings import city_settings


def _departments() -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in city_settings().departments]


class CommentForm(tk.Form):
    """A comment: public (the reporter is told) or internal (officers only)."""

    body = tk.TextField("Comment", multiline=True, min_length=2, max_length=1000)
    visibility = tk.ChoiceField(
        "Who sees it",
        choices=[
            ("internal", tk.N_("Officers only")),
            ("public", tk.N_("Public: tell the reporter")),
        ],
    )


class StepForm(tk.Form):
    """A step of the workflow (start, resolve, reject); the workflow checks the rest."""

    step = tk.TextField("Step", max_length=40, missing="Choose the next step.")
    comment = tk.TextField("Public comment", multiline=True, max_length=1000, required=False)


class AssignForm(tk.Form):
    """Give the report to an officer (the route checks the department)."""

    assignee = tk.IntegerField("Officer", min_value=1, max_value=2**31 - 1)


class MergeForm(tk.Form):
    """Merge this report into the one it duplicates."""

    target = tk.TextField("Number of the report it duplicates", max_length=30)


class TransferForm(tk.Form):
    """Send the report to another department's queue."""

    department = tk.ChoiceField("Department", choices=_departments, translate=False)
    comment = tk.TextField("Why", multiline=True, max_length=1000, required=False)


class MemberForm(tk.Form):
    """Put an officer in a department (the head receives escalations)."""

    login = tk.TextField("Officer's e-mail or mobile number", max_length=254)
    department = tk.ChoiceField("Department", choices=_departments, translate=False)
    head = tk.CheckboxField("Head of the department (receives escalations)")
