import { createHmac, randomUUID } from 'node:crypto';

/**
 * What the Jira fake's webhooks need beside its data: the two kinds of webhook, their delivery
 * headers, and the v2 (wiki markup) rendering of a description that webhook payloads carry.
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/
 */

export type JiraHook<Issue = unknown> = {
  id: number;
  url: string;
  /**
   * `admin`: registered in Jira's settings (or /rest/webhooks/1.0/webhook) with a secret,
   * signed `X-Hub-Signature: sha256=…`. `dynamic`: an OAuth 2.0 app's (POST
   * /rest/api/3/webhook), authenticated with a JWT signed with the app's client secret.
   */
  kind: 'admin' | 'dynamic';
  secret: string;
  events: string[];
  /** The hook's JQL filter, compiled; undefined: every issue. */
  matches: ((issue: Issue) => boolean) | undefined;
};

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact HS256 JWT. */
export const hs256Jwt = (claims: Record<string, unknown>, secret: string): string => {
  const unsigned = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
};

/** A delivery's headers: its identifier (kept on retries), the flow, and the hook's proof. */
export const jiraDeliveryHeaders = (
  hook: JiraHook<never>,
  body: string,
  app: { clientId: string; clientSecret: string },
): Record<string, string> => {
  const now = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Atlassian Webhook HTTP Client',
    'x-atlassian-webhook-identifier': randomUUID(),
    'x-atlassian-webhook-flow': 'Primary',
    ...(hook.kind === 'admin'
      ? { 'x-hub-signature': `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}` }
      : {
          authorization: `Bearer ${hs256Jwt({ iss: app.clientId, iat: now, exp: now + 180 }, app.clientSecret)}`,
        }),
  };
};

type Node = {
  type?: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: Node[];
  marks?: { type: string }[];
};

const inline = (n: Node): string => {
  switch (n.type) {
    case 'text': {
      const marks = new Set((n.marks ?? []).map((m) => m.type));
      const t = n.text ?? '';
      return marks.has('strong') ? `*${t}*` : marks.has('em') ? `_${t}_` : marks.has('code') ? `{{${t}}}` : t;
    }
    case 'hardBreak':
      return '\n';
    case 'mention':
      return `[~accountid:${String(n.attrs?.id ?? '')}]`;
    default:
      return (n.content ?? []).map(inline).join('');
  }
};

/**
 * An Atlassian Document as Jira renders it in v2 representations (webhook payloads): wiki
 * markup, paragraphs apart by a blank line, marks as `*strong*` and `_em_`, mentions as
 * `[~accountid:…]`.
 */
export const adfToWiki = (doc: unknown): string | null => {
  if (typeof doc === 'string' || doc === null || doc === undefined) return (doc as string | null) ?? null;
  const blocks = ((doc as Node).content ?? []).map((b) =>
    b.type === 'heading' ? `h${String(b.attrs?.level ?? 1)}. ${inline(b)}` : inline(b),
  );
  return blocks.join('\n\n');
};
