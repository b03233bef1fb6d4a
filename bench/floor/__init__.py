"""The benchmark's floor: each contract query's JSON built by direct PyMongo reads and orjson.

It answers what the service's own overhead is: the same ``data`` (a test checks it is
equal), with one read per collection and level, only the fields shown, and no GraphQL.
"""
