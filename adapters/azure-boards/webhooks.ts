import * as z from 'zod/mini';
import { routeServiceHook, verifyServiceHook } from '../azure-devops/hooks';
import { inProjects } from '../azure-devops/rest';
import type { WebhookEffect, WebhookFunctions } from '../types';
import { azureWorkItem, mapWorkItem, statusByName, workItemRecordId } from './work-items';

/**
 * Azure Boards service hooks: `workitem.created` and `workitem.restored` carry the work item
 * (`resource`: id, rev, fields), `workitem.updated` the update with the whole work item after it
 * (`resource.revision`), `workitem.deleted` the work item that went to the recycle bin. A work
 * item is mapped at once — with the sync's mapping, so the record is the one a sync would write —
 * unless its state is not one the mapping knows by name (a customised process: its category
 * takes a call), in which case the event is an incremental run of the sync instead.
 * https://learn.microsoft.com/en-us/azure/devops/service-hooks/events#work-item-created
 */

const updated = z.object({ resource: z.object({ revision: azureWorkItem }) });
const whole = z.object({ resource: azureWorkItem });
const deleted = z.object({
  resource: z.object({ id: z.number(), fields: z.optional(z.record(z.string(), z.unknown())) }),
});

const SYNC = 'work_items';
const rerun: WebhookEffect = { kind: 'sync', syncs: [SYNC] };

export const webhooks: WebhookFunctions = {
  verify: (req, secret) => verifyServiceHook(req, secret),
  route: (payload) => routeServiceHook(payload),
  apply: (payload, eventType, connection) => {
    const config = connection?.config ?? {};
    const metadata = connection?.metadata ?? {};
    if (eventType === 'workitem.deleted') {
      const d = deleted.safeParse(payload);
      if (!d.success) return rerun;
      const project = d.data.resource.fields?.['System.TeamProject'];
      if (typeof project === 'string' && !inProjects(config, project)) return undefined;
      return { kind: 'records', sync: SYNC, records: [], deletedIds: [workItemRecordId(d.data.resource.id)] };
    }
    const item =
      eventType === 'workitem.updated'
        ? updated.safeParse(payload).data?.resource.revision
        : eventType === 'workitem.created' || eventType === 'workitem.restored'
          ? whole.safeParse(payload).data?.resource
          : undefined;
    if (eventType.startsWith('workitem.') && item === undefined) return rerun;
    if (item === undefined) return undefined;
    if (!inProjects(config, item.fields['System.TeamProject'])) return undefined;
    const status = statusByName(item.fields['System.State']);
    // The organization URL verification stored (the API host in use, override included), so
    // the record's URL is the sync's; without it, or without a known state, the sync maps it.
    const orgUrl = metadata.organization_url;
    if (status === undefined || !orgUrl) return rerun;
    const record = mapWorkItem(orgUrl, item, status);
    return { kind: 'records', sync: SYNC, records: [record], deletedIds: [] };
  },
};
