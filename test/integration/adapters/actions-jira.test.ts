import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../../adapters';
import type { HttpResponse } from '../../../adapters/http';
import { failure } from '../../../adapters/jira/rest';
import { modelSchemas } from '../../../adapters/models';
import { type JiraFake, startJiraFake } from '../../fakes/jira';
import { type ActionCall, runAction } from './action-helpers';
import { runSync } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

let jira: JiraFake;
let acme: string[];
let ops: string[];

beforeAll(async () => {
  jira = await startJiraFake();
  acme = jira.seedIssues(120);
  ops = jira.seedIssues(30, { project: 'OPS' });
  jira.seedProjects(60);
  jira.seedProjects(3, { archived: true });
});
afterAll(() => jira.stop());

const basic = (): ActionCall => ({
  credentials: jira.valid,
  baseUrl: jira.apiBaseUrl,
  metadata: { site: jira.site },
});
const oauth = (): ActionCall => ({
  credentials: jira.oauth,
  baseUrl: jira.oauthBaseUrl,
  metadata: { cloud_id: jira.cloudId, site: jira.site },
});
const act = (action: string, input: Record<string, unknown>, call: Partial<ActionCall> = {}) =>
  runAction('jira', action, { ...basic(), ...call }, input);

type Item = { id: string } & Record<string, unknown>;
type Raw = {
  key: string;
  fields: {
    summary: string;
    description: unknown;
    status: { name: string };
    resolution: { name: string } | null;
    assignee: { displayName: string } | null;
    labels: string[];
    issuetype: { name: string };
    project: { key: string };
  };
};
const raw = (id: string) => jira.issue(id) as Raw;
const idOf = (item: Item) => item.id.replace('jira_issue_', '');
const expectModel = (items: Item[], model: 'work_item' | 'project') => {
  for (const { id, ...fields } of items) {
    const parsed = modelSchemas[model].safeParse(fields);
    expect(parsed.success, `${id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  }
};
const withoutId = ({ id: _, ...rest }: Item) => rest;

/** Every page of a list action, following next_cursor. */
const everyPage = async (action: string, input: Record<string, unknown>, key: string) => {
  const pages: Item[][] = [];
  let cursor: string | null = null;
  do {
    const out = await act(action, { ...input, ...(cursor ? { cursor } : {}) });
    pages.push(out[key] as Item[]);
    cursor = out.next_cursor as string | null;
  } while (cursor !== null && pages.length < 100);
  return pages;
};

describe('jira list_projects', () => {
  it('pages through every project with next_cursor, each as the projects sync maps it', async () => {
    const pages = await everyPage('list_projects', {}, 'projects');
    expect(pages.map((p) => p.length)).toEqual([50, 15]);
    const items = pages.flat();
    expectModel(items, 'project');
    expect(items.map((p) => p.id).sort()).toEqual(
      jira
        .projectIds()
        .map((id) => `jira_project_${id}`)
        .sort(),
    );
    const synced = await runSync('jira', 'projects', basic());
    const byId = new Map(synced.records.map((r) => [r.id, r.data]));
    for (const p of items) expect(withoutId(p)).toEqual(byId.get(p.id));
    expect(items.filter((p) => p.status === 'archived')).toHaveLength(3);
  });

  it('refuses a cursor it did not answer', async () => {
    await expectProviderError(act('list_projects', { cursor: 'bm90LWEtY3Vyc29y' }), 'rejected', {
      message: /not a next_cursor/,
    });
  });
});

describe('jira list_issues', () => {
  it('lists a project newest first, 50 a page, mapped as the issues sync maps them', async () => {
    const pages = await everyPage('list_issues', { project_key: 'ACME' }, 'work_items');
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    const items = pages.flat();
    expectModel(items, 'work_item');
    expect(items.map(idOf)).toEqual([...acme].reverse());
    expect(jira.searchedJql().at(-1)).toBe('project = "ACME" ORDER BY created DESC, key DESC');
    const synced = await runSync('jira', 'issues', { ...basic(), config: { projects: ['ACME'] } });
    const byId = new Map(synced.records.map((r: SyncRecord) => [r.id, r.data]));
    for (const i of items) expect(withoutId(i)).toEqual(byId.get(i.id));
  });

  it("filters by status, and ANDs the caller's JQL (with its OR) in parentheses", async () => {
    const out = await act('list_issues', { project_key: 'OPS', status: 'in progress', limit: 100 });
    const items = out.work_items as Item[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.raw_status === 'In Progress' && i.project === 'OPS')).toBe(true);
    expect(items.map(idOf).sort()).toEqual(
      ops.filter((id) => raw(id).fields.status.name === 'In Progress').sort(),
    );

    const both = await act('list_issues', {
      project_key: 'OPS',
      jql: 'status = Done OR labels = backend ORDER BY key ASC',
      limit: 100,
    });
    expect(jira.searchedJql().at(-1)).toBe(
      'project = "OPS" AND (status = Done OR labels = backend) ORDER BY key ASC',
    );
    const expected = ops.filter((id) => {
      const f = raw(id).fields;
      return f.status.name === 'Done' || f.labels.includes('backend');
    });
    expect((both.work_items as Item[]).map(idOf)).toEqual(expected);
  });

  it('bounds a query with no filter (Jira refuses unbounded JQL) and keeps "order by" inside quotes', async () => {
    const out = await act('list_issues', { limit: 5 });
    expect((out.work_items as Item[]).map(idOf)).toEqual([...ops].reverse().slice(0, 5));
    expect(out.next_cursor).toEqual(expect.any(String));
    expect(jira.searchedJql().at(-1)).toBe('created >= "1970/01/01" ORDER BY created DESC, key DESC');

    await act('list_issues', { jql: 'labels = "order by"' });
    expect(jira.searchedJql().at(-1)).toBe('labels = "order by" ORDER BY created DESC, key DESC');
  });

  it('narrows to config.projects when no project is named', async () => {
    const out = await act('list_issues', { limit: 100 }, { config: { projects: ['OPS'] } });
    expect((out.work_items as Item[]).map(idOf).sort()).toEqual([...ops].sort());
  });

  it("bad JQL, an unknown status, a cursor of another query → rejected with Jira's reason", async () => {
    await expectProviderError(act('list_issues', { jql: 'summary ~~ x' }), 'rejected', {
      status: 400,
      message: /^Error in the JQL Query/,
    });
    await expectProviderError(act('list_issues', { project_key: 'OPS', status: 'Nope' }), 'rejected', {
      status: 400,
      message: "The value 'Nope' does not exist for the field 'status'.",
    });
    const first = await act('list_issues', { project_key: 'ACME' });
    await expectProviderError(
      act('list_issues', { project_key: 'OPS', cursor: first.next_cursor as string }),
      'rejected',
      { status: 400, message: 'The provided next page token is invalid or expired.' },
    );
  });
});

describe('jira create_issue', () => {
  it('creates the issue (ADF description, labels, assignee, type) and answers it as read back', async () => {
    const before = jira.issueIds('OPS').length;
    const out = await act('create_issue', {
      project_key: 'OPS',
      summary: 'Rotate the keys',
      description: 'First line\nsecond line\n\nA new paragraph.',
      issue_type: 'Bug',
      labels: ['security', 'ops'],
      assignee_account_id: '5b10ac8d82e05b22cc7d4ef5',
    });
    const item = out.work_item as Item;
    expectModel([item], 'work_item');
    expect(jira.issueIds('OPS')).toHaveLength(before + 1);
    const created = raw(idOf(item));
    expect(created.fields.description).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'First line' },
            { type: 'hardBreak' },
            { type: 'text', text: 'second line' },
          ],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'A new paragraph.' }] },
      ],
    });
    expect(created.fields.issuetype.name).toBe('Bug');
    expect(withoutId(item)).toMatchObject({
      title: 'Rotate the keys',
      description: 'First line\nsecond line\nA new paragraph.',
      status: 'open',
      raw_status: 'To Do',
      assignees: ['Mia Krystof'],
      labels: ['security', 'ops'],
      url: `https://acme.atlassian.net/browse/${created.key}`,
      project: 'OPS',
      due_date: null,
    });
    expect(item.id).toBe(`jira_issue_${jira.issueIdOf(created.key)}`);
  });

  it('defaults the type to Task and sends no empty description', async () => {
    const out = await act('create_issue', { project_key: 'ACME', summary: 'Plain', description: '  ' });
    const created = raw(idOf(out.work_item as Item));
    expect(created.fields.issuetype.name).toBe('Task');
    expect(created.fields.description).toBeNull();
    expect((out.work_item as Item).description).toBeNull();
  });

  it('through the gateway for OAuth connections', async () => {
    const before = jira.requests.length;
    const out = await act('create_issue', { project_key: 'ACME', summary: 'Via OAuth' }, oauth());
    expect((out.work_item as Item).title).toBe('Via OAuth');
    const calls = jira.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([
      `POST /ex/jira/${jira.cloudId}/rest/api/3/issue`,
      `GET /ex/jira/${jira.cloudId}/rest/api/3/issue/${idOf(out.work_item as Item)}`,
    ]);
  });

  it('Jira refusing fields → rejected with each field error as field: message', async () => {
    await expectProviderError(
      act('create_issue', { project_key: 'NOPE', summary: 'x', issue_type: 'Saga' }),
      'rejected',
      {
        status: 400,
        message: 'project: Specify a valid project ID or key. issuetype: The issue type selected is invalid.',
      },
    );
    await expectProviderError(
      act('create_issue', { project_key: 'ACME', summary: 'x', assignee_account_id: 'someone-else' }),
      'rejected',
      {
        status: 400,
        message: 'assignee: Specified user does not exist or you do not have required permissions.',
      },
    );
  });

  it('the read-back failing after the create: the created issue, from what was sent', async () => {
    const before = jira.issueIds('ACME').length;
    jira.failNext('down', undefined, { method: 'GET', path: /\/issue\/\d+$/ });
    const out = await act('create_issue', { project_key: 'ACME', summary: 'Landed', labels: ['x'] });
    expect(jira.issueIds('ACME')).toHaveLength(before + 1);
    const item = out.work_item as Item;
    const key = raw(idOf(item)).key;
    expectModel([item], 'work_item');
    expect(withoutId(item)).toMatchObject({
      title: 'Landed',
      status: 'open',
      raw_status: '',
      labels: ['x'],
      project: 'ACME',
      url: `https://acme.atlassian.net/browse/${key}`,
    });
  });
});

