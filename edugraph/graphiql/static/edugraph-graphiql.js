// Starts GraphiQL (loaded from this service, see page.html) with the contract operations
// as its tabs and a fetcher that adds the bearer token typed in the bar above.
// Every request is a JSON POST: the service's CSRF rule lets those through without a
// preflight header, and they never carry cookies to another origin.
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("edugraph-graphiql-config").textContent);
  const tokenInput = document.getElementById("edugraph-token");
  const TOKEN_KEY = "edugraph.graphiql.token";
  // The page is served at the GraphQL endpoint itself, whatever prefix a proxy adds.
  const endpoint = window.location.pathname;

  tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || "";
  tokenInput.addEventListener("input", () => sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim()));

  async function fetcher(params, options) {
    const headers = new Headers({
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
    });
    const token = tokenInput.value.trim().replace(/^Bearer\s+/i, "");
    if (token) headers.set("authorization", `Bearer ${token}`);
    // What the headers pane holds wins over the token field.
    for (const [name, value] of Object.entries((options && options.headers) || {})) {
      headers.set(name, String(value));
    }
    const response = await fetch(endpoint, { method: "POST", headers, body: JSON.stringify(params) });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
    }
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
