import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubFake, generateAppKeyPair, startGitHubFake } from '../fakes/github';
import { sensitive } from '../leak-watch';
import { call, checkedFetch, type Harness, type Json, startHarness } from './harness';

/**
 * A workspace's MCP server (issue 15, API.md "Agents (MCP)") as an agent sees it: the official
 * MCP TypeScript client (Client + StreamableHTTPClientTransport) against the local gateway —
 * initialize, tools/list answering exactly the tools granted in the workspace on that user's
 * connections (with the schemas GET /v1/tools publishes), tools/call creating an issue at the
 * fake GitHub, refusals as the protocol says (isError results, -32602 for a tool not granted,
 * 403 for a workspace the token is not bound to), two accounts of one provider told apart,
 * and each call in the audit trail.
 */
const REPO = 'acme-corp/product';
const WS = 'ws_mcp';
let h: Harness;
let gh: GitHubFake;
let patConnection: string;
let boundToken: string;
let otherToken: string;
const clients: Client[] = [];

const api = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  call(h.gateway.url, path, {
    key: init.key ?? h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

/** What the client receives goes to the run's leak check and is held against the contract, as every other answer. */
const recordingFetch: typeof fetch = checkedFetch;

const connect = async (token: string, path = `/v1/mcp/${WS}`): Promise<Client> => {
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${h.gateway.url}${path}`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: recordingFetch,
  });
  await client.connect(transport);
  clients.push(client);
  return client;
};

/** A raw POST, for what the client would never send. */
const post = async (
  token: string,
  body: string,
  headers: Record<string, string> = {},
  path = `/v1/mcp/${WS}`,
) => {
  const res = await recordingFetch(`${h.gateway.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: text ? (JSON.parse(text) as Json) : undefined,
  };
};

const mint = async (body: Json) => {
  const r = await api('/v1/end-user-tokens', { method: 'POST', body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data.token as string;
};
const latestCall = async () =>
  (await api(`/v1/tool-calls?workspace_id=${WS}&limit=1`)).body.data.tool_calls[0];
const names = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).sort();
const textOf = (r: Json): string => r.content.map((c: Json) => c.text).join('\n');

beforeAll(async () => {
  h = await startHarness();
  const keys = generateAppKeyPair();
  gh = await startGitHubFake({ appPublicKey: keys.publicKey });
  gh.seedIssues(1, { repo: REPO });
  const i = await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'gh-mcp',
      provider: 'github',
      app: { app_id: gh.appId, slug: 'acme-sync', private_key: sensitive(keys.privateKey) },
      endpoints: { api_base_url: gh.apiBaseUrl },
    },
  });
  expect(i.status, JSON.stringify(i.body)).toBe(201);
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'gh-mcp', end_user_id: 'u_mcp', credentials: gh.valid },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  patConnection = c.body.data.id;
  const g = await api(`/v1/workspaces/${WS}/integrations/${patConnection}`, {
    method: 'PUT',
    body: { enabled_tools: ['github_create_issue', 'github_list_issues'], default_project: REPO },
  });
  expect(g.status, JSON.stringify(g.body)).toBe(200);
  boundToken = await mint({ end_user_id: 'u_mcp', workspace_ids: [WS] });
  otherToken = await mint({ end_user_id: 'u_nobody' });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await h.stop();
  await gh.stop();
});

