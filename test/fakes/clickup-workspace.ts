import { type FakeReply, type FakeRequest, reply } from './server';

/**
 * The data behind the ClickUp fake: Workspaces ("teams" in API v2), their Spaces, Folders and
 * lists (each list with its workflow of statuses), and tasks, answered in API v2's wire
 * format: the hierarchy endpoints (GET /team, /team/{id}/space, /space/{id}/folder,
 * /space/{id}/list, /folder/{id}/list, each with `archived=true|false`), the Workspace task
 * search (GET /team/{id}/task: 100 a page by `page` from 0 with `last_page`, `order_by`,
 * `reverse`, `include_closed`, `subtasks`, `date_updated_gt|lt`) and the task writes (POST
 * /list/{id}/task, PUT /task/{id}). Instants are Unix milliseconds as strings.
 *
 * Errors are ClickUp's `{ err, ECODE }`. ClickUp publishes no catalogue of them: `Team not
 * authorized` (OAUTH_027), `Task not found` (ITEM_013) and `Status does not exist` (CRTSK_001)
 * are ClickUp's; the other ECODEs are the fake's own.
 * https://developer.clickup.com/reference/getfilteredteamtasks
 * https://developer.clickup.com/reference/createtask
 * https://developer.clickup.com/reference/updatetask
 */

export type ClickUpStatusType = 'open' | 'custom' | 'done' | 'closed';
export type ClickUpStatus = { status: string; type: ClickUpStatusType; color: string };

/** The default workflow: every status type, and a done one whose name says cancelled. */
export const defaultWorkflow: ClickUpStatus[] = [
  { status: 'to do', type: 'open', color: '#d3d3d3' },
  { status: 'in progress', type: 'custom', color: '#4194f6' },
  { status: 'in review', type: 'custom', color: '#a875ff' },
  { status: 'complete', type: 'done', color: '#6bc950' },
  { status: 'cancelled', type: 'done', color: '#8b8b8b' },
  { status: 'closed', type: 'closed', color: '#6bc950' },
];

/** The Incidents list's own workflow (a list that overrides its Space's statuses). */
export const incidentWorkflow: ClickUpStatus[] = [
  { status: 'open', type: 'open', color: '#d3d3d3' },
  { status: 'investigating', type: 'custom', color: '#e50000' },
  { status: "won't fix", type: 'done', color: '#8b8b8b' },
  { status: 'resolved', type: 'closed', color: '#6bc950' },
];

export type ClickUpMember = { id: number; username: string | null; email: string; initials: string };

export const members = {
  grace: { id: 81942317, username: 'Grace Hopper', email: 'grace@acme.com', initials: 'GH' },
  ada: { id: 81942318, username: 'Ada Lovelace', email: 'ada@acme.com', initials: 'AL' },
  // A guest who never set a name: ClickUp answers `username: null`.
  guest: { id: 81942320, username: null, email: 'guest@partner.io', initials: 'G' },
} satisfies Record<string, ClickUpMember>;

/** Fields of a task a test can set; the rest follow from its seed number. */
export type ClickUpTaskFields = {
  name?: string;
  description?: string | null;
  /** A status of the list's workflow, by name. */
  status?: string;
  /** ClickUp user ids. */
  assignees?: number[];
  tags?: string[];
  /** Unix ms. */
  dueDate?: number | null;
};

/** A list as the fake knows it: what the lists sync should make of it. */
export type ClickUpListInfo = {
  id: string;
  name: string;
  teamId: string;
  /** The Folder's name, or the Space's for a Folderless list. */
  parent: string;
  /** Archived itself or by its Folder. */
  archived: boolean;
  /** Whether the Workspace task search shows its tasks (not archived, nor in an archived Folder). */
  searchable: boolean;
};

