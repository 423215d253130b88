"""A small engine that reads a parsed document with a table of sections (``autoscaler.profile_schema`` is the
profile's): each section lists its fields in reading order, each field its validator (``autoscaler.fields``), whether
it is required, its default, and the checks that read it against the fields before it. Reading a section:

1. not a mapping: a problem, nothing read; every unknown field: a problem with a did-you-mean; every missing
   required field: a problem, and (unless the section is ``partial``) nothing more is read in it;
2. each field in order (skipped when its ``when`` says so): the document's value through its validator, or its
   default; then each of its checks, whose problem may also refuse the value (``reject``) or stop the section;
3. the value object: ``make(**{attr: value})`` over the fields (plus ``derive``), or None when a required or
   ``essential`` field is bad, so a bad entry is left out of the list that holds it.

Problems are reported in document order of unknown fields, then field order, so every problem is reported, once.
The table's types are plain slotted classes, not dataclasses: building them costs nearly nothing at import (a Lambda
cold start)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from autoscaler.fields import FieldReader, Read, join

NO_DEFAULT: Any = object()
NOT_BUILT = ""  # Field.attr: read and checked, but not an attribute of the value object


class Entry(dict[str, Any]):
    """The fields of one mapping read so far (a field absent without a default is not there; a bad one is None),
    with the mapping as the document has it (``raw``) and the entry that holds it (``parent``)."""

    def __init__(self, raw: dict[str, Any], parent: Entry | None) -> None:
        super().__init__()
        self.raw = raw
        self.parent = parent


class Reader(FieldReader):
    """A document's problems, and the entry whose fields are being read (for validators that read a sibling)."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.entry: Entry | None = None


class Check:
    """A rule over the fields read so far: ``test`` returns the problem, or None. Reported at ``at`` (None: the field
    it belongs to; "": the section itself; or another field's name). ``reject``: the field's value becomes None;
    ``stop``: the section reads no further and gives None."""

    __slots__ = ("at", "effect", "test")

    def __init__(
        self,
        test: Callable[[Entry], str | None],
        at: str | None = None,
        effect: Literal["keep", "reject", "stop"] = "keep",
    ) -> None:
        self.test, self.at, self.effect = test, at, effect


class Field:
    """One row of a section: the field's name in the document and its validator, then (keywords) whether it is
    required, its default when absent (``default``, already valid: it is not read; or ``default_of`` the fields
    before), whether the value object cannot be built when it is bad (``essential``; required fields are), its checks,
    when it is read at all, and the value object's attribute (None: the field's name; NOT_BUILT: none)."""

    __slots__ = ("attr", "checks", "default", "default_of", "essential", "name", "read", "required", "when")

    def __init__(
        self,
        name: str,
        read: Read,
        *,
        required: bool = False,
        default: Any = NO_DEFAULT,
        default_of: Callable[[Entry], Any] | None = None,
        essential: bool = False,
        checks: tuple[Check, ...] = (),
        when: Callable[[Entry], bool] | None = None,
        attr: str | None = None,
    ) -> None:
        self.name, self.read, self.required, self.essential = name, read, required, essential
        self.default, self.default_of, self.checks, self.when, self.attr = default, default_of, checks, when, attr