describe('the official MCP client against the local gateway', () => {
  it('initialize: server name and version, the tools capability, no session', async () => {
    const client = await connect(boundToken);
    expect(client.getServerVersion()).toMatchObject({
      name: 'integrations-service',
      version: expect.any(String),
    });
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    expect(client.getServerCapabilities()?.resources).toBeUndefined();
    const r = await post(
      boundToken,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '0' },
        },
      }),
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('mcp-session-id')).toBeNull();
    expect(r.body.result.protocolVersion).toBe('2025-06-18');
  });

  it('tools/list: exactly the tools granted here on this user’s connections, with GET /v1/tools’s schemas', async () => {
    const client = await connect(boundToken);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['github_create_issue', 'github_list_issues']);
    const rest = await api(`/v1/tools?workspace_id=${WS}`, { key: boundToken });
    for (const t of tools) {
      const same = rest.body.data.tools.find((r: Json) => r.name === t.name);
      expect(t.inputSchema).toEqual(same.input_schema);
      expect(t.description).toContain(gh.account.name);
    }
    expect(tools.find((t) => t.name === 'github_create_issue')?.annotations?.readOnlyHint).toBe(false);
    expect(tools.find((t) => t.name === 'github_list_issues')?.annotations?.readOnlyHint).toBe(true);
  });

  it('tools/call github_create_issue files the issue at GitHub, the default project filling repo; audited', async () => {
    const client = await connect(boundToken);
    const before = gh.issueIds(REPO).length;
    const r: Json = await client.callTool({
      name: 'github_create_issue',
      arguments: { title: 'Filed by an agent' },
    });
    expect(r.isError, textOf(r)).toBe(false);
    expect(r.structuredContent.issue.title).toBe('Filed by an agent');
    expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);
    const ids = gh.issueIds(REPO);
    expect(ids.length).toBe(before + 1);
    expect(gh.issue(ids.at(-1) as number)?.title).toBe('Filed by an agent');
    expect(await latestCall()).toMatchObject({
      tool: 'github_create_issue',
      connection_id: patConnection,
      workspace_id: WS,
      actor: { type: 'end_user', id: 'u_mcp' },
      via: 'mcp',
      outcome: 'success',
    });
  });

  it('a writing call runs once per idempotency key (params._meta), the same key as /v1/tools/execute', async () => {
    const client = await connect(boundToken);
    const before = gh.issueIds(REPO).length;
    const args = {
      name: 'github_create_issue',
      arguments: { title: 'Exactly once' },
      _meta: { idempotency_key: 'mcp-once' },
    };
    const first: Json = await client.callTool(args);
    const again: Json = await client.callTool(args);
    expect(first.isError, textOf(first)).toBe(false);
    expect(again.structuredContent).toEqual(first.structuredContent);
    // Through REST with the same key and the same request: the same answer, no second issue.
    const rest = await call(h.gateway.url, '/v1/tools/execute', {
      key: boundToken,
      method: 'POST',
      headers: { 'idempotency-key': 'mcp-once' },
      body: JSON.stringify({
        tool: 'github_create_issue',
        connection_id: patConnection,
        workspace_id: WS,
        input: { title: 'Exactly once' },
      }),
    });
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    expect(rest.body.data.data).toEqual(first.structuredContent);
    expect(gh.issueIds(REPO).length).toBe(before + 1);
  });

  it('a tool not granted is absent from tools/list and refused by tools/call (-32602), nothing sent', async () => {
    const client = await connect(boundToken);
    expect(await names(client)).not.toContain('github_list_repos');
    const seen = gh.requests.length;
    const refused = await client
      .callTool({ name: 'github_list_repos', arguments: {} })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(McpError);
    expect((refused as McpError).code).toBe(-32602);
    expect((refused as McpError).message).toMatch(/Unknown tool: github_list_repos/);
    expect(gh.requests.length).toBe(seen);
  });

  it('input that fails the schema and a provider refusal are tool results with isError', async () => {
    const client = await connect(boundToken);
    const invalid: Json = await client.callTool({ name: 'github_create_issue', arguments: { title: '' } });
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toMatch(/title/);
    expect(invalid.structuredContent.error.code).toBe('validation_failed');
    expect((await latestCall()).outcome).toBe('validation_failed');

    const refused: Json = await client.callTool({
      name: 'github_create_issue',
      arguments: { repo: 'acme-corp/missing', title: 'Nowhere' },
    });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent.error.code).toBe('action_failed');
    expect(textOf(refused)).toMatch(/GitHub refused github_create_issue/);
    expect((await latestCall()).outcome).toBe('action_failed');
  });

  it('an end-user token of another user sees nothing and can call nothing', async () => {
    const client = await connect(otherToken);
    expect(await names(client)).toEqual([]);
    const refused = await client
      .callTool({ name: 'github_create_issue', arguments: { title: 'x' } })
      .catch((e) => e);
    expect((refused as McpError).code).toBe(-32602);
  });

  it('a token bound to other workspaces is refused with 403 before any message is read', async () => {
    const refused = await connect(boundToken, '/v1/mcp/ws_elsewhere').catch((e) => e);
    expect((refused as { code?: number }).code).toBe(403);
    const r = await post(
      boundToken,
      '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
      {},
      '/v1/mcp/ws_elsewhere',
    );
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32000, data: { code: 'forbidden' } },
    });
    const bad = await post('eut_forged.x.y', '{"jsonrpc":"2.0","id":1,"method":"tools/list"}');
    expect(bad.status).toBe(401);
    expect(bad.body.error.data.code).toBe('unauthorized');
  });

  it('a secret key acts for ?end_user_id= (and must name one)', async () => {
    const client = await connect(h.key, `/v1/mcp/${WS}?end_user_id=u_mcp`);
    expect(await names(client)).toEqual(['github_create_issue', 'github_list_issues']);
    const r: Json = await client.callTool({ name: 'github_list_issues', arguments: {} });
    expect(r.isError, textOf(r)).toBe(false);
    expect((await latestCall()).actor.type).toBe('key');
    const missing = await post(h.key, '{"jsonrpc":"2.0","id":1,"method":"tools/list"}');
    expect(missing.status).toBe(422);
    expect(missing.body.error.data.code).toBe('validation_failed');
  });
});

