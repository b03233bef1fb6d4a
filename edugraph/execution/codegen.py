"""Each object plan as a Python function of its own: the last step of compiling a query.

Filling an object from a plan means asking, for every field of every object, how the
field is resolved (an attribute, a resolver with or without arguments, the typename) and
how its value is completed. The answers are the same for every object of every request
that runs the plan, so they are asked once, here: each object plan becomes the source of
a function that makes one object's dictionary — attributes read as attributes, resolvers
called in the one form they take, leaves that need no coercion stored at once, anything
else handed to ``Run.settle`` — in the order graphql-core would. This is what graphql-jit
does for graphql-js; interpreting the plan instead cost the directory about a tenth more
instructions per request.

Nothing of the request text reaches the generated source: field positions name the
constants it uses (``key_3``, ``function_3``), response keys are among those constants,
and the only names written into the source are Python attribute names checked to be
identifiers. A generated function shows as ``<plan of Type>`` in tracebacks.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from edugraph.execution.inline import inline_form
from edugraph.execution.plan import (
    ATTRIBUTE,
    INT32_MAX,
    INT32_MIN,
    RESOLVER,
    TYPENAME,
    FieldPlan,
    Leaf,
    ListOf,
    ObjectOf,
    ObjectPlan,
    OperationPlan,
    Unsupported,
)

if TYPE_CHECKING:
    from edugraph.execution.run import Run

Filler = Callable[["Run", Any], dict[str, Any]]
ListFiller = Callable[["Run", list[Any]], list[dict[str, Any]]]


def with_fillers(operation: OperationPlan, default_resolver: Callable[[Any, str], Any]) -> OperationPlan:
    """The plan with its filling functions for each of its object plans."""
    pending = [operation.root]
    while pending:
        plan = pending.pop()
        plan.filler, plan.list_filler = compile_fillers(plan, default_resolver)
        for field in plan.fields:
            completion = field.completion
            while type(completion) is ListOf:
                completion = completion.item
            if type(completion) is ObjectOf:
                pending.append(completion.plan)
    return operation


def compile_fillers(plan: ObjectPlan, default_resolver: Callable[[Any, str], Any]) -> tuple[Filler, ListFiller]:
    """The functions filling one object of ``plan`` (the dictionary of its response keys)
    and a list of them.

    The list's function resolves each object's fields in order, but completes the values
    that are objects — and resolves the batched relations — for the whole list at once
    after the loop: a page's 50 course connections are filled as one list, whose 500
    courses are then filled as one list, whose resources are loaded in one call."""
    namespace: dict[str, Any] = {"template": plan.template}
    one = ["def fill(run, source):", "    result = template.copy()"]
    many = ["def fill_all(run, sources):", "    results = []"]
    loop = ["    for source in sources:", "        result = template.copy()"]
    after: list[str] = []
    for n, field in enumerate(plan.fields):
        one += _field(n, field, namespace, default_resolver)
        if field.batched is not None:
            after.append(f"    run.settle_batched(field_{n}, sources, results)")
        elif _completes_objects(field):
            many.append(f"    values_{n} = []")
            loop += _indented(_resolve(n, field, namespace, default_resolver))
            loop.append(f"        values_{n}.append(value)")
            after.append(f"    run.settle_values(completion_{n}, nullable_{n}, values_{n}, results, key_{n})")
        else:
            loop += _indented(_field(n, field, namespace, default_resolver))
    one.append("    return result")
    many += [*loop, "        results.append(result)", *after, "    return results"]
    exec(compile("\n".join([*one, *many]), f"<plan of {plan.type_name}>", "exec"), namespace)
    return namespace["fill"], namespace["fill_all"]


def _completes_objects(field: FieldPlan) -> bool:
    """Whether the field's value is an object, or a list of objects."""
    completion = field.completion
    if type(completion) is ListOf:
        completion = completion.item
    return type(completion) is ObjectOf


def _indented(lines: list[str]) -> list[str]:
    return [f"    {line}" for line in lines]


