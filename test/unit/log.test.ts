import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '../../core/platform/log';

/**
 * The house logger writes the JSON line Powertools Logger wrote (the fields operators'
 * queries use), at the levels its variables set, with credential-named fields redacted.
 */
type Line = Record<string, unknown>;
let out: string[];
let err: string[];
const saved = { ...process.env };

beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(chunk.toString());
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(chunk.toString());
    return true;
  });
  for (const k of ['POWERTOOLS_LOG_LEVEL', 'LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL', '_X_AMZN_TRACE_ID']) {
    delete process.env[k];
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
});

const lines = (chunks: string[]): Line[] =>
  chunks.map((c) => {
    expect(c.endsWith('\n')).toBe(true);
    expect(c.slice(0, -1)).not.toContain('\n');
    return JSON.parse(c) as Line;
  });

const context = {
  functionName: 'api-get-connection',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:api-get-connection',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
};

describe('house logger', () => {
  it('writes one JSON line with the base fields first, the Lambda context and the call attributes', () => {
    process.env._X_AMZN_TRACE_ID =
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const log = new Logger('integrations');
    log.addContext(context);
    const before = Date.now();
    log.info('request', { route: 'GET /v1/connections', status: 200, absent: undefined, empty: '' });
    log.info('second');
    const [first, second] = lines(out);
    expect(first).toEqual({
      level: 'INFO',
      message: 'request',
      timestamp: expect.any(String),
      service: 'integrations',
      cold_start: true,
      function_arn: context.invokedFunctionArn,
      function_memory_size: '512',
      function_name: 'api-get-connection',
      function_request_id: context.awsRequestId,
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      route: 'GET /v1/connections',
      status: 200,
    });
    expect(Object.keys(first as Line).slice(0, 4)).toEqual(['level', 'message', 'timestamp', 'service']);
    const at = Date.parse((first as Line).timestamp as string);
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect((first as Line).timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Still the first invocation: the context is the same until the next addContext.
    expect(second?.cold_start).toBe(true);
    log.addContext({ ...context, awsRequestId: 'next' });
    log.info('third');
    expect(lines(out)[2]).toMatchObject({ cold_start: false, function_request_id: 'next' });
  });

  it('keeps appended keys on every line until resetKeys, and never lets them replace base fields', () => {
    const log = new Logger('integrations');
    log.appendKeys({ request_id: 'req_1', tenant_id: 'ten_1' });
    log.info('a');
    log.warn('b', { level: 'DEBUG', message: 'overwritten?', extra: 1 });
    log.resetKeys();
    log.info('c');
    const [a, c] = lines(out);
    const warned = lines(err);
    expect(a).toMatchObject({ request_id: 'req_1', tenant_id: 'ten_1' });
    expect(c?.request_id).toBeUndefined();
    expect(c?.tenant_id).toBeUndefined();
    const b = warned.find((l) => l.message === 'b');
    expect(b).toMatchObject({ level: 'WARN', message: 'b', extra: 1, request_id: 'req_1' });
  });

  it('formats an Error, given alone or inside the attributes, with its cause and own fields', () => {
    const log = new Logger('integrations');
    const cause = new Error('socket hang up');
    const e = Object.assign(new Error('provider failed', { cause }), { code: 'upstream' });
    log.error('unhandled error', e);
    log.error('audit write failed', { error: new TypeError('bad') });
    const [alone, nested] = lines(err);
    expect(alone?.error).toMatchObject({
      name: 'Error',
      message: 'provider failed',
      code: 'upstream',
      cause: { name: 'Error', message: 'socket hang up' },
    });
    // file:line of the first stack frame with a named function, as Powertools' `location`.
    const error = (alone as Line).error as Line;
    expect(error.location).toMatch(/^\S+:\d+$/);
    expect(typeof error.stack).toBe('string');
    expect(nested?.error).toMatchObject({ name: 'TypeError', message: 'bad' });
  });

  it('survives bigints and cycles', () => {
    const log = new Logger('integrations');
    const cyclic: Line = { n: 10n };
    cyclic.self = cyclic;
    log.info('odd', { cyclic });
    expect(lines(out)[0]?.cyclic).toEqual({ n: '10' });
  });

  it('writes DEBUG/INFO to stdout and WARN/ERROR to stderr, from INFO by default', () => {
    const log = new Logger('integrations');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines(out).map((l) => l.level)).toEqual(['INFO']);
    expect(lines(err).map((l) => l.level)).toEqual(['WARN', 'ERROR']);
  });

  it.each([
    ['POWERTOOLS_LOG_LEVEL', 'WARN', ['WARN', 'ERROR']],
    ['POWERTOOLS_LOG_LEVEL', 'debug', ['DEBUG', 'INFO', 'WARN', 'ERROR']],
    ['LOG_LEVEL', 'ERROR', ['ERROR']],
  ])('takes its level from %s=%s', (name, value, printed) => {
    process.env[name] = value;
    const log = new Logger('integrations');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect([...lines(out), ...lines(err)].map((l) => l.level).sort()).toEqual([...printed].sort());
  });

  it('changes level at run time, but never below the Lambda logging controls', () => {
    const log = new Logger('integrations');
    log.setLogLevel('ERROR');
    log.warn('hidden');
    expect(err).toEqual([]);
    expect(() => log.setLogLevel('LOUD' as 'INFO')).toThrow(/Invalid log level/);
    process.env.AWS_LAMBDA_LOG_LEVEL = 'WARN';
    const controlled = new Logger('integrations');
    controlled.setLogLevel('DEBUG');
    controlled.info('below the floor');
    controlled.warn('at the floor');
    expect(out).toEqual([]);
    expect(lines(err).map((l) => l.message)).toEqual(['at the floor']);
  });

  it('redacts credential-named fields at any depth, in appended keys and attributes alike', () => {
    const log = new Logger('integrations');
    log.appendKeys({ authorization: 'Bearer sk_live_appended' });
    log.info('connection', {
      credentials: { access_token: 'tok-secret-1', refresh_token: 'tok-secret-2', api_key: 'key-secret-3' },
      headers: { Cookie: 'session=cookie-secret-4' },
      integration: { oauth_client_secret: 'client-secret-5' },
      provider: 'github',
    });
    const [text] = out;
    for (const secret of [
      'sk_live_appended',
      'tok-secret-1',
      'tok-secret-2',
      'key-secret-3',
      'cookie-secret-4',
      'client-secret-5',
    ]) {
      expect(text).not.toContain(secret);
    }
    const line = lines(out)[0] as Line;
    expect(line.authorization).toBe('[REDACTED]');
    expect((line.credentials as Line).access_token).toBe('[REDACTED]');
    expect(line.provider).toBe('github');
  });

  it('scrubs secrets written into strings: error messages, URLs, headers, provider bodies', () => {
    const log = new Logger('integrations');
    const e = new Error('connect ECONNREFUSED db.internal:5432 password=pw-secret-1', {
      cause: new Error('GET https://api.example.com/issues?access_token=tok-secret-2&page=2 failed'),
    });
    log.error('unhandled error', e);
    log.warn('provider refused', {
      error: 'token_exchange_failed: {"error":"invalid_grant","refresh_token":"tok-secret-3"}',
      request: 'Authorization: Bearer ghp_secret4secret4 sent to https://bot:pw-secret-5@git.example.com/x',
      note: "x-api-key: key-secret-6, client_secret='cs-secret-7'",
    });
    const text = err.join('');
    for (const secret of [
      'pw-secret-1',
      'tok-secret-2',
      'tok-secret-3',
      'secret4',
      'pw-secret-5',
      'key-secret-6',
      'cs-secret-7',
    ]) {
      expect(text).not.toContain(secret);
    }
    const [alone, attrs] = lines(err) as [Line, Line];
    // What is around a secret stays, for the operator reading the line.
    expect((alone.error as Line).message).toBe('connect ECONNREFUSED db.internal:5432 password=[REDACTED]');
    expect(((alone.error as Line).cause as Line).message).toBe(
      'GET https://api.example.com/issues?access_token=[REDACTED]&page=2 failed',
    );
    expect(attrs.error).toBe('token_exchange_failed: {"error":"invalid_grant","refresh_token":"[REDACTED]"}');
    expect(attrs.request).toContain('https://[REDACTED]@git.example.com/x');
    // A name that does not end the key is not a secret's name: the message stays whole.
    log.warn('sync failed', {
      error: 'token_exchange_failed: the provider answered 400',
      file: 'get-token.ts:26:13',
    });
    expect(lines(err)[2]).toMatchObject({
      error: 'token_exchange_failed: the provider answered 400',
      file: 'get-token.ts:26:13',
    });
  });
});