export type ClickUpWorkspaceControls = {
  /** The Workspaces: `acme` (two Spaces, Folders, archived ones) and `side` (one list). */
  teams: { acme: string; side: string };
  /** A list's id by name (`Backlog`, `Sprint 12`, `Sprint 11`, `Roadmap items`, `Inbox`, `Scratch`, `Incidents`, `Ideas`). */
  listId(name: string): string;
  /** Every list of every Workspace (the fake's view, for tests to compare the sync with). */
  lists(): ClickUpListInfo[];
  /**
   * Adds `n` tasks to a list (default Backlog), one second apart, the batch ending about now,
   * statuses cycling through the list's workflow; every seventh is a subtask of the list's
   * first task. Returns their ids (what `clickup_task_<id>` holds).
   */
  seedTasks(n: number, options?: { list?: string }): string[];
  /** The task as the task search answers it; undefined once deleted. */
  task(id: string): Record<string, unknown> | undefined;
  /** Ids of the tasks the Workspace task search shows (all statuses, subtasks too), by creation. */
  searchableTaskIds(team?: string): string[];
  /** Changes a task and bumps date_updated. */
  updateTask(id: string, fields: ClickUpTaskFields): void;
  /** Deletes a task: ClickUp lists it no more, and says nothing of it. */
  deleteTask(id: string): void;
  /** The query of each Workspace task search received, in order. */
  taskQueries(): URLSearchParams[];
};

type Team = { id: string; name: string; members: ClickUpMember[] };
type Space = { id: string; name: string; teamId: string };
type Folder = { id: string; name: string; spaceId: string; archived: boolean };
type List = {
  id: string;
  name: string;
  spaceId: string;
  folderId: string | undefined;
  archived: boolean;
  content: string;
  statuses: ClickUpStatus[];
  label: { status: string; color: string } | null;
  startDate: number | null;
  dueDate: number | null;
};
type Task = {
  id: string;
  seq: number;
  listId: string;
  parent: string | null;
  created: number;
  updated: number;
  deleted: boolean;
  fields: Required<ClickUpTaskFields>;
};

const err = (status: number, message: string, ecode: string): FakeReply =>
  reply(status, { err: message, ECODE: ecode });

const PAGE_SIZE = 100;

