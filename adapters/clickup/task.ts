import * as z from 'zod/mini';
import { type WorkItem, workItem } from '../models';
import type { SyncRecord } from '../types';
import { checked, dayOfMs, isoOfMs } from './rest';

/**
 * A ClickUp task as the task endpoints answer it (Get Filtered Team Tasks, Create Task,
 * Update Task), parsed for what work_item needs, and its mapping.
 * https://developer.clickup.com/reference/getfilteredteamtasks
 */
export const task = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  text_content: z.optional(z.nullable(z.string())),
  description: z.optional(z.nullable(z.string())),
  status: z.object({ status: z.string(), type: z.string() }),
  date_created: z.string(),
  date_updated: z.optional(z.nullable(z.string())),
  assignees: z.optional(
    z.array(
      z.object({ username: z.optional(z.nullable(z.string())), email: z.optional(z.nullable(z.string())) }),
    ),
  ),
  tags: z.optional(z.array(z.object({ name: z.string() }))),
  due_date: z.optional(z.nullable(z.string())),
  url: z.optional(z.nullable(z.string())),
  list: z.optional(z.object({ id: z.string(), name: z.optional(z.string()) })),
});
export type Task = z.infer<typeof task>;

/**
 * A done or closed status whose name says the work was dropped rather than finished.
 * ClickUp has no "cancelled" type: a workflow marks such statuses `done` or `closed` and names
 * them ("Cancelled", "Won't do", "Rejected", "Duplicate", …).
 */
const droppedName = /cancel|won['’]?t|abandon|reject|declin|duplicate|not planned|obsolete/i;

/**
 * ClickUp's status types: `open` (the workflow's first status), `custom` (the active ones
 * between), `done` (finished, still shown) and `closed` (the workflow's last status). An
 * unknown type is taken as active, like `custom`. (The `Status` schema of the task endpoints.)
 */
export const statusOf = (s: Task['status']): WorkItem['status'] => {
  if (s.type === 'open') return 'open';
  if (s.type === 'done' || s.type === 'closed') return droppedName.test(s.status) ? 'cancelled' : 'done';
  return 'in_progress';
};

export const taskRecordId = (id: string): string => `clickup_task_${id}`;

export const mapTask = (t: Task): SyncRecord =>
  checked(workItem, taskRecordId(t.id), {
    title: t.name,
    // Both are the plain text of the description; empty when there is none.
    description: t.text_content || t.description || null,
    status: statusOf(t.status),
    raw_status: t.status.status,
    assignees: (t.assignees ?? []).flatMap((a) => {
      const who = a.username || a.email;
      return who ? [who] : [];
    }),
    labels: (t.tags ?? []).map((tag) => tag.name),
    url: t.url ?? null,
    project: t.list ? t.list.name || t.list.id : null,
    due_date: t.due_date ? dayOfMs(t.due_date, 'due_date') : null,
    created_at: isoOfMs(t.date_created, 'date_created'),
    updated_at: isoOfMs(t.date_updated || t.date_created, 'date_updated'),
  });
