// Starts GraphiQL (loaded from this service, see page.html) with the contract operations
// as its tabs and a fetcher that adds the bearer token typed in the bar above.
// Queries and mutations are JSON POSTs: the service's CSRF rule lets those through
// without a preflight header. Subscriptions go over graphql-transport-ws on the same
// URL, with the token in the connection_init payload (browsers cannot set headers on
// a WebSocket).
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("edugraph-graphiql-config").textContent);
  const tokenInput = document.getElementById("edugraph-token");
  const TOKEN_KEY = "edugraph.graphiql.token";
  // The page is served at the GraphQL endpoint itself, whatever prefix a proxy adds.
  const endpoint = window.location.pathname;
  const socketUrl = new URL(endpoint, window.location.href);
  socketUrl.protocol = socketUrl.protocol === "https:" ? "wss:" : "ws:";

  tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || "";
  tokenInput.addEventListener("input", () => sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim()));

  // The request's headers: the token field's, then the headers pane's, which win.
  function headersFor(options) {
    const headers = new Headers({
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
    });
    const token = tokenInput.value.trim().replace(/^Bearer\s+/i, "");
    if (token) headers.set("authorization", `Bearer ${token}`);
    for (const [name, value] of Object.entries((options && options.headers) || {})) {
      headers.set(name, String(value));
    }
    return headers;
  }

  function isSubscription(params, options) {
    const definitions = (options && options.documentAST && options.documentAST.definitions) || [];
    const operations = definitions.filter((d) => d.kind === "OperationDefinition");
    const chosen = params.operationName
      ? operations.find((d) => d.name && d.name.value === params.operationName)
      : operations[0];
    return Boolean(chosen && chosen.operation === "subscription");
  }

  // One WebSocket client per authorization: a changed token needs a new connection_init.
  let socket = { authorization: undefined, client: null };
  function socketClient(authorization) {
    if (socket.client === null || socket.authorization !== authorization) {
      if (socket.client !== null) socket.client.dispose();
      const connectionParams = authorization ? { Authorization: authorization } : {};
      socket = { authorization, client: graphqlWs.createClient({ url: socketUrl.href, connectionParams }) };
    }
    return socket.client;
  }

  // graphql-ws ends a failed subscription with an Event, a CloseEvent or a list of
  // GraphQL errors; GraphiQL shows results, so turn each into one with a readable message.
  async function* subscribe(client, params) {
    try {
      yield* client.iterate(params);
    } catch (error) {
      if (Array.isArray(error)) {
        yield { errors: error };
      } else if (error instanceof CloseEvent) {
        const reason = error.reason ? `: ${error.reason}` : "";
        yield { errors: [{ message: `The WebSocket closed with code ${error.code}${reason}.` }] };
      } else {
        const message = error instanceof Error ? error.message : `The WebSocket to ${socketUrl.href} failed.`;
        yield { errors: [{ message }] };
      }
    }
  }

  async function post(params, headers) {
    const response = await fetch(endpoint, { method: "POST", headers, body: JSON.stringify(params) });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
    }
  }

  function fetcher(params, options) {
    const headers = headersFor(options);
    if (isSubscription(params, options)) {
      return subscribe(socketClient(headers.get("authorization")), params);
    }
    return post(params, headers);
  }

  // GraphiQL 4 fills the variables pane of the first default tab only from its
  // `variables` prop, so pass that on a first visit (no tabs saved in localStorage yet);
  // later visits restore the saved tabs with whatever the developer typed.
  const firstVisit = localStorage.getItem("graphiql:tabState") === null;
  const firstVariables = firstVisit && config.tabs.length ? { variables: config.tabs[0].variables } : {};

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultTabs: config.tabs,
      ...firstVariables,
      defaultEditorToolsVisibility: "variables",
      plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    }),
  );
})();
