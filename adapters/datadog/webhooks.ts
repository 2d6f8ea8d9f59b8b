import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { type Metric, metric } from '../models';
import type { WebhookEffect, WebhookFunctions } from '../types';
import { routingKeys } from '../webhook-routing';
import { rawText, verifySharedToken, WebhookRefused } from '../webhook-signatures';
import { monitorRecordId } from './monitors';

/**
 * Datadog monitor alerts through the Webhooks integration. Datadog signs nothing: the user
 * gives the webhook a custom header, `X-Integrations-Secret: <the integration's
 * webhook_secret>`, which is compared in constant time, and a payload — a template of theirs,
 * the one README "Datadog" gives — whose `$VARIABLES` Datadog fills in.
 * https://docs.datadoghq.com/integrations/webhooks/
 * https://docs.datadoghq.com/integrations/webhooks/#variables
 */

export const SECRET_HEADER = 'x-integrations-secret';

/** The template's fields (every `$VARIABLE` arrives as a string). */
const alert = z.object({
  id: z.optional(z.string()),
  alert_id: z.string().check(z.regex(/^\d+$/)),
  alert_transition: z.string(),
  alert_status: z.optional(z.string()),
  alert_title: z.optional(z.string()),
  date: z.optional(z.string()),
  last_updated: z.optional(z.string()),
  org_id: z.optional(z.string()),
  org_public_id: z.optional(z.string()),
  link: z.optional(z.string()),
});

/**
 * `$ALERT_TRANSITION` → the monitor's status, and the overall state the monitors sync reads
 * (`overall_state`) as `raw_status`, so a webhook and a run agree. Re-Triggered and
 * Re-Warn (renotifications) are their states again.
 */
const TRANSITIONS: Record<string, { status: Metric['status']; raw: string }> = {
  Triggered: { status: 'alert', raw: 'Alert' },
  'Re-Triggered': { status: 'alert', raw: 'Alert' },
  Warn: { status: 'warn', raw: 'Warn' },
  'Re-Warn': { status: 'warn', raw: 'Warn' },
  Recovered: { status: 'ok', raw: 'OK' },
  'No Data': { status: 'no_data', raw: 'No Data' },
  'Re-No Data': { status: 'no_data', raw: 'No Data' },
};

/** `$DATE` / `$LAST_UPDATED`: epoch milliseconds (or seconds), as a string. */
const instant = (value: string | undefined): string | null => {
  if (!value || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return new Date(n < 1e12 ? n * 1000 : n).toISOString();
};

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

export const webhooks: WebhookFunctions = {
  verify: (req, secret) => {
    verifySharedToken(req.headers[SECRET_HEADER], secret);
    const r = alert.safeParse(parse(rawText(req.rawBody)));
    if (!r.success) throw new WebhookRefused('not the alert template (alert_id, alert_transition)');
    // `$ID` names the event; a template without it is named by its body (a retry repeats it).
    const deliveryId = r.data.id || `sha256:${createHash('sha256').update(req.rawBody).digest('hex')}`;
    return { kind: 'event', deliveryId, eventType: `monitor.${r.data.alert_transition}` };
  },

  // `$ORG_PUBLIC_ID` against what connect time stored (`org_public_id`), `$ORG_ID` against the
  // organization's id (the connection's account).
  route: (payload) => {
    const r = alert.safeParse(payload);
    if (!r.success) return [];
    return routingKeys(['org', r.data.org_public_id], ['account', r.data.org_id]);
  },

  /**
   * The monitor's `metric` record: its status from the transition, at the alert's time. The
   * name, tags, target and URL the monitors sync stored stay (`keep`); a monitor not synced
   * yet gets the alert's title and link until the next run.
   */
  apply: (payload): WebhookEffect | undefined => {
    const r = alert.safeParse(payload);
    if (!r.success) return { kind: 'sync', syncs: ['monitors'] };
    const t = TRANSITIONS[r.data.alert_transition];
    if (!t) return undefined;
    const title = (r.data.alert_title ?? '').replace(/^\[[^\]]*\]\s*/, '') || `Monitor ${r.data.alert_id}`;
    const data = metric.safeParse({
      name: title,
      kind: 'monitor',
      status: t.status,
      raw_status: t.raw,
      value: null,
      target: null,
      tags: [],
      url: r.data.link || null,
      updated_at: instant(r.data.last_updated) ?? instant(r.data.date),
    });
    if (!data.success) return { kind: 'sync', syncs: ['monitors'] };
    return {
      kind: 'records',
      sync: 'monitors',
      records: [{ id: monitorRecordId(Number(r.data.alert_id)), data: data.data as Record<string, unknown> }],
      deletedIds: [],
      keep: ['name', 'tags', 'target', 'url'],
    };
  },
};
