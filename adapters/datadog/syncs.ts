import * as z from 'zod/mini';
import type { SyncContext, SyncPage, SyncsOf } from '../types';
import { listIncidents } from './incidents';
import type { manifest } from './manifest';
import { listMonitors, monitorRecordId } from './monitors';
import { listSlos } from './slos';

/**
 * Datadog's syncs, one provider page per `fetchPage`.
 * - monitors: page-numbered (`page`, `page_size`) in id order, so an edit never moves a
 *   monitor and new ones land at the end; a deletion during a run may shift one monitor onto
 *   an earlier page, where the next run finds it. Full only: the list has no modified-since.
 * - slos: offset-paged the same way; full only.
 * - incidents: offset-paged in creation order. The list cannot be asked for changes, so an
 *   incremental run still pages through every incident but hands on only those modified
 *   since the last run (Datadog keeps `modified` for every edit, state changes included).
 */
const MONITORS_PAGE = 100;
const SLOS_PAGE = 100;
// The most Datadog serves per page of incidents.
const INCIDENTS_PAGE = 100;

const position = z.int().check(z.minimum(0));
const pageCheckpoint = z.object({ page: position });
const offsetCheckpoint = z.object({ offset: position });

// Anything unreadable starts over.
const pageOf = (ctx: SyncContext): number => pageCheckpoint.safeParse(ctx.checkpoint).data?.page ?? 0;
const offsetOf = (ctx: SyncContext): number => offsetCheckpoint.safeParse(ctx.checkpoint).data?.offset ?? 0;

const fetchMonitorsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const page = pageOf(ctx);
  const listed = await listMonitors(ctx, { page, pageSize: MONITORS_PAGE });
  const records = listed.monitors.map(({ monitorId, ...data }) => ({ id: monitorRecordId(monitorId), data }));
  return listed.last ? { records } : { records, next: { page: page + 1 } };
};

const fetchSlosPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const listed = await listSlos(ctx, offsetOf(ctx), SLOS_PAGE);
  const records = listed.slos.map(({ sloId, ...data }) => ({ id: `dd_slo_${sloId}`, data }));
  return listed.next === undefined ? { records } : { records, next: { offset: listed.next } };
};

const fetchIncidentsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const listed = await listIncidents(ctx, offsetOf(ctx), INCIDENTS_PAGE);
  const since = ctx.mode === 'incremental' && ctx.since ? Date.parse(ctx.since) : Number.NaN;
  const records = listed.incidents
    .filter((i) => Number.isNaN(since) || i.updatedMs >= since)
    .map(({ incidentId, updatedMs: _, ...data }) => ({ id: `dd_incident_${incidentId}`, data }));
  return listed.next === undefined ? { records } : { records, next: { offset: listed.next } };
};

export const syncs: SyncsOf<typeof manifest> = {
  monitors: fetchMonitorsPage,
  slos: fetchSlosPage,
  incidents: fetchIncidentsPage,
};
