import * as z from 'zod/mini';
import type { ImportMapping, ImportRowError } from '../store/imports-repo';

/**
 * From a CSV row to a `work_item` record: the default mappings recognised from the headers
 * of real exports, an explicit mapping's columns, and the conversions (statuses normalised
 * as the syncs do, dates to ISO-8601, lists split). Pure: no I/O, so every sample export
 * is a unit test.
 */

/** The models a CSV import can write (API.md: `model=work_item`). */
export const IMPORT_MODELS = ['work_item'] as const;
export type ImportModel = (typeof IMPORT_MODELS)[number];

/** The `work_item` fields a column can fill (API.md "Records"); `raw.<name>` keeps a column under `raw`. */
export const WORK_ITEM_FIELDS = [
  'title',
  'description',
  'status',
  'assignees',
  'labels',
  'url',
  'project',
  'due_date',
  'created_at',
  'updated_at',
] as const;
type Field = (typeof WORK_ITEM_FIELDS)[number];
const LIST_FIELDS: readonly Field[] = ['assignees', 'labels'];
const RAW_FIELD = /^raw\.[A-Za-z0-9_]{1,64}$/;

/** `{ columns: { "<CSV column>": "<model field>" }, id_column }` (API.md "CSV import"). */
export const mappingSchema = z.strictObject({
  columns: z.record(
    z.string().check(z.minLength(1), z.maxLength(200)),
    z.string().check(
      z.refine((f) => (WORK_ITEM_FIELDS as readonly string[]).includes(f) || RAW_FIELD.test(f), {
        message: `One of ${WORK_ITEM_FIELDS.join(', ')}, or raw.<name>.`,
      }),
    ),
  ),
  id_column: z.string().check(z.minLength(1), z.maxLength(200)),
});

type WorkStatus = 'open' | 'in_progress' | 'done' | 'cancelled';

/**
 * A status name as ours, for exports that carry only the name (no category as the APIs
 * give): the words of the syncs' cancelling names (adapters' Jira and ClickUp mappings), the
 * usual finished and active ones; anything else is still to do (`open`).
 */
