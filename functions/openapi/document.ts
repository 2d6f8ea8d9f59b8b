import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import { apiVersions, latestApiVersion } from '../../core/platform/config';
import { type ErrorCode, errorStatus } from '../../core/platform/errors';
import type { Endpoint } from '../middleware';
import type { Schemas } from '../middleware/validate';
import { type Route, routeKey, routes } from '../routes';
import { contentTypesOf, type Method, type Raw, type RouteContract, type Success, shapes } from './contract';
import { errorCodesOf, errorMeaning } from './errors';
import { eventPayloads } from './shapes/webhooks';

/**
 * The OpenAPI 3.1 document, generated from the code: every row of the route table, with the
 * zod schemas its handler validates (`endpoint()` keeps them on the handler), the contract
 * of `functions/http/responses/<handler>.ts` (what it answers), the error codes its kind
 * and contract give it, and the outbound webhook events. scripts/openapi.ts writes it to
 * docs/openapi.json; test/unit/openapi.test.ts fails when that file is stale.
 */
type Json = Record<string, unknown>;

export type LoadedRoute = {
  route: Route;
  key: string;
  operationId: string;
  schemas: Schemas;
  contract: RouteContract;
  errors: ErrorCode[];
};

const root = resolve(import.meta.dirname, '../..');
const contractsDir = 'functions/http/responses';

export const contractPathOf = (handler: string) => `${contractsDir}/${basename(handler)}`;

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = (s: string) => camel(s).replace(/^[a-z]/, (c) => c.toUpperCase());

/** Loads a row's handler (for its schemas) and its contract; fails naming what the row lacks. */
export const loadRoute = async (route: Route): Promise<LoadedRoute> => {
  const key = routeKey(route);
  const mod = (await import(pathToFileURL(resolve(root, route.handler)).href)) as { handler?: Endpoint };
  const schemas = mod.handler?.schemas;
  if (!schemas) throw new Error(`${key}: ${route.handler} has no schemas: build its handler with endpoint()`);
  const contractFile = contractPathOf(route.handler);
  const contract = existsSync(resolve(root, contractFile))
    ? ((await import(pathToFileURL(resolve(root, contractFile)).href)) as { contract?: RouteContract })
        .contract
    : undefined;
  if (!contract) {
    throw new Error(
      `${key} has no response contract: add ${contractFile} exporting \`contract = defineContract({...})\` (see functions/openapi/contract.ts)`,
    );
  }
  return {
    route,
    key,
    operationId: camel(basename(route.handler, '.ts')),
    schemas,
    contract,
    errors: errorCodesOf(route, schemas, contract),
  };
};

/**
 * A row's path as the document writes it: API Gateway's greedy `{path+}` is `{path}` there
 * (OpenAPI has no greedy parameter; its description says it spans segments).
 */
export const documentPath = (path: string): string => path.replace(/\{(\w+)\+\}/g, '{$1}');

/** The methods a row is published under: its own, or for an `ANY` row those its contract names. */
export const methodsOf = (l: Pick<LoadedRoute, 'route' | 'key' | 'contract'>): Method[] => {
  if (l.route.method !== 'ANY') return [l.route.method];
  if (!l.contract.methods?.length) {
    throw new Error(`${l.key} is an ANY row: its contract must name the methods it is published under`);
  }
  return l.contract.methods;
};

/** Every row of the route table, loaded. */
export const loadRoutes = (rows: readonly Route[] = routes): Promise<LoadedRoute[]> =>
  Promise.all(rows.map(loadRoute));

export const successesOf = (c: RouteContract): Success[] =>
  Array.isArray(c.success) ? c.success : [c.success];

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Trims what zod emits for the machine but not for the reader: date-time regexes, safe-integer bounds. */
const tidy = (ctx: { jsonSchema: Json }) => {
  const s = ctx.jsonSchema;
  if (s.format === 'date-time') delete s.pattern;
  if (s.type === 'integer') {
    if (s.maximum === MAX_SAFE) delete s.maximum;
    if (s.minimum === -MAX_SAFE) delete s.minimum;
  }
};

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Components of a registry: `$schema`/`$id` dropped, references into components/schemas. */
const componentsOf = (registry: z.core.$ZodRegistry<{ id?: string }>, io: 'input' | 'output'): Json => {
  const { schemas } = z.toJSONSchema(registry, {
    metadata: registry,
    io,
    uri: (id: string) => `#/components/schemas/${id}`,
    override: tidy,
  }) as unknown as { schemas: Record<string, Json> };
  const out: Json = {};
  for (const [id, s] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = s;
    out[id] = rest;
  }
  return out;
};