describe('the transport, as the specification says', () => {
  const list = '{"jsonrpc":"2.0","id":7,"method":"tools/list"}';

  it('GET (no SSE stream) and DELETE (no session) are 405', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await recordingFetch(`${h.gateway.url}/v1/mcp/${WS}`, {
        method,
        headers: { authorization: `Bearer ${boundToken}`, accept: 'text/event-stream' },
      });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });

  it('notifications are 202 without a body; requests are answered with their id', async () => {
    const n = await post(boundToken, '{"jsonrpc":"2.0","method":"notifications/initialized"}');
    expect(n.status).toBe(202);
    expect(n.text).toBe('');
    const r = await post(boundToken, list);
    expect(r.body.id).toBe(7);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const ping = await post(boundToken, '{"jsonrpc":"2.0","id":"p","method":"ping"}');
    expect(ping.body).toEqual({ jsonrpc: '2.0', id: 'p', result: {} });
  });

  it('refuses what is not one JSON-RPC request it knows', async () => {
    expect((await post(boundToken, '{not json')).body.error.code).toBe(-32700);
    expect((await post(boundToken, `[${list}]`)).body.error.code).toBe(-32600);
    expect((await post(boundToken, '{"id":1,"method":"tools/list"}')).body.error.code).toBe(-32600);
    const unknown = await post(boundToken, '{"jsonrpc":"2.0","id":2,"method":"resources/list"}');
    expect(unknown.status).toBe(200);
    expect(unknown.body.error.code).toBe(-32601);
    expect((await post(boundToken, list, { 'mcp-protocol-version': '1999-01-01' })).status).toBe(400);
    expect((await post(boundToken, list, { accept: 'text/html' })).status).toBe(406);
    expect((await post(boundToken, list, { 'content-type': 'text/plain' })).status).toBe(415);
    const noArgs = await post(
      boundToken,
      '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":5}}',
    );
    expect(noArgs.body.error.code).toBe(-32602);
  });
});

describe('two accounts of one provider', () => {
  it('tool names say which account; tools/call acts on that one', async () => {
    // The GitHub App installed on the acme-corp organization, for the same end user.
    const app = await api('/v1/connections', {
      method: 'POST',
      body: {
        integration: 'gh-mcp',
        end_user_id: 'u_mcp',
        credentials: { type: 'app_install', installation_id: gh.installationId },
      },
    });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const appConnection = app.body.data.id as string;
    expect(app.body.data.provider_account.name).toBe('acme-corp');
    await api(`/v1/workspaces/${WS}/integrations/${appConnection}`, {
      method: 'PUT',
      body: { enabled_tools: ['github_create_issue'] },
    });
    const client = await connect(boundToken);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'github_create_issue__acme_corp',
      'github_create_issue__octo_acme',
      'github_list_issues__octo_acme',
    ]);
    expect(tools.find((t) => t.name === 'github_create_issue__acme_corp')?.description).toContain(
      appConnection,
    );

    const r: Json = await client.callTool({
      name: 'github_create_issue__acme_corp',
      arguments: { repo: REPO, title: 'Filed as the app' },
    });
    expect(r.isError, textOf(r)).toBe(false);
    expect(await latestCall()).toMatchObject({ tool: 'github_create_issue', connection_id: appConnection });
    // The plain name is gone while both are granted.
    const plain = await client
      .callTool({ name: 'github_create_issue', arguments: { title: 'x' } })
      .catch((e) => e);
    expect((plain as McpError).code).toBe(-32602);

    // A second connection to the same account: the connection id tells them apart.
    const again = await api('/v1/integrations', {
      method: 'POST',
      body: { unique_key: 'gh-mcp-2', provider: 'github', endpoints: { api_base_url: gh.apiBaseUrl } },
    });
    expect(again.status).toBe(201);
    const twin = await api('/v1/connections', {
      method: 'POST',
      body: { integration: 'gh-mcp-2', end_user_id: 'u_mcp', credentials: gh.valid },
    });
    await api(`/v1/workspaces/${WS}/integrations/${twin.body.data.id}`, {
      method: 'PUT',
      body: { enabled_tools: ['github_list_issues'] },
    });
    const all = await names(client);
    expect(all).toContain(`github_list_issues__octo_acme_${String(twin.body.data.id).slice(-8)}`);
    expect(all).toContain(`github_list_issues__octo_acme_${patConnection.slice(-8)}`);
    expect(all).toContain('github_create_issue__acme_corp');
  });
});
