"""GraphiQL for browsers at ``/graphql``, from files the service serves itself.

``page`` renders the HTML, ``assets`` serves the installed React/GraphiQL builds under
``/graphiql/``, ``examples`` turns the contract operations into the page's first tabs.
"""

from edugraph.graphiql.assets import GraphiQLAssets
from edugraph.graphiql.page import GraphiQLPage

__all__ = ["GraphiQLAssets", "GraphiQLPage"]
