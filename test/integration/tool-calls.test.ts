import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { listKeys } from '../../core/tenants/tenants';
import { logger } from '../../functions/middleware/logger';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { sensitive } from '../leak-watch';
import { call, expectError, type Harness, type Json, newTenant, startHarness } from './harness';

/**
 * The audit trail (issue 15, GET /v1/tool-calls): every /v1/tools/execute call is recorded
 * whatever its outcome — who, which tool, on which connection and workspace, the outcome,
 * how long, the SHA-256 of the canonical input and never the input — each filter answers
 * from its own index, pages with a signed cursor, and a failed audit write fails nothing.
 */
const REPO = 'acme/product';
let h: Harness;
let keyId: string;
let fake: GitHubFake;
let connectionId: string;
let other: string;

const api = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  call(h.gateway.url, path, {
    key: init.key ?? h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
const execute = (body: Json, key?: string) =>
  api('/v1/tools/execute', { method: 'POST', body, ...(key ? { key } : {}) });
const calls = async (query = ''): Promise<Json[]> => {
  const r = await api(`/v1/tool-calls${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.tool_calls;
};

/** The canonical input the trail hashes: keys sorted at every depth. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);
const sha = (v: unknown) => createHash('sha256').update(canonical(v)).digest('hex');

beforeAll(async () => {
  h = await startHarness();
  // The harness's key id, for the actor: the tenant's only key.
  keyId = ((await listKeys(h.tenantId)) as Json[])[0].key_id;
  fake = await startGitHubFake();
  fake.seedIssues(2, { repo: REPO });
  await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'gh-audit', provider: 'github', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
  const connect = async (user: string) => {
    const c = await api('/v1/connections', {
      method: 'POST',
      body: { integration: 'gh-audit', end_user_id: user, credentials: fake.valid },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    return c.body.data.id as string;
  };
  connectionId = await connect('u_audit');
  other = await connect('u_other');
  await api(`/v1/workspaces/ws_audit/integrations/${connectionId}`, {
    method: 'PUT',
    body: { enabled_tools: ['github_create_issue', 'github_list_repos'], default_project: REPO },
  });
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

describe('every call is recorded', () => {
  // A value that looks like a credential, in a field the tool's schema drops: the provider
  // never sees it and no answer echoes it, so any appearance in output is the trail's.
  const secret = sensitive(`sk_live_${'Q'.repeat(40)}`);
  const input = { title: 'Audited', repo: REPO, password: secret, nested: { b: 2, a: [1, { z: 1, y: 2 }] } };

  it('a successful call: who, what, where, outcome, duration, the hash of the canonical input', async () => {
    const r = await execute({
      tool: 'github_create_issue',
      connection_id: connectionId,
      workspace_id: 'ws_audit',
      input,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [latest] = await calls(`?connection_id=${connectionId}&limit=1`);
    expect(latest).toMatchObject({
      id: expect.stringMatching(/^tc_/),
      tool: 'github_create_issue',
      connection_id: connectionId,
      workspace_id: 'ws_audit',
      end_user_id: 'u_audit',
      actor: { type: 'key', id: keyId },
      via: 'api',
      outcome: 'success',
      input_sha256: sha(input),
    });
    expect(latest.duration_ms).toBeGreaterThanOrEqual(0);
    expect(Date.now() - Date.parse(latest.created_at)).toBeLessThan(60_000);
    // The same input written in another key order hashes the same.
    const reordered = {
      nested: { a: [1, { y: 2, z: 1 }], b: 2 },
      password: secret,
      repo: REPO,
      title: 'Audited',
    };
    expect(latest.input_sha256).toBe(sha(reordered));
    // Never the input itself.
    const listed = await api('/v1/tool-calls?limit=100');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify(listed.body)).not.toContain('Audited');
    // Kept 90 days (DynamoDB's TTL attribute).
    const item = await dynamo().send(
      new GetCommand({
        TableName: tableName('audit'),
        Key: { pk: `TENANT#${h.tenantId}`, sk: `TC#${latest.id}` },
      }),
    );
    const days = ((item.Item?.expires_at as number) - Date.now() / 1000) / 86400;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
  });

  it('refusals too, each with its error code as outcome', async () => {
    expectError(
      await execute({ tool: 'github_list_repos', connection_id: other, workspace_id: 'ws_audit', input: {} }),
      403,
      'forbidden',
    );
    expectError(
      await execute({ tool: 'github_create_issue', connection_id: connectionId, input: { repo: REPO } }),
      422,
      'validation_failed',
    );
    expectError(
      await execute({
        tool: 'github_create_issue',
        connection_id: connectionId,
        input: { repo: 'acme/missing', title: 'Nowhere' },
      }),
      422,
      'action_failed',
    );
    expectError(
      await execute({ tool: 'github_nope', connection_id: connectionId, input: {} }),
      422,
      'validation_failed',
    );
    const recent = await calls('?limit=4');
    expect(recent.map((c: Json) => [c.tool, c.outcome])).toEqual([
      ['github_nope', 'validation_failed'],
      ['github_create_issue', 'action_failed'],
      ['github_create_issue', 'validation_failed'],
      ['github_list_repos', 'forbidden'],
    ]);
    expect(recent[3]).toMatchObject({
      connection_id: other,
      end_user_id: 'u_other',
      workspace_id: 'ws_audit',
    });
  });

  it('an end-user token is the actor as its end user', async () => {
    const token = (await api('/v1/end-user-tokens', { method: 'POST', body: { end_user_id: 'u_audit' } }))
      .body.data.token as string;
    expect(
      (await execute({ tool: 'github_list_repos', connection_id: connectionId, input: {} }, token)).status,
    ).toBe(200);
    const [latest] = await calls('?limit=1');
    expect(latest.actor).toEqual({ type: 'end_user', id: 'u_audit' });
    // The trail is the tenant's: an end-user token may not read it.
    expectError(await api('/v1/tool-calls', { key: token }), 403, 'forbidden');
  });

  it('a failed audit write fails nothing: the call answers, the entry is logged at ERROR', async () => {
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const table = process.env.AUDIT_TABLE;
    process.env.AUDIT_TABLE = 'no-such-table';
    try {
      const r = await execute({ tool: 'github_list_repos', connection_id: connectionId, input: {} });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(error).toHaveBeenCalledWith(
        'audit write failed',
        expect.objectContaining({
          audit_entry: expect.objectContaining({ tool: 'github_list_repos', outcome: 'success' }),
        }),
      );
    } finally {
      process.env.AUDIT_TABLE = table;
      error.mockRestore();
    }
  });
});

