// The benchmark's graphql-js target: the client contract's InstitutionsDirectory executed
// by graphql-js over data held in memory, as a plain Node.js server would run it.
//
//     node server.mjs --snapshot SNAPSHOT.json --port PORT
//
// The snapshot (written by bench/graphqljs/snapshot.py from the seeded database) is read
// once at start and indexed once: by id, and in lists per foreign key ordered by _id.
// Per request: the document is parsed and validated once per query text (kept, as the
// Python service keeps them), then graphql-js executes it with synchronous resolvers over
// those maps. What edugraph does per returned object happens here per object too: public
// ids made from stored ids, stored enum values mapped to enum names, page slices and
// cursors. No web framework (node's http module), no access log, no auth.

import { readFileSync } from "node:fs";
import http from "node:http";
import { parseArgs } from "node:util";

import { GraphQLError, buildSchema, execute, parse, validate } from "graphql";

// Exactly what InstitutionsDirectory selects, with the names of edugraph's schema.graphql.
const SDL = /* GraphQL */ `
  type Query {
    institutions(first: Int = null, after: String = null): InstitutionConnection!
  }

  type InstitutionConnection {
    nodes: [Institution!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type Institution {
    name: String!
    kind: InstitutionKind!
    id: ID!
    courses(first: Int = null, after: String = null): CourseConnection!
    certificationCentres: [CertificationCentre!]!
    alliances: [Alliance!]!
  }

  enum InstitutionKind {
    UNIVERSITY
    VOCATIONAL_COLLEGE
    OPEN_UNIVERSITY
    TRAINING_ORGANISATION
  }

  type CourseConnection {
    nodes: [Course!]!
    totalCount: Int!
  }

  type Course {
    title: String!
    id: ID!
    resources(first: Int = null, after: String = null): CourseResourceConnection!
  }

  type CourseResourceConnection {
    nodes: [CourseResource!]!
    totalCount: Int!
  }

  type CourseResource {
    kind: ResourceKind!
    id: ID!
  }

  enum ResourceKind {
    VIDEO
    DOCUMENT
    EXERCISE
    LIVE_REPLAY
  }

  type Alliance {
    name: String!
    id: ID!
  }

  type CertificationCentre {
    name: String!
    id: ID!
  }
`;

// edugraph.schema.pagination: page sizes and the orderings cursors name.
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
const INSTITUTIONS_ORDER = "institutions:id";
const ID_ORDER = "id";
const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const MAX_PREPARED = 1000;

// ---- The data: read once, indexed once --------------------------------------------------

function byId(documents) {
  return new Map(documents.map((doc) => [doc._id, doc]));
}

function sortedById(documents) {
  return [...documents].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
}

// Every document with ``field`` set, in lists per value of that field, each ordered by _id.
function listsBy(documents, field) {
  const lists = new Map();
  for (const doc of sortedById(documents)) {
    const key = doc[field];
    if (key === null || key === undefined) continue;
    const list = lists.get(key);
    if (list === undefined) lists.set(key, [doc]);
    else list.push(doc);
  }
  return lists;
}

function load(path) {
  const snapshot = JSON.parse(readFileSync(path, "utf8"));
  return {
    institutions: sortedById(snapshot.institutions),
    coursesByInstitution: listsBy(snapshot.courses, "institution_id"),
    resourcesByCourse: listsBy(snapshot.course_resources, "course_id"),
    membershipsByInstitution: listsBy(snapshot.alliance_memberships, "institution_id"),
    alliancesById: byId(snapshot.alliances),
    centresByHost: listsBy(snapshot.certification_centres, "host_institution_id"),
    documents: Object.values(snapshot).reduce((n, list) => n + list.length, 0),
  };
}

// ---- What edugraph does per request -----------------------------------------------------

function badUserInput(message, argument) {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", argument } });
}

function checkFirst(first) {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`Argument 'first' must be between 0 and ${MAX_PAGE_SIZE}; got ${first}.`, "first");
  }
  return first;
}

// A cursor: URL-safe base64, unpadded, of the JSON [ordering, sort values, hex id].
function encodeCursor(order, id) {
  return Buffer.from(JSON.stringify([order, [], id]), "utf8").toString("base64url");
}

// The id a cursor of ``order`` points after, or null without a cursor.
function decodeCursor(cursor, order) {
  if (cursor === null || cursor === undefined) return null;
  let decoded = null;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    // not JSON: refused below
  }
  if (Array.isArray(decoded) && decoded.length === 3) {
    const [name, values, id] = decoded;
    if (name === order && Array.isArray(values) && values.length === 0 && typeof id === "string" && OBJECT_ID.test(id)) {
      return id.toLowerCase();
    }
  }
  throw badUserInput(`Argument 'after' is not a cursor of this list: '${cursor}'.`, "after");
}

// The index of the first document of a sorted list whose _id comes after ``id``.
function indexAfter(list, id) {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]._id <= id) low = middle + 1;
    else high = middle;
  }
  return low;
}

// A page of a list ordered by _id: up to first + 1 documents after the cursor (the extra
// one says whether more follow), and the whole list's length as its total.
function pageOf(list, args, order) {
  const first = checkFirst(args.first);
  const after = decodeCursor(args.after, order);
  const start = after === null ? 0 : indexAfter(list, after);
  return { total: list.length, documents: first > 0 ? list.slice(start, start + first + 1) : [], first, order };
}

function shown(page) {
  return page.documents.length > page.first ? page.documents.slice(0, page.first) : page.documents;
}

// Stored enum values to GraphQL enum names, as edugraph's model classes map them.
function enumNames(schema, typeName) {
  return new Map(schema.getType(typeName).getValues().map((value) => [value.name, value.name]));
}

