"""Compiling an operation into a plan: per selection set, the fields to produce and how.

Field collection — merging fields by response key, fragments and their type
conditions, ``@skip`` and ``@include`` — is graphql-core's own ``collect_fields`` and
``collect_subfields``, so the plan produces exactly the keys, in exactly the order,
graphql-core would. Whatever the plan cannot run exactly as graphql-core does makes
``compile_operation`` return ``None``: abstract types (unions, interfaces),
introspection, fields with Strawberry field extensions or exception handlers, deferred
or streamed selections, fragment variables.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from enum import EnumMeta
from operator import attrgetter
from typing import Any

from graphql import (
    ArgumentNode,
    FieldNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    ListValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    ValueNode,
    VariableNode,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    GroupedFieldSet,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues
from strawberry.types.field import StrawberryField

from edugraph.execution.batched import Batchable, batched_form

_DEFINITION = "strawberry-definition"


class Unsupported(Exception):
    """The operation uses something the plan does not run; graphql-core runs it instead."""


# How a field gets its value.
TYPENAME = 0  # the parent type's name
ATTRIBUTE = 1  # an attribute of the source object (Strawberry's default resolver)
RESOLVER = 2  # the field's resolver function


@dataclass(slots=True)
class Leaf:
    """A scalar or enum: graphql-core's output coercion."""

    coerce: Callable[[Any], Any]
    # Values of exactly this type come out of the coercion unchanged (a str for String and ID,
    # a bool for Boolean): they are passed through without calling it.
    unchanged: type | None = None
    # A Strawberry enum: its Python enum, and by each member's value its GraphQL name (the
    # coercion's answer; by value, as an enum member's own hash is a Python-level call).
    members: type | None = None
    names: dict[Any, str] | None = None
    # Int: an int within 32 bits comes out of the coercion unchanged (outside, it is an error).
    int32: bool = False


INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


def leaf(type_: GraphQLLeafType) -> Leaf:
    """How to complete a value of ``type_``, with graphql-core's (or Strawberry's) coercion
    and shortcuts that give the same answers for the common cases."""
    completion = Leaf(coerce=type_.coerce_output_value)
    if type_ is GraphQLString or type_ is GraphQLID:
        completion.unchanged = str
    elif type_ is GraphQLBoolean:
        completion.unchanged = bool
    elif type_ is GraphQLInt:
        completion.int32 = True
    elif isinstance(type_, GraphQLEnumType):
        wrapped = getattr(type_, "wrapped_cls", None)
        members: list[Any] = list(wrapped) if isinstance(wrapped, EnumMeta) else []
        if members and all(isinstance(member._value_, Hashable) for member in members):
            # Strawberry's coercion: the first GraphQL name whose value equals the member's.
            completion.members = wrapped  # type: ignore[assignment]
            completion.names = {}
            for member in members:
                for name, value in type_.values.items():
                    if member.value == value.value:
                        completion.names.setdefault(member._value_, name)
                        break
    return completion


@dataclass(slots=True)
class ListOf:
    item: Completion
    item_nullable: bool


@dataclass(slots=True)
class ObjectOf:
    plan: ObjectPlan


Completion = Leaf | ListOf | ObjectOf


@dataclass(slots=True)
class FieldPlan:
    key: str
    kind: int
    nullable: bool
    completion: Completion | None
    # Index of this field among all the plan's fields: where a request keeps its bound
    # arguments and resolve info.
    index: int = -1
    attribute: str = ""
    typename: str = ""
    function: Callable[..., Any] | None = None
    passes_self: bool = False
    source_parameters: tuple[str, ...] = ()
    info_parameter: str | None = None
    has_arguments: bool = False
    definition: GraphQLField | None = None
    strawberry_field: StrawberryField | None = None
    nodes: list[FieldNode] = field(default_factory=list)
    parent_type: GraphQLObjectType | None = None
    # A relation resolved for a whole level of parents at once (``batched``), and how to
    # read each parent's key.
    batched: Batchable | None = None
    key_of: Callable[[Any], Any] | None = None
    # The variables the field's arguments read, and its converted arguments (without the
    # resolve info) by their values, when those are plain values (``Run.bind``).
    argument_variables: tuple[str, ...] = ()
    converted: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)


def _not_compiled() -> Any:
    raise Unsupported("the plan's fillers have not been compiled")


@dataclass(slots=True)
class ObjectPlan:
    type_name: str
    keys: tuple[str, ...]
    fields: list[FieldPlan]
    # Every key, in order, with no value yet: each object's result starts as a copy of it,
    # so a value that arrives later still lands in its place (a copy is 4× a fromkeys).
    template: dict[str, Any] = field(default_factory=dict)
    # The function making one object's dictionary (``edugraph.execution.codegen``), and
    # the one making the dictionaries of a list of objects, a level at a time.
    filler: Callable[[Any, Any], dict[str, Any]] = field(default=lambda run, source: _not_compiled())
    list_filler: Callable[[Any, list[Any]], list[dict[str, Any]]] = field(default=lambda run, sources: _not_compiled())

    def __post_init__(self) -> None:
        self.template = dict.fromkeys(self.keys)


@dataclass(slots=True)
class OperationPlan:
    root: ObjectPlan
    fields: list[FieldPlan]