describe('jira transition_issue', () => {
  it('by transition name (any case), id, or target status; the issue moves, answered as it now is', async () => {
    const id = acme.find((x) => raw(x).fields.status.name === 'To Do') as string;
    const key = raw(id).key;
    const started = await act('transition_issue', { issue: key, transition: 'start progress' });
    expect(raw(id).fields.status.name).toBe('In Progress');
    expect(started.work_item).toMatchObject({
      id: `jira_issue_${id}`,
      status: 'in_progress',
      raw_status: 'In Progress',
    });

    const done = await act('transition_issue', { issue: id, transition: '31' });
    expect(raw(id).fields.resolution?.name).toBe('Done');
    expect(done.work_item).toMatchObject({ status: 'done', raw_status: 'Done' });

    const reopened = await act('transition_issue', { issue: `jira_issue_${id}`, transition: 'To Do' });
    expect(reopened.work_item).toMatchObject({ status: 'open', raw_status: 'To Do' });
    expect(raw(id).fields.resolution).toBeNull();
  });

  it('the issues sync sees the new status on its next incremental run', async () => {
    const since = new Date().toISOString();
    const id = acme.find((x) => raw(x).fields.status.name === 'In Progress') as string;
    await act('transition_issue', { issue: raw(id).key, transition: 'Cancel' });
    const inc = await runSync('jira', 'issues', { ...basic(), since, mode: 'incremental' });
    const record = inc.records.find((r) => r.id === `jira_issue_${id}`);
    expect(record?.data).toMatchObject({ status: 'cancelled', raw_status: 'Cancelled' });
  });

  it('an unknown transition → rejected, listing the ones the issue has now; nothing posted', async () => {
    const id = acme.find((x) => raw(x).fields.status.name === 'To Do') as string;
    const key = raw(id).key;
    const before = jira.requests.length;
    await expectProviderError(act('transition_issue', { issue: key, transition: 'Teleport' }), 'rejected', {
      message: `Jira has no transition "Teleport" for ${key} now. Available: Start Progress (id 21, to In Progress); Resolve (id 31, to Done); Cancel (id 41, to Cancelled); Move to Backlog (id 71, to Backlog).`,
    });
    expect(jira.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
    expect(raw(id).fields.status.name).toBe('To Do');
  });

  it("an issue that does not exist → rejected with Jira's message", async () => {
    await expectProviderError(
      act('transition_issue', { issue: 'ACME-99999', transition: 'Resolve' }),
      'rejected',
      {
        status: 404,
        message: 'Issue does not exist or you do not have permission to see it.',
      },
    );
  });
});

describe('jira actions: refusals, rate limits and outages', () => {
  const inputs: [string, () => Record<string, unknown>][] = [
    ['list_projects', () => ({})],
    ['list_issues', () => ({ project_key: 'ACME' })],
    ['create_issue', () => ({ project_key: 'ACME', summary: 'Fault' })],
    ['transition_issue', () => ({ issue: raw(acme[5] as string).key, transition: 'Reopen' })],
  ];

  it.each(inputs)(
    '%s: 429 → rate_limited for Retry-After, 5xx → unreachable, 403 → rejected',
    async (action, input) => {
      jira.failNext('rate_limit', 17);
      const limited = await expectProviderError(act(action, input()), 'rate_limited', {
        status: 429,
        secrets: secretsOf(jira.valid),
      });
      expect(limited.retryAfterSeconds).toBe(17);
      jira.failNext('down');
      await expectProviderError(act(action, input(), oauth()), 'unreachable', { status: 503 });
      jira.failNext('refuse');
      await expectProviderError(act(action, input()), 'rejected', {
        status: 403,
        message: jira.refusalMessage,
      });
    },
  );

  it("Jira's error body as one message: errorMessages, then each field error", () => {
    const body = {
      errorMessages: ['Issue does not exist or you do not have permission to see it.'],
      errors: { summary: 'You must specify a summary of the issue.', labels: 'Too many labels' },
    };
    const res: HttpResponse = {
      status: 400,
      headers: new Headers(),
      text: JSON.stringify(body),
      json: () => body,
      jsonOrUndefined: () => body,
    };
    const e = failure(res);
    expect(e.kind).toBe('rejected');
    expect(e.providerMessage).toBe(
      'Issue does not exist or you do not have permission to see it. summary: You must specify a summary of the issue. labels: Too many labels.',
    );
  });
});
