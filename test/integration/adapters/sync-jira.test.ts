import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, SyncRecord } from '../../../adapters';
import { type JiraFake, startJiraFake } from '../../fakes/jira';
import { randomToken } from '../../fakes/server';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

let jira: JiraFake;
let acme: string[];
let ops: string[];

beforeAll(async () => {
  jira = await startJiraFake();
  acme = jira.seedIssues(230);
  ops = jira.seedIssues(40, { project: 'OPS' });
  // With ACME and OPS: 127 projects, three pages of the project search.
  jira.seedProjects(120);
  jira.seedProjects(5, { archived: true });
});
afterAll(() => jira.stop());

/** Basic auth against the site, as a connection with config.site = acme.atlassian.net. */
const basic = (): SyncCall => ({
  credentials: jira.valid,
  baseUrl: jira.apiBaseUrl,
  metadata: { site: jira.site },
});
/** OAuth through the gateway, with the cloud id verification stored. */
const oauth = (): SyncCall => ({
  credentials: jira.oauth,
  baseUrl: jira.oauthBaseUrl,
  metadata: { cloud_id: jira.cloudId, site: jira.site },
});
const issues = (call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('jira', 'issues', { ...basic(), ...call }, o);
const recordIds = (ids: string[]) => ids.map((id) => `jira_issue_${id}`).sort();
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));
const maxUpdated = (records: SyncRecord[]) =>
  records
    .map((r) => String(r.data.updated_at))
    .sort()
    .at(-1) ?? '';