@dataclass(frozen=True, slots=True)
class Compiler:
    """What compiling needs from the schema: its graphql-core form and default resolver."""

    schema: GraphQLSchema
    default_resolver: Callable[[Any, str], Any]
    hide_suggestions: bool = False

    def compile_operation(
        self,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        variables: VariableValues,
    ) -> OperationPlan | None:
        """The plan of a query operation, or None when graphql-core must run it."""
        if operation.operation is not OperationType.QUERY or self.schema.query_type is None:
            return None
        if operation.directives:
            return None  # e.g. @experimental_disable_error_propagation
        build = _Build(self, operation, fragments, variables)
        try:
            collected = collect_fields(
                self.schema, fragments, variables, self.schema.query_type, operation, self.hide_suggestions
            )
            if collected.new_defer_usages or collected.forbidden_directive_instances:
                raise Unsupported("deferred selections")
            root = build.object_plan(self.schema.query_type, collected.grouped_field_set)
        except Exception:
            # Unsupported, too deep, or an error graphql-core reports in its own words.
            return None
        return OperationPlan(root=root, fields=build.fields)


@dataclass
class _Build:
    compiler: Compiler
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDetails]
    variables: VariableValues
    fields: list[FieldPlan] = field(default_factory=list)

    def object_plan(self, type_: GraphQLObjectType, grouped: GroupedFieldSet) -> ObjectPlan:
        if type_.is_type_of is not None:
            raise Unsupported(f"{type_.name} checks its values' types")
        plans = [self.field_plan(type_, key, details) for key, details in grouped.items()]
        return ObjectPlan(type_name=type_.name, keys=tuple(grouped), fields=plans)

    def field_plan(self, parent: GraphQLObjectType, key: str, details: Sequence[FieldDetails]) -> FieldPlan:
        if any(d.defer_usage is not None or d.fragment_variable_values is not None for d in details):
            raise Unsupported("deferred selections or fragment variables")
        name = details[0].node.name.value
        if name == "__typename":
            plan = FieldPlan(key=key, kind=TYPENAME, nullable=False, completion=None, typename=parent.name)
            return self._numbered(plan)
        if name.startswith("__"):
            raise Unsupported("introspection")
        definition = parent.fields[name]
        strawberry_field = (definition.extensions or {}).get(_DEFINITION)
        if not isinstance(strawberry_field, StrawberryField) or strawberry_field.extensions:
            raise Unsupported(f"{parent.name}.{name} is not a plain Strawberry field")
        return_type: GraphQLOutputType = definition.type
        nullable = not isinstance(return_type, GraphQLNonNull)
        completion = self.completion(return_type, details)
        plan = FieldPlan(key=key, kind=ATTRIBUTE, nullable=nullable, completion=completion)
        resolver = strawberry_field.base_resolver
        if resolver is None:
            plan.attribute = strawberry_field.python_name
        else:
            function = resolver.wrapped_func
            if not callable(function) or inspect.isasyncgenfunction(function):
                raise Unsupported(f"{parent.name}.{name} has no plain resolver")
            plan.kind = RESOLVER
            plan.function = function
            plan.passes_self = resolver.self_parameter is not None
            plan.source_parameters = tuple(
                p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p is not None
            )
            plan.info_parameter = resolver.info_parameter.name if resolver.info_parameter else None
            plan.has_arguments = bool(definition.args or details[0].node.arguments)
            plan.definition = definition
            plan.strawberry_field = strawberry_field
            plan.nodes = [d.node for d in details]
            plan.argument_variables = tuple(sorted(variables_in(details[0].node.arguments or ())))
            plan.parent_type = parent
            relation = batched_form(function)
            if relation is not None and plan.passes_self and not plan.source_parameters:
                plan.batched = relation
                plan.key_of = attrgetter(relation.attribute)
        return self._numbered(plan)

    def completion(self, type_: GraphQLOutputType, details: Sequence[FieldDetails]) -> Completion:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            item_type = type_.of_type
            return ListOf(
                item=self.completion(item_type, details), item_nullable=not isinstance(item_type, GraphQLNonNull)
            )
        if isinstance(type_, GraphQLLeafType):
            return leaf(type_)
        if isinstance(type_, GraphQLObjectType):
            collected = collect_subfields(
                self.compiler.schema,
                self.fragments,
                self.variables,
                self.operation,
                type_,
                list(details),
                self.compiler.hide_suggestions,
            )
            if collected.new_defer_usages or collected.forbidden_directive_instances:
                raise Unsupported("deferred selections")
            return ObjectOf(plan=self.object_plan(type_, collected.grouped_field_set))
        raise Unsupported(f"abstract type {type_}")

    def _numbered(self, plan: FieldPlan) -> FieldPlan:
        plan.index = len(self.fields)
        self.fields.append(plan)
        return plan


def variables_in(nodes: Sequence[ArgumentNode | ObjectFieldNode | ValueNode]) -> set[str]:
    """The names of the variables the argument (or value) nodes read, however deep."""
    names: set[str] = set()
    pending: list[Any] = list(nodes)
    while pending:
        node = pending.pop()
        if isinstance(node, ArgumentNode | ObjectFieldNode):
            pending.append(node.value)
        elif isinstance(node, VariableNode):
            names.add(node.name.value)
        elif isinstance(node, ListValueNode):
            pending.extend(node.values)
        elif isinstance(node, ObjectValueNode):
            pending.extend(node.fields)
    return names