/** A standalone schema (query, path): inlined, never referenced. */
const inline = (schema: z.ZodMiniType, io: 'input' | 'output'): Json => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, override: tidy } as never) as Json;
  return rest;
};

const authOf = (r: Route) =>
  r.auth === 'none'
    ? []
    : r.auth === 'secret_key'
      ? [{ secretKey: [] }]
      : [{ secretKey: [] }, { endUserToken: [] }];

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

const successHeaders = (r: Route): Json => ({
  'X-Request-Id': headerRef('XRequestId'),
  'X-Api-Version': headerRef('XApiVersion'),
  ...(r.auth !== 'none'
    ? {
        'X-RateLimit-Limit': headerRef('XRateLimitLimit'),
        'X-RateLimit-Remaining': headerRef('XRateLimitRemaining'),
        'X-RateLimit-Reset': headerRef('XRateLimitReset'),
      }
    : {}),
});

const parametersOf = (l: LoadedRoute): Json[] => {
  const described = l.contract.parameters ?? {};
  const out: Json[] = [];
  const pathNames = [...l.route.path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1] as string);
  const pathSchema = l.schemas.path ? inline(l.schemas.path, 'input') : undefined;
  for (const name of pathNames) {
    const schema = (pathSchema?.properties as Record<string, Json> | undefined)?.[name] ?? { type: 'string' };
    out.push({
      name,
      in: 'path',
      required: true,
      ...(described[name] ? { description: described[name] } : {}),
      schema,
    });
  }
  if (l.schemas.query) {
    const q = inline(l.schemas.query, 'input');
    const required = new Set((q.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((q.properties ?? {}) as Record<string, Json>)) {
      out.push({
        name,
        in: 'query',
        required: required.has(name),
        ...(described[name] ? { description: described[name] } : {}),
        schema,
      });
    }
  }
  for (const [name, h] of Object.entries(l.contract.headers ?? {})) {
    out.push({
      name,
      in: 'header',
      required: h.required ?? false,
      description: h.description,
      schema: { type: 'string', ...(h.pattern ? { pattern: h.pattern } : {}) },
    });
  }
  out.push({ $ref: '#/components/parameters/ApiVersion' });
  return out;
};

/** A component response per error status: the envelope, its code one of that status's codes. */
const errorComponents = (): Json => {
  const out: Json = {};
  for (const status of [...new Set(Object.values(errorStatus))].sort((a, b) => a - b)) {
    const codes = (Object.keys(errorStatus) as ErrorCode[]).filter((c) => errorStatus[c] === status);
    out[`Error${status}`] = {
      description: codes.map((c) => `\`${c}\``).join(', '),
      headers: {
        'X-Request-Id': headerRef('XRequestId'),
        ...(status === 429
          ? {
              'Retry-After': headerRef('RetryAfter'),
              'X-RateLimit-Limit': headerRef('XRateLimitLimit'),
              'X-RateLimit-Remaining': headerRef('XRateLimitRemaining'),
              'X-RateLimit-Reset': headerRef('XRateLimitReset'),
            }
          : {}),
      },
      content: {
        'application/json': {
          schema: {
            allOf: [
              ref('Error'),
              {
                type: 'object',
                properties: { error: { type: 'object', properties: { code: { enum: codes } } } },
              },
            ],
          },
        },
      },
    };
  }
  return out;
};

/** A response schema: a reference when it is a named shape, else inlined. */
const schemaOf = (schema: z.ZodMiniType): Json => {
  const id = shapes.get(schema)?.id;
  return id ? ref(id) : inline(schema, 'output');
};

/** The content of a raw body, by media type. */
const rawContent = (raw: Raw): Json =>
  Object.fromEntries(contentTypesOf(raw).map((t) => [t, { schema: schemaOf(raw.schema) }]));

const errorHeaders = (status: number): Json => ({
  'X-Request-Id': headerRef('XRequestId'),
  ...(status === 429
    ? {
        'Retry-After': headerRef('RetryAfter'),
        'X-RateLimit-Limit': headerRef('XRateLimitLimit'),
        'X-RateLimit-Remaining': headerRef('XRateLimitRemaining'),
        'X-RateLimit-Reset': headerRef('XRateLimitReset'),
      }
    : {}),
});