/** `yyyy/MM/dd HH:mm` in the fake user's zone: how Jira reads a JQL date. */
const inUserZone = (iso: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: jira.userTimeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}`;
};

type RawIssue = {
  key: string;
  fields: {
    summary: string;
    status: { name: string; statusCategory: { key: string } };
    resolution: { name: string } | null;
    assignee: { displayName: string } | null;
    labels: string[];
    duedate: string | null;
    project: { key: string };
    created: string;
    updated: string;
  };
};

describe('jira issues: a full run', () => {
  it('reads every issue of every project exactly once, 100 a page, with a bounded query', async () => {
    const run = await issues();
    expectValid(run.records, 'work_item');
    expect(idsOf(run.records)).toEqual(recordIds([...acme, ...ops]));
    expect(run.pages).toBe(3);
    // Jira refuses unbounded JQL on this endpoint: the full run bounds it without narrowing.
    const jql = jira.searchedJql().at(-1) ?? '';
    expect(jql).toMatch(/ORDER BY created ASC/);
  });

  it('maps each issue from what Jira answers for it', async () => {
    const run = await issues();
    const statuses = new Set<string>();
    for (const r of run.records) {
      const raw = jira.issue(r.id.replace('jira_issue_', '')) as RawIssue;
      const f = raw.fields;
      const seq = Number(raw.key.split('-')[1]) + (f.project.key === 'OPS' ? 230 : 0);
      const status =
        f.resolution?.name === "Won't Do"
          ? 'cancelled'
          : ({ new: 'open', indeterminate: 'in_progress', done: 'done' } as Record<string, string>)[
              f.status.statusCategory.key
            ];
      statuses.add(String(status));
      const description =
        seq % 5 === 0
          ? null
          : seq % 3 === 0
            ? `Description of ${raw.key}.\nAsk @Mia Krystof\nThanks`
            : `Description of ${raw.key}.`;
      expect(r.data).toEqual({
        title: f.summary,
        description,
        status,
        raw_status: f.status.name,
        assignees: f.assignee ? [f.assignee.displayName] : [],
        labels: f.labels,
        url: `https://acme.atlassian.net/browse/${raw.key}`,
        project: f.project.key,
        due_date: f.duedate,
        created_at: new Date(f.created.replace(/(\d{2})(\d{2})$/, '$1:$2')).toISOString(),
        updated_at: new Date(f.updated.replace(/(\d{2})(\d{2})$/, '$1:$2')).toISOString(),
      });
    }
    expect([...statuses].sort()).toEqual(['cancelled', 'done', 'in_progress', 'open']);
  });

  it('flattens a rich description and maps a cancelled status exactly', async () => {
    const id = ops[3] as string;
    jira.updateIssue(id, {
      summary: 'Rotate the database credentials',
      description: {
        type: 'doc',
        version: 1,
        content: [
          { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Why' }] },
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'They leaked in ' },
              { type: 'inlineCard', attrs: { url: 'https://acme.atlassian.net/browse/SEC-1' } },
              { type: 'hardBreak' },
              { type: 'emoji', attrs: { shortName: ':fire:', text: '🔥' } },
            ],
          },
          {
            type: 'bulletList',
            content: [
              {
                type: 'listItem',
                content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }],
              },
              {
                type: 'listItem',
                content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two' }] }],
              },
            ],
          },
        ],
      },
      status: 'Cancelled',
      resolution: null,
      assignee: 'Sam Okafor',
      labels: ['security', 'ops'],
      duedate: '2025-11-03',
    });
    const raw = jira.issue(id) as RawIssue;
    const run = await issues({ config: { projects: ['OPS'] } });
    expect(byId(run.records).get(`jira_issue_${id}`)).toEqual({
      title: 'Rotate the database credentials',
      description: 'Why\nThey leaked in https://acme.atlassian.net/browse/SEC-1\n🔥\none\ntwo',
      status: 'cancelled',
      raw_status: 'Cancelled',
      assignees: ['Sam Okafor'],
      labels: ['security', 'ops'],
      url: `https://acme.atlassian.net/browse/${raw.key}`,
      project: 'OPS',
      due_date: '2025-11-03',
      created_at: new Date(raw.fields.created.replace(/(\d{2})(\d{2})$/, '$1:$2')).toISOString(),
      updated_at: new Date(raw.fields.updated.replace(/(\d{2})(\d{2})$/, '$1:$2')).toISOString(),
    });
  });

  it('narrows to config.projects with a quoted project clause', async () => {
    const run = await issues({ config: { projects: ['OPS'] } });
    expect(idsOf(run.records)).toEqual(recordIds(ops));
    expect(jira.searchedJql().at(-1)).toMatch(/^project in \("OPS"\) ORDER BY created ASC/);
  });

  it('an unknown project → rejected with the reason Jira gives', async () => {
    await expectProviderError(
      fetchPage('jira', 'issues', { ...basic(), config: { projects: ['NOPE'] } }),
      'rejected',
      { message: "The value 'NOPE' does not exist for the field 'project'.", status: 400 },
    );
  });

  it('goes through the gateway with the cloud id for OAuth connections', async () => {
    const before = jira.requests.length;
    const run = await runSync('jira', 'issues', oauth());
    expect(idsOf(run.records)).toEqual(recordIds([...acme, ...ops]));
    const searches = jira.requests.slice(before);
    expect(searches.every((r) => r.path === `/ex/jira/${jira.cloudId}/rest/api/3/search/jql`)).toBe(true);
    expect(searches[0]?.headers.authorization).toMatch(/^Bearer /);
    // The site's browse URL even though the calls go through the gateway.
    expect(run.records[0]?.data.url).toMatch(/^https:\/\/acme\.atlassian\.net\/browse\/ACME-/);
  });

  it('an OAuth connection without its cloud id → rejected, nothing sent', async () => {
    const before = jira.requests.length;
    await expectProviderError(fetchPage('jira', 'issues', { ...oauth(), metadata: {} }), 'rejected', {
      message: /cloud id/,
    });
    expect(jira.requests.length).toBe(before);
  });

  it('rejects a wrong API token, without echoing it', async () => {
    const wrong: Credentials = { type: 'basic', username: 'mia@acme.com', password: randomToken(24) };
    await expectProviderError(fetchPage('jira', 'issues', { ...basic(), credentials: wrong }), 'rejected', {
      status: 401,
      secrets: secretsOf(wrong),
    });
  });
});

