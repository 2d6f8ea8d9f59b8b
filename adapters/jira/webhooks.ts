import { createHash, createHmac } from 'node:crypto';
import * as z from 'zod/mini';
import type { WebhookEffect, WebhookFunctions, WebhookRequest } from '../types';
import { routingKeys } from '../webhook-routing';
import { rawText, safeEqual, verifyHmacSha256Hex, WebhookRefused } from '../webhook-signatures';
import { ISSUE_FIELDS, issueRecordId, jiraIssue, mapIssue } from './issues';
import { projectRecordId } from './projects';
import { configuredProjects } from './rest';
import { mapSprint, sprint, sprintRecordId } from './sprints';

/**
 * Jira Cloud webhooks. Two ways in, told apart by their headers:
 * - admin webhooks (Jira settings, or POST /rest/webhooks/1.0/webhook) registered with a
 *   secret: `X-Hub-Signature: sha256=<hex>`, the HMAC-SHA256 of the body (WebSub's
 *   `method=signature`);
 * - dynamic webhooks of an OAuth 2.0 app (POST /rest/api/3/webhook): no body signature, but
 *   `Authorization: Bearer <JWT>`, HS256-signed with the app's client secret (the integration's
 *   webhook secret is then that client secret). The JWT signs no body, so such a delivery is
 *   only a hint: it triggers an incremental sync and never writes what its body says.
 * `X-Atlassian-Webhook-Identifier` names the delivery and stays the same on retries
 * (`X-Atlassian-Webhook-Retry: n`). The event is the body's `webhookEvent`.
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/
 */

const b64json = (segment: string): unknown => {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};

const jwtHeader = z.object({ alg: z.literal('HS256') });
const jwtClaims = z.object({
  exp: z.number(),
  iat: z.optional(z.number()),
  qsh: z.optional(z.string()),
});
/** Clock skew allowed either way on `exp` and `iat`. */
const SKEW_SECONDS = 60;
/**
 * The longest a webhook JWT may live: Atlassian issues them for minutes (Connect's examples
 * use 180 s), so a token valid for longer is not one of theirs, and a replay of a captured
 * one works for this long at most.
 */
export const MAX_JWT_LIFETIME_SECONDS = 600;

/** RFC 3986 percent-encoding, as Atlassian's canonical query string wants it (`+` → %20, `*` → %2A). */
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The query string hash of a request: SHA-256 (hex) of `METHOD&path&canonical-query`, the
 * query sorted by encoded name (the `jwt` parameter left out), the path without a trailing
 * slash, `/` when empty.
 * https://developer.atlassian.com/cloud/jira/platform/understanding-jwt-for-connect-apps/
 */
export const queryStringHash = (method: string, path: string, query: Record<string, string>): string => {
  const canonicalPath = path.replace(/\/+$/, '') || '/';
  const canonicalQuery = Object.entries(query)
    .filter(([k]) => k !== 'jwt')
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return createHash('sha256')
    .update(`${method.toUpperCase()}&${canonicalPath}&${canonicalQuery}`)
    .digest('hex');
};

/**
 * A webhook authenticated by a bearer JWT — an OAuth 2.0 app's dynamic webhook, signed with
 * the app's client secret, or a Connect app's, signed with its shared secret: a compact
 * HS256 JWT with an `exp` within MAX_JWT_LIFETIME_SECONDS, not issued in the future, and —
 * when it carries one, as Connect's server-to-server JWTs do — a `qsh` matching this very
 * request (a fixed `context-qsh` is a browser token, never a webhook's). Atlassian documents
 * no claim that covers the body, so a valid JWT proves the sender, not the payload: the
 * caller treats the body as a hint only.
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/#webhooks-authentication-for-oauth-2-0-apps
 * https://developer.atlassian.com/cloud/jira/platform/understanding-jwt-for-connect-apps/
 */
const verifyBearerJwt = (req: WebhookRequest, secret: string, now: number): void => {
  const token = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(req.headers.authorization ?? '');
  if (!token) throw new WebhookRefused('missing signature');
  const [, header = '', claims = '', signature = ''] = token;
  const expected = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
  if (!safeEqual(signature, expected)) throw new WebhookRefused('signature mismatch');
  if (!jwtHeader.safeParse(b64json(header)).success) throw new WebhookRefused('malformed token');
  const c = jwtClaims.safeParse(b64json(claims));
  if (!c.success) throw new WebhookRefused('malformed token');
  const seconds = now / 1000;
  const { exp, iat, qsh } = c.data;
  if (exp < seconds - SKEW_SECONDS) throw new WebhookRefused('stale token');
  if (exp > seconds + MAX_JWT_LIFETIME_SECONDS + SKEW_SECONDS)
    throw new WebhookRefused('token lives too long');
  if (iat !== undefined && (iat > seconds + SKEW_SECONDS || exp - iat > MAX_JWT_LIFETIME_SECONDS))
    throw new WebhookRefused('stale token');
  if (qsh !== undefined && !safeEqual(qsh, queryStringHash(req.method, req.rawPath ?? '/', req.query)))
    throw new WebhookRefused('qsh mismatch');
};