def _field(
    position: int, field: FieldPlan, namespace: dict[str, Any], default_resolver: Callable[[Any, str], Any]
) -> list[str]:
    """The lines resolving and completing one field of one object."""
    n = position
    namespace[f"key_{n}"] = field.key
    namespace[f"field_{n}"] = field
    if field.kind == TYPENAME:
        namespace[f"typename_{n}"] = field.typename
        return [f"    result[key_{n}] = typename_{n}"]
    if field.kind == RESOLVER:
        form = inline_form(field.function)
        completion = field.completion
        passes_str = type(completion) is Leaf and completion.unchanged is str  # String, ID
        if form is not None and passes_str and _called_with_object_alone(field) and _is_attribute_name(form.attribute):
            # ``prefix + str(...)`` is a str, which String and ID pass through unchanged.
            namespace[f"prefix_{n}"] = form.prefix
            return [f"    result[key_{n}] = prefix_{n} + str(source.{form.attribute})"]
    return _resolve(n, field, namespace, default_resolver) + _complete(n, field, namespace)


def _resolve(
    n: int, field: FieldPlan, namespace: dict[str, Any], default_resolver: Callable[[Any, str], Any]
) -> list[str]:
    """The lines setting ``value`` to the field's value for ``source``."""
    namespace[f"key_{n}"] = field.key
    namespace[f"field_{n}"] = field
    namespace[f"completion_{n}"] = field.completion
    namespace[f"nullable_{n}"] = field.nullable
    if field.kind == ATTRIBUTE:
        attribute = field.attribute
        if default_resolver is getattr and _is_attribute_name(attribute):
            # getattr(source, "name") as the attribute access it is.
            return [f"    value = source.{attribute}"]
        namespace["default_resolver"] = default_resolver
        namespace[f"attribute_{n}"] = attribute
        return [f"    value = default_resolver(source, attribute_{n})"]
    if field.kind == RESOLVER:
        namespace[f"function_{n}"] = field.function
        return _call(n, field)
    raise Unsupported(f"field kind {field.kind}")


def _call(n: int, field: FieldPlan) -> list[str]:
    """The resolver's call in the one form it takes: with the object alone, with its bound
    arguments (bound once per request, on first use), or through ``Run.call`` when it
    names its parent as a parameter."""
    if _called_with_object_alone(field):
        # Its bound arguments would be empty.
        return [f"    value = function_{n}(source)"]
    lines = [
        f"    kwargs = run.bound[{field.index}]",
        "    if kwargs is None:",
        f"        kwargs = run.bound[{field.index}] = run.bind(field_{n})",
    ]
    if field.source_parameters:
        return [*lines, f"    value = run.call(field_{n}, source)"]
    if not field.passes_self:
        return [*lines, f"    value = function_{n}(**kwargs)"]
    return [*lines, f"    value = function_{n}(source, **kwargs)"]


def _called_with_object_alone(field: FieldPlan) -> bool:
    return (
        field.passes_self and not field.has_arguments and field.info_parameter is None and not field.source_parameters
    )


def _is_attribute_name(name: str) -> bool:
    """Whether ``name`` can be written as ``source.name``: the only names put in the source."""
    return name.isidentifier() and not keyword.iskeyword(name)


def _complete(n: int, field: FieldPlan, namespace: dict[str, Any]) -> list[str]:
    """The value's completion: a leaf that needs no coercion is stored as it is (or, for an
    enum, as its GraphQL name); anything else goes to ``Run.settle``."""
    settle = f"run.settle(completion_{n}, nullable_{n}, value, result, key_{n})"
    completion = field.completion
    if type(completion) is not Leaf:
        return [f"    {settle}"]
    lines: list[str] = []
    test = "if"
    if completion.unchanged is not None:
        namespace[f"unchanged_{n}"] = completion.unchanged
        lines += [f"    if type(value) is unchanged_{n}:", f"        result[key_{n}] = value"]
        test = "elif"
    if completion.int32:
        lines += [
            f"    {test} type(value) is int and {INT32_MIN} <= value <= {INT32_MAX}:",
            f"        result[key_{n}] = value",
        ]
        test = "elif"
    if completion.members is not None:
        namespace[f"members_{n}"] = completion.members
        namespace[f"names_{n}"] = completion.names
        lines += [f"    {test} type(value) is members_{n}:", f"        result[key_{n}] = names_{n}[value._value_]"]
        test = "elif"
    if not lines:
        return [f"    {settle}"]
    return [*lines, "    else:", f"        {settle}"]
