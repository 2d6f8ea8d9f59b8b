import * as z from 'zod/mini';
import type { SyncRecord, WebhookEffect, WebhookFunctions } from '../types';
import { routingKeys } from '../webhook-routing';
import { verifyHmacSha256Hex, WebhookRefused } from '../webhook-signatures';
import { issue, mapIssue, mapPull, mapRepo, pull, repo } from './mapping';
import { narrowing } from './syncs';

/**
 * GitHub webhooks (repository, organization and GitHub App hooks alike): HMAC-SHA256 of the
 * body in `X-Hub-Signature-256`, the event in `X-GitHub-Event`, and `X-GitHub-Delivery`, a GUID
 * GitHub keeps when it redelivers. Issues, pull requests and repositories arrive whole, in
 * their REST shape, so they are mapped with the syncs' own mappings into the syncs' records.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads
 */

const named = z.object({ full_name: z.string() });
const account = z.object({ id: z.number(), login: z.optional(z.string()) });

const issuesEvent = z.object({
  action: z.string(),
  issue,
  repository: named,
  // `transferred`: the issue as it now is, in the repository it moved to.
  changes: z.optional(z.object({ new_issue: z.optional(issue), new_repository: z.optional(named) })),
});
const commentEvent = z.object({ issue, repository: named });
const pullEvent = z.object({ pull_request: pull, repository: named });
const repositoryEvent = z.object({ action: z.string(), repository: repo });
/** What a push says about where it went. https://docs.github.com/en/webhooks/webhook-events-and-payloads#push */
const pushEvent = z.object({
  ref: z.string(),
  deleted: z.optional(z.boolean()),
  repository: z.object({ default_branch: z.optional(z.nullable(z.string())) }),
});

/** Who an event may be for: the installation, the repository's owner, the organization. */
const routing = z.object({
  installation: z.optional(z.object({ id: z.number(), account: z.optional(z.nullable(account)) })),
  repository: z.optional(
    z.object({
      owner: z.optional(z.nullable(account)),
      name: z.optional(z.string()),
      full_name: z.optional(z.string()),
    }),
  ),
  organization: z.optional(account),
  // `github_app_authorization` names only the user who revoked the app's authorization.
  sender: z.optional(account),
});

const actionOf = (payload: unknown) => z.object({ action: z.string() }).safeParse(payload).data?.action;

const records = (sync: string, recs: SyncRecord[], deletedIds: string[] = []): WebhookEffect => ({
  kind: 'records',
  sync,
  records: recs,
  deletedIds,
});

/**
 * The effect of a payload, mapped by `effect` — or, when the payload lacks what the mapping
 * needs (or maps to something the model refuses: ProviderError), an incremental run of the
 * sync that owns it, which reads the object from the API instead.
 */
const effectOf = <S extends z.ZodMiniType>(
  sync: string,
  schema: S,
  payload: unknown,
  effect: (event: z.infer<S>) => WebhookEffect | undefined,
): WebhookEffect | undefined => {
  const resync: WebhookEffect = { kind: 'sync', syncs: [sync] };
  const r = schema.safeParse(payload);
  if (!r.success) return resync;
  try {
    return effect(r.data);
  } catch {
    return resync;
  }
};

const applyIssues = (payload: unknown) =>
  effectOf('issues', issuesEvent, payload, (e) => {
    // Issues events carry issues only; a pull request here would not be the issues sync's.
    if (e.issue.pull_request !== undefined) return undefined;
    const id = `gh_issue_${e.issue.id}`;
    if (e.action === 'deleted') return records('issues', [], [id]);
    if (e.action === 'transferred') {
      // A transfer makes a new issue (a new id) in the other repository; this one is gone.
      const moved = e.changes?.new_issue;
      const to = e.changes?.new_repository;
      return records('issues', moved && to ? [mapIssue(moved, to.full_name)] : [], [id]);
    }
    return records('issues', [mapIssue(e.issue, e.repository.full_name)]);
  });

/**
 * A comment moves its issue's `updated_at`, and the event carries the issue whole. A comment
 * on a pull request carries only its issue side, not the pull request the sync maps: left to
 * the pull_requests sync's next run.
 */
const applyComment = (payload: unknown) =>
  effectOf('issues', commentEvent, payload, (e) =>
    e.issue.pull_request === undefined
      ? records('issues', [mapIssue(e.issue, e.repository.full_name)])
      : undefined,
  );

const applyPull = (payload: unknown) =>
  effectOf('pull_requests', pullEvent, payload, (e) =>
    records('pull_requests', [mapPull(e.pull_request, e.repository.full_name)]),
  );

