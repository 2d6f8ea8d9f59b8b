import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FigmaFake, startFigmaFake } from '../../fakes/figma';
import { expectValid, fetchPage, idsOf, runSync } from './sync-helpers';
import { expectProviderError } from './verify-helpers';

let figma: FigmaFake;
let design: string;
let marketing: string;
let app: string;
let web: string;
let keys: Record<string, string>;

beforeAll(async () => {
  figma = await startFigmaFake();
  design = figma.addTeam('Design');
  marketing = figma.addTeam('Marketing');
  app = figma.addProject(design, 'Mobile app');
  figma.addProject(design, 'Empty');
  web = figma.addProject(design, 'Website');
  const campaigns = figma.addProject(marketing, 'Campaigns');
  keys = {
    onboarding: figma.addFile(app, 'Onboarding', { minutesAgo: 90 }),
    checkout: figma.addFile(app, 'Checkout'),
    home: figma.addFile(web, 'Home page'),
    spring: figma.addFile(campaigns, 'Spring launch'),
  };
  figma.addFile(figma.addProject(figma.addTeam('Hidden', { visible: false }), 'Secret'), 'Secret file');
});
afterAll(() => figma.stop());

const call = (config: Record<string, unknown>) => ({
  credentials: figma.valid,
  baseUrl: figma.apiBaseUrl,
  config,
});

