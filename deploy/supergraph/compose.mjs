// Composes the subgraphs named in subgraphs.json into supergraph.graphql, with The Guild's
// federation composition (the same rules as Apollo's, up to federation v2.9).
// Usage: node compose.mjs [--check]   (--check: fail if supergraph.graphql would change)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "graphql";
import { composeServices, compositionHasErrors } from "@theguild/federation-composition";

const here = dirname(fileURLToPath(import.meta.url));
const config = JSON.parse(readFileSync(resolve(here, "subgraphs.json"), "utf8"));
const services = config.subgraphs.map(({ name, url, schema }) => ({
  name,
  url,
  typeDefs: parse(readFileSync(resolve(here, schema), "utf8")),
}));
const result = composeServices(services);
if (compositionHasErrors(result)) {
  for (const error of result.errors) console.error(`composition error: ${error.message}`);
  process.exit(1);
}
const target = resolve(here, "supergraph.graphql");
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
