// Drives the GraphiQL page in headless Chromium for tests/test_graphiql.py.
//
// Usage: node graphiql_browser.mjs '<job as JSON>'
//   job: { url, token, runs: [{ tab, query?, variables, expect, screenshot }] }
// Each run opens a default tab by its title `tab` (or a new tab holding `query`, once
// GraphiQL has titled it `tab`: only then has it read the operation's name), types the
// variables, runs the operation and waits until the response shows `expect`, then saves
// a screenshot. Every request and WebSocket to another origin is aborted and recorded,
// so the visit shows the page works with no network beyond the service.
// Prints one JSON report: { external, local, sockets, operations, failed, consoleErrors,
// pageErrors, runs: [{ error, response }] }, operations being the GraphQL POSTs.
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
  external: [],
  local: [],
  sockets: [],
  operations: [],
  failed: [],
  consoleErrors: [],
  pageErrors: [],
  runs: [],
};
const profile = mkdtempSync(join(tmpdir(), "edugraph-chromium-"));

// Selects an editor's text and types over it; insertText, so that CodeMirror does not
// auto-close the brackets typed.
async function replaceText(page, editor, text) {
  await page.click(`${editor} .CodeMirror`);
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}

async function perform(page, run) {
  if (run.query) {
    await page.click(".graphiql-tab-add");
    await replaceText(page, ".graphiql-query-editor", run.query);
    await page.waitForSelector(`.graphiql-tab-active .graphiql-tab-button[title="${run.tab}"]`);
  } else {
    await page.click(`.graphiql-tab-button[title="${run.tab}"]`);
  }
  await replaceText(page, ".graphiql-editor-tool .graphiql-editor:not(.hidden)", JSON.stringify(run.variables));
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(
    (text) => document.querySelector(".graphiql-response")?.innerText.includes(text),
    run.expect,
    { timeout: 30_000 },
  );
}

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
  await context.routeWebSocket(/.*/, (socket) => {
    if (new URL(socket.url()).host === new URL(origin).host) {
      report.sockets.push(socket.url());
      socket.connectToServer();
    } else {
      report.external.push(socket.url());
      socket.close();
    }
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("response", (response) => {
    if (response.status() >= 400) report.failed.push(`${response.status()} ${response.url()}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") report.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => report.pageErrors.push(error.message));

  await page.goto(job.url, { waitUntil: "load" });
  await page.fill("#edugraph-token", job.token);
  for (const run of job.runs) {
    let error = null;
    try {
      await perform(page, run);
    } catch (failure) {
      error = String(failure);
    }
    const response = await page.locator(".graphiql-response").innerText().catch(() => "");
    await page.screenshot({ path: run.screenshot });
    report.runs.push({ error, response });
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(report));
