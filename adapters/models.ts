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
 * A container of work: Jira project or sprint, Linear project or cycle, ClickUp list, Azure
 * Boards project, Notion database. `kind` says which;
 * `status` is `active`, `planned`, `completed`, `cancelled` or `archived`.
 */
export const project = z.object({
  name: z.string(),
  kind: z.enum(['project', 'cycle', 'sprint', 'list', 'database']),
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

/**
 * A chat message (Slack, Teams, a Figma comment) or a mail (Gmail, Outlook). Mail adds
 * `subject` and `recipients`; chat leaves them out. `channel` is the chat channel, or the
 * mail folder / label.
 */
export const message = z.object({
  text: z.string(),
  subject: z.optional(z.nullable(z.string())),
  recipients: z.optional(z.array(z.string())),
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

/**
 * A page, file or design (Notion page, Figma file). `content_excerpt` is the first text of
 * it (at most 1,000 characters), for search and previews — not the whole document.
 */
export const document = z.object({
  title: z.string(),
  kind: z.enum(['page', 'file', 'design']),
  url: z.nullable(z.string()),
  /** The page, database, project or team it sits in. */
  parent: z.nullable(z.string()),
  author: z.nullable(z.string()),
  content_excerpt: z.nullable(z.string()),
  created_at: z.nullable(iso),
  last_edited_at: z.nullable(iso),
});

/** A CI/CD pipeline run (Azure Pipelines, GitLab CI, GitHub Actions). */
export const pipelineRun = z.object({
  pipeline: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped']),
  raw_status: z.string(),
  /** `owner/name`, `group/project` or `organization/project`. */
  repository: z.nullable(z.string()),
  ref: z.nullable(z.string()),
  sha: z.nullable(z.string()),
  url: z.nullable(z.string()),
  started_at: z.nullable(iso),
  finished_at: z.nullable(iso),
  created_at: iso,
});

/** A commit on a repository's branch. */
export const commit = z.object({
  sha: z.string(),
  message: z.string(),
  author: z.nullable(z.string()),
  author_email: z.nullable(z.string()),
  repository: z.string(),
  branch: z.nullable(z.string()),
  url: z.nullable(z.string()),
  committed_at: iso,
});

/**
 * Billing (Stripe). Amounts are integers in the currency's minor unit (cents for USD, yen
 * for JPY), `currency` the ISO code in lower case — as Stripe sends them; never floats.
 */
const currency = z.string().check(z.regex(/^[a-z]{3}$/));

export const customer = z.object({
  name: z.nullable(z.string()),
  email: z.nullable(z.string()),
  currency: z.nullable(currency),
  /** Balance in minor units; negative is credit. */
  balance: z.int(),
  delinquent: z.boolean(),
  url: z.nullable(z.string()),
  created_at: iso,
});

export const subscription = z.object({
  customer: z.string(),
  status: z.enum(['trialing', 'active', 'past_due', 'unpaid', 'paused', 'cancelled', 'incomplete']),
  raw_status: z.string(),
  items: z.array(
    z.object({
      price: z.string(),
      product: z.nullable(z.string()),
      quantity: z.nullable(z.int()),
      unit_amount: z.nullable(z.int()),
      interval: z.nullable(z.string()),
    }),
  ),
  currency: currency,
  cancel_at_period_end: z.boolean(),
  current_period_end: z.nullable(iso),
  cancelled_at: z.nullable(iso),
  created_at: iso,
});

export const invoice = z.object({
  customer: z.string(),
  subscription: z.nullable(z.string()),
  number: z.nullable(z.string()),
  status: z.enum(['draft', 'open', 'paid', 'uncollectible', 'void']),
  amount_due: z.int(),
  amount_paid: z.int(),
  amount_remaining: z.int(),
  currency: currency,
  url: z.nullable(z.string()),
  due_date: z.nullable(iso),
  paid_at: z.nullable(iso),
  created_at: iso,
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
  document,
  pipeline_run: pipelineRun,
  commit,
  customer,
  subscription,
  invoice,
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
export type Document = z.infer<typeof document>;
export type PipelineRun = z.infer<typeof pipelineRun>;
export type Commit = z.infer<typeof commit>;
export type Customer = z.infer<typeof customer>;
export type Subscription = z.infer<typeof subscription>;
export type Invoice = z.infer<typeof invoice>;
