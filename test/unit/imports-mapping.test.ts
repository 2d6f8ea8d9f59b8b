import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  detectPreset,
  isFormulaLike,
  normaliseStatus,
  parseDate,
  resolveMapping,
  rowMapper,
} from '../../core/imports/mapping';
import { sniff } from '../../core/imports/sniff';

const FIXTURES = join(import.meta.dirname, '../fixtures/imports');

/** A sample export as the worker sees it: sniffed, recognised, every row mapped. */
const importSample = (file: string) => {
  const bytes = readFileSync(join(FIXTURES, file));
  const format = sniff(bytes, true);
  const resolved = resolveMapping(format.header, undefined);
  if ('error' in resolved) throw new Error(resolved.error);
  const rows = parse(bytes.subarray(format.dataOffset), {
    delimiter: format.delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  const map = rowMapper(format.header, resolved);
  const mapped = rows.map((cells, i) => map(cells, i + 2));
  const records = Object.fromEntries(
    mapped.map((m) => {
      if (!m.ok) throw new Error(JSON.stringify(m.error));
      return [m.id, m.data as Record<string, unknown>];
    }),
  );
  return { source: resolved.source, records };
};

describe('sample exports: recognised from their headers and mapped to work_item', () => {
  it('Jira (all fields; repeated Labels columns, dd/MMM/yy dates, a resolution that cancels)', () => {
    const { source, records } = importSample('jira.csv');
    expect(source).toBe('jira');
    expect(Object.keys(records)).toEqual([
      'csv_jira_PAY-101',
      'csv_jira_PAY-102',
      'csv_jira_PAY-103',
      'csv_jira_PAY-104',
    ]);
    expect(records['csv_jira_PAY-101']).toMatchObject({
      title: 'Login page crashes on Safari',
      description: 'Steps:\n1. Open /login in Safari 17\n2. Click "Sign in"',
      status: 'in_progress',
      raw_status: 'In Progress',
      assignees: ['Ada Lovelace'],
      labels: ['frontend', 'safari'],
      project: 'PAY',
      due_date: '2026-04-30',
      created_at: '2026-04-15T09:30:00.000Z',
      updated_at: '2026-04-16T14:05:00.000Z',
      raw: { issue_type: 'Bug', priority: 'High', reporter: 'Grace Hopper' },
    });
    expect(records['csv_jira_PAY-102']).toMatchObject({ status: 'done', raw_status: 'Done' });
    // Closed with resolution "Won't Do": cancelled, as the Jira sync says.
    expect(records['csv_jira_PAY-103']).toMatchObject({
      status: 'cancelled',
      raw_status: 'Closed',
      assignees: [],
    });
    expect(records['csv_jira_PAY-104']).toMatchObject({ status: 'open', raw_status: 'To Do' });
  });

  it('Trello (list name as status, created time from the card id)', () => {
    const { source, records } = importSample('trello.csv');
    expect(source).toBe('trello');
    const card = records.csv_trello_6620f2a0c3b2a1d4e5f60719;
    expect(card).toMatchObject({
      title: 'Fix footer links',
      status: 'done',
      raw_status: 'Done',
      assignees: ['ada', 'grace'],
      labels: ['Bug (red)', 'Quick win (green)'],
      url: 'https://trello.com/c/Ef56Gh78/13-fix-footer-links',
      project: 'Website',
      created_at: new Date(0x6620f2a0 * 1000).toISOString(),
      updated_at: '2026-04-15T10:30:00.000Z',
    });
    expect(records.csv_trello_6620f1a0c3b2a1d4e5f60718).toMatchObject({
      status: 'in_progress',
      due_date: '2026-05-01T12:00:00.000Z',
    });
    expect(records.csv_trello_6620f3a0c3b2a1d4e5f6071a).toMatchObject({
      status: 'open',
      raw_status: 'To Do',
    });
  });

  it('Asana (complete or not; the section says where it stands)', () => {
    const { source, records } = importSample('asana.csv');
    expect(source).toBe('asana');
    expect(records.csv_asana_1207012345678901).toMatchObject({
      title: 'Hire a designer',
      status: 'done',
      raw_status: 'completed',
      due_date: '2026-04-09',
      created_at: '2026-04-01T00:00:00.000Z',
      project: 'Team Ops',
    });
    expect(records.csv_asana_1207012345678902).toMatchObject({
      status: 'in_progress',
      raw_status: 'In Progress',
      labels: ['events', 'travel'],
      assignees: ['Grace Hopper'],
      description: 'Venue, agenda, budget',
    });
    expect(records.csv_asana_1207012345678903).toMatchObject({
      status: 'open',
      raw_status: 'Backlog',
      assignees: [],
    });
  });

  it('ClickUp (epoch-millisecond dates, bracketed lists)', () => {
    const { source, records } = importSample('clickup.csv');
    expect(source).toBe('clickup');
    expect(records.csv_clickup_86b0abc1).toMatchObject({
      title: 'Set up CI',
      status: 'in_progress',
      raw_status: 'in progress',
      assignees: ['Ada Lovelace', 'Grace Hopper'],
      labels: ['devops'],
      project: 'Engineering',
      created_at: new Date(1776245400000).toISOString(),
    });
    expect(records.csv_clickup_86b0abc2).toMatchObject({ status: 'done', raw_status: 'complete' });
    expect(records.csv_clickup_86b0abc3).toMatchObject({
      status: 'cancelled',
      raw_status: 'Cancelled',
      assignees: [],
    });
  });

  it('Linear (Date.toString dates; canceled and completed times decide)', () => {
    const { source, records } = importSample('linear.csv');
    expect(source).toBe('linear');
    expect(records['csv_linear_ENG-42']).toMatchObject({
      title: 'Rate limit the public API',
      status: 'in_progress',
      assignees: ['Grace Hopper'],
      labels: ['Backend', 'Security'],
      project: 'Engineering',
      due_date: '2026-04-30',
      created_at: '2026-04-01T09:30:00.000Z',
      updated_at: '2026-04-16T14:00:00.000Z',
    });
    expect(records['csv_linear_ENG-43']).toMatchObject({ status: 'done', raw_status: 'Done' });
    expect(records['csv_linear_ENG-44']).toMatchObject({ status: 'cancelled', raw_status: 'Canceled' });
    expect(records['csv_linear_ENG-45']).toMatchObject({ status: 'open', raw_status: 'Backlog' });
  });

  it('GitHub issues (gh issue list --json, flattened: state + stateReason as the sync maps them)', () => {
    const { source, records } = importSample('github.csv');
    expect(source).toBe('github');
    expect(records.csv_github_1347).toMatchObject({
      title: 'Crash when the config file is empty',
      status: 'open',
      raw_status: 'open',
      labels: ['bug', 'good first issue'],
      url: 'https://github.com/acme/cli/issues/1347',
      created_at: '2026-04-10T08:00:00.000Z',
    });
    expect(records.csv_github_1348).toMatchObject({
      status: 'done',
      raw_status: 'completed',
      assignees: ['hubot', 'octocat'],
    });
    expect(records.csv_github_1349).toMatchObject({ status: 'cancelled', raw_status: 'not_planned' });
  });
});

describe('mapping', () => {
  it('refuses unknown headers naming the columns, with a suggested mapping', () => {
    const r = resolveMapping(['Ref', 'Headline', 'Stage', 'Owner', 'Opened'], undefined);
    expect('error' in r && r.error).toMatch(/"Ref", "Headline", "Stage", "Owner", "Opened"/);
    expect('error' in r && r.suggested).toEqual({
      id_column: 'Ref',
      columns: { Headline: 'title', Stage: 'status', Owner: 'assignees', Opened: 'created_at' },
    });
  });

  it('takes an explicit mapping over a recognised export, and names columns it lacks', () => {
    const header = ['Issue key', 'Summary', 'Status'];
    const r = resolveMapping(header, { id_column: 'Summary', columns: { 'Issue key': 'title' } });
    expect(r).toMatchObject({ source: 'custom' });
    const bad = resolveMapping(header, { id_column: 'Key', columns: { Title: 'title' } });
    expect('error' in bad && bad.error).toMatch(/"Key", "Title"/);
  });

  it('fails a row alone: wrong field count, empty id, a date that is none', () => {
    const resolved = resolveMapping(['id', 'title', 'created'], {
      id_column: 'id',
      columns: { title: 'title', created: 'created_at' },
    });
    if ('error' in resolved) throw new Error(resolved.error);
    const map = rowMapper(['id', 'title', 'created'], resolved);
    expect(map(['1', 'a'], 2)).toEqual({
      ok: false,
      error: { row: 2, message: 'The row has 2 fields; the header has 3.' },
    });
    expect(map(['', 'a', ''], 3)).toMatchObject({ ok: false, error: { row: 3, column: 'id' } });
    expect(map(['2', 'a', 'someday'], 4)).toMatchObject({ ok: false, error: { row: 4, column: 'created' } });
    expect(map(['3', 'a', '2026-01-02'], 5)).toMatchObject({ ok: true, id: 'csv_custom_3' });
  });

  it('fails a row over 350 KB once mapped, counting what JSON escapes and list items add', () => {
    const header = ['id', 'title', 'body', 'labels'];
    const resolved = resolveMapping(header, {
      id_column: 'id',
      columns: { title: 'title', body: 'description', labels: 'labels' },
    });
    if ('error' in resolved) throw new Error(resolved.error);
    const map = rowMapper(header, resolved);
    const over = { ok: false, error: { row: 2, message: 'The row is over 350 KB once mapped.' } };
    expect(map(['1', 't', 'x'.repeat(360 * 1024), ''], 2)).toEqual(over);
    // 60,000 characters that JSON writes as `\u0001` (6 bytes each): 360 KB stored.
    expect(map(['1', 't', '\u0001'.repeat(60_000), ''], 2)).toEqual(over);
    // 50,000 labels (0 to 49999): 289 KB of cell, 389 KB of JSON list (quotes and commas).
    const labels = Array.from({ length: 50_000 }, (_, i) => i).join(',');
    expect(map(['1', 't', '', labels], 2)).toEqual(over);
    expect(map(['1', 't', 'x'.repeat(300 * 1024), ''], 2)).toMatchObject({ ok: true });
  });

  it('keeps formula-like cells as text and flags them', () => {
    const resolved = resolveMapping(['id', 'title'], { id_column: 'id', columns: { title: 'title' } });
    if ('error' in resolved) throw new Error(resolved.error);
    const m = rowMapper(['id', 'title'], resolved)(['1', '=HYPERLINK("http://evil","x")'], 2);
    expect(m).toMatchObject({
      ok: true,
      formulaCells: 1,
      data: { title: '=HYPERLINK("http://evil","x")', raw: { formula_cells: 'title' } },
    });
    expect(isFormulaLike('-5')).toBe(false);
    expect(isFormulaLike('+1 (555) 0100')).toBe(true);
    expect(isFormulaLike('@SUM(A1)')).toBe(true);
  });

  it('normalises status names and parses the exports’ dates', () => {
    expect(
      ['To Do', 'Backlog', 'Doing', 'In Review', 'Done', "Won't Fix", 'Closed'].map(normaliseStatus),
    ).toEqual(['open', 'open', 'in_progress', 'in_progress', 'done', 'cancelled', 'done']);
    expect(parseDate('15/Apr/26 12:05 PM')).toBe('2026-04-15T12:05:00.000Z');
    expect(parseDate('15/Apr/26 12:05 AM')).toBe('2026-04-15T00:05:00.000Z');
    expect(parseDate('2026-04-15 09:30')).toBe('2026-04-15T09:30:00.000Z');
    expect(parseDate('04/15/2026')).toBe('2026-04-15T00:00:00.000Z');
    expect(parseDate('1776245400')).toBe('2026-04-15T09:30:00.000Z');
    expect(parseDate('soon')).toBeUndefined();
    expect(detectPreset(['Task ID', 'Task Name', 'Status'])?.source).toBe('clickup');
  });
});

describe('sniffing', () => {
  it('finds the delimiter, BOM, encoding and where the data starts', () => {
    expect(sniff(Buffer.from('\ufeffa;b;c\r\n1;2;3\r\n'), true)).toEqual({
      encoding: 'utf8',
      delimiter: ';',
      header: ['a', 'b', 'c'],
      dataOffset: 10,
    });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\tb\n1\t2\n', 'utf16le')]);
    expect(sniff(le, true)).toMatchObject({
      encoding: 'utf16le',
      delimiter: '\t',
      header: ['a', 'b'],
      dataOffset: 10,
    });
    const be = Buffer.from('a,b\n1,2\n', 'utf16le').swap16();
    expect(sniff(be, true)).toMatchObject({
      encoding: 'utf16be',
      delimiter: ',',
      header: ['a', 'b'],
      dataOffset: 8,
    });
    expect(sniff(Buffer.from('"two\nlines",b\n1,2\n'), true)).toMatchObject({
      header: ['two\nlines', 'b'],
      dataOffset: 14,
    });
  });

  it('refuses what is no CSV, in a sentence', () => {
    expect(() => sniff(Buffer.alloc(0), true)).toThrow('The file is empty.');
    expect(() =>
      sniff(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), true),
    ).toThrow(/binary/);
    expect(() => sniff(Buffer.from('x'.repeat(70_000)), false)).toThrow(/over 64 KB/);
    expect(() => sniff(Buffer.from([0x61, 0x2c, 0xe9, 0x0a, 0x31, 0x2c, 0x32, 0x0a]), true)).toThrow(
      /neither UTF-8 nor UTF-16/,
    );
  });
});