/** Every (status, code) pair a route answers: each code at the table's status, and where `errorsAt` says. */
export const errorPairsOf = (
  l: Pick<LoadedRoute, 'errors' | 'contract'>,
): { status: number; code: ErrorCode; note: string }[] => [
  ...l.errors.map((code) => ({ status: errorStatus[code] as number, code, note: errorMeaning[code] })),
  ...(l.contract.errorsAt ?? []).map((e) => ({ status: e.status, code: e.code, note: e.when })),
];

/**
 * A route's errors by status. Where the status holds only codes of its own in the envelope,
 * the status's component response, described with exactly the codes this route answers
 * (OpenAPI 3.1 lets a reference carry its own description). Otherwise (a code at another
 * status, a page or a JSON-RPC error beside or instead of the envelope) a response of its own.
 */
const errorResponses = (l: LoadedRoute): Json => {
  const pairs = errorPairsOf(l);
  const raws = l.contract.rawErrors ?? [];
  const statuses = [...new Set([...pairs.map((p) => p.status), ...raws.map((r) => r.status)])].sort(
    (a, b) => a - b,
  );
  const out: Json = {};
  for (const status of statuses) {
    const here = pairs.filter((p) => p.status === status);
    const rawHere = raws.filter((r) => r.status === status);
    const description = [
      ...here.map((p) => `\`${p.code}\`: ${p.note}`),
      ...rawHere.map((r) => r.description),
    ].join(' ');
    const own = here.every((p) => errorStatus[p.code] === status);
    if (!rawHere.length && !l.contract.errorFormat && own) {
      out[String(status)] = { $ref: `#/components/responses/Error${status}`, description };
      continue;
    }
    // Media type → schemas answered under it at this status.
    const content = new Map<string, Json[]>();
    const add = (type: string, schema: Json) => {
      const list = content.get(type) ?? [];
      if (!list.some((x) => JSON.stringify(x) === JSON.stringify(schema))) list.push(schema);
      content.set(type, list);
    };
    if (here.length) {
      const codes = here.map((p) => p.code);
      const format = l.contract.errorFormat;
      if (format) for (const t of contentTypesOf(format.raw)) add(t, schemaOf(format.raw.schema));
      else {
        add('application/json', {
          allOf: [
            ref('Error'),
            {
              type: 'object',
              properties: { error: { type: 'object', properties: { code: { enum: codes } } } },
            },
          ],
        });
      }
    }
    for (const r of rawHere) for (const t of contentTypesOf(r.raw)) add(t, schemaOf(r.raw.schema));
    out[String(status)] = {
      description,
      headers: errorHeaders(status),
      content: Object.fromEntries(
        [...content].map(([t, list]) => [t, { schema: list.length === 1 ? list[0] : { anyOf: list } }]),
      ),
    };
  }
  return out;
};

const successResponse = (l: LoadedRoute, s: Success, responseIds: Map<z.ZodMiniType, string>): Json => {
  if ('redirect' in s) {
    return {
      description: s.description,
      headers: {
        Location: { description: 'Where the browser goes next.', schema: { type: 'string' } },
        'X-Request-Id': headerRef('XRequestId'),
      },
    };
  }
  if ('empty' in s) return { description: s.description, headers: successHeaders(l.route) };
  if ('raw' in s) {
    return { description: s.description, headers: successHeaders(l.route), content: rawContent(s.raw) };
  }
  const id = responseIds.get(s.data);
  const data = id ? ref(id) : inline(s.data, 'output');
  return {
    description: s.description,
    headers: successHeaders(l.route),
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: { status: { const: 'success' }, data },
          required: ['status', 'data'],
        },
      },
    },
  };
};

const WEBHOOK_HEADERS: [string, string][] = [
  [
    'X-Signature',
    '`t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret.',
  ],
  ['webhook-id', 'Standard Webhooks: the event id.'],
  ['webhook-timestamp', 'Standard Webhooks: unix seconds.'],
  ['webhook-signature', 'Standard Webhooks: `v1,<base64>`, one per live secret, space-separated.'],
  ['X-Webhook-Id', 'The event id (`evt_…`), the same on every retry: dedupe by it.'],
  ['X-Webhook-Event', 'The event type.'],
  ['X-Webhook-Attempt', '1, 2, …'],
];

