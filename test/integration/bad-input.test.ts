import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { type Harness, holdToContract, type Json, startHarness } from './harness';

// Whatever a client sends — any route, method, path noise, query, headers, body —
// the answer is never a 5xx and always the envelope with a request id (the connect page's
// HTML and assets aside: a page, with its request id; JSON-RPC on the MCP endpoint).
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const paths = routes.filter((r) => r.path !== '$default').map((r) => r.path.replace(/\{\w+\+?\}/g, 'x'));
const token = fc.stringMatching(/^[\w.~%-]{0,20}$/);

it('never answers 5xx to malformed requests', async () => {
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        path: fc.oneof(
          fc.constantFrom(...paths),
          fc.constantFrom(...paths).map((p) => `${p}/extra`),
          token.map((t) => `/v1/${t}`),
        ),
        query: fc.array(
          fc.tuple(fc.constantFrom('limit', 'cursor', 'search', 'category', 'capability', 'x'), fc.string()),
          {
            maxLength: 4,
          },
        ),
        auth: fc.constantFrom('valid', 'none', 'garbage'),
        version: fc.option(fc.constantFrom('2026-11-01', '1999-01-01', '', 'x'.repeat(200)), {
          nil: undefined,
        }),
        body: fc.option(fc.oneof(fc.string(), fc.json()), { nil: undefined }),
      }),
      async (req) => {
        const qs = new URLSearchParams(req.query).toString();
        const headers: Record<string, string> = {};
        if (req.auth === 'valid') headers.authorization = `Bearer ${h.key}`;
        if (req.auth === 'garbage') headers.authorization = 'Bearer \u00ffnope';
        if (req.version !== undefined) headers['x-api-version'] = req.version;
        const url = `${h.gateway.url}${req.path}${qs ? `?${qs}` : ''}`;
        let res: Response;
        try {
          res = await fetch(url, {
            method: req.method,
            headers,
            ...(req.body !== undefined && req.method !== 'GET' ? { body: req.body } : {}),
          });
        } catch {
          return; // the client refused to send it (e.g. an invalid header byte): nothing reached us
        }
        answered++;
        expect(res.status).toBeLessThan(500);
        const text = await res.text();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // a page, a script: the contract says which routes may answer one
        }
        // Whatever was sent, the answer keeps its route's contract (test/contract.ts).
        await holdToContract(req.method, url, { status: res.status, headers: res.headers, body: parsed });
        // The MCP endpoint speaks JSON-RPC, errors included (202 with no body for a notification).
        if (/^\/v1\/mcp\/[^/]+$/.test(req.path)) {
          if (res.status !== 202) expect((parsed as Json).jsonrpc).toBe('2.0');
          expect(res.headers.get('x-request-id')).toMatch(/^req_/);
          return;
        }
        if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) {
          // The connect page and its assets answer HTML, CSS or JavaScript, not the envelope.
          expect(req.path.startsWith('/connect'), `${req.method} ${req.path}`).toBe(true);
          expect(res.headers.get('x-request-id')).toMatch(/^req_/);
          return;
        }
        const body = parsed as Json;
        // The OpenAPI document is JSON but not the envelope: the document itself (its contract,
        // checked above, says so). Its errors are the envelope like any route's.
        if (req.path === '/v1/openapi.json' && res.status === 200) {
          expect(body.openapi).toBe('3.1.0');
          return;
        }
        expect(['success', 'error']).toContain(body.status);
        if (body.status === 'error') expect(body.error.request_id).toBe(res.headers.get('x-request-id'));
      },
    ),
    { numRuns: 300 },
  );
  // The property must have exercised the server, not the client's own refusals.
  expect(answered).toBeGreaterThan(250);
});
