// Composes the subgraphs named in subgraphs.json into supergraph.graphql, with The Guild's
// federation composition (the same rules as Apollo's, up to federation v2.9).
// Usage: node compose.mjs [--check] [--url NAME=URL …] [--out FILE]
//   --check  fail if supergraph.graphql would change
//   --url    route a subgraph elsewhere (tests and local runs on other ports)
//   --out    write the supergraph to FILE instead of supergraph.graphql
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "graphql";
import { composeServices, compositionHasErrors } from "@theguild/federation-composition";

const here = dirname(fileURLToPath(import.meta.url));
const config = JSON.parse(readFileSync(resolve(here, "subgraphs.json"), "utf8"));
const args = process.argv.slice(2);
const urls = Object.fromEntries(
  args.flatMap((arg, i) => (arg === "--url" ? [args[i + 1].split(/=(.*)/s).slice(0, 2)] : [])),
);
const out = args.includes("--out") ? resolve(args[args.indexOf("--out") + 1]) : resolve(here, "supergraph.graphql");
const services = config.subgraphs.map(({ name, url, schema }) => ({
  name,
  url: urls[name] ?? url,
  typeDefs: parse(readFileSync(resolve(here, schema), "utf8")),
}));
const result = composeServices(services);
if (compositionHasErrors(result)) {
  for (const error of result.errors) console.error(`composition error: ${error.message}`);
  process.exit(1);
}
const target = out;
const sdl = result.supergraphSdl.endsWith("\n") ? result.supergraphSdl : `${result.supergraphSdl}\n`;
if (process.argv.includes("--check")) {
  if (readFileSync(target, "utf8") !== sdl) {
    console.error("supergraph.graphql is stale: run `make supergraph` and commit it");
    process.exit(1);
  }
  console.log("supergraph.graphql is up to date");
} else {
  writeFileSync(target, sdl);
  console.log(`composed ${services.length} subgraphs into supergraph.graphql`);
}