const INFO_DESCRIPTION = `Connects a product to its customers' accounts at the tools they use: a provider catalog, integrations, connections, syncs into a records change feed, tools that act on the provider, and webhooks both ways.

**Envelope.** Every success is \`{"status":"success","data":{…}}\`; every error \`{"status":"error","error":{"code","message","details","remediation"?,"request_id"}}\`. Branch on \`error.code\`.

**Authentication.** \`Authorization: Bearer sk_live_…\` / \`sk_test_…\` (a tenant's secret key) on every \`/v1\` route; end-user tokens (\`Bearer eut_…\`, minted by \`POST /v1/end-user-tokens\`) only on the end-user routes (those listing \`endUserToken\` in their security). Public routes need neither.

**Versions.** \`X-Api-Version: ${latestApiVersion}\` (optional; absent means the latest). An unknown version is 400 \`unsupported_api_version\`. The version served is echoed in the response header.

**Lists.** \`?limit=\` (default 20, max 100) and \`?cursor=\` page every list; \`next_cursor\` is null on the last page. Cursors are opaque and tamper-evident.

**Rate limits.** Authenticated routes answer \`X-RateLimit-Limit\`, \`X-RateLimit-Remaining\`, \`X-RateLimit-Reset\` (epoch seconds); over the limit, 429 \`rate_limited\` with \`Retry-After\`.

**Request ids.** Every answer carries \`X-Request-Id\` (\`req_…\`); errors repeat it as \`error.request_id\`.

**Unmatched routes** answer 404 \`not_found\` in the error envelope.

**Provider webhooks** are received at each integration's \`webhook_url\` (a function URL, \`POST …/webhooks/{tenant_id}/{integration_key}\`), outside this API: the provider's signature is its authentication. **Outbound webhooks**: the events the service POSTs to your subscriptions are this document's \`webhooks\` (in docs/api.md, "Outbound webhook events").`;

const TAG_DESCRIPTIONS: Record<string, string> = {
  Health: 'Probes, outside /v1, public.',
  Providers: 'The catalog: what each provider can do and needs.',
  Integrations: "A tenant's configuration of a provider; secrets in Secrets Manager.",
  Connections: "A customer's account at a provider.",
  Connect: 'OAuth2 and app-install flows for end users.',
  'Connect page':
    'The hosted page where end users connect (a Connect button or a credentials form), its form routes and /connect.js. Pages, not the envelope.',
  'End-user tokens': 'Tokens for your frontend, bound to one end user.',
  Syncs: 'Schedules, triggers and run logs.',
  Records: 'Synced data, normalised per model, with a change feed.',
  Tools: "Providers' actions, for agents and your backend.",
  Agents: "A workspace's MCP server for AI agents, and the audit trail of every tool call.",
  Proxy: "The provider's own API, called with a connection's stored credentials.",
  Workspaces: 'Connections granted to workspaces, with the tools enabled there.',
  'Webhook subscriptions': 'Outbound webhooks to your URLs.',
  Settings: "The tenant's settings.",
  Contract: 'This document.',
};