class Section:
    """The fields of one mapping, in reading order, and ``make``, the value object built from them; ``derive``:
    attributes computed from several fields; ``partial``: read the other fields even when a required one is missing;
    ``inline``: (attribute, section) whose fields share this mapping and build that attribute."""

    __slots__ = ("derive", "fields", "inline", "make", "names", "partial", "required", "rows")

    def __init__(
        self,
        fields: tuple[Field, ...],
        make: Callable[..., Any],
        *,
        derive: Callable[[Entry], dict[str, Any]] | None = None,
        partial: bool = False,
        inline: tuple[str, Section] | None = None,
    ) -> None:
        self.fields, self.make, self.derive, self.partial, self.inline = fields, make, derive, partial, inline
        self.rows: tuple[Field, ...] = fields + (inline[1].rows if inline else ())  # every field of this mapping
        self.names = tuple(f.name for f in self.rows)
        self.required = tuple(f.name for f in self.rows if f.required)

    def read(self, r: Reader, data: Any, path: str) -> Any:
        fields, required = self.rows, self.required
        body = r.mapping(data, path, self.names, required)
        if body is None or (not self.partial and any(key not in body for key in required)):
            return None
        entry = Entry(body, r.entry)
        outer, r.entry = r.entry, entry
        try:
            for field in fields:
                if field.when is not None and not field.when(entry):
                    continue
                if field.name in body:
                    entry[field.name] = field.read(r, body[field.name], join(path, field.name))
                elif field.default_of is not None:
                    entry[field.name] = field.default_of(entry)
                elif field.default is not NO_DEFAULT:
                    entry[field.name] = field.default
                for check in field.checks:
                    problem = check.test(entry)
                    if problem is None:
                        continue
                    r.error(join(path, field.name if check.at is None else check.at), problem)
                    if check.effect == "stop":
                        return None
                    if check.effect == "reject":
                        entry[field.name] = None
        finally:
            r.entry = outer
        if any(entry.get(f.name) is None for f in fields if f.required or f.essential):
            return None
        return self.assemble(entry)

    def assemble(self, entry: Entry) -> Any:
        values = {field.attr or field.name: entry.get(field.name) for field in self.fields if field.attr != NOT_BUILT}
        if self.inline is not None:
            values[self.inline[0]] = self.inline[1].assemble(entry)
        if self.derive is not None:
            values.update(self.derive(entry))
        return self.make(**values)


class Each:
    """A list of one section: the entries that read well, as a tuple. ``unique``: the attribute two entries may not
    share (the later one is named, as a duplicate ``what``); ``limit``: the most entries (``too_many`` formats the
    problem with ``count`` and ``limit``); ``non_empty``: the problem for anything but a non-empty list."""

    __slots__ = ("limit", "non_empty", "section", "too_many", "unique", "what")

    def __init__(
        self,
        section: Section,
        unique: str | None = None,
        what: str = "name",
        limit: int | None = None,
        too_many: str = "",
        *,
        non_empty: str | None = None,
    ) -> None:
        self.section, self.unique, self.what, self.limit = section, unique, what, limit
        self.too_many, self.non_empty = too_many, non_empty

    def __call__(self, r: Reader, items: Any, path: str) -> tuple[Any, ...] | None:
        if not isinstance(items, list) or (self.non_empty is not None and not items):
            r.error(path, self.non_empty or "must be a list")
            return None
        if self.limit is not None and len(items) > self.limit:
            r.error(path, self.too_many.format(count=len(items), limit=self.limit))
        read = [
            (i, entry)
            for i, item in enumerate(items)
            if (entry := self.section.read(r, item, f"{path}[{i}]")) is not None
        ]
        if self.unique is not None:
            seen: set[Any] = set()
            for i, entry in read:
                key = getattr(entry, self.unique)
                if key in seen:
                    r.error(f"{path}[{i}]", f"duplicate {self.what} {key!r}")
                seen.add(key)
        return tuple(entry for _, entry in read)


class Named:
    """A mapping of names the document chooses (matching ``pattern``, else ``refused``), each one section: a tuple of
    (name, value object)."""

    __slots__ = ("pattern", "refused", "section")

    def __init__(self, section: Section, pattern: re.Pattern[str], refused: str) -> None:
        self.section, self.pattern, self.refused = section, pattern, refused

    def __call__(self, r: Reader, data: Any, path: str) -> tuple[tuple[str, Any], ...]:
        named = []
        for key, body in (r.mapping(data, path, None) or {}).items():
            if not self.pattern.fullmatch(key):
                r.error(f"{path}.{key}", self.refused)
                continue
            value = self.section.read(r, body, f"{path}.{key}")
            if value is not None:
                named.append((key, value))
        return tuple(named)


def valid(*names: str) -> Callable[[Entry], bool]:
    """``when``: those fields were read and are good."""
    return lambda entry: all(entry.get(name) is not None for name in names)


def given(name: str) -> Callable[[Entry], bool]:
    """``when``: the document gives that field."""
    return lambda entry: name in entry.raw
