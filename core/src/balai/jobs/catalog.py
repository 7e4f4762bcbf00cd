"""The jobs every plugin declared, and which of them run in which city."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from balai.jobs.types import CONTEXT_PARAMETER, Job
from balai.plugins import BUILTIN_SLUGS, PluginError, PluginRegistry
from balai.tenants import City


class UnknownJobError(LookupError):
    """No job of that name is declared, or the city does not run it."""


class JobArgumentError(ValueError):
    """A value given for a job's argument does not fit the parameter's declared type.

    Attributes:
        argument: The argument's name.
        expected: What it takes: ``whole number``, ``number``, ``text``,
            ``true/false``, ``JSON``; ``""`` when the job has no such parameter.
        value: The value as given.
    """

    def __init__(self, argument: str, expected: str, value: str) -> None:
        super().__init__(f"{argument}={value!r}: expected {expected or 'no such argument'}")
        self.argument, self.expected, self.value = argument, expected, value


_TRUE = {"true", "1", "yes", "ya"}
_FALSE = {"false", "0", "no", "tidak"}


def _as_bool(raw: str) -> bool:
    word = raw.strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise ValueError(raw)


def _as_json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


# Declared parameter types the command line converts to; by type and by its name
# (annotations are text under ``from __future__ import annotations``).
_CONVERTERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "int": ("whole number", int),
    "float": ("number", float),
    "str": ("text", str),
    "bool": ("true/false", _as_bool),
}


@dataclass(frozen=True)
class DeclaredJob:
    """A job with the slug of the plugin that declared it."""

    plugin: str
    job: Job

    @property
    def name(self) -> str:
        """The job's namespaced name."""
        return self.job.name

    @property
    def takes_context(self) -> bool:
        """Whether the job's ``run`` names a ``context`` parameter (a ``JobContext``)."""
        return takes_context(self.job.run)

    def convert_arguments(self, raw: dict[str, str]) -> dict[str, Any]:
        """Values given as text (``balai jobs run --arg``) as the job's parameters declare them.

        A parameter annotated ``int``, ``float``, ``str`` or ``bool`` gets its
        value converted to that type (``str`` keeps ``"007"`` as text); an
        unannotated one (or one taken by ``**kwargs``) gets the value read as
        JSON when it reads so, else as text.

        Raises:
            JobArgumentError: a value does not fit its type, or the job has no
                parameter of that name (and no ``**kwargs``).
        """
        try:
            parameters = list(inspect.signature(self.job.run).parameters.values())[1:]
        except (TypeError, ValueError):  # no signature: read every value as JSON
            return {name: _as_json(value) for name, value in raw.items()}
        named = {p.name: p for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
        open_ended = any(p.kind == p.VAR_KEYWORD for p in parameters)
        converted: dict[str, Any] = {}
        for name, value in raw.items():
            parameter = named.get(name)
            if parameter is None or name == CONTEXT_PARAMETER:
                if not open_ended or name == CONTEXT_PARAMETER:
                    raise JobArgumentError(name, "", value)
                converted[name] = _as_json(value)
                continue
            annotation = parameter.annotation
            key = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
            if key not in _CONVERTERS:
                converted[name] = _as_json(value)
                continue
            expected, convert = _CONVERTERS[key]
            try:
                converted[name] = convert(value.strip() if key != "str" else value)
            except ValueError:
                raise JobArgumentError(name, expected, value) from None
        return converted

    def missing_arguments(self, kwargs: dict[str, object]) -> list[str]:
        """The parameters ``run`` requires that ``kwargs`` lacks (city and context aside)."""
        try:
            parameters = list(inspect.signature(self.job.run).parameters.values())[1:]
        except (TypeError, ValueError):  # a callable without a signature: nothing to check
            return []
        return [
            p.name
            for p in parameters
            if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            and p.name != CONTEXT_PARAMETER
            and p.name not in kwargs
        ]


def takes_context(run: object) -> bool:
    """Whether ``run`` accepts a keyword argument named ``context`` by name."""
    try:
        parameter = inspect.signature(run).parameters.get(CONTEXT_PARAMETER)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return parameter is not None and parameter.kind in (
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.KEYWORD_ONLY,
    )


class JobCatalog:
    """Jobs by name, collected once from the ``scheduled_jobs`` hook."""

    def __init__(self, declared: Iterable[DeclaredJob]) -> None:
        self.jobs: dict[str, DeclaredJob] = {}
        for item in declared:
            if item.name in self.jobs:
                raise PluginError(item.plugin, f"job {item.name!r} is declared twice")
            self.jobs[item.name] = item

    @classmethod
    def from_registry(cls, registry: PluginRegistry) -> JobCatalog:
        """Collect the declarations of every registered plugin.

        Raises:
            PluginError: a plugin returned something other than ``Job`` values,
                named a job outside its own namespace, or named one twice.
        """
        found: list[DeclaredJob] = []
        for slug, plugin in registry.plugins.items():
            try:
                jobs = registry.call_one(plugin.obj, "scheduled_jobs")
            except ValueError as exc:  # a Job that refused its own arguments
                raise PluginError(slug, f"scheduled_jobs(): {exc}") from exc
            if inspect.iscoroutine(jobs):
                jobs.close()
                raise PluginError(slug, "scheduled_jobs() must be a plain function, not async")
            for job in jobs or ():
                if not isinstance(job, Job):
                    raise PluginError(slug, "scheduled_jobs() must return toolkit.Job values")
                if job.owner != slug:
                    raise PluginError(slug, f"job {job.name!r} must be named '{slug}.<what>'")
                found.append(DeclaredJob(slug, job))
        return cls(found)

    def runs_in(self, item: DeclaredJob, city: City) -> bool:
        """Whether ``city`` runs ``item`` (built-ins everywhere, plugins where enabled)."""
        return item.plugin in BUILTIN_SLUGS or city.enables(item.plugin)

    def for_city(self, city: City) -> list[DeclaredJob]:
        """The jobs ``city`` runs, by name."""
        return [j for _, j in sorted(self.jobs.items()) if self.runs_in(j, city)]

    def get(self, name: str, city: City) -> DeclaredJob:
        """The job ``name`` as run in ``city``.

        Raises:
            UnknownJobError: no such job, or ``city`` does not enable its plugin.
        """
        item = self.jobs.get(name)
        if item is None:
            raise UnknownJobError(f"no job named {name!r}")
        if not self.runs_in(item, city):
            raise UnknownJobError(
                f"{city.slug} does not enable plugin {item.plugin!r} (job {name!r})"
            )
        return item