const CANCELLED =
  /cancel|won['’]?t (do|fix)|wontfix|abandon|reject|declin|duplicate|not[ _]planned|obsolete|invalid/i;
const DONE =
  /^(done|closed?|complete(d)?|resolved|fixed|finished|merged|shipped|released|deployed|accepted)\b/i;
const IN_PROGRESS = /progress|doing|review|started|active|develop|testing|\bqa\b|blocked|implement|working/i;

export const normaliseStatus = (raw: string): WorkStatus => {
  const s = raw.trim();
  if (CANCELLED.test(s)) return 'cancelled';
  if (DONE.test(s) || /\bdone\b|\bcomplete(d)?\b/i.test(s)) return 'done';
  if (IN_PROGRESS.test(s)) return 'in_progress';
  return 'open';
};

/** A recognised export: how to find it, and how its columns map. */
export type Preset = {
  source: string;
  /** Every one of these headers is present (case and spaces ignored). */
  detect: string[];
  mapping: ImportMapping;
  /** How list cells are split (`Labels` "bug, ui"): by default on commas and semicolons. */
  listSplit?: RegExp;
  /**
   * The status of a row, where the export says it in more than one column (Asana's
   * `Completed At`, GitHub's `state` + `stateReason`); absent: the `status` column's name.
   */
  status?: (cell: (column: string) => string) => { status: WorkStatus; raw_status: string } | undefined;
  /** Created time when the export has no column for it (Trello: the card id's timestamp). */
  createdAt?: (cell: (column: string) => string) => string | undefined;
};

/**
 * The default mappings, most distinctive headers first. Headers are the vendors' own, as
 * their export documentation lists them:
 * - Jira: https://support.atlassian.com/jira-software-cloud/docs/export-an-issue/ (CSV "all fields";
 *   multi-value fields repeat their column: `Labels`, `Labels`, …)
 * - Trello: https://support.atlassian.com/trello/docs/exporting-data-from-trello/
 * - Asana: https://help.asana.com/s/article/exporting-data (project → Export → CSV)
 * - ClickUp: https://help.clickup.com/hc/en-us/articles/6310551109527-Export-tasks-to-CSV
 * - Linear: https://linear.app/docs/exporting-data (CSV export)
 * - GitHub: `gh issue list --json number,title,body,state,stateReason,labels,assignees,url,milestone,createdAt,updatedAt`
 *   flattened to CSV (https://cli.github.com/manual/gh_issue_list)
 */
export const PRESETS: readonly Preset[] = [
  {
    source: 'jira',
    detect: ['Issue key', 'Summary', 'Status'],
    mapping: {
      id_column: 'Issue key',
      columns: {
        Summary: 'title',
        Description: 'description',
        Status: 'status',
        Assignee: 'assignees',
        Labels: 'labels',
        'Project key': 'project',
        'Due Date': 'due_date',
        Created: 'created_at',
        Updated: 'updated_at',
        'Issue Type': 'raw.issue_type',
        Priority: 'raw.priority',
        Resolution: 'raw.resolution',
        Reporter: 'raw.reporter',
      },
    },
    listSplit: /[,;]/,
    status: (cell) => {
      const raw = cell('Status');
      if (!raw) return undefined;
      // A resolution that says the work was dropped wins, as in the Jira sync.
      const resolution = cell('Resolution');
      return {
        status: resolution && CANCELLED.test(resolution) ? 'cancelled' : normaliseStatus(raw),
        raw_status: raw,
      };
    },
  },
  {
    source: 'trello',
    detect: ['Card ID', 'Card Name', 'List Name'],
    mapping: {
      id_column: 'Card ID',
      columns: {
        'Card Name': 'title',
        'Card Description': 'description',
        'List Name': 'status',
        Members: 'assignees',
        Labels: 'labels',
        'Card URL': 'url',
        'Board Name': 'project',
        'Due Date': 'due_date',
        'Last Activity Date': 'updated_at',
        Archived: 'raw.archived',
      },
    },
    // Trello has no created column: a card id's first 8 hex digits are its creation time
    // (https://support.atlassian.com/trello/docs/getting-the-time-a-card-or-board-was-created/).
    createdAt: (cell) => {
      const id = cell('Card ID');
      return /^[0-9a-f]{24}$/i.test(id)
        ? new Date(Number.parseInt(id.slice(0, 8), 16) * 1000).toISOString()
        : undefined;
    },
  },
  {
    source: 'clickup',
    detect: ['Task ID', 'Task Name', 'Status'],
    mapping: {
      id_column: 'Task ID',
      columns: {
        'Task Name': 'title',
        'Task Content': 'description',
        Status: 'status',
        Assignees: 'assignees',
        Tags: 'labels',
        'List Name': 'project',
        'Due Date': 'due_date',
        'Date Created': 'created_at',
        'Date Updated': 'updated_at',
        Priority: 'raw.priority',
        'Space Name': 'raw.space',
        'Folder Name': 'raw.folder',
      },
    },
  },
  {
    source: 'asana',
    detect: ['Task ID', 'Name', 'Section/Column'],
    mapping: {
      id_column: 'Task ID',
      columns: {
        Name: 'title',
        Notes: 'description',
        'Section/Column': 'raw.section',
        Assignee: 'assignees',
        Tags: 'labels',
        Projects: 'project',
        'Due Date': 'due_date',
        'Created At': 'created_at',
        'Last Modified': 'updated_at',
        'Completed At': 'raw.completed_at',
      },
    },
    // Asana tasks are complete or not; the section is where the board shows them.
    status: (cell) => {
      const completed = cell('Completed At');
      const section = cell('Section/Column');
      if (completed) return { status: 'done', raw_status: 'completed' };
      return { status: section ? normaliseStatus(section) : 'open', raw_status: section || 'incomplete' };
    },
  },
  {
    source: 'linear',
    detect: ['ID', 'Title', 'Status', 'Team'],
    mapping: {
      id_column: 'ID',
      columns: {
        Title: 'title',
        Description: 'description',
        Status: 'status',
        Assignee: 'assignees',
        Labels: 'labels',
        Team: 'project',
        'Due Date': 'due_date',
        Created: 'created_at',
        Updated: 'updated_at',
        Priority: 'raw.priority',
        Project: 'raw.project',
        Canceled: 'raw.canceled_at',
        Completed: 'raw.completed_at',
      },
    },
    // Linear's export names the state; a canceled/completed time says which kind it is.
    status: (cell) => {
      const raw = cell('Status');
      if (cell('Canceled')) return { status: 'cancelled', raw_status: raw || 'Canceled' };
      if (cell('Completed')) return { status: 'done', raw_status: raw || 'Done' };
      return raw ? { status: normaliseStatus(raw), raw_status: raw } : undefined;
    },
  },
  {
    source: 'github',
    detect: ['number', 'title', 'state'],
    mapping: {
      id_column: 'number',
      columns: {
        title: 'title',
        body: 'description',
        state: 'status',
        assignees: 'assignees',
        labels: 'labels',
        url: 'url',
        milestone: 'raw.milestone',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        closedAt: 'raw.closed_at',
      },
    },
    // As the GitHub sync: closed as not planned is cancelled, closed otherwise done.
    status: (cell) => {
      const state = cell('state').toLowerCase();
      const reason = cell('stateReason').toLowerCase();
      if (!state) return undefined;
      if (state !== 'closed') return { status: 'open', raw_status: state };
      return reason === 'not_planned'
        ? { status: 'cancelled', raw_status: 'not_planned' }
        : { status: 'done', raw_status: reason || 'closed' };
    },
  },
];

const norm = (h: string) => h.trim().toLowerCase().replace(/\s+/g, ' ');

/** The export a header row comes from, or undefined. */
export const detectPreset = (header: readonly string[]): Preset | undefined => {
  const have = new Set(header.map(norm));
  return PRESETS.find((p) => p.detect.every((h) => have.has(norm(h))));
};

/** What a mapping for unknown headers could look like: columns guessed from their names. */
export const suggestMapping = (header: readonly string[]): ImportMapping => {
  const guesses: [Field, RegExp][] = [
    ['title', /^(title|headline|name|summary|subject|task|card)( name)?$/],
    ['description', /description|body|notes?|content|details/],
    ['status', /status|state|stage|column|list/],
    ['assignees', /assign|owner|member/],
    ['labels', /labels?|tags?|categor/],
    ['url', /url|link/],
    ['project', /project|board|team|space/],
    ['due_date', /due/],
    ['created_at', /created|opened/],
    ['updated_at', /updated|modified|last activity/],
  ];
  const columns: Record<string, string> = {};
  const taken = new Set<Field>();
  for (const h of header) {
    const n = norm(h);
    const hit = guesses.find(([f, re]) => !taken.has(f) && re.test(n));
    if (hit) {
      columns[h] = hit[0];
      taken.add(hit[0]);
    }
  }
  const id =
    header.find((h) => /^(id|key|#|number|no\.?|ref(erence)?)$/.test(norm(h))) ??
    header.find((h) => /\b(id|key)\b/.test(norm(h))) ??
    header[0] ??
    'id';
  delete columns[id];
  return { columns, id_column: id };
};

export type ResolvedMapping = { source: string; mapping: ImportMapping; preset?: Preset };

/**
 * The mapping an import uses: the caller's (every named column must exist), else the export
 * its headers are recognised as. `error` names what is wrong, with the columns found.
 */
export const resolveMapping = (
  header: readonly string[],
  explicit: ImportMapping | undefined,
): ResolvedMapping | { error: string; suggested?: ImportMapping } => {
  const found = header.map((h) => JSON.stringify(h)).join(', ');
  if (explicit) {
    const have = new Set(header);
    const missing = [explicit.id_column, ...Object.keys(explicit.columns)].filter((c) => !have.has(c));
    if (missing.length) {
      return {
        error: `The mapping names columns the file does not have: ${[...new Set(missing)].map((c) => JSON.stringify(c)).join(', ')}. Columns found: ${found}.`,
        suggested: suggestMapping(header),
      };
    }
    return { source: 'custom', mapping: explicit };
  }
  const preset = detectPreset(header);
  if (preset) return { source: preset.source, mapping: preset.mapping, preset };
  return {
    error: `The headers are not those of a Jira, Trello, Asana, ClickUp, Linear or GitHub export, and no mapping was sent. Columns found: ${found}. Send a mapping (see suggested_mapping).`,
    suggested: suggestMapping(header),
  };
};

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/**
 * A date cell as ISO-8601 (UTC): ISO forms, epoch seconds or milliseconds (ClickUp), Jira's
 * `15/Apr/26 9:30 AM`, US `04/15/2026`, and what `Date` parses (Linear's
 * `Mon Apr 15 2026 09:30:00 GMT+0000`). Undefined when it is none of them.
 */
export const parseDate = (raw: string): string | undefined => {
  const s = raw.trim();
  if (/^\d{10}$/.test(s)) return new Date(Number(s) * 1000).toISOString();
  if (/^\d{13}$/.test(s)) return new Date(Number(s)).toISOString();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (iso) return valid(Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])));
  const jira = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?:\s*([AaPp][Mm]))?)?$/.exec(
    s,
  );
  if (jira) {
    const month = MONTHS[(jira[2] as string).toLowerCase()];
    if (month === undefined) return undefined;
    const y = Number(jira[3]);
    let h = Number(jira[4] ?? 0);
    const ampm = jira[6]?.toLowerCase();
    if (ampm === 'pm' && h < 12) h += 12;
    if (ampm === 'am' && h === 12) h = 0;
    return valid(Date.UTC(y < 100 ? 2000 + y : y, month, Number(jira[1]), h, Number(jira[5] ?? 0)));
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (us) {
    return valid(
      Date.UTC(
        Number(us[3]),
        Number(us[1]) - 1,
        Number(us[2]),
        Number(us[4] ?? 0),
        Number(us[5] ?? 0),
        Number(us[6] ?? 0),
      ),
    );
  }
  // `2026-04-15 09:30` (no zone): taken as UTC, not as this machine's time.
  const spaced = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(s);
  if (spaced) return valid(Date.parse(`${spaced[1]}T${spaced[2]}Z`));
  return /[A-Za-z]{3}|\d{4}-\d{2}-\d{2}T/.test(s) ? valid(Date.parse(s)) : undefined;
};
const valid = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);

