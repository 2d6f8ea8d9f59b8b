import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { ApiError } from '../../core/platform/errors';
import { endpoint } from '../../functions/middleware';
import { lambdaContext } from '../../local/lambda-context';

// The chain in isolation, on a public route key so no key lookup is needed.
const event = (over: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'GET /health',
    rawPath: '/health',
    rawQueryString: '',
    headers: {},
    requestContext: { http: { method: 'POST', path: '/health' } },
    isBase64Encoded: false,
    ...over,
  }) as APIGatewayProxyEventV2;
const ctx = lambdaContext('unit');
const parse = (r: { body?: string | undefined }) => JSON.parse(r.body as string);

describe('the handler chain', () => {
  it('turns an unexpected error into 500 internal_error without its message', async () => {
    const h = endpoint({}, async () => {
      throw new Error('connect ECONNREFUSED db.internal:5432 password=hunter2');
    });
    const logged: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(chunk.toString());
      return true;
    });
    const r = await h(event(), ctx).finally(() => spy.mockRestore());
    // Logged for the operator, with the password written into the message scrubbed.
    expect(logged.join('')).toContain('ECONNREFUSED db.internal:5432 password=[REDACTED]');
    expect(logged.join('')).not.toContain('hunter2');
    expect(r.statusCode).toBe(500);
    const body = parse(r);
    expect(body.error.code).toBe('internal_error');
    expect(r.body).not.toContain('hunter2');
    expect(r.body).not.toContain('ECONNREFUSED');
    expect(body.error.request_id).toBe(r.headers['x-request-id']);
  });

  it('shows an ApiError as it is, with its headers', async () => {
    const h = endpoint({}, async () => {
      throw new ApiError('rate_limited', 'Slow down.', { headers: { 'retry-after': '3' } });
    });
    const r = await h(event(), ctx);
    expect(r.statusCode).toBe(429);
    expect(r.headers['retry-after']).toBe('3');
    expect(parse(r).error).toMatchObject({ code: 'rate_limited', message: 'Slow down.', details: {} });
  });

  const withBody = endpoint({ body: z.object({ name: z.string().check(z.minLength(1)) }) }, async (req) => ({
    status: 201,
    data: { hello: req.body.name },
  }));

  it('keeps the schemas it validates with on the handler, for the OpenAPI document', () => {
    const body = z.object({ a: z.string() });
    expect(endpoint({ body }, async () => ({ data: null })).schemas).toEqual({ body });
  });

  it('sends a raw body as it is, outside the envelope, with its own content-type', async () => {
    const h = endpoint({}, async () => ({
      raw: { body: '{"openapi":"3.1.0"}' },
      headers: { 'content-type': 'application/json' },
    }));
    const r = await h(event(), ctx);
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('{"openapi":"3.1.0"}');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-request-id']).toMatch(/^req_/);
  });

  it('parses and validates a JSON body', async () => {
    const r = await withBody(event({ body: '{"name":"ada"}' }), ctx);
    expect(r.statusCode).toBe(201);
    expect(parse(r)).toEqual({ status: 'success', data: { hello: 'ada' } });
  });

  it('parses a base64-encoded body as API Gateway sends binary types', async () => {
    const r = await withBody(
      event({ body: Buffer.from('{"name":"b64"}').toString('base64'), isBase64Encoded: true }),
      ctx,
    );
    expect(parse(r).data.hello).toBe('b64');
  });

  it.each([
    ['{not json', 400, 'invalid_json'],
    ['{"name":""}', 422, 'validation_failed'],
    ['[]', 422, 'validation_failed'],
    ['"x"', 422, 'validation_failed'],
    [`{"name":"${'x'.repeat(1024 * 1024)}"}`, 413, 'payload_too_large'],
  ])('body %#: → %i %s', async (body, status, code) => {
    const r = await withBody(event({ body }), ctx);
    expect(r.statusCode).toBe(status);
    expect(parse(r).error.code).toBe(code);
  });

  it('a missing body on a route with a body schema is a validation failure', async () => {
    const r = await withBody(event(), ctx);
    expect(r.statusCode).toBe(422);
    expect(parse(r).error.details.issues[0].path).toBe('body');
  });
});