describe('GET /v1/tool-calls', () => {
  it('filters by connection, end user, workspace and tool, alone or together', async () => {
    const byConn = await calls(`?connection_id=${other}&limit=100`);
    expect(byConn.length).toBeGreaterThan(0);
    expect(byConn.every((c: Json) => c.connection_id === other)).toBe(true);
    const byUser = await calls('?end_user_id=u_audit&limit=100');
    expect(byUser.every((c: Json) => c.end_user_id === 'u_audit')).toBe(true);
    expect(byUser.some((c: Json) => c.connection_id === connectionId)).toBe(true);
    const byWs = await calls('?workspace_id=ws_audit&limit=100');
    expect(byWs.map((c: Json) => c.outcome).sort()).toEqual(['forbidden', 'success']);
    const byTool = await calls('?tool=github_create_issue&limit=100');
    expect(byTool.length).toBe(3);
    const both = await calls(`?tool=github_create_issue&workspace_id=ws_audit&connection_id=${connectionId}`);
    expect(both).toHaveLength(1);
    expect(both[0].outcome).toBe('success');
    expect(await calls('?workspace_id=ws_none')).toEqual([]);
  });

  it('pages newest first with a signed cursor bound to the filters', async () => {
    const all = await calls('?limit=100');
    const first = await api('/v1/tool-calls?limit=2');
    expect(first.body.data.tool_calls.map((c: Json) => c.id)).toEqual(all.slice(0, 2).map((c: Json) => c.id));
    const cursor = first.body.data.next_cursor as string;
    const second = await api(`/v1/tool-calls?limit=2&cursor=${encodeURIComponent(cursor)}`);
    expect(second.body.data.tool_calls.map((c: Json) => c.id)).toEqual(
      all.slice(2, 4).map((c: Json) => c.id),
    );
    expectError(
      await api(`/v1/tool-calls?limit=2&tool=github_list_repos&cursor=${encodeURIComponent(cursor)}`),
      400,
      'invalid_cursor',
    );
    const last = await api(`/v1/tool-calls?limit=100&connection_id=${other}`);
    expect(last.body.data.next_cursor).toBeNull();
  });

  it('another tenant sees none of it; bad filters are 422', async () => {
    const t = await newTenant('audit-other');
    const r = await call(h.gateway.url, '/v1/tool-calls', { key: t.key });
    expect(r.body.data.tool_calls).toEqual([]);
    expectError(await api('/v1/tool-calls?workspace_id=ws%23x'), 422, 'validation_failed');
    expectError(await api('/v1/tool-calls?limit=500'), 422, 'validation_failed');
  });
});
