// Drives the GraphiQL page in headless Chromium for tests/test_graphiql.py.
//
// Usage: node graphiql_browser.mjs '<job as JSON>'
//   job: { url, token, operation, variables, expect, screenshot }
// Every request that is not to the page's own origin is aborted and recorded, so the
// run shows the page works with no network beyond the service. Prints one JSON report:
//   { error, external, local, operations, failed, consoleErrors, pageErrors, response }
// where operations are the GraphQL POSTs: { operationName, headers }.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

// playwright-core is a devDependency of web/graphiql (its lock file pins it).
const require = createRequire(new URL("../web/graphiql/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const job = JSON.parse(process.argv[2]);
const origin = new URL(job.url).origin;
const report = {
  error: null,
  external: [],
  local: [],
  operations: [],
  failed: [],
  consoleErrors: [],
  pageErrors: [],
  response: "",
};
const profile = mkdtempSync(join(tmpdir(), "edugraph-chromium-"));

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  await context.route("**/*", (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    if (url.origin === origin) {
      report.local.push(url.href);
      if (request.method() === "POST") {
        const { operationName = null } = request.postDataJSON() ?? {};
        report.operations.push({ operationName, headers: request.headers() });
      }
      return route.continue();
    }
    report.external.push(url.href);
    return route.abort("blockedbyclient");
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("websocket", (socket) => report.external.push(socket.url()));
  page.on("response", (response) => {
    if (response.status() >= 400) report.failed.push(`${response.status()} ${response.url()}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") report.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => report.pageErrors.push(error.message));

  try {
    await page.goto(job.url, { waitUntil: "load" });
    await page.fill("#edugraph-token", job.token);
    await page.click(`.graphiql-tab-button[title="${job.operation}"]`);
    // The variables pane is a CodeMirror editor: select its text and type over it
    // (insertText, so the editor does not auto-close the brackets).
    await page.click(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror");
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(JSON.stringify(job.variables));
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(
      (text) => document.querySelector(".graphiql-response")?.innerText.includes(text),
      job.expect,
      { timeout: 30_000 },
    );
  } catch (error) {
    report.error = String(error);
  }
  report.response = (await page.locator(".graphiql-response").innerText().catch(() => "")) || "";
  await page.screenshot({ path: job.screenshot });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(report));
