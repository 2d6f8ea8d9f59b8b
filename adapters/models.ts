import * as z from 'zod/mini';

/**
 * The unified models records are normalised to (API.md "Records"). Same field meaning
 * across providers: a Jira issue, a Linear issue and a GitHub issue are all `work_item`,
 * with status normalised to open | in_progress | done | cancelled and the provider's own
 * status kept as `raw_status`.
 */
const iso = z.iso.datetime({ offset: true });

export const workItemStatus = z.enum(['open', 'in_progress', 'done', 'cancelled']);

export const workItem = z.object({
  title: z.string(),
  description: z.nullable(z.string()),
  status: workItemStatus,
  raw_status: z.string(),
  assignees: z.array(z.string()),
  labels: z.array(z.string()),
  url: z.nullable(z.string()),
  /** Repository, project key or team the item belongs to. */
  project: z.nullable(z.string()),
  due_date: z.nullable(z.string()),
  // Null only for a CSV import whose export has no date columns: providers always say.
  created_at: z.nullable(iso),
  updated_at: z.nullable(iso),
});

export const repository = z.object({
  name: z.string(),
  full_name: z.string(),
  description: z.nullable(z.string()),
  url: z.string(),
  private: z.boolean(),
  default_branch: z.nullable(z.string()),
  archived: z.boolean(),
  created_at: iso,
  updated_at: iso,
});

/**
 * Pull and merge requests (GitHub, GitLab). `status` has work_item's meaning: `open`
 * (ready for review), `in_progress` (draft), `done` (merged), `cancelled` (closed unmerged).
 */
export const pullRequest = z.object({
  title: z.string(),
  description: z.nullable(z.string()),
  status: workItemStatus,
  raw_status: z.string(),
  number: z.int(),
  author: z.nullable(z.string()),
  assignees: z.array(z.string()),
  reviewers: z.array(z.string()),
  labels: z.array(z.string()),
  url: z.nullable(z.string()),
  /** `owner/name` (GitHub) or `group/project` path (GitLab). */
  repository: z.string(),
  source_branch: z.nullable(z.string()),
  target_branch: z.nullable(z.string()),
  draft: z.boolean(),
  merged_at: z.nullable(iso),
  closed_at: z.nullable(iso),
  created_at: iso,
  updated_at: iso,
});

/**
 * A container of work: Jira project, Linear project or cycle, ClickUp list. `kind` says which;
 * `status` is `active`, `planned`, `completed`, `cancelled` or `archived`.
 */
export const project = z.object({
  name: z.string(),
  kind: z.enum(['project', 'cycle', 'list']),
  key: z.nullable(z.string()),
  description: z.nullable(z.string()),
  status: z.enum(['active', 'planned', 'completed', 'cancelled', 'archived']),
  raw_status: z.nullable(z.string()),
  url: z.nullable(z.string()),
  /** The team, space or folder it belongs to, when the provider has one. */
  parent: z.nullable(z.string()),
  starts_at: z.nullable(z.string()),
  ends_at: z.nullable(z.string()),
  created_at: z.nullable(iso),
  updated_at: z.nullable(iso),
});

/** A Slack or Teams channel, or a Microsoft team (`kind: 'team'`). */
export const channel = z.object({
  name: z.string(),
  kind: z.enum(['channel', 'team']),
  description: z.nullable(z.string()),
  is_private: z.boolean(),
  is_archived: z.boolean(),
  member_count: z.nullable(z.int()),
  url: z.nullable(z.string()),
  /** The team (Teams) or workspace (Slack) it belongs to. */
  parent: z.nullable(z.string()),
  created_at: z.nullable(iso),
});

export const message = z.object({
  text: z.string(),
  channel: z.nullable(z.string()),
  author: z.nullable(z.string()),
  url: z.nullable(z.string()),
  thread_id: z.nullable(z.string()),
  created_at: iso,
});

export const user = z.object({
  name: z.string(),
  display_name: z.nullable(z.string()),
  email: z.nullable(z.string()),
  is_bot: z.boolean(),
  is_deleted: z.boolean(),
  avatar_url: z.nullable(z.string()),
  timezone: z.nullable(z.string()),
});

/** `start` / `end`: ISO date-times, or dates (YYYY-MM-DD) for all-day events. */
export const calendarEvent = z.object({
  title: z.string(),
  description: z.nullable(z.string()),
  status: z.enum(['confirmed', 'tentative', 'cancelled']),
  start: z.string(),
  end: z.string(),
  all_day: z.boolean(),
  location: z.nullable(z.string()),
  organizer: z.nullable(z.string()),
  attendees: z.array(z.object({ email: z.string(), response_status: z.nullable(z.string()) })),
  url: z.nullable(z.string()),
  calendar: z.string(),
  created_at: z.nullable(iso),
  updated_at: z.nullable(iso),
});

/** A monitor or SLO (Datadog): its state and, for SLOs, the measured value against the target. */
export const metric = z.object({
  name: z.string(),
  kind: z.enum(['monitor', 'slo']),
  status: z.enum(['ok', 'warn', 'alert', 'no_data', 'muted', 'unknown']),
  raw_status: z.nullable(z.string()),
  value: z.nullable(z.number()),
  target: z.nullable(z.number()),
  tags: z.array(z.string()),
  url: z.nullable(z.string()),
  updated_at: z.nullable(iso),
});

/** A project's quality gate (SonarQube Cloud) and the conditions that decided it. */
export const qualityGate = z.object({
  project: z.string(),
  status: z.enum(['passed', 'failed', 'warn', 'none']),
  conditions: z.array(
    z.object({
      metric: z.string(),
      status: z.string(),
      actual: z.nullable(z.string()),
      threshold: z.nullable(z.string()),
    }),
  ),
  url: z.nullable(z.string()),
  analysed_at: z.nullable(iso),
});

export const modelSchemas = {
  work_item: workItem,
  pull_request: pullRequest,
  repository,
  project,
  channel,
  message,
  user,
  calendar_event: calendarEvent,
  metric,
  quality_gate: qualityGate,
} as const;
export type WorkItem = z.infer<typeof workItem>;
export type PullRequest = z.infer<typeof pullRequest>;
export type Repository = z.infer<typeof repository>;
export type Project = z.infer<typeof project>;
export type Channel = z.infer<typeof channel>;
export type Message = z.infer<typeof message>;
export type User = z.infer<typeof user>;
export type CalendarEvent = z.infer<typeof calendarEvent>;
export type Metric = z.infer<typeof metric>;
export type QualityGate = z.infer<typeof qualityGate>;