describe('jira issues: incremental and resumed runs', () => {
  it("since: the JQL date is written in the user's zone, so only newer issues come back", async () => {
    const full = await issues();
    const since = new Date(Date.parse(maxUpdated(full.records)) + 60_000).toISOString();
    const changed = [acme[0], acme[120], ops[39]] as string[];
    for (const id of changed) jira.updateIssue(id, { summary: `changed ${id}` });
    jira.deleteIssue(acme[1] as string);
    const added = jira.seedIssues(2, { project: 'OPS' });

    const before = jira.requests.length;
    const inc = await issues({ since, mode: 'incremental' });
    expectValid(inc.records, 'work_item');
    expect(idsOf(inc.records)).toEqual(recordIds([...changed, ...added]));
    expect(byId(inc.records).get(`jira_issue_${changed[0]}`)?.title).toBe(`changed ${changed[0]}`);
    expect(jira.searchedJql().at(-1)).toBe(`updated >= "${inUserZone(since)}" ORDER BY created ASC, key ASC`);
    // The zone is asked once, on the first page.
    const calls = jira.requests.slice(before).map((r) => r.path);
    expect(calls.filter((p) => p === '/rest/api/3/myself')).toHaveLength(1);
    expect(calls[0]).toBe('/rest/api/3/myself');
  });

  it('since is floored to the minute: an overlap, never a gap', async () => {
    const id = ops[5] as string;
    jira.updateIssue(id, { labels: ['touched'] });
    const updated = (jira.issue(id) as RawIssue).fields.updated.replace(/(\d{2})(\d{2})$/, '$1:$2');
    const since = new Date(Date.parse(updated) + 30_000).toISOString();
    const inc = await issues({ since, mode: 'incremental' });
    expect(idsOf(inc.records)).toContain(`jira_issue_${id}`);
  });

  it('resumes from a stored checkpoint with the same query, each issue once', async () => {
    const all = await issues();
    for (let k = 1; k < all.pages; k++) {
      const first = await issues({}, { maxPages: k });
      const rest = await issues({ checkpoint: first.checkpoints.at(-1) });
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
    }
    // An incremental run resumes its own query, not a new one with a later `since`.
    const since = new Date(Date.now() - 86_400_000 * 365).toISOString();
    const first = await issues({ since, mode: 'incremental' }, { maxPages: 1 });
    const jql = jira.searchedJql().at(-1);
    await issues({
      since: new Date().toISOString(),
      mode: 'incremental',
      checkpoint: first.checkpoints.at(-1),
    });
    expect(jira.searchedJql().at(-1)).toBe(jql);
  });

  it('an issue edited mid-run makes no other issue go missing', async () => {
    const all = await issues();
    const first = await issues({}, { maxPages: 1 });
    jira.updateIssue(acme[10] as string, { summary: 'edited while syncing' });
    jira.updateIssue(acme[150] as string, { summary: 'edited while syncing too' });
    const rest = await issues({ checkpoint: first.checkpoints.at(-1) });
    expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
  });
});

describe('jira issues: rate limits and outages', () => {
  it('429 → rate_limited for Retry-After; the same checkpoint then goes on', async () => {
    const first = await issues({}, { maxPages: 1 });
    const checkpoint = first.checkpoints.at(-1);
    jira.rateLimitNext(1, 42);
    const e = await expectProviderError(
      fetchPage('jira', 'issues', { ...basic(), checkpoint }),
      'rate_limited',
      {
        status: 429,
        secrets: secretsOf(jira.valid),
      },
    );
    expect(e.retryAfterSeconds).toBe(42);
    const page = await fetchPage('jira', 'issues', { ...basic(), checkpoint });
    expect(page.records.length).toBe(100);
  });

  it('5xx → unreachable, counted as a list call', async () => {
    const calls = jira.listCalls();
    jira.failNext(2, 503);
    await expectProviderError(fetchPage('jira', 'issues', basic()), 'unreachable', { status: 503 });
    await expectProviderError(fetchPage('jira', 'issues', oauth()), 'unreachable', { status: 503 });
    expect(jira.listCalls() - calls).toBe(2);
    expect((await fetchPage('jira', 'issues', basic())).records.length).toBe(100);
  });
});

