"""The committed schema.graphql is the schema, and every part of it is documented."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from edugraph.schema import schema, schema_sdl


def test_schema_graphql_matches_the_code(repo_root: Path) -> None:
    committed = (repo_root / "schema.graphql").read_text(encoding="utf-8")
    assert committed == schema_sdl(), "schema.graphql is stale: run `make schema` and commit it"


def test_every_type_field_and_argument_has_a_description() -> None:
    missing: list[str] = []
    for name, graphql_type in schema._schema.type_map.items():
        # Built-in scalars, introspection, and the types federation itself adds (_Any, _Entity,
        # _Service, link__Import …) document themselves.
        if name.startswith("_") or "__" in name or name in {"String", "Int", "Float", "Boolean", "ID", "DateTime"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType):
            for field_name, field in graphql_type.fields.items():
                if field_name.startswith("_"):
                    continue  # _entities and _service, federation's own
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [f"{name}.{field_name}({arg})" for arg, a in field.args.items() if not a.description]
        elif isinstance(graphql_type, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, field in graphql_type.fields.items() if not field.description]
        elif isinstance(graphql_type, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in graphql_type.values.items() if not value.description]
    assert missing == []
