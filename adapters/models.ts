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
  created_at: iso,
  updated_at: iso,
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

export const modelSchemas = { work_item: workItem, repository } as const;
export type WorkItem = z.infer<typeof workItem>;
export type Repository = z.infer<typeof repository>;
