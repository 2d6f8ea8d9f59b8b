import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { CORS_PREFLIGHT_HANDLER, corsPaths, type Route, routeKey, routes } from '../functions/routes';
import { webhookReceiver } from '../functions/workers';
import { functionNameOf, lambdaContext } from './lambda-context';
import { loadHandler } from './load-handler';

/**
 * The local API Gateway (HTTP API, payload v2) and Lambda function URL: every row of
 * the route table becomes the same event AWS would send, handed to the same handler.
 */
type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const MAX_BODY = 10 * 1024 * 1024; // API Gateway's payload limit
// The function URL: every path under it to one function.
const FUNCTION_URL_PREFIX = `/${webhookReceiver.trigger.basePath}/`;

type Compiled = { route: Route; regex: RegExp; params: string[] };
// `{name}` is one segment; `{name+}` (greedy, last) the rest of the path, as API Gateway has them.
const compilePath = (path: string): { regex: RegExp; params: string[] } => {
  const params: string[] = [];
  // Dots escaped first: the greedy group's own `.+` must stay a wildcard.
  const pattern = path
    .replaceAll('.', '\\.')
    .replace(/\{(\w+)(\+?)\}/g, (_, name: string, greedy: string) => {
      params.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    });
  return { regex: new RegExp(`^${pattern}$`), params };
};
const rank = (c: Compiled) => c.params.length + (c.route.path.includes('+}') ? 100 : 0);
const compiled: Compiled[] = routes
  .filter((r) => r.path !== '$default')
  .map((route) => ({ route, ...compilePath(route.path) }))
  // Literal segments win over parameters, and a greedy `{x+}` comes last, as in API Gateway
  // (`/health/ready` before `/health/{x}`).
  .sort((a, b) => rank(a) - rank(b));

const fallback = routes.find((r) => r.path === '$default');

// The OPTIONS routes CDK adds for each end-user path (functions/routes.ts corsPaths), one function.
const preflights = corsPaths()
  .map((p) => ({ path: p.path, ...compilePath(p.path) }))
  .sort((a, b) => a.params.length - b.params.length);

/** The preflight route a path has, as API Gateway would pick it: `OPTIONS <path>`. */
export const matchPreflight = (path: string): string | undefined => {
  const p = preflights.find((x) => x.regex.test(path));
  return p ? `OPTIONS ${p.path}` : undefined;
};

export const matchRoute = (
  method: string,
  path: string,
): { route: Route; pathParameters: Record<string, string> } | undefined => {
  for (const c of compiled) {
    if (c.route.method !== method && c.route.method !== 'ANY') continue;
    const m = c.regex.exec(path);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    c.params.forEach((p, i) => {
      const raw = m[i + 1] as string;
      try {
        pathParameters[p] = decodeURIComponent(raw);
      } catch {
        pathParameters[p] = raw; // a malformed escape: left as sent
      }
    });
    return { route: c.route, pathParameters };
  }
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
};

/**
 * The path as the client sent it: no dot segments resolved, no backslash turned into a
 * slash, escapes kept — what `rawPath` is on AWS (a URL parser would normalise all three, and
 * the proxy's path checks must see what an attacker sent).
 */
const rawPathOf = (url: string | undefined): string => {
  const u = url ?? '/';
  if (!u.startsWith('/')) return new URL(u, 'http://localhost').pathname; // absolute-form
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
};

// API Gateway passes text bodies as text and everything else base64-encoded. A "text" body
// that is not valid UTF-8 is binary too: as a string it would lose bytes (and a webhook its
// signature), so it is passed base64-encoded, as the receiver expects either way.
const isText = (contentType: string | undefined, body: Buffer) =>
  (!contentType ||
    /^(text\/|application\/(json|x-www-form-urlencoded|xml|[\w.+-]+\+json))/i.test(contentType)) &&
  isUtf8(body);

const readBody = (req: IncomingMessage): Promise<Buffer | 'too_large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });

export const toEvent = (
  req: IncomingMessage,
  body: Buffer,
  key: string,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const rawPath = rawPathOf(req.url);
  const q = (req.url ?? '').indexOf('?');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase();
    const value = req.rawHeaders[i + 1] as string;
    if (name === 'cookie') cookies.push(...value.split(/;\s*/));
    else headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const text = isText(headers['content-type'], body);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: key,
    rawPath,
    rawQueryString: q < 0 ? '' : (req.url ?? '').slice(q + 1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] as string,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
};

const write = (res: ServerResponse, result: APIGatewayProxyStructuredResultV2) => {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
};

export type Gateway = { server: Server; url: string; stop: () => Promise<void> };

export const startGateway = async (port: number): Promise<Gateway> => {
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (body === 'too_large') {
        res.writeHead(413, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ message: 'Request Entity Too Large' }));
      }
      const path = rawPathOf(req.url);
      let handlerPath: string;
      let event: APIGatewayProxyEventV2;
      if (path.startsWith(FUNCTION_URL_PREFIX)) {
        handlerPath = webhookReceiver.entry;
        event = toEvent(req, body, '$default', {});
      } else if (req.method === 'OPTIONS' && matchPreflight(path)) {
        handlerPath = CORS_PREFLIGHT_HANDLER;
        event = toEvent(req, body, matchPreflight(path) as string, {});
      } else {
        const match = matchRoute(req.method ?? 'GET', path);
        if (!match) {
          res.writeHead(404, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ message: 'Not Found' }));
        }
        handlerPath = match.route.handler;
        event = toEvent(req, body, routeKey(match.route), match.pathParameters);
      }
      const handler = await loadHandler<Handler>(handlerPath);
      write(res, await handler(event, lambdaContext(functionNameOf(handlerPath))));
    } catch (e) {
      // What API Gateway answers when the Lambda itself fails.
      console.error('[gateway] handler crashed', e);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${bound}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