/**
 * A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd`, `@SUM`, …;
 * OWASP "CSV injection"). It is stored as the text it is — never evaluated — and flagged on
 * the record, so whoever exports it again knows to escape it.
 */
export const isFormulaLike = (cell: string): boolean =>
  /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+([.,]\d+)?%?$/.test(cell.trim());

export type MappedRow =
  | { ok: true; id: string; data: Record<string, unknown>; formulaCells: number }
  | { ok: false; error: ImportRowError };

/** Records larger than this are refused (DynamoDB items are at most 400 KB). */
export const MAX_RECORD_BYTES = 350 * 1024;

/**
 * Maps one row (its cells in header order) to a `work_item`. A row that can't be one — no
 * id, an unparseable date — is an error naming its column; the other rows go on.
 */
export const rowMapper = (header: readonly string[], resolved: ResolvedMapping) => {
  const { mapping, preset, source } = resolved;
  const firstIndex = new Map<string, number>();
  header.forEach((h, i) => {
    if (!firstIndex.has(norm(h))) firstIndex.set(norm(h), i);
  });
  // Exact header names first (a mapping names columns as the file spells them); a preset
  // matches case-insensitively. Columns repeated in the header (Jira's `Labels`) all count.
  const fields = header.map(
    (h): string | undefined =>
      mapping.columns[h] ??
      (preset ? Object.entries(mapping.columns).find(([c]) => norm(c) === norm(h))?.[1] : undefined),
  );
  const split = preset?.listSplit ?? /[,;]/;
  // Columns by name as presets and the id column ask for them, found once (not per row).
  const indexOf = new Map<string, number | undefined>();
  const columnIndex = (column: string) => {
    if (!indexOf.has(column)) indexOf.set(column, firstIndex.get(norm(column)));
    return indexOf.get(column);
  };
  // What a row's cells can weigh as a record's JSON beyond their own characters: the
  // model's keys and fixed values, dates (24 characters whatever the cell), and the header
  // names (keys of `raw`, and `formula_cells`) twice over.
  const overhead = 4096 + 2 * header.reduce((n, h) => n + h.length, 0) * 6;
  const listOf = (v: string) =>
    v
      .replace(/^\[(.*)\]$/s, '$1') // ClickUp writes lists as `[a, b]`
      .split(split)
      .map((x) => x.trim())
      .filter(Boolean);
  return (cells: readonly string[], row: number): MappedRow => {
    if (cells.length !== header.length) {
      return {
        ok: false,
        error: { row, message: `The row has ${cells.length} fields; the header has ${header.length}.` },
      };
    }
    const cell = (column: string) => {
      const i = columnIndex(column);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    const sourceId = cell(mapping.id_column);
    if (!sourceId)
      return { ok: false, error: { row, column: mapping.id_column, message: 'The id column is empty.' } };
    if (sourceId.length > 200) {
      return {
        ok: false,
        error: { row, column: mapping.id_column, message: 'The id is over 200 characters.' },
      };
    }
    const data: Record<string, unknown> = {
      title: '',
      description: null,
      status: 'open',
      raw_status: '',
      assignees: [],
      labels: [],
      url: null,
      project: null,
      due_date: null,
      created_at: null,
      updated_at: null,
    };
    const raw: Record<string, string> = {};
    const flagged: string[] = [];
    const lists: Record<string, string[]> = { assignees: [], labels: [] };
    let statusCell: string | undefined;
    for (let i = 0; i < header.length; i++) {
      const h = header[i] as string;
      const value = cells[i] ?? '';
      if (value !== '' && isFormulaLike(value)) flagged.push(h);
      const field = fields[i];
      const v = value.trim();
      if (field === undefined) continue;
      if (field.startsWith('raw.')) {
        if (v) raw[field.slice(4)] = v;
        continue;
      }
      const f = field as Field;
      if (LIST_FIELDS.includes(f)) {
        lists[f]?.push(...listOf(v));
        continue;
      }
      if (!v) continue;
      if (f === 'status') statusCell = v;
      else if (f === 'created_at' || f === 'updated_at' || f === 'due_date') {
        const iso = parseDate(v);
        if (!iso)
          return {
            ok: false,
            error: { row, column: h, message: `Not a date: ${JSON.stringify(v.slice(0, 60))}.` },
          };
        data[f] = f === 'due_date' && /T00:00:00\.000Z$/.test(iso) ? iso.slice(0, 10) : iso;
      } else data[f] = f === 'description' ? value : v;
    }
    data.assignees = [...new Set(lists.assignees)];
    data.labels = [...new Set(lists.labels)];
    const status =
      preset?.status?.(cell) ??
      (statusCell ? { status: normaliseStatus(statusCell), raw_status: statusCell } : undefined);
    if (status) {
      data.status = status.status;
      data.raw_status = status.raw_status;
    }
    if (data.created_at === null) data.created_at = preset?.createdAt?.(cell) ?? null;
    if (data.updated_at === null) data.updated_at = data.created_at;
    if (flagged.length) raw.formula_cells = flagged.join(',');
    if (Object.keys(raw).length) data.raw = raw;
    const id = `csv_${source}_${sourceId}`;
    // A UTF-16 code unit is at most 6 bytes of JSON (`\u001f`), a list item adds at most 3
    // (`","`) per character split, and a preset may repeat a cell (a status in `raw_status`
    // and `raw`): 18 bytes a character bounds it. A row whose cells can't reach the limit
    // isn't serialised to find out — nearly every row, at a fraction of its mapping time.
    let chars = 0;
    for (const c of cells) chars += c.length;
    if (
      chars * 18 + overhead > MAX_RECORD_BYTES &&
      Buffer.byteLength(JSON.stringify(data)) > MAX_RECORD_BYTES
    ) {
      return {
        ok: false,
        error: { row, message: `The row is over ${MAX_RECORD_BYTES / 1024} KB once mapped.` },
      };
    }
    return { ok: true, id, data, formulaCells: flagged.length };
  };
};