function enumName(names, typeName, value) {
  const name = names.get(value);
  if (name === undefined) throw new Error(`'${value}' is not a valid ${typeName}`);
  return name;
}

function resolversFor(schema, data) {
  const institutionKinds = enumNames(schema, "InstitutionKind");
  const resourceKinds = enumNames(schema, "ResourceKind");
  const page = {
    totalCount: (connection) => connection.total,
    nodes: (connection) => shown(connection),
  };
  return {
    Query: {
      institutions: (_root, args) => pageOf(data.institutions, args, INSTITUTIONS_ORDER),
    },
    InstitutionConnection: {
      ...page,
      pageInfo: (connection) => {
        const nodes = shown(connection);
        return {
          hasNextPage: connection.documents.length > connection.first,
          endCursor: nodes.length > 0 ? encodeCursor(connection.order, nodes[nodes.length - 1]._id) : null,
        };
      },
    },
    Institution: {
      id: (doc) => `ins_${doc._id}`,
      kind: (doc) => enumName(institutionKinds, "InstitutionKind", doc.kind),
      courses: (doc, args) => pageOf(data.coursesByInstitution.get(doc._id) ?? [], args, ID_ORDER),
      certificationCentres: (doc) => data.centresByHost.get(doc._id) ?? [],
      // Memberships by _id, then each one's alliance; one that is gone is left out.
      alliances: (doc) =>
        (data.membershipsByInstitution.get(doc._id) ?? [])
          .map((membership) => data.alliancesById.get(membership.alliance_id))
          .filter((alliance) => alliance !== undefined),
    },
    CourseConnection: page,
    Course: {
      id: (doc) => `crs_${doc._id}`,
      resources: (doc, args) => pageOf(data.resourcesByCourse.get(doc._id) ?? [], args, ID_ORDER),
    },
    CourseResourceConnection: page,
    CourseResource: {
      id: (doc) => `res_${doc._id}`,
      kind: (doc) => enumName(resourceKinds, "ResourceKind", doc.kind),
    },
    Alliance: {
      id: (doc) => `all_${doc._id}`,
    },
    CertificationCentre: {
      id: (doc) => `ctr_${doc._id}`,
    },
  };
}

// Resolvers set on the built schema's fields (what graphql-tools' makeExecutableSchema does).
function attach(schema, resolvers) {
  for (const [typeName, fieldResolvers] of Object.entries(resolvers)) {
    const fields = schema.getType(typeName).getFields();
    for (const [fieldName, resolve] of Object.entries(fieldResolvers)) {
      if (!(fieldName in fields)) throw new Error(`${typeName}.${fieldName} is not in the schema`);
      fields[fieldName].resolve = resolve;
    }
  }
  return schema;
}

// ---- HTTP ---------------------------------------------------------------------------------

function send(response, status, value) {
  const body = JSON.stringify(value);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

function createServer(schema) {
  // Parsed and validated documents by query text, oldest dropped first when full.
  const prepared = new Map();

  function prepare(query) {
    let entry = prepared.get(query);
    if (entry === undefined) {
      try {
        const document = parse(query);
        const errors = validate(schema, document);
        entry = errors.length > 0 ? { errors } : { document };
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        entry = { errors: [error] };
      }
      if (prepared.size >= MAX_PREPARED) prepared.delete(prepared.keys().next().value);
      prepared.set(query, entry);
    }
    return entry;
  }

  function answer(response, body) {
    let request;
    try {
      request = JSON.parse(body);
    } catch {
      send(response, 400, { errors: [{ message: "The body is not JSON." }] });
      return;
    }
    if (request === null || typeof request !== "object" || typeof request.query !== "string") {
      send(response, 400, { errors: [{ message: "The body has no query string." }] });
      return;
    }
    const { document, errors } = prepare(request.query);
    if (errors !== undefined) {
      send(response, 200, { errors });
      return;
    }
    const result = execute({
      schema,
      document,
      variableValues: request.variables ?? undefined,
      operationName: request.operationName ?? undefined,
    });
    if (typeof result.then === "function") result.then((value) => send(response, 200, value));
    else send(response, 200, result);
  }

  return http.createServer((request, response) => {
    const path = request.url.split("?", 1)[0];
    if (path === "/healthz" && request.method === "GET") {
      send(response, 200, { status: "ok" });
    } else if (path === "/graphql" && request.method === "POST") {
      const chunks = [];
      request.on("data", (chunk) => chunks.push(chunk));
      request.on("end", () => {
        try {
          answer(response, Buffer.concat(chunks).toString("utf8"));
        } catch (error) {
          send(response, 500, { errors: [{ message: String(error?.message ?? error) }] });
        }
      });
    } else {
      send(response, 404, { errors: [{ message: `No route for ${request.method} ${path}.` }] });
    }
  });
}

function main() {
  const { values } = parseArgs({
    options: {
      snapshot: { type: "string" },
      port: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  if (!values.snapshot || !values.port) {
    console.error("usage: node server.mjs --snapshot SNAPSHOT.json --port PORT [--host 127.0.0.1]");
    process.exit(2);
  }
  const data = load(values.snapshot);
  const schema = buildSchema(SDL);
  const server = createServer(attach(schema, resolversFor(schema, data)));
  process.on("SIGTERM", () => process.exit(0));
  process.on("SIGINT", () => process.exit(0));
  server.listen(Number(values.port), values.host, () => {
    console.log(`graphql-js target: ${data.documents} documents, http://${values.host}:${values.port}/graphql`);
  });
}

main();