const envelope = z.object({ webhookEvent: z.string().check(z.minLength(1)) });

/** The event named in a body that verified (Jira has no event header). */
const eventOf = (rawBody: string): string => {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new WebhookRefused('unreadable body');
  }
  const r = envelope.safeParse(body);
  if (!r.success) throw new WebhookRefused('no webhookEvent');
  return r.data.webhookEvent;
};

const withSelf = z.object({ self: z.optional(z.string()) });
const routing = z.object({
  issue: z.optional(
    z.object({
      self: z.optional(z.string()),
      fields: z.optional(z.object({ project: z.optional(z.nullable(withSelf)) })),
    }),
  ),
  user: z.optional(withSelf),
  comment: z.optional(withSelf),
  project: z.optional(withSelf),
  sprint: z.optional(withSelf),
});

const issueProject = z.object({
  issue: z.object({ fields: z.object({ project: z.object({ key: z.string() }) }) }),
});

const GATEWAY = 'api.atlassian.com';

/** The site (host) a REST link is on, or the cloud id of a gateway link (`/ex/jira/{cloudId}/…`). */
const siteKey = (link: string): readonly ['site' | 'cloud', string | undefined] | undefined => {
  if (!URL.canParse(link)) return undefined;
  const url = new URL(link);
  if (url.host !== GATEWAY) return ['site', url.host];
  return ['cloud', /^\/ex\/jira\/([^/]+)\//.exec(url.pathname)?.[1]];
};

/**
 * Webhooks carry REST API v2 representations: the description is wiki markup, where the sync
 * reads the v3 document (ADF) flattened to plain text. Both read the same only for text
 * without markup, with blank lines (paragraph breaks in wiki, block ends in the ADF text) taken
 * as one line break. This errs on the side of markup (`e-mail` passes, `-draft-` does not):
 * a description it refuses is left to an incremental sync, never mapped differently.
 * https://jira.atlassian.com/secure/WikiRendererHelpAction.jspa?section=all
 */
const INLINE_MARKUP = /(^|[\s([{])[*_+^~-](?=\S)|(?<=\S)[*_+^~-](?=$|[\s.,;:!?)\]}])/m;
const OTHER_MARKUP =
  /[[\]{}|\\]|\?\?|--|!\S[^!\n]*!|^[ \t]*(?:[*#-]+[ \t]|(?:h[1-6]|bq)\.[ \t])|[:;][()PpDdOo]|\((?:[ynix/!+?*-]|on|off|\*[rgby]|flag|flagoff)\)/im;

/** The description as the sync would read it, or undefined when the webhook's can't tell. */
const plainDescription = (description: unknown): { value: string | null } | undefined => {
  if (description === null) return { value: null };
  if (typeof description !== 'string') return undefined;
  if (INLINE_MARKUP.test(description) || OTHER_MARKUP.test(description)) return undefined;
  return {
    value: description
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n(?:[ \t]*\n)+/g, '\n'),
  };
};

const issueEvent = z.object({
  issue: z.object({
    id: z.union([z.string(), z.number()]),
    key: z.string(),
    self: z.string(),
    fields: z.record(z.string(), z.unknown()),
  }),
});

const syncIssues: WebhookEffect = { kind: 'sync', syncs: ['issues'] };
const syncProjects: WebhookEffect = { kind: 'sync', syncs: ['projects'] };
const syncSprints: WebhookEffect = { kind: 'sync', syncs: ['sprints'] };

/**
 * A sprint event carries the sprint as the Agile API lists it (`sprint`: id, self, state,
 * name, dates, goal, originBoardId), not its board's name: the record keeps the `parent` the
 * sprints sync stored (a sprint new to us has none until the next run names it).
 * sprint_deleted removes the record. A sprint the payload can't map is read by a sprints run.
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/#sprint-related-events
 */
const applySprint = (payload: unknown, eventType: string): WebhookEffect => {
  const e = z.object({ sprint }).safeParse(payload);
  if (!e.success) return syncSprints;
  const id = sprintRecordId(e.data.sprint.id);
  if (eventType === 'sprint_deleted')
    return { kind: 'records', sync: 'sprints', records: [], deletedIds: [id] };
  try {
    return {
      kind: 'records',
      sync: 'sprints',
      records: [mapSprint(e.data.sprint, null)],
      deletedIds: [],
      keep: ['parent'],
    };
  } catch {
    return syncSprints;
  }
};

/**
 * An issue created or updated, mapped as the issues sync maps it — when the payload has every
 * field the mapping reads, a description that reads the same, and a site to browse it at;
 * otherwise an incremental issues run reads it from the API.
 */
const applyIssue = (payload: unknown): WebhookEffect => {
  const e = issueEvent.safeParse(payload);
  if (!e.success) return syncIssues;
  const { fields, self } = e.data.issue;
  if (!ISSUE_FIELDS.every((f) => f in fields)) return syncIssues;
  const description = plainDescription(fields.description);
  const site = URL.canParse(self) ? new URL(self) : undefined;
  if (!description || !site || site.host === GATEWAY) return syncIssues;
  const issue = jiraIssue.safeParse({
    ...e.data.issue,
    id: String(e.data.issue.id),
    fields: { ...fields, description: description.value },
  });
  if (!issue.success) return syncIssues;
  try {
    return { kind: 'records', sync: 'issues', records: [mapIssue(issue.data, site.origin)], deletedIds: [] };
  } catch {
    return syncIssues;
  }
};

const deleted = z.object({ id: z.union([z.string(), z.number()]) });

/** What an unsigned body may trigger: an incremental run of the sync its event is about. */
const hintOf = (eventType: string): WebhookEffect | undefined => {
  if (eventType.startsWith('jira:issue_') || eventType.startsWith('comment_')) return syncIssues;
  if (eventType.startsWith('project_')) return syncProjects;
  if (eventType.startsWith('sprint_')) return syncSprints;
  return undefined;
};

export const webhooks: WebhookFunctions = {
  verify: (req, secret, now) => {
    const signature = req.headers['x-hub-signature'];
    if (signature !== undefined) verifyHmacSha256Hex(signature, secret, req.rawBody);
    else verifyBearerJwt(req, secret, now);
    const eventType = eventOf(rawText(req.rawBody));
    // Jira sends the identifier on every delivery; a body hash repeats on a retry all the same.
    const deliveryId =
      req.headers['x-atlassian-webhook-identifier'] ||
      `sha256:${createHash('sha256').update(req.rawBody).digest('hex')}`;
    return signature !== undefined
      ? { kind: 'event', deliveryId, eventType }
      : { kind: 'event', deliveryId, eventType, hintOnly: true };
  },

  // Connect time stores the site's host (`site`) and, for OAuth, the `cloud_id`: the REST
  // links in the payload are on the site, or on the gateway with the cloud id.
  route: (payload) => {
    const r = routing.safeParse(payload);
    if (!r.success) return [];
    const { issue, user, comment, project, sprint } = r.data;
    const links = [
      issue?.self,
      issue?.fields?.project?.self,
      user?.self,
      comment?.self,
      project?.self,
      sprint?.self,
    ];
    return routingKeys(
      ...links.flatMap((l) => (l === undefined ? [] : [siteKey(l) ?? (['site', undefined] as const)])),
    );
  },

  apply: (payload, eventType, connection, delivery) => {
    // A body nobody signed (a JWT-only delivery) names what changed, never how: read it.
    if (delivery?.hintOnly) return hintOf(eventType);
    if (eventType === 'jira:issue_created' || eventType === 'jira:issue_updated') {
      // An issue of a project outside `config.projects` changes nothing here, as the sync skips it.
      const narrowed = configuredProjects({ config: connection?.config ?? {} });
      const key = issueProject.safeParse(payload).data?.issue.fields.project.key;
      if (narrowed.length > 0 && key !== undefined && !narrowed.includes(key)) return undefined;
      return applyIssue(payload);
    }
    if (eventType === 'jira:issue_deleted') {
      const issue = z.object({ issue: deleted }).safeParse(payload);
      return issue.success
        ? {
            kind: 'records',
            sync: 'issues',
            records: [],
            deletedIds: [issueRecordId(String(issue.data.issue.id))],
          }
        : syncIssues;
    }
    // A comment moves its issue's `updated`; the comment events carry a few issue fields only.
    if (eventType.startsWith('comment_')) return syncIssues;
    if (eventType === 'project_deleted' || eventType === 'project_soft_deleted') {
      const project = z.object({ project: deleted }).safeParse(payload);
      return project.success
        ? {
            kind: 'records',
            sync: 'projects',
            records: [],
            deletedIds: [projectRecordId(String(project.data.project.id))],
          }
        : syncProjects;
    }
    // Project events carry the project without its description or category: read them.
    if (eventType.startsWith('project_')) return syncProjects;
    if (eventType.startsWith('sprint_')) return applySprint(payload, eventType);
    return undefined;
  },
};
