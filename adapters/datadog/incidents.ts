import * as z from 'zod/mini';
import { type WorkItem, workItem } from '../models';
import type { SyncContext } from '../types';
import { appOrigin, callDatadog, checked, isoOf } from './api';

/**
 * Incidents as work items, JSON:API style, offset-paged (`page[size]` up to 100,
 * `meta.pagination.next_offset`), with their users `include`d so the commander has a name.
 * https://docs.datadoghq.com/api/latest/incidents/#get-a-list-of-incidents
 */

const dropdown = z.optional(z.nullable(z.object({ value: z.optional(z.nullable(z.string())) })));
const userRef = z.optional(
  z.nullable(z.object({ data: z.nullable(z.object({ type: z.string(), id: z.string() })) })),
);

const incident = z.object({
  id: z.string(),
  type: z.literal('incidents'),
  attributes: z.object({
    title: z.string(),
    public_id: z.optional(z.nullable(z.number())),
    created: z.string(),
    modified: z.string(),
    customer_impacted: z.optional(z.nullable(z.boolean())),
    customer_impact_scope: z.optional(z.nullable(z.string())),
    // Top-level since 2023; before, only as the `state` and `severity` fields.
    state: z.optional(z.nullable(z.string())),
    severity: z.optional(z.nullable(z.string())),
    fields: z.optional(z.nullable(z.object({ state: dropdown, severity: dropdown }))),
  }),
  relationships: z.optional(z.nullable(z.object({ commander_user: userRef }))),
});
type Incident = z.infer<typeof incident>;

const included = z.object({
  type: z.string(),
  id: z.string(),
  attributes: z.optional(
    z.nullable(
      z.object({
        handle: z.optional(z.nullable(z.string())),
        email: z.optional(z.nullable(z.string())),
        name: z.optional(z.nullable(z.string())),
      }),
    ),
  ),
});

const incidentList = z.object({
  data: z.array(incident),
  included: z.optional(z.nullable(z.array(included))),
  meta: z.optional(
    z.nullable(
      z.object({
        pagination: z.optional(
          z.nullable(
            z.object({
              next_offset: z.optional(z.nullable(z.number())),
              size: z.optional(z.nullable(z.number())),
            }),
          ),
        ),
      }),
    ),
  ),
});

/**
 * Datadog's incident states: `active` and `stable` (impact under control, work goes on) are
 * in progress; `resolved` and `completed` (postmortem done) are done.
 * https://docs.datadoghq.com/service_management/incident_management/incident_details/#status-levels
 */
const STATES: Record<string, WorkItem['status']> = {
  active: 'in_progress',
  stable: 'in_progress',
  resolved: 'done',
  completed: 'done',
};

const mapIncident = (
  i: Incident,
  users: Map<string, string>,
  config: Record<string, unknown>,
): WorkItem & { updatedMs: number } => {
  const a = i.attributes;
  const state = a.state ?? a.fields?.state?.value ?? 'active';
  const severity = a.severity ?? a.fields?.severity?.value ?? null;
  const commander = i.relationships?.commander_user?.data?.id;
  const data = checked(workItem, `incident ${i.id}`, {
    title: a.title,
    description: a.customer_impacted ? (a.customer_impact_scope ?? null) : null,
    status: STATES[state] ?? 'open',
    raw_status: state,
    assignees: commander ? [users.get(commander) ?? commander] : [],
    labels: severity && severity !== 'UNKNOWN' ? [severity] : [],
    url: `${appOrigin(config)}/incidents/${a.public_id ?? i.id}`,
    project: null,
    due_date: null,
    created_at: isoOf(a.created) ?? '',
    updated_at: isoOf(a.modified) ?? '',
  });
  return { ...data, updatedMs: Date.parse(a.modified) };
};

export const listIncidents = async (
  ctx: SyncContext,
  offset: number,
  size: number,
): Promise<{
  incidents: (WorkItem & { incidentId: string; updatedMs: number })[];
  next: number | undefined;
}> => {
  const answer = await callDatadog(ctx, '/api/v2/incidents', incidentList, {
    query: { 'page[size]': size, 'page[offset]': offset, include: 'users' },
  });
  const users = new Map<string, string>();
  for (const u of answer.included ?? []) {
    const name = u.attributes?.handle ?? u.attributes?.email ?? u.attributes?.name;
    if (u.type === 'users' && name) users.set(u.id, name);
  }
  const next =
    answer.data.length < size
      ? undefined
      : (answer.meta?.pagination?.next_offset ?? offset + answer.data.length);
  return {
    incidents: answer.data.map((i) => ({ incidentId: i.id, ...mapIncident(i, users, ctx.config) })),
    next: next !== undefined && next > offset ? next : undefined,
  };
};
