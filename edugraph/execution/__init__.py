"""A compiled execution path for validated query operations.

graphql-core's executor interprets a document anew for every object it completes: it
collects fields, builds a resolve-info tuple and an argument dictionary, wraps every
resolver in Strawberry's argument conversion, and turns every awaitable into a task.
For a page of 50 institutions with their courses and resources that is some 1,400
field executions and some 300 tasks per request.

Here an operation is compiled once into a plan (``plan.py``): for each selection, the
fields to produce in order, with how to get each value (an attribute, or the resolver
function itself) and how to complete it (a leaf's output coercion, a list, an object's
own plan). Per request, arguments and the resolve info are bound once per field, not
once per object (``run.py``), and awaitables are waited for with a callback rather than
a task each.

The plan only runs what it can run exactly as graphql-core would; anything else — an
error, a null in a non-null position, a type it does not compile, a resolver asking
for its path — abandons the attempt and the operation runs on graphql-core's executor
from the start (``executor.py``), so every answer, errors included, is the standard one.
"""