/** The document, from already loaded routes (loadRoutes). */
export const buildDocument = (loaded: LoadedRoute[]): Json => {
  // Request bodies: registered here under the operation's name, converted as input.
  const requests = z.registry<{ id?: string }>();
  const requestIds = new Map<z.ZodMiniType, string>();
  for (const l of loaded) {
    const body = l.schemas.body;
    if (!body || requestIds.has(body)) continue;
    const id = `${pascal(l.operationId)}Request`;
    requests.add(body, { id });
    requestIds.set(body, id);
  }
  const responseIds = new Map<z.ZodMiniType, string>();
  for (const l of loaded) {
    for (const s of successesOf(l.contract)) {
      if ('data' in s) {
        const id = shapes.get(s.data)?.id;
        if (id) responseIds.set(s.data, id);
      }
    }
  }
  const responseComponents = componentsOf(shapes, 'output');
  const requestComponents = componentsOf(requests, 'input');
  for (const id of Object.keys(requestComponents)) {
    if (id in responseComponents) throw new Error(`component ${id} is both a request and a response shape`);
  }

  const paths: Record<string, Json> = {};
  const tags: string[] = [];
  for (const l of loaded) {
    if (l.route.path === '$default') continue;
    if (!tags.includes(l.contract.tag)) tags.push(l.contract.tag);
    const responses: Json = {};
    for (const s of successesOf(l.contract)) responses[String(s.status)] = successResponse(l, s, responseIds);
    Object.assign(responses, errorResponses(l));
    if (l.contract.passThrough) {
      responses.default = {
        description: l.contract.passThrough,
        headers: { 'X-Request-Id': headerRef('XRequestId') },
        content: { '*/*': { schema: {} } },
      };
    }
    const bodyId = l.schemas.body ? requestIds.get(l.schemas.body) : undefined;
    const raw = l.contract.requestBody;
    const methods = methodsOf(l);
    const path = documentPath(l.route.path);
    for (const method of methods) {
      const requestBody = bodyId
        ? { required: true, content: { 'application/json': { schema: ref(bodyId) } } }
        : raw && method !== 'GET'
          ? {
              required: raw.required ?? false,
              description: raw.description,
              content: { [raw.contentType]: { schema: schemaOf(raw.schema) } },
            }
          : undefined;
      const operation: Json = {
        operationId: methods.length > 1 ? `${l.operationId}${pascal(method.toLowerCase())}` : l.operationId,
        tags: [l.contract.tag],
        summary: methods.length > 1 ? `${l.contract.summary} (${method})` : l.contract.summary,
        ...(l.contract.description ? { description: l.contract.description } : {}),
        security: authOf(l.route),
        parameters: parametersOf(l),
        ...(requestBody ? { requestBody } : {}),
        responses,
        'x-auth': l.route.auth,
        'x-error-codes': l.errors,
      };
      paths[path] = { ...paths[path], [method.toLowerCase()]: operation };
    }
  }

  const webhooks: Record<string, Json> = {};
  for (const [type, schema] of Object.entries(eventPayloads)) {
    const meta = shapes.get(schema);
    webhooks[type] = {
      post: {
        operationId: `${camel(type.replace(/[._]/g, '-'))}Event`,
        tags: ['Webhook events'],
        summary: type,
        ...(meta?.description ? { description: meta.description } : {}),
        parameters: WEBHOOK_HEADERS.map(([name, description]) => ({
          name,
          in: 'header',
          required: true,
          description,
          schema: { type: 'string' },
        })),
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref(meta?.id as string) } },
        },
        responses: {
          '2XX': {
            description:
              'Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h.',
          },
        },
      },
    };
  }

  const rateHeader = (description: string) => ({ description, schema: { type: 'integer' } });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Integrations API',
      version: latestApiVersion,
      description: INFO_DESCRIPTION,
    },
    servers: [{ url: 'http://localhost:3000', description: 'npm start' }],
    security: [{ secretKey: [] }],
    tags: [...tags, 'Webhook events'].map((name) => ({
      name,
      description: TAG_DESCRIPTIONS[name] ?? 'Events we POST to your webhook subscriptions.',
    })),
    paths,
    webhooks,
    components: {
      securitySchemes: {
        secretKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'sk_live_… / sk_test_…',
          description:
            "A tenant's secret key: every /v1 route. Stored only as a hash; shown once at creation.",
        },
        endUserToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'eut_…',
          description:
            'An end-user token (POST /v1/end-user-tokens): only the end-user routes, for its own end user (and workspaces, when bound).',
        },
      },
      responses: errorComponents(),
      parameters: {
        ApiVersion: {
          name: 'X-Api-Version',
          in: 'header',
          required: false,
          description: 'The API version to serve; absent means the latest.',
          schema: { type: 'string', enum: [...apiVersions] },
        },
      },
      headers: {
        XRequestId: { description: "This request's id (`req_…`).", schema: { type: 'string' } },
        XApiVersion: { description: 'The API version served.', schema: { type: 'string' } },
        XRateLimitLimit: rateHeader('Requests allowed a minute.'),
        XRateLimitRemaining: rateHeader('Requests left in this minute.'),
        XRateLimitReset: rateHeader('When the window resets (epoch seconds).'),
        RetryAfter: rateHeader('Seconds to wait before retrying.'),
      },
      schemas: { ...sortKeys(responseComponents), ...sortKeys(requestComponents) },
    },
  };
};

const sortKeys = (o: Json): Json =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** The document as committed: stable key order, two-space indent, a final newline. */
export const documentText = (doc: Json): string => `${JSON.stringify(doc, null, 2)}\n`;