describe('figma files', () => {
  it('walks teams → projects → files, one project a page, each file a design document', async () => {
    const run = await runSync('figma', 'files', call({ team_ids: [design, marketing] }));
    expectValid(run.records, 'document');
    expect(idsOf(run.records)).toEqual(
      Object.values(keys)
        .map((k) => `figma_file_${k}`)
        .sort(),
    );
    // Mobile app, Empty, Website, Campaigns: a page each.
    expect(run.pages).toBe(4);
    const onboarding = run.records.find((r) => r.id === `figma_file_${keys.onboarding}`);
    expect(onboarding?.data).toEqual({
      title: 'Onboarding',
      kind: 'design',
      url: `https://www.figma.com/file/${keys.onboarding}`,
      parent: 'Mobile app',
      author: null,
      content_excerpt: null,
      created_at: null,
      last_edited_at: new Date(
        Math.floor(((figma.files.get(keys.onboarding as string)?.lastModified ?? 0) as number) / 1000) * 1000,
      ).toISOString(),
    });
  });

  it('keeps to config.project_ids', async () => {
    const run = await runSync('figma', 'files', call({ team_ids: [design, marketing], project_ids: [web] }));
    expect(idsOf(run.records)).toEqual([`figma_file_${keys.home}`]);
  });

  it('resumes from a checkpoint without listing the team again', async () => {
    const first = await fetchPage('figma', 'files', call({ team_ids: [design] }));
    expect(first.next).toBeDefined();
    const before = figma.requests.filter((r) => r.path.endsWith('/projects')).length;
    const rest = await runSync('figma', 'files', { ...call({ team_ids: [design] }), checkpoint: first.next });
    expect(figma.requests.filter((r) => r.path.endsWith('/projects')).length).toBe(before);
    expect(idsOf([...first.records, ...rest.records])).toEqual(
      [keys.onboarding, keys.checkout, keys.home].map((k) => `figma_file_${k}`).sort(),
    );
  });

  it('refuses a team the token cannot see with Figma’s words', async () => {
    const hidden = [...figma.teams.values()].find((t) => t.name === 'Hidden')?.id as string;
    await expectProviderError(runSync('figma', 'files', call({ team_ids: [hidden] })), 'rejected', {
      message: `Figma knows no team ${hidden} (config.team_ids).`,
      status: 404,
    });
  });

  it('refuses to run without config.team_ids, saying why (Figma cannot list a user’s teams)', async () => {
    for (const sync of ['files', 'comments']) {
      await expectProviderError(runSync('figma', sync, call({})), 'rejected', {
        message: /^Figma has no API that lists your teams: set config.team_ids/,
      });
    }
  });

  it('maps 429 to rate_limited with Retry-After, 5xx to unreachable', async () => {
    figma.failNext('rate_limit', 42);
    const e = await expectProviderError(
      runSync('figma', 'files', call({ team_ids: [design] })),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(42);
    figma.failNext('down');
    await expectProviderError(runSync('figma', 'files', call({ team_ids: [design] })), 'unreachable');
  });
});

describe('figma comments', () => {
  it('reads every comment of every file, replies with their thread, a file a page', async () => {
    const first = figma.addComment(keys.onboarding as string, 'Bigger button?', { silent: true });
    figma.addComment(keys.onboarding as string, 'Done.', { by: figma.me, parentId: first, silent: true });
    figma.addComment(keys.spring as string, 'Ping ', { mention: figma.me, silent: true });
    const run = await runSync('figma', 'comments', call({ team_ids: [design, marketing] }));
    expectValid(run.records, 'message');
    expect(run.records).toHaveLength(3);
    // One page per file (4 files).
    expect(run.pages).toBe(4);
    const reply = run.records.find((r) => r.data.text === 'Done.');
    expect(reply?.data).toMatchObject({
      channel: keys.onboarding,
      author: figma.me.handle,
      thread_id: first,
      url: `https://www.figma.com/file/${keys.onboarding}#${reply?.id.replace('figma_comment_', '')}`,
    });
    expect(run.records.find((r) => r.id === `figma_comment_${first}`)?.data.thread_id).toBeNull();
    expect(run.records.find((r) => r.data.channel === keys.spring)?.data).toMatchObject({
      text: `Ping @${figma.me.handle}`,
      author: figma.colleague.handle,
    });
  });

  it('goes on to the next team after a team whose last project has no file', async () => {
    const ops = figma.addTeam('Ops');
    figma.addProject(ops, 'Has one');
    figma.addFile([...figma.projects.values()].find((p) => p.name === 'Has one')?.id as string, 'Runbook');
    figma.addProject(ops, 'Empty at the end');
    const run = await runSync('figma', 'comments', call({ team_ids: [ops, marketing] }));
    // Only Spring launch (Marketing) has comments; none read twice, none missed.
    expect(run.records.map((r) => r.data.channel)).toEqual([keys.spring]);
    const files = await runSync('figma', 'files', call({ team_ids: [ops, marketing] }));
    expect(files.records.map((r) => r.data.title).sort()).toEqual(['Runbook', 'Spring launch']);
  });

  it('skips a file deleted between listing and reading its comments', async () => {
    const gone = figma.addFile(web, 'Short-lived');
    figma.addComment(gone, 'Bye', { silent: true });
    const pages: unknown[] = [];
    let checkpoint: unknown;
    let deleted = false;
    for (let i = 0; i < 20; i++) {
      const page = await fetchPage('figma', 'comments', {
        ...call({ team_ids: [design] }),
        ...(checkpoint === undefined ? {} : { checkpoint }),
      });
      pages.push(...page.records);
      // Once the Website project's files are listed (they are in the checkpoint), the file goes.
      const files = (page.next as { files?: { key: string }[] } | undefined)?.files;
      if (!deleted && files?.some((f) => f.key === gone)) {
        figma.files.delete(gone);
        deleted = true;
      }
      if (page.next === undefined) break;
      checkpoint = JSON.parse(JSON.stringify(page.next));
    }
    expect(deleted).toBe(true);
    expect(pages.some((r) => (r as { data: { text: string } }).data.text === 'Bye')).toBe(false);
  });

  it('refuses a token without file_comments:read', async () => {
    await expectProviderError(
      runSync('figma', 'comments', {
        credentials: figma.meOnly,
        baseUrl: figma.apiBaseUrl,
        config: { team_ids: [design] },
      }),
      'rejected',
      { message: /requires the projects:read scope/, status: 403 },
    );
  });
});
