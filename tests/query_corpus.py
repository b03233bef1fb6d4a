"""Random but valid-looking operations built from the schema, for differential tests.

Each operation picks root fields and, below them, random selections of each type's
fields — with aliases, repeated fields that merge, inline and named fragments,
``__typename``, ``@skip``/``@include`` on literals and variables, and arguments given
as literals or variables. A few carry a bad argument (a page too large, a malformed
id), so error paths, null propagation included, are compared too. Pages are small, so
an operation stays cheap on the embedded database.

Bad arguments go only into operations with a single root field: when an error nulls a
non-null root field, graphql-core cancels its sibling root fields, and whether their own
errors were reported by then depends on which database answer came first — graphql-core's
answer to such an operation is not the same from one run to the next.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLType,
)

from edugraph.ids import IdPrefix
from edugraph.store import collections as c

# The types a root field looks up by id, and where their ids come from.
ID_SOURCES: dict[str, tuple[str, IdPrefix]] = {
    "Institution": (c.INSTITUTIONS, IdPrefix.INSTITUTION),
    "Course": (c.COURSES, IdPrefix.COURSE),
    "Learner": (c.LEARNERS, IdPrefix.LEARNER),
    "CertificationCentre": (c.CERTIFICATION_CENTRES, IdPrefix.CERTIFICATION_CENTRE),
    "CreditAccount": (c.CREDIT_ACCOUNTS, IdPrefix.CREDIT_ACCOUNT),
    "LearningOutcome": (c.LEARNING_OUTCOMES, IdPrefix.LEARNING_OUTCOME),
    "Alliance": (c.ALLIANCES, IdPrefix.ALLIANCE),
    "ExamSession": (c.EXAM_SESSIONS, IdPrefix.EXAM_SESSION),
    "Major": (c.MAJORS, IdPrefix.MAJOR),
    "TutoringCourse": (c.TUTORING_COURSES, IdPrefix.TUTORING_COURSE),
}
MAX_DEPTH = 4
MAX_FIELDS = 4


def named(type_: GraphQLType) -> GraphQLNamedType:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    assert isinstance(type_, GraphQLNamedType)
    return type_


@dataclass
class _Operation:
    variables: dict[str, Any] = field(default_factory=dict)
    declarations: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)

    def variable(self, type_name: str, value: Any) -> str:
        name = f"v{len(self.declarations)}"
        self.declarations.append(f"${name}: {type_name}")
        self.variables[name] = value
        return f"${name}"


class QueryGenerator:
    def __init__(
        self,
        schema: GraphQLSchema,
        ids: dict[str, list[str]],
        seed: int,
        *,
        error_rate: float = 0.04,
        max_roots: int = 2,
    ) -> None:
        self.schema = schema
        self.ids = ids
        self.rng = random.Random(seed)
        self.error_rate = error_rate
        self.max_roots = max_roots
        self.errors_allowed = True

    def operation(self) -> tuple[str, dict[str, Any]]:
        """An operation's text and its variables."""
        op = _Operation()
        query_type = self.schema.query_type
        assert query_type is not None
        roots = [name for name in query_type.fields if not name.startswith("_")]
        chosen = self.rng.sample(roots, min(self.max_roots, self.rng.choice([1, 1, 2])))
        self.errors_allowed = len(chosen) == 1
        body = " ".join(self.field(op, query_type, name, depth=0, alias=i > 0) for i, name in enumerate(chosen))
        body = body.strip() or "__typename"
        declarations = f"({', '.join(op.declarations)})" if op.declarations else ""
        text = f"query Generated{declarations} {{ {body} }}"
        return " ".join([text, *op.fragments]), op.variables

    # -- Selections --------------------------------------------------------------------

    def selection(self, op: _Operation, type_: GraphQLObjectType, depth: int) -> str:
        names = list(type_.fields)
        picked = self.rng.sample(names, min(len(names), self.rng.randint(1, MAX_FIELDS)))
        parts = [self.field(op, type_, name, depth, alias=self.rng.random() < 0.2) for name in picked]
        parts = [part for part in parts if part]
        if self.rng.random() < 0.15:
            parts.append("__typename")
        if parts and self.rng.random() < 0.15:
            parts.append(parts[0])  # the same field twice: graphql merges them
        if not parts:
            parts = ["__typename"]
        if len(parts) > 1 and self.rng.random() < 0.2:
            inner = parts.pop()
            parts.append(f"... on {type_.name} {{ {inner} }}")
        if len(parts) > 1 and self.rng.random() < 0.15:
            name = f"F{len(op.fragments)}"
            op.fragments.append(f"fragment {name} on {type_.name} {{ {parts.pop()} }}")
            parts.append(f"...{name}")
        return " ".join(parts)

    def field(self, op: _Operation, parent: GraphQLObjectType, name: str, depth: int, *, alias: bool) -> str:
        definition = parent.fields[name]
        target = named(definition.type)
        if not isinstance(target, GraphQLObjectType | GraphQLScalarType | GraphQLEnumType):
            return ""  # unions and interfaces: the federation plumbing only
        arguments = self.arguments(op, definition)
        if arguments is None:
            return ""
        head = f"a{self.rng.randint(0, 10**6)}: {name}" if alias else name
        head += f"({', '.join(arguments)})" if arguments else ""
        head += self.directive(op)
        if isinstance(target, GraphQLObjectType):
            if depth >= MAX_DEPTH:
                return ""
            return f"{head} {{ {self.selection(op, target, depth + 1)} }}"
        return head

    def directive(self, op: _Operation) -> str:
        roll = self.rng.random()
        if roll < 0.05:
            return f" @include(if: {self.rng.choice(['true', 'false'])})"
        if roll < 0.10:
            return f" @skip(if: {op.variable('Boolean!', self.rng.random() < 0.5)})"
        return ""

    # -- Arguments ---------------------------------------------------------------------

    def arguments(self, op: _Operation, definition: GraphQLField) -> list[str] | None:
        """Arguments to pass, or None when a required one cannot be made up."""
        given: list[str] = []
        for arg_name, argument in definition.args.items():
            required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is None
            value = self.argument(op, arg_name, argument.type, definition, required=required)
            if value is None:
                if required:
                    return None
                continue
            given.append(f"{arg_name}: {value}")
        return given

    def argument(
        self, op: _Operation, name: str, type_: GraphQLType, definition: GraphQLField, *, required: bool
    ) -> str | None:
        base = named(type_)
        error = self.rng.random() < self.error_rate and self.errors_allowed
        if name == "first":
            if self.rng.random() < 0.3:
                return None
            size = 101 if error else self.rng.choice([0, 1, 2, 3])
            return op.variable("Int", size) if self.rng.random() < 0.5 else str(size)
        if name == "id":
            known = self.ids.get(named(definition.type).name, [])
            if error or not known:
                return '"nope_1"'
            chosen = self.rng.choice(known)
            return op.variable("ID!", chosen) if self.rng.random() < 0.5 else f'"{chosen}"'
        if name == "year":
            year = self.rng.choice([2022, 2023])
            return op.variable("Int!", year) if required and self.rng.random() < 0.5 else str(year)
        if isinstance(base, GraphQLEnumType) and (required or self.rng.random() < 0.25):
            return self.rng.choice(list(base.values))
        if isinstance(base, GraphQLInputObjectType) or not required:
            return None
        return None