export const createClickUpWorkspace = () => {
  const acme: Team = { id: '9012345678', name: 'Acme', members: [members.grace, members.ada, members.guest] };
  const side: Team = { id: '9012345679', name: 'Side Project', members: [members.grace] };
  const teams = [acme, side];
  const spaces: Space[] = [
    { id: '90120001', name: 'Engineering', teamId: acme.id },
    { id: '90120002', name: 'Operations', teamId: acme.id },
    { id: '90130001', name: 'Personal', teamId: side.id },
  ];
  const folders: Folder[] = [
    { id: '90121001', name: 'Product', spaceId: '90120001', archived: false },
    { id: '90121002', name: '2023 Roadmap', spaceId: '90120001', archived: true },
  ];
  const list = (o: Partial<List> & Pick<List, 'id' | 'name' | 'spaceId'>): List => ({
    folderId: undefined,
    archived: false,
    content: '',
    statuses: defaultWorkflow,
    label: null,
    startDate: null,
    dueDate: null,
    ...o,
  });
  const lists: List[] = [
    list({ id: '901210010001', name: 'Backlog', spaceId: '90120001', folderId: '90121001' }),
    list({
      id: '901210010002',
      name: 'Sprint 12',
      spaceId: '90120001',
      folderId: '90121001',
      content: 'Ship the importer.',
      label: { status: 'on track', color: '#6bc950' },
      startDate: Date.UTC(2025, 5, 2, 4),
      dueDate: Date.UTC(2025, 5, 13, 4),
    }),
    list({
      id: '901210010003',
      name: 'Sprint 11',
      spaceId: '90120001',
      folderId: '90121001',
      archived: true,
    }),
    list({ id: '901210020001', name: 'Roadmap items', spaceId: '90120001', folderId: '90121002' }),
    list({ id: '901200010001', name: 'Inbox', spaceId: '90120001' }),
    list({ id: '901200010002', name: 'Scratch', spaceId: '90120001', archived: true }),
    list({ id: '901200020001', name: 'Incidents', spaceId: '90120002', statuses: incidentWorkflow }),
    list({ id: '901300010001', name: 'Ideas', spaceId: '90130001' }),
  ];
  const tasks: Task[] = [];
  const byId = new Map<string, Task>();
  const queries: URLSearchParams[] = [];

  // A monotonic clock of whole-second steps from about now, so creation order is strict.
  let clock = 0;
  const stamp = (count: number): number => {
    const start = Math.max(clock + 1000, Date.now() - (count - 1) * 1000);
    clock = start + (count - 1) * 1000;
    return start;
  };

  const spaceOf = (l: List) => spaces.find((s) => s.id === l.spaceId) as Space;
  const folderOf = (l: List) => folders.find((f) => f.id === l.folderId);
  const teamOf = (l: List) => teams.find((t) => t.id === spaceOf(l).teamId) as Team;
  const listOf = (t: Task) => lists.find((l) => l.id === t.listId) as List;
  const searchable = (l: List) => !l.archived && !folderOf(l)?.archived;
  const findList = (name: string) => lists.find((l) => l.name === name || l.id === name);
  const liveTask = (id: string): Task => {
    const t = byId.get(id);
    if (!t || t.deleted) throw new Error(`no task ${id}`);
    return t;
  };
  const statusIn = (l: List, name: string) => l.statuses.find((s) => s.status === name.toLowerCase());
  const memberOf = (team: Team, id: number) => team.members.find((m) => m.id === id);

  const user = (m: ClickUpMember) => ({
    id: m.id,
    username: m.username,
    color: '#7b68ee',
    initials: m.initials,
    email: m.email,
    profilePicture: null,
  });

  const wireTask = (t: Task): Record<string, unknown> => {
    const l = listOf(t);
    const team = teamOf(l);
    const space = spaceOf(l);
    const f = folderOf(l);
    // Folderless lists live in a hidden Folder of their Space.
    const folder = f
      ? { id: f.id, name: f.name, hidden: false, access: true }
      : { id: `${space.id}9`, name: 'hidden', hidden: true, access: true };
    const status = statusIn(l, t.fields.status) ?? (l.statuses[0] as ClickUpStatus);
    const finished = status.type === 'done' || status.type === 'closed';
    const description = t.fields.description ?? '';
    return {
      id: t.id,
      custom_id: null,
      custom_item_id: 0,
      name: t.fields.name,
      text_content: description,
      description,
      status: {
        id: `p${l.id}_${status.status.replace(/\W+/g, '')}`,
        status: status.status,
        color: status.color,
        orderindex: l.statuses.indexOf(status),
        type: status.type,
      },
      orderindex: `${t.seq}.00000000000000000000000000000000`,
      date_created: String(t.created),
      date_updated: String(t.updated),
      date_closed: status.type === 'closed' ? String(t.updated) : null,
      date_done: finished ? String(t.updated) : null,
      archived: false,
      creator: user(members.grace),
      assignees: t.fields.assignees.flatMap((id) => {
        const m = memberOf(team, id);
        return m ? [user(m)] : [];
      }),
      group_assignees: [],
      watchers: [user(members.grace)],
      checklists: [],
      tags: t.fields.tags.map((name) => ({
        name,
        tag_fg: '#ffffff',
        tag_bg: '#7c4dff',
        creator: members.grace.id,
      })),
      parent: t.parent,
      top_level_parent: t.parent,
      priority: null,
      due_date: t.fields.dueDate === null ? null : String(t.fields.dueDate),
      start_date: null,
      points: null,
      time_estimate: null,
      custom_fields: [],
      dependencies: [],
      linked_tasks: [],
      locations: [],
      team_id: team.id,
      url: `https://app.clickup.com/t/${t.id}`,
      sharing: {
        public: false,
        public_share_expires_on: null,
        public_fields: [],
        token: null,
        seo_optimized: false,
      },
      permission_level: 'create',
      list: { id: l.id, name: l.name, access: true },
      project: folder,
      folder,
      space: { id: space.id },
    };
  };

  const wireStatuses = (statuses: ClickUpStatus[]) =>
    statuses.map((s, i) => ({ id: `p_${s.status.replace(/\W+/g, '')}`, ...s, orderindex: i }));

  const taskCount = (l: List) => tasks.filter((t) => !t.deleted && t.listId === l.id).length;

  const wireList = (l: List) => {
    const space = spaceOf(l);
    const f = folderOf(l);
    return {
      id: l.id,
      name: l.name,
      orderindex: lists.indexOf(l),
      content: l.content,
      status: l.label ? { ...l.label, hide_label: false } : null,
      priority: null,
      assignee: null,
      task_count: taskCount(l),
      due_date: l.dueDate === null ? null : String(l.dueDate),
      start_date: l.startDate === null ? null : String(l.startDate),
      folder: f
        ? { id: f.id, name: f.name, hidden: false, access: true }
        : { id: `${space.id}9`, name: 'hidden', hidden: true, access: true },
      space: { id: space.id, name: space.name, access: true },
      archived: l.archived,
      override_statuses: l.statuses !== defaultWorkflow,
      statuses: wireStatuses(l.statuses),
      permission_level: 'create',
    };
  };

  const wireFolder = (f: Folder) => {
    const space = spaces.find((s) => s.id === f.spaceId) as Space;
    // A Folder answers its lists that are not archived themselves.
    const inside = lists.filter((l) => l.folderId === f.id && !l.archived);
    return {
      id: f.id,
      name: f.name,
      orderindex: folders.indexOf(f),
      override_statuses: false,
      hidden: false,
      space: { id: space.id, name: space.name },
      task_count: String(inside.reduce((n, l) => n + taskCount(l), 0)),
      archived: f.archived,
      statuses: [],
      lists: inside.map(wireList),
      permission_level: 'create',
    };
  };

  const wireSpace = (s: Space) => ({
    id: s.id,
    name: s.name,
    color: '#7b68ee',
    private: false,
    avatar: null,
    admin_can_manage: false,
    statuses: wireStatuses(defaultWorkflow),
    multiple_assignees: true,
    features: { due_dates: { enabled: true }, tags: { enabled: true } },
    archived: false,
  });

  const wireTeam = (t: Team) => ({
    id: t.id,
    name: t.name,
    color: '#7b68ee',
    avatar: null,
    members: t.members.map((m) => ({ user: { ...user(m), role: 1 } })),
  });

  const seededFields = (seq: number, l: List): Required<ClickUpTaskFields> => ({
    name: `Task ${seq}`,
    description: seq % 4 === 0 ? null : `Details of task ${seq}.`,
    status: (l.statuses[seq % l.statuses.length] as ClickUpStatus).status,
    assignees: [[], [members.grace.id], [members.ada.id, members.guest.id]][seq % 3] as number[],
    tags: seq % 2 === 0 ? ['bug'] : seq % 5 === 0 ? ['feature', 'ux'] : [],
    // Days without a time, as ClickUp keeps them: 4am in the user's zone (here UTC).
    dueDate: seq % 5 === 1 ? Date.UTC(2025, 7, 1, 4) : null,
  });

  let seqs = 0;
  const newTask = (l: List, fields: Required<ClickUpTaskFields>, created: number, parent: string | null) => {
    seqs += 1;
    const t: Task = {
      id: `86${(60_000_000 + seqs).toString(36)}`,
      seq: seqs,
      listId: l.id,
      parent,
      created,
      updated: created,
      deleted: false,
      fields,
    };
    tasks.push(t);
    byId.set(t.id, t);
    return t;
  };

  const controls: ClickUpWorkspaceControls = {
    teams: { acme: acme.id, side: side.id },
    listId: (name) => {
      const l = findList(name);
      if (!l) throw new Error(`no list ${name}`);
      return l.id;
    },
    lists: () =>
      lists.map((l) => ({
        id: l.id,
        name: l.name,
        teamId: teamOf(l).id,
        parent: folderOf(l)?.name ?? spaceOf(l).name,
        archived: !searchable(l),
        searchable: searchable(l),
      })),
    seedTasks: (n, o = {}) => {
      const l = findList(o.list ?? 'Backlog');
      if (!l) throw new Error(`no list ${o.list}`);
      const start = stamp(n);
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const first = tasks.find((t) => t.listId === l.id && !t.deleted && t.parent === null);
        const seq = seqs + 1;
        const parent = seq % 7 === 0 && first ? first.id : null;
        ids.push(newTask(l, seededFields(seq, l), start + i * 1000, parent).id);
      }
      return ids;
    },
    task: (id) => {
      const t = byId.get(id);
      return t && !t.deleted ? wireTask(t) : undefined;
    },
    searchableTaskIds: (team) =>
      tasks
        .filter(
          (t) => !t.deleted && searchable(listOf(t)) && (team === undefined || teamOf(listOf(t)).id === team),
        )
        .map((t) => t.id),
    updateTask: (id, fields) => {
      const t = liveTask(id);
      if (fields.status !== undefined && !statusIn(listOf(t), fields.status)) {
        throw new Error(`${fields.status} is not a status of ${listOf(t).name}`);
      }
      t.fields = { ...t.fields, ...fields };
      t.updated = stamp(1);
    },
    deleteTask: (id) => {
      liveTask(id).deleted = true;
    },
    taskQueries: () => queries.map((q) => new URLSearchParams(q)),
  };

  // https://developer.clickup.com/reference/getfilteredteamtasks
  const searchTasks = (team: Team, q: URLSearchParams): FakeReply => {
    queries.push(new URLSearchParams(q));
    const page = Number(q.get('page') ?? '0');
    if (!Number.isInteger(page) || page < 0)
      return err(400, 'Page must be a non-negative integer', 'FAKE_001');
    const order = q.get('order_by') ?? 'created';
    const key: Record<string, (t: Task) => number | string> = {
      created: (t) => t.created,
      updated: (t) => t.updated,
      id: (t) => t.id,
    };
    const by = key[order];
    if (!by) return err(400, `The fake does not order by ${order}`, 'FAKE_002');
    const gt = q.has('date_updated_gt') ? Number(q.get('date_updated_gt')) : undefined;
    const lt = q.has('date_updated_lt') ? Number(q.get('date_updated_lt')) : undefined;
    const found = tasks
      .filter((t) => {
        const l = listOf(t);
        if (t.deleted || !searchable(l) || teamOf(l) !== team) return false;
        if (q.get('subtasks') !== 'true' && t.parent !== null) return false;
        if (q.get('include_closed') !== 'true' && statusIn(l, t.fields.status)?.type === 'closed')
          return false;
        if (gt !== undefined && !(t.updated > gt)) return false;
        return lt === undefined || t.updated < lt;
      })
      .sort((a, b) => (by(a) < by(b) ? -1 : by(a) > by(b) ? 1 : 0));
    if (q.get('reverse') === 'true') found.reverse();
    const slice = found.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    return reply(200, { tasks: slice.map(wireTask), last_page: (page + 1) * PAGE_SIZE >= found.length });
  };

  const bodyOf = (req: FakeRequest): Record<string, unknown> | undefined => {
    try {
      const v = JSON.parse(req.body) as unknown;
      return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };

  // https://developer.clickup.com/reference/createtask
  const createTask = (l: List, req: FakeRequest): FakeReply => {
    const b = bodyOf(req);
    if (!b) return err(400, 'Invalid JSON body', 'FAKE_003');
    if (typeof b.name !== 'string' || b.name.trim() === '') return err(400, 'Task name invalid', 'INPUT_005');
    let status = l.statuses[0] as ClickUpStatus;
    if (b.status !== undefined) {
      const s = typeof b.status === 'string' ? statusIn(l, b.status) : undefined;
      if (!s) return err(400, 'Status does not exist', 'CRTSK_001');
      status = s;
    }
    const team = teamOf(l);
    const assignees = Array.isArray(b.assignees) ? b.assignees : [];
    if (!assignees.every((id) => typeof id === 'number' && memberOf(team, id))) {
      return err(400, 'Assignees must be members of the Workspace', 'FAKE_004');
    }
    const due = b.due_date === undefined || b.due_date === null ? null : Number(b.due_date);
    if (due !== null && !Number.isSafeInteger(due)) return err(400, 'Due date invalid', 'FAKE_005');
    const t = newTask(
      l,
      {
        name: b.name,
        description: typeof b.description === 'string' ? b.description : null,
        status: status.status,
        assignees: assignees as number[],
        tags: Array.isArray(b.tags) ? b.tags.filter((x): x is string => typeof x === 'string') : [],
        dueDate: due,
      },
      stamp(1),
      null,
    );
    return reply(200, wireTask(t));
  };

  // https://developer.clickup.com/reference/updatetask — status only.
  const updateTask = (t: Task, req: FakeRequest): FakeReply => {
    const b = bodyOf(req);
    if (!b) return err(400, 'Invalid JSON body', 'FAKE_003');
    if (b.status !== undefined) {
      const s = typeof b.status === 'string' ? statusIn(listOf(t), b.status) : undefined;
      if (!s) return err(400, 'Status does not exist', 'CRTSK_001');
      t.fields = { ...t.fields, status: s.status };
      t.updated = stamp(1);
    }
    return reply(200, wireTask(t));
  };

  const notAuthorized = err(401, 'Team not authorized', 'OAUTH_027');

  /** The API v2 routes below /api/v2 this module answers; undefined for any other. */
  const route = (req: FakeRequest): FakeReply | undefined => {
    const p = req.path.replace(/^\/api\/v2/, '');
    const at = (method: string, path: RegExp) => (req.method === method ? p.match(path) : null);
    const archived = req.query.get('archived') === 'true';
    if (req.method === 'GET' && p === '/team') return reply(200, { teams: teams.map(wireTeam) });

    const inTeam = at('GET', /^\/team\/([^/]+)\/(space|task)$/);
    if (inTeam) {
      const team = teams.find((t) => t.id === inTeam[1]);
      if (!team) return notAuthorized;
      if (inTeam[2] === 'task') return searchTasks(team, req.query);
      // The fake has no archived Spaces.
      const found = archived ? [] : spaces.filter((s) => s.teamId === team.id);
      return reply(200, { spaces: found.map(wireSpace) });
    }
    const inSpace = at('GET', /^\/space\/([^/]+)\/(folder|list)$/);
    if (inSpace) {
      const space = spaces.find((s) => s.id === inSpace[1]);
      if (!space) return err(404, 'Space not found', 'FAKE_006');
      if (inSpace[2] === 'folder') {
        const found = folders.filter((f) => f.spaceId === space.id && f.archived === archived);
        return reply(200, { folders: found.map(wireFolder) });
      }
      const found = lists.filter((l) => l.spaceId === space.id && !l.folderId && l.archived === archived);
      return reply(200, { lists: found.map(wireList) });
    }
    const inFolder = at('GET', /^\/folder\/([^/]+)\/list$/);
    if (inFolder) {
      const folder = folders.find((f) => f.id === inFolder[1]);
      if (!folder) return err(404, 'Folder not found', 'FAKE_007');
      const found = lists.filter((l) => l.folderId === folder.id && l.archived === archived);
      return reply(200, { lists: found.map(wireList) });
    }
    const intoList = at('POST', /^\/list\/([^/]+)\/task$/);
    if (intoList) {
      const l = lists.find((x) => x.id === intoList[1]);
      if (!l) return err(404, 'List not found', 'FAKE_008');
      return createTask(l, req);
    }
    const aTask = at('PUT', /^\/task\/([^/]+)$/);
    if (aTask) {
      const t = byId.get(decodeURIComponent(aTask[1] ?? ''));
      if (!t || t.deleted) return err(404, 'Task not found', 'ITEM_013');
      return updateTask(t, req);
    }
    return undefined;
  };

  return { controls, route };
};
