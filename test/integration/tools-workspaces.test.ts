import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateConnection } from '../../core/store/connections-repo';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { call, expectError, type Harness, type Json, startHarness } from './harness';

/**
 * Tools and workspace grants (issue 6, API.md "Tools and actions", "Workspaces") against
 * the fake GitHub: listing and filters, grants with enabled tools and a default project,
 * 403 for a tool not enabled in the workspace, Idempotency-Key on writing tools, and the
 * input / connection checks — each answered in the envelope, nothing changed on refusal.
 */
let h: Harness;
let fake: GitHubFake;
let connectionId: string;
const REPO = 'acme/product';

const api = (
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; key?: string } = {},
) =>
  call(h.gateway.url, path, {
    key: init.key ?? h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.headers ? { headers: init.headers } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
const execute = (body: Json, headers?: Record<string, string>, key?: string) =>
  api('/v1/tools/execute', {
    method: 'POST',
    body,
    ...(headers ? { headers } : {}),
    ...(key ? { key } : {}),
  });
const issuesAtFake = () => fake.issueIds(REPO).length;

beforeAll(async () => {
  h = await startHarness();
  fake = await startGitHubFake();
  fake.seedIssues(3, { repo: REPO });
  await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'gh-tools', provider: 'github', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh-tools', end_user_id: 'u_tools', credentials: fake.valid },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  connectionId = c.body.data.id;
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

describe('GET /v1/tools', () => {
  it('lists every implemented action as <provider>_<action> with its JSON Schema', async () => {
    const r = await api('/v1/tools?provider=github&limit=100');
    expect(r.status).toBe(200);
    const byName = new Map(r.body.data.tools.map((t: Json) => [t.name, t]));
    const create = byName.get('github_create_issue') as Json;
    expect(create).toMatchObject({ provider: 'github', writes: true });
    expect(create.input_schema.required).toEqual(expect.arrayContaining(['repo', 'title']));
    expect(r.body.data.next_cursor).toBeNull();
  });

  it('pages with limit and a signed cursor, and refuses a forged one', async () => {
    const first = await api('/v1/tools?limit=2');
    expect(first.body.data.tools).toHaveLength(2);
    const second = await api(`/v1/tools?limit=2&cursor=${encodeURIComponent(first.body.data.next_cursor)}`);
    expect(second.body.data.tools[0].name).not.toBe(first.body.data.tools[0].name);
    expectError(await api('/v1/tools?limit=2&cursor=forged'), 400, 'invalid_cursor');
  });

  it("filters by a connection's provider; another tenant's or unknown connection is 404", async () => {
    const r = await api(`/v1/tools?connection_id=${connectionId}&limit=100`);
    expect(r.body.data.tools.length).toBeGreaterThan(0);
    expect(r.body.data.tools.every((t: Json) => t.provider === 'github')).toBe(true);
    expectError(await api('/v1/tools?connection_id=conn_nope'), 404, 'not_found');
  });
});

describe('workspace grants', () => {
  const grantPath = () => `/v1/workspaces/ws_123/integrations/${connectionId}`;

  it('PUT grants the connection with its enabled tools; GET shows it; the tools list follows', async () => {
    const r = await api(grantPath(), {
      method: 'PUT',
      body: { enabled_tools: ['github_list_repos'], default_project: REPO },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data).toMatchObject({
      workspace_id: 'ws_123',
      connection_id: connectionId,
      provider: 'github',
      enabled_tools: ['github_list_repos'],
      default_project: REPO,
    });
    expect((await api(grantPath())).body.data.enabled_tools).toEqual(['github_list_repos']);
    const list = await api('/v1/workspaces/ws_123/integrations');
    expect(list.body.data.integrations.map((g: Json) => g.connection_id)).toEqual([connectionId]);
    const tools = await api('/v1/tools?workspace_id=ws_123');
    expect(tools.body.data.tools.map((t: Json) => t.name)).toEqual(['github_list_repos']);
    // Another workspace has no grant: no tools.
    expect((await api('/v1/tools?workspace_id=ws_other')).body.data.tools).toEqual([]);
  });

  it('refuses tools the provider does not have, and bad workspace ids', async () => {
    const r = await api(grantPath(), {
      method: 'PUT',
      body: { enabled_tools: ['github_list_repos', 'slack_send_message'] },
    });
    expectError(r, 422, 'validation_failed');
    expect(r.body.error.details.issues[0].path).toBe('body.enabled_tools.1');
    expectError(
      await api(`/v1/workspaces/ws%23x/integrations/${connectionId}`, {
        method: 'PUT',
        body: { enabled_tools: [] },
      }),
      422,
      'validation_failed',
    );
    expectError(
      await api('/v1/workspaces/ws_123/integrations/conn_nope', {
        method: 'PUT',
        body: { enabled_tools: [] },
      }),
      404,
      'not_found',
    );
  });

  it('executing a tool not enabled in the workspace is 403 and calls nothing', async () => {
    const before = issuesAtFake();
    const r = await execute({
      tool: 'github_create_issue',
      connection_id: connectionId,
      workspace_id: 'ws_123',
      input: { repo: REPO, title: 'Not allowed' },
    });
    expectError(r, 403, 'forbidden');
    expect(issuesAtFake()).toBe(before);
  });

  it("an enabled tool runs, the workspace's default project filling the left-out repo", async () => {
    await api(grantPath(), {
      method: 'PUT',
      body: { enabled_tools: ['github_list_repos', 'github_create_issue'], default_project: REPO },
    });
    const before = issuesAtFake();
    const r = await execute({
      tool: 'github_create_issue',
      connection_id: connectionId,
      workspace_id: 'ws_123',
      input: { title: 'Filed from a workspace' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data.successful).toBe(true);
    expect(JSON.stringify(r.body.data.data)).toContain('Filed from a workspace');
    expect(issuesAtFake()).toBe(before + 1);
  });

  it('DELETE revokes the grant: the tool is forbidden again and GET is 404', async () => {
    expect((await api(grantPath(), { method: 'DELETE' })).status).toBe(200);
    expectError(await api(grantPath()), 404, 'not_found');
    expectError(await api(grantPath(), { method: 'DELETE' }), 404, 'not_found');
    expectError(
      await execute({
        tool: 'github_list_repos',
        connection_id: connectionId,
        workspace_id: 'ws_123',
        input: {},
      }),
      403,
      'forbidden',
    );
  });
});

describe('POST /v1/tools/execute', () => {
  it('a writing tool runs once per Idempotency-Key; a retry answers the first result', async () => {
    const before = issuesAtFake();
    const body = {
      tool: 'github_create_issue',
      connection_id: connectionId,
      input: { repo: REPO, title: 'Once' },
    };
    const first = await execute(body, { 'idempotency-key': 'idem-1' });
    const again = await execute(body, { 'idempotency-key': 'idem-1' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(issuesAtFake()).toBe(before + 1);
    // Without the key, the same request writes again.
    expect((await execute(body)).status).toBe(200);
    expect(issuesAtFake()).toBe(before + 2);
  });

  it('the same key with another request is 409; concurrent duplicates write once', async () => {
    const changed = {
      tool: 'github_create_issue',
      connection_id: connectionId,
      input: { repo: REPO, title: 'Something else' },
    };
    expectError(await execute(changed, { 'idempotency-key': 'idem-1' }), 409, 'conflict');
    const before = issuesAtFake();
    const body = {
      tool: 'github_create_issue',
      connection_id: connectionId,
      input: { repo: REPO, title: 'Race' },
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => execute(body, { 'idempotency-key': 'idem-race' })),
    );
    for (const a of answers) expect([200, 409]).toContain(a.status);
    expect(answers.some((a) => a.status === 200)).toBe(true);
    expect(issuesAtFake()).toBe(before + 1);
    expectError(await execute(body, { 'idempotency-key': 'bad key with spaces' }), 422, 'validation_failed');
  });

  it('an unknown tool, a tool of another provider, or bad input is 422 with the path', async () => {
    const unknown = await execute({ tool: 'github_nope', connection_id: connectionId, input: {} });
    expectError(unknown, 422, 'validation_failed');
    expect(unknown.body.error.details.issues[0].path).toBe('body.tool');
    const other = await execute({ tool: 'slack_send_message', connection_id: connectionId, input: {} });
    expectError(other, 422, 'validation_failed');
    const bad = await execute({
      tool: 'github_create_issue',
      connection_id: connectionId,
      input: { repo: REPO },
    });
    expectError(bad, 422, 'validation_failed');
    expect(bad.body.error.details.issues.map((i: Json) => i.path)).toContain('input.title');
    expectError(await execute({ tool: 'github_list_repos', connection_id: 'conn_nope' }), 404, 'not_found');
  });

  it('end-user tokens execute on their own connections only', async () => {
    const mint = async (user: string) =>
      (await api('/v1/end-user-tokens', { method: 'POST', body: { end_user_id: user } })).body.data
        .token as string;
    const mine = await mint('u_tools');
    const theirs = await mint('u_someone_else');
    const body = { tool: 'github_list_repos', connection_id: connectionId, input: {} };
    expect((await execute(body, undefined, mine)).status).toBe(200);
    expectError(await execute(body, undefined, theirs), 404, 'not_found');
    expectError(await api(`/v1/tools?connection_id=${connectionId}`, { key: theirs }), 404, 'not_found');
  });

  it('a connection that is not active is 409 connection_not_ready', async () => {
    await updateConnection(h.tenantId, connectionId, { status: 'expired' });
    try {
      expectError(
        await execute({ tool: 'github_list_repos', connection_id: connectionId, input: {} }),
        409,
        'connection_not_ready',
      );
    } finally {
      await updateConnection(h.tenantId, connectionId, { status: 'active' });
    }
  });
});
