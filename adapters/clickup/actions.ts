import type * as z from 'zod/mini';
import type { ActionContext, ActionsOf } from '../types';
import type { createTaskInput, manifest, updateTaskStatusInput } from './manifest';
import { clickupCall } from './rest';
import { mapTask, task } from './task';

/**
 * ClickUp's actions answer the task as ClickUp returns it after the write, mapped to
 * work_item. Refusals (unknown list or task, a status the list's workflow lacks) come back
 * as `rejected` with ClickUp's `err`.
 */

const workItemOf = (t: z.infer<typeof task>) => {
  const r = mapTask(t);
  return { work_item: { id: r.id, ...r.data } };
};

/**
 * ClickUp keeps a due date as an instant, `due_date_time: false` marking a day without a time.
 * A day is sent as its noon UTC so that it shows as that day in every zone from -11:00 to
 * +12:00, and reads back as the same day.
 */
const dueDate = (value: string): { due_date: number; due_date_time: boolean } =>
  /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? { due_date: Date.parse(`${value}T12:00:00Z`), due_date_time: false }
    : { due_date: Date.parse(value), due_date_time: true };

export const actions: ActionsOf<typeof manifest> = {
  // https://developer.clickup.com/reference/createtask
  create_task: async (ctx: ActionContext, input: z.infer<typeof createTaskInput>) => {
    const body = {
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.assignees !== undefined ? { assignees: input.assignees } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
      ...(input.due_date !== undefined ? dueDate(input.due_date) : {}),
    };
    const created = await clickupCall(ctx, {
      method: 'POST',
      path: `/list/${encodeURIComponent(input.list_id)}/task`,
      call: 'POST /list/{list_id}/task',
      schema: task,
      body,
    });
    return workItemOf(created);
  },

  // https://developer.clickup.com/reference/updatetask
  update_task_status: async (ctx: ActionContext, input: z.infer<typeof updateTaskStatusInput>) => {
    const updated = await clickupCall(ctx, {
      method: 'PUT',
      path: `/task/${encodeURIComponent(input.task_id)}`,
      call: 'PUT /task/{task_id}',
      schema: task,
      body: { status: input.status },
    });
    return workItemOf(updated);
  },
};