type RawProject = {
  id: string;
  key: string;
  name: string;
  description: string;
  archived?: boolean;
  projectCategory?: { name: string };
};

const projects = (call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('jira', 'projects', { ...basic(), ...call }, o);
const projectRecordIds = (ids: string[]) => ids.map((id) => `jira_project_${id}`).sort();
const rawProject = (id: string) => jira.project(id) as RawProject;
/** The projects a run resumed after `key` must read: every one now listed with a later key. */
const projectsAfter = (key: string) =>
  projectRecordIds(jira.projectIds().filter((id) => rawProject(id).key > key));

describe('jira projects: a full run', () => {
  it('reads every live and archived project exactly once, 50 a page, in key order', async () => {
    const before = jira.projectQueries().length;
    const run = await projects();
    expectValid(run.records, 'project');
    expect(run.records).toHaveLength(127);
    expect(idsOf(run.records)).toEqual(projectRecordIds(jira.projectIds()));
    expect(run.pages).toBe(3);
    const keys = run.records.map((r) => String(r.data.key));
    expect(keys).toEqual([...keys].sort());
    const asked = jira.projectQueries().slice(before);
    // Each page after the first starts at the last project read: 50, then 49 new a page.
    expect(asked.map((q) => q.get('startAt'))).toEqual(['0', '49', '98']);
    for (const q of asked) {
      expect(q.get('orderBy')).toBe('key');
      expect(q.get('maxResults')).toBe('50');
      expect(q.getAll('status').sort()).toEqual(['archived', 'live']);
      expect(q.get('expand')).toContain('description');
    }
  });

  it('maps each project from what Jira answers for it', async () => {
    const run = await projects();
    for (const r of run.records) {
      const raw = rawProject(r.id.replace('jira_project_', ''));
      expect(r.data).toEqual({
        name: raw.name,
        kind: 'project',
        key: raw.key,
        description: raw.description === '' ? null : raw.description,
        status: raw.archived ? 'archived' : 'active',
        raw_status: raw.archived ? 'archived' : 'live',
        url: `https://acme.atlassian.net/browse/${raw.key}`,
        parent: raw.projectCategory?.name ?? null,
        starts_at: null,
        ends_at: null,
        created_at: null,
        updated_at: null,
      });
    }
    const values = (f: string) => new Set(run.records.map((r) => r.data[f]));
    expect([...values('status')].sort()).toEqual(['active', 'archived']);
    expect(values('parent')).toEqual(new Set(['Engineering', null]));
    expect(values('description').has(null)).toBe(true);
  });

  it('narrows to config.projects with the keys filter', async () => {
    const run = await projects({ config: { projects: ['OPS', 'ACME'] } });
    expect(run.records.map((r) => r.data.key)).toEqual(['ACME', 'OPS']);
    expect(jira.projectQueries().at(-1)?.getAll('keys')).toEqual(['OPS', 'ACME']);
  });

  it('goes through the gateway with the cloud id for OAuth connections', async () => {
    const before = jira.requests.length;
    const run = await runSync('jira', 'projects', oauth());
    expect(idsOf(run.records)).toEqual(projectRecordIds(jira.projectIds()));
    const calls = jira.requests.slice(before);
    expect(calls.every((r) => r.path === `/ex/jira/${jira.cloudId}/rest/api/3/project/search`)).toBe(true);
    expect(run.records[0]?.data.url).toBe('https://acme.atlassian.net/browse/ACME');
  });

  it('a project moved to the trash is no longer listed (the full run marks it deleted)', async () => {
    const gone = jira.projectIds().at(-3) as string;
    jira.deleteProject(rawProject(gone).key);
    const run = await projects();
    expect(idsOf(run.records)).toEqual(projectRecordIds(jira.projectIds()));
    expect(idsOf(run.records)).not.toContain(`jira_project_${gone}`);
  });
});

describe('jira projects: the list moving under a run', () => {
  const lastKey = (run: { records: { data: Record<string, unknown> }[] }) =>
    String(run.records.at(-1)?.data.key);

  it('projects deleted and added before the resume point: none skipped, none twice', async () => {
    const first = await projects({}, { maxPages: 1 });
    expect(first.checkpoints).toHaveLength(1);
    const read = first.records.map((r) => String(r.data.key));
    jira.deleteProject(read[3] as string);
    jira.deleteProject(read[10] as string);
    jira.createProject('AAB', { name: 'Added mid-run' });
    const rest = await projects({ checkpoint: first.checkpoints.at(-1) });
    expect(idsOf(rest.records)).toEqual(projectsAfter(lastKey(first)));
    const all = [...first.records, ...rest.records];
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
  });

  it('the last project read deleted, and more than a page before it: the run steps back', async () => {
    const first = await projects({}, { maxPages: 2 });
    expect(first.checkpoints).toHaveLength(2);
    const read = first.records.map((r) => String(r.data.key));
    for (const key of read.slice(20)) jira.deleteProject(key);
    const rest = await projects({ checkpoint: first.checkpoints.at(-1) });
    expect(rest.records.length).toBeGreaterThan(0);
    expect(idsOf(rest.records)).toEqual(projectsAfter(lastKey(first)));
  });

  it('projects added before the resume point in bulk: the run finds its place again', async () => {
    jira.seedProjects(100);
    const first = await projects({}, { maxPages: 1 });
    expect(first.checkpoints).toHaveLength(1);
    for (let n = 0; n < 60; n++)
      jira.createProject(`AB${String.fromCharCode(65 + (n % 26))}${Math.floor(n / 26)}`);
    const rest = await projects({ checkpoint: first.checkpoints.at(-1) });
    expect(idsOf(rest.records)).toEqual(projectsAfter(lastKey(first)));
  });
});

describe('jira projects: refusals, rate limits and outages', () => {
  it('429 → rate_limited for Retry-After; the same checkpoint then goes on', async () => {
    const first = await projects({}, { maxPages: 1 });
    const checkpoint = first.checkpoints.at(-1);
    jira.failNext('rate_limit', 42);
    const e = await expectProviderError(
      fetchPage('jira', 'projects', { ...basic(), checkpoint }),
      'rate_limited',
      {
        status: 429,
        secrets: secretsOf(jira.valid),
      },
    );
    expect(e.retryAfterSeconds).toBe(42);
    const page = await fetchPage('jira', 'projects', { ...basic(), checkpoint });
    expect(page.records.length).toBeGreaterThan(0);
  });

  it("5xx → unreachable; a refusal → rejected with Jira's message; a wrong token → rejected 401", async () => {
    jira.failNext('down');
    await expectProviderError(fetchPage('jira', 'projects', basic()), 'unreachable', { status: 503 });
    jira.failNext('refuse');
    await expectProviderError(fetchPage('jira', 'projects', oauth()), 'rejected', {
      status: 403,
      message: jira.refusalMessage,
    });
    const wrong: Credentials = { type: 'basic', username: 'mia@acme.com', password: randomToken(24) };
    await expectProviderError(fetchPage('jira', 'projects', { ...basic(), credentials: wrong }), 'rejected', {
      status: 401,
      secrets: secretsOf(wrong),
    });
  });
});