const applyRepository = (payload: unknown) =>
  effectOf('repositories', repositoryEvent, payload, (e) =>
    e.action === 'deleted'
      ? records('repositories', [], [`gh_repo_${e.repository.id}`])
      : records('repositories', [mapRepo(e.repository)]),
  );

/**
 * A push to the default branch brings commits: an incremental run of the commits sync reads
 * them. The payload's commits are not mapped here: they lack the committer date the sync
 * files them under, and GitHub caps the list (2,048), so a large push would be cut short.
 * A push to another branch, or one deleting a branch, changes no record.
 */
const applyPush = (payload: unknown): WebhookEffect | undefined => {
  const r = pushEvent.safeParse(payload);
  if (!r.success) return { kind: 'sync', syncs: ['commits'] };
  const { ref, deleted, repository } = r.data;
  const branch = repository.default_branch;
  return !deleted && branch && ref === `refs/heads/${branch}`
    ? { kind: 'sync', syncs: ['commits'] }
    : undefined;
};

/**
 * `config.events`: the events forwarded as provider.event, each an event (`push`) or an event
 * and its action (`workflow_run.completed`); absent or empty: all.
 */
const forward: NonNullable<WebhookFunctions['forward']> = (payload, eventType, { config }) => {
  const wanted = Array.isArray(config.events)
    ? config.events.filter((e): e is string => typeof e === 'string')
    : [];
  if (wanted.length === 0) return true;
  const action = actionOf(payload);
  return wanted.some((e) => e === eventType || (action !== undefined && e === `${eventType}.${action}`));
};

export const webhooks: WebhookFunctions = {
  forward,

  verify: (req, secret) => {
    verifyHmacSha256Hex(req.headers['x-hub-signature-256'], secret, req.rawBody);
    const deliveryId = req.headers['x-github-delivery'];
    const eventType = req.headers['x-github-event'];
    // GitHub sends both on every delivery; a signed request without them is not GitHub's.
    if (!deliveryId || !eventType) throw new WebhookRefused('missing X-GitHub-Delivery or X-GitHub-Event');
    return { kind: 'event', deliveryId, eventType };
  },

  // The app installation (`installation:`), and the accounts — of the installation, the
  // repository's owner, the organization — by id (`account:`) and login (`login:`).
  route: (payload, eventType) => {
    const r = routing.safeParse(payload);
    if (!r.success) return [];
    const { installation, repository, organization } = r.data;
    const sender = eventType === 'github_app_authorization' ? r.data.sender : undefined;
    return routingKeys(
      ['installation', installation?.id],
      ...[installation?.account, repository?.owner, organization, sender].flatMap(
        (a) =>
          [
            ['account', a?.id],
            ['login', a?.login],
          ] as const,
      ),
    );
  },

  apply: (payload, eventType, connection) => {
    // An event of a repository outside `config.repositories` changes nothing here, as the syncs skip it.
    const r = routing.safeParse(payload);
    const repository = r.success ? r.data.repository : undefined;
    if (
      repository?.full_name &&
      !narrowing(connection ?? { config: {} })({
        name: repository.name ?? '',
        full_name: repository.full_name,
      })
    ) {
      return undefined;
    }
    switch (eventType) {
      case 'issues':
        return applyIssues(payload);
      case 'issue_comment':
        return applyComment(payload);
      case 'pull_request':
        return applyPull(payload);
      case 'repository':
        return applyRepository(payload);
      // Repositories added to or removed from an app installation: the listing changed.
      case 'installation_repositories':
        return { kind: 'sync', syncs: ['repositories'] };
      // The app was uninstalled: its installation tokens can't be minted any more.
      // https://docs.github.com/en/webhooks/webhook-events-and-payloads#installation
      case 'installation':
        return actionOf(payload) === 'deleted' && connection?.metadata.installation_id
          ? { kind: 'disconnect', reason: 'The GitHub App was uninstalled.' }
          : undefined;
      // The user revoked the app's authorization: their OAuth tokens stop working. An
      // installation of the app is not a user authorization and stays.
      // https://docs.github.com/en/webhooks/webhook-events-and-payloads#github_app_authorization
      case 'github_app_authorization':
        return actionOf(payload) === 'revoked' && !connection?.metadata.installation_id
          ? { kind: 'disconnect', reason: "The user revoked the app's authorization on GitHub." }
          : undefined;
      case 'push':
        return applyPush(payload);
      // deployment_status, workflow_run, ping, …: nothing in the records changes; they reach
      // subscribers as provider.event.
      default:
        return undefined;
    }
  },
};
