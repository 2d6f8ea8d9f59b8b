import { randomUUID } from 'node:crypto';

/**
 * GitLab's webhook events, built from the REST objects of the change the fake's data made:
 * `Issue Hook`, `Merge Request Hook` and `Note Hook` payloads as GitLab sends them — not the
 * REST shape: `object_attributes` are the row (timestamps `2025-01-02 10:00:00 UTC`, label
 * objects, `assignee_ids`, `state_id`), beside `user`, `project`, `labels`, `changes`,
 * `assignees`.
 * https://docs.gitlab.com/user/project/integrations/webhook_events/
 */

type Json = Record<string, unknown>;

/** What changed in the fake's data, as REST objects (built only when a hook listens). */
export type GitLabChange =
  | {
      kind: 'issue' | 'merge_request';
      action: 'open' | 'update' | 'close' | 'reopen' | 'merge';
      object: Json;
      previous?: Json;
      project: Json;
    }
  | { kind: 'note'; noteableType: 'Issue' | 'MergeRequest'; note: Json; noteable: Json; project: Json }
  | { kind: 'pipeline'; object: Json; project: Json };

export type GitLabHook = {
  id: number;
  uuid: string;
  url: string;
  token: string;
  /** A project hook (its path) or a group hook (the group's path); neither: every project. */
  project?: string;
  group?: string;
  events: { issues: boolean; merge_requests: boolean; notes: boolean; pipelines: boolean };
};

export type GitLabActor = { id: number; name: string; username: string; avatar_url: string };

/** `2025-01-02 10:00:00 UTC`: how hook attributes write times. */
const hookTime = (value: unknown): string | null =>
  typeof value === 'string' ? `${value.slice(0, 19).replace('T', ' ')} UTC` : null;

const user = (u: Json) => ({ id: u.id, name: u.name, username: u.username, avatar_url: u.avatar_url });
const ids = (list: unknown): number[] =>
  Array.isArray(list) ? list.map((u) => (u as Json).id as number) : [];

const hookProject = (p: Json) => {
  const ns = p.namespace as Json;
  const path = String(p.path_with_namespace);
  const ssh = `git@gitlab.com:${path}.git`;
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    web_url: p.web_url,
    avatar_url: null,
    git_ssh_url: ssh,
    git_http_url: `${String(p.web_url)}.git`,
    namespace: ns.name,
    visibility_level: p.visibility === 'public' ? 20 : p.visibility === 'internal' ? 10 : 0,
    path_with_namespace: path,
    default_branch: p.default_branch,
    ci_config_path: null,
    homepage: p.web_url,
    url: ssh,
    ssh_url: ssh,
    http_url: `${String(p.web_url)}.git`,
  };
};

const label = (projectId: unknown, title: string) => ({
  id: 5000 + title.length,
  title,
  color: '#dc143c',
  project_id: projectId,
  created_at: '2025-01-06 09:00:00 UTC',
  updated_at: '2025-01-06 09:00:00 UTC',
  template: false,
  description: null,
  type: 'ProjectLabel',
  group_id: null,
});
const labels = (o: Json) => ((o.labels as string[] | undefined) ?? []).map((t) => label(o.project_id, t));

const STATE_IDS: Record<string, number> = { opened: 1, closed: 2, merged: 3, locked: 4 };

/** The row of an issue or merge request as `object_attributes` carry it. */
const attributes = (kind: 'issue' | 'merge_request', o: Json) => {
  const common = {
    id: o.id,
    iid: o.iid,
    title: o.title,
    description: o.description,
    project_id: o.project_id,
    author_id: (o.author as Json).id,
    created_at: hookTime(o.created_at),
    updated_at: hookTime(o.updated_at),
    updated_by_id: (o.author as Json).id,
    last_edited_at: null,
    last_edited_by_id: null,
    milestone_id: null,
    state_id: STATE_IDS[String(o.state)] ?? 1,
    state: o.state,
    url: o.web_url,
    assignee_ids: ids(o.assignees),
    assignee_id: ids(o.assignees)[0] ?? null,
    labels: labels(o),
    time_estimate: 0,
    total_time_spent: 0,
    time_change: 0,
    human_time_estimate: null,
    human_total_time_spent: null,
    human_time_change: null,
    discussion_locked: null,
  };
  if (kind === 'issue') {
    const links = o._links as Json;
    return {
      ...common,
      closed_at: hookTime(o.closed_at),
      confidential: false,
      due_date: o.due_date,
      moved_to_id: o.moved_to_id,
      duplicated_to_id: links.closed_as_duplicate_of
        ? Number(String(links.closed_as_duplicate_of).split('/').at(-1))
        : null,
      relative_position: 0,
      type: 'Issue',
      severity: 'unknown',
      health_status: null,
      weight: null,
    };
  }
  return {
    ...common,
    draft: o.draft,
    work_in_progress: o.draft,
    source_branch: o.source_branch,
    target_branch: o.target_branch,
    source_project_id: o.source_project_id,
    target_project_id: o.target_project_id,
    merge_status: o.merge_status,
    detailed_merge_status: o.detailed_merge_status,
    merge_commit_sha: o.merge_commit_sha,
    merge_user_id: o.merge_user ? (o.merge_user as Json).id : null,
    merge_error: null,
    head_pipeline_id: null,
    reviewer_ids: ids(o.reviewers),
    blocking_discussions_resolved: true,
  };
};

/** `changes`: each changed field as `{previous, current}`, in the hook's terms. */
const changes = (kind: 'issue' | 'merge_request', now: Json, was: Json | undefined) => {
  if (!was) return {};
  const a = attributes(kind, now) as Json;
  const b = attributes(kind, was) as Json;
  const out: Json = {};
  for (const k of ['title', 'description', 'state_id', 'updated_at', 'labels', 'due_date', 'draft']) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out[k] = { previous: b[k], current: a[k] };
  }
  if (JSON.stringify(ids(now.assignees)) !== JSON.stringify(ids(was.assignees))) {
    out.assignees = {
      previous: ((was.assignees as Json[]) ?? []).map(user),
      current: ((now.assignees as Json[]) ?? []).map(user),
    };
  }
  return out;
};

const repository = (p: Json) => ({
  name: p.name,
  url: `git@gitlab.com:${String(p.path_with_namespace)}.git`,
  description: p.description,
  homepage: p.web_url,
});

/** A change as GitLab's event: the `X-Gitlab-Event` name, the hook's event group, and the payload. */
export const gitLabEvent = (
  c: GitLabChange,
  actor: GitLabActor,
): { event: string; group: keyof GitLabHook['events']; payload: Json } => {
  const who = { ...actor, email: '[REDACTED]' };
  // https://docs.gitlab.com/user/project/integrations/webhook_events/#pipeline-events
  if (c.kind === 'pipeline') {
    const o = c.object;
    const finished = ['success', 'failed', 'canceled', 'skipped'].includes(String(o.status));
    return {
      event: 'Pipeline Hook',
      group: 'pipelines',
      payload: {
        object_kind: 'pipeline',
        object_attributes: {
          id: o.id,
          iid: o.iid,
          name: o.name,
          ref: o.ref,
          tag: false,
          sha: o.sha,
          before_sha: '0000000000000000000000000000000000000000',
          source: o.source,
          status: o.status,
          detailed_status: String(o.status),
          stages: ['build', 'test', 'deploy'],
          created_at: hookTime(o.created_at),
          finished_at: finished ? hookTime(o.updated_at) : null,
          duration: finished ? 60 : null,
          queued_duration: 2,
          variables: [],
          url: o.web_url,
        },
        merge_request: null,
        user: who,
        project: hookProject(c.project),
        commit: {
          id: o.sha,
          message: 'Update the pipeline',
          title: 'Update the pipeline',
          timestamp: o.created_at,
          url: `${String(c.project.web_url)}/-/commit/${String(o.sha)}`,
          author: { name: actor.name, email: '[REDACTED]' },
        },
        builds: [],
      },
    };
  }
  if (c.kind === 'note') {
    const kind = c.noteableType === 'Issue' ? 'issue' : 'merge_request';
    return {
      event: 'Note Hook',
      group: 'notes',
      payload: {
        object_kind: 'note',
        event_type: 'note',
        user: who,
        project_id: c.project.id,
        project: hookProject(c.project),
        object_attributes: {
          ...c.note,
          noteable_type: c.noteableType,
          noteable_id: c.noteable.id,
          project_id: c.project.id,
          created_at: hookTime(c.note.created_at),
          updated_at: hookTime(c.note.updated_at),
          system: false,
          type: null,
          action: 'create',
        },
        repository: repository(c.project),
        [kind]: attributes(kind, c.noteable),
      },
    };
  }
  const issue = c.kind === 'issue';
  const o = c.object;
  return {
    event: issue ? 'Issue Hook' : 'Merge Request Hook',
    group: issue ? 'issues' : 'merge_requests',
    payload: {
      object_kind: c.kind,
      event_type: c.kind,
      user: who,
      project: hookProject(c.project),
      object_attributes: { ...attributes(c.kind, o), action: c.action },
      labels: labels(o),
      changes: changes(c.kind, o, c.previous),
      repository: repository(c.project),
      assignees: ((o.assignees as Json[]) ?? []).map(user),
      ...(issue ? {} : { reviewers: ((o.reviewers as Json[]) ?? []).map(user) }),
    },
  };
};

/**
 * A delivery's headers: the token as configured, the event, the hook's UUID, and the ids a
 * retry keeps (`Idempotency-Key`, `X-Gitlab-Event-UUID`).
 * https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers
 */
export const gitLabDeliveryHeaders = (hook: GitLabHook, event: string): Record<string, string> => ({
  'content-type': 'application/json',
  'user-agent': 'GitLab/17.9.0-ee',
  'x-gitlab-event': event,
  'x-gitlab-token': hook.token,
  'x-gitlab-webhook-uuid': hook.uuid,
  'x-gitlab-event-uuid': randomUUID(),
  'x-gitlab-instance': 'https://gitlab.com',
  'idempotency-key': randomUUID(),
});
