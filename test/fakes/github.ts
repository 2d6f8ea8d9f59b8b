import { createHash, generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import { createInstallations, type GitHubInstallationControls } from './github-installations';
import { type GitHubHook, type GitHubHookTarget, gitHubDeliveryHeaders } from './github-webhooks';
import {
  createGrants,
  errorPage,
  type OAuthFakeControls,
  pkceOf,
  type RefreshControls,
  tokenParams,
  withQuery,
} from './oauth-grants';
import {
  type FakeReply,
  type FakeRequest,
  type ProviderFake,
  randomHex,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';
import { createWebhookOutbox, type WebhookOutboxControls } from './webhook-outbox';

/**
 * GitHub as far as connecting goes. The REST API: GET /user (classic tokens report
 * X-OAuth-Scopes, fine-grained ones don't), GET /app/installations/:id and
 * POST /app/installations/:id/access_tokens behind an RS256 app JWT, GET
 * /installation/repositories for installation tokens, rate-limit headers on every answer, 403
 * when the limit is spent. The web flow: /login/oauth/authorize (the user always clicks
 * "Authorize", unless denyNext()) and /login/oauth/access_token, which answers errors as
 * HTTP 200 with `error` fields, form-encoded unless the request's Accept asks for JSON. As an
 * OAuth app (default) its tokens never expire; as a GitHub App with expiring user tokens
 * (`userTokensExpire`) they last 8 hours and come with a single-use refresh token. The app's
 * install page and GET /user/installations, with users of several organizations, are
 * github-installations.ts's (each code and token belongs to the user signed in when it was
 * issued: `signIn`).
 * https://docs.github.com/en/rest/users/users#get-the-authenticated-user
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */

/** An RSA key pair like the one GitHub issues for an app (PKCS#1 private key PEM). */
export const generateAppKeyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });

export type GitHubFakeOptions = {
  appId?: string;
  appPublicKey?: string;
  /** A GitHub App with expiring user tokens (8 h, refresh tokens) instead of an OAuth app. */
  userTokensExpire?: boolean;
  /** Callback URLs registered for the OAuth client; absent: any well-formed one is accepted. */
  redirectUris?: string[];
  /** The app's slug, as in github.com/apps/{slug}/installations/new. Default `acme-sync`. */
  appSlug?: string;
  /**
   * "Request user authorization (OAuth) during installation": the install page sends the
   * installing user back to the first callback URL with a `code` beside `installation_id`.
   * Default true; false sends them to the setup URL (the same URL here) without one.
   */
  requestOAuthOnInstall?: boolean;
};

/** How the token endpoint encodes its answers: by the request's Accept, or always as a form. */
export type TokenResponseFormat = 'negotiate' | 'form';

export type GitHubFake = ProviderFake<Credentials> &
  OAuthFakeControls &
  RefreshControls &
  GitHubDataControls &
  GitHubWebhookControls &
  GitHubInstallationControls & {
    /** A fine-grained token: same user, no X-OAuth-Scopes header. */
    fineGrained: Credentials;
    /** A classic token granted no scope: X-OAuth-Scopes present and empty. */
    noScopes: Credentials;
    scopes: string[];
    appId: string;
    installationId: string;
    installationAccount: { id: string; name: string };
    suspendedInstallationId: string;
    /** Sets X-RateLimit-Remaining; at 0 GitHub answers 403 "API rate limit exceeded". */
    setRateLimitRemaining(n: number): void;
    /** 'form': answer form-encoded even to `Accept: application/json` (a proxy, an old GHES). */
    setTokenResponseFormat(format: TokenResponseFormat): void;
    /** Installation tokens minted so far. */
    installationTokenCount(): number;
    /** Grants deleted through DELETE /applications/{client_id}/grant. */
    revokedGrants(): number;
  };

/** Fields of an issue a test can set (`updateIssue`); the rest follow from its seed number. */
export type GitHubIssueFields = {
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  state_reason?: 'completed' | 'not_planned' | 'reopened' | null;
  labels?: string[];
  assignees?: string[];
  milestone?: { title: string; due_on: string | null } | null;
};

/**
 * A pull request's own fields beside its issue's (`state` closed and `merged` false is closed
 * unmerged; `merged` closes it). Branches are `head.ref` / `base.ref`.
 */
export type GitHubPullRequestFields = GitHubIssueFields & {
  draft?: boolean;
  merged?: boolean;
  requested_reviewers?: string[];
  head?: string;
  base?: string;
  author?: string;
};

/** What `seedPullRequests` makes: ready for review, draft, merged, closed without merging. */
export type GitHubPullRequestKind = 'open' | 'draft' | 'merged' | 'closed';

/**
 * GitHub's two rate limits: the primary one (403 or 429, `x-ratelimit-remaining: 0`, the
 * window's end in `x-ratelimit-reset`) and the secondary one (403 or 429 with `retry-after`).
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
export type GitHubRateLimitKind = 'primary' | 'secondary';

/** The dataset behind the list endpoints, and the switches a sync test or benchmark needs. */
export type GitHubDataControls = {
  /**
   * Adds `n` issues to `repo` (`name` → acme-corp/name, or `owner/name`; created on first use;
   * default acme-corp/payments-api), and `pullRequests` pull requests spread among them (the
   * issues endpoint returns both). Deterministic ids, one second apart, increasing, the batch
   * ending about now. Returns the issues' ids (GitHub's `id`, what `gh_issue_<id>` holds).
   */
  seedIssues(n: number, options?: { repo?: string; pullRequests?: number }): number[];
  /** Adds `n` repositories (acme-corp by default) without issues; returns their full names. */
  seedRepositories(n: number, options?: { owner?: string; private?: boolean }): string[];
  /** A repository with these properties (created, or changed when it exists). */
  addRepository(
    fullName: string,
    options?: { private?: boolean; hasIssues?: boolean; archived?: boolean; description?: string | null },
  ): void;
  /** Ids of the live issues (pull requests excluded), of one repository or all, in creation order. */
  issueIds(repo?: string): number[];
  /** GitHub's database id of an issue: the id itself (the controls take database ids). */
  issueDatabaseId(id: number): number;
  /** An issue as the REST API answers it; undefined once deleted. */
  issue(id: number): Record<string, unknown> | undefined;
  /** Changes an issue (or pull request) and bumps its updated_at. */
  updateIssue(id: number, fields: GitHubIssueFields): void;
  /**
   * Adds `n` pull requests to `repo` (as seedIssues), all of `kind`, or without it a mix from
   * the seed number (drafts, merged, closed unmerged, open). They share the repository's
   * numbering with its issues and show in the issues listing with `pull_request`, as at GitHub.
   * Returns their ids as GET /pulls answers them (what `gh_pr_<id>` holds).
   */
  seedPullRequests(n: number, options?: { repo?: string; kind?: GitHubPullRequestKind }): number[];
  /** Pull request ids (GET /pulls `id`) of one repository or all, in creation order. */
  pullRequestIds(repo?: string): number[];
  /** A pull request as GET /pulls answers it, by its pulls id. */
  pullRequest(id: number): Record<string, unknown> | undefined;
  /** Changes a pull request (by its pulls id) and bumps its updated_at. */
  updatePullRequest(id: number, fields: GitHubPullRequestFields): void;
  /** Comments posted to an issue or pull request (POST …/issues/{number}/comments), oldest first. */
  comments(repo: string, number: number): { id: number; body: string; user: string }[];
  /** Deletes an issue: gone from every list, as GitHub does (no tombstone). */
  deleteIssue(id: number): void;
  /** The next `n` list or write calls answer GitHub's rate limit, lifting in `retryAfterSeconds`. */
  rateLimitNext(
    n: number,
    retryAfterSeconds: number,
    options?: { kind?: GitHubRateLimitKind; status?: 403 | 429 },
  ): void;
  /** The next `n` list or write calls answer `status` (default 502). */
  failNext(n: number, status?: number): void;
  /**
   * The next `n` list or write calls answer a refusal with GitHub's error body: by default 403
   * "Resource not accessible by personal access token" (a fine-grained token without the
   * permission).
   */
  refuseNext(n: number, options?: { status?: number; message?: string }): void;
  /** List calls received (repositories, issues, pull requests, commits), answered or not. */
  listCalls(): number;
  /**
   * Adds `n` commits to `branch` (default the default branch, `main`) of `repo` (as
   * seedIssues), one second apart, ending about now; every fifth one by an email no GitHub
   * account has (`author: null`). With a hook listening, one `push` event carries them.
   * Returns their shas, oldest first.
   */
  seedCommits(n: number, options?: { repo?: string; branch?: string }): string[];
  /** Shas of a branch's commits (default `main`), oldest first. */
  commitShas(repo: string, branch?: string): string[];
  /** A commit as GET …/commits lists it. */
  commitJson(repo: string, sha: string): Record<string, unknown> | undefined;
};

/**
 * GitHub's webhooks: a hook configured on the app (what the installation sees), an
 * organization or a repository gets each change the data controls (and the write endpoints)
 * make as GitHub posts it — `issues`, `pull_request`, `issue_comment`, `repository`, one event
 * per kind of change — signed with the hook's secret; `ping` when it is created. A
 * redelivery, as GitHub's "Redeliver" does, repeats the body and X-GitHub-Delivery.
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads
 */
export type GitHubWebhookControls = WebhookOutboxControls & {
  /**
   * Adds a webhook and sends it `ping`: the GitHub App's (`{type: 'app'}`: events of the
   * repositories the installation sees, with `installation`), an organization's, a
   * repository's, or by default every repository's, as each one's own hook would send them.
   * `events` default: all. The secret joins the leak watch. Returns the hook id.
   */
  registerWebhook(
    url: string,
    secret: string,
    options?: { target?: GitHubHookTarget; events?: string[] },
  ): number;
  /** Transfers an issue to another repository (created on first use): a new issue there, with a new id; returns it. */
  transferIssue(id: number, toRepo: string): number;
  /** Deletes a repository with its issues and pull requests. */
  deleteRepository(fullName: string): void;
  /**
   * A deployment of the default branch's head reaching `state`: `deployment_status`
   * (action `created`) as GitHub sends it.
   * https://docs.github.com/en/webhooks/webhook-events-and-payloads#deployment_status
   */
  sendDeploymentStatus(
    repo: string,
    state: 'pending' | 'in_progress' | 'success' | 'failure' | 'error',
  ): void;
  /**
   * A GitHub Actions run of the default branch's head: `workflow_run` with `action`
   * (`requested`, `in_progress`, `completed`) and, once completed, its conclusion.
   * https://docs.github.com/en/webhooks/webhook-events-and-payloads#workflow_run
   */
  sendWorkflowRun(
    repo: string,
    action: 'requested' | 'in_progress' | 'completed',
    conclusion?: 'success' | 'failure' | 'cancelled',
  ): void;
};

type FakeRepo = {
  id: number;
  owner: string;
  ownerId: number;
  ownerType: 'Organization' | 'User';
  name: string;
  private: boolean;
  hasIssues: boolean;
  archived: boolean;
  description: string | null;
  created: number;
  /** Issues and pull requests in creation (= number) order; deleted ones stay, flagged. */
  items: FakeItem[];
  /** The live ones in updated_at order: an update moves one to the end. */
  byUpdated: FakeItem[];
  nextNumber: number;
  /** Commits by branch, oldest first. */
  commits: Map<string, FakeCommit[]>;
};

type FakeCommit = { sha: string; seq: number; date: number; message: string; linked: boolean };

/** Compact: everything else follows from `seq` unless `fields` overrides it. */
type FakeItem = {
  id: number;
  number: number;
  repo: FakeRepo;
  seq: number;
  created: number;
  updated: number;
  closed: number | undefined;
  pr: boolean;
  deleted: boolean;
  fields: GitHubPullRequestFields | undefined;
};

const ISSUE_ID_BASE = 3_000_000_000; // beyond 32 bits, as GitHub's ids are now
// A pull request has an id of its own beside its issue's; the same seed number links them.
const PULL_ID_BASE = 2_500_000_000;
const REPO_ID_BASE = 700_000_000;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** What an issue looks like before anyone edits it: a spread of states, labels, assignees, milestones. */
const seededFields = (seq: number): Required<GitHubIssueFields> => {
  const closed = seq % 5 === 3 || seq % 5 === 4;
  return {
    title: `Issue ${seq}`,
    body: seq % 9 === 0 ? null : `Body of issue ${seq}.`,
    state: closed ? 'closed' : 'open',
    state_reason:
      seq % 5 === 3 ? 'completed' : seq % 5 === 4 ? 'not_planned' : seq % 7 === 0 ? 'reopened' : null,
    labels: [...(seq % 2 === 0 ? ['bug'] : []), ...(seq % 3 === 0 ? ['p1'] : [])],
    assignees: seq % 4 === 0 ? [] : seq % 4 === 1 ? ['octo-acme'] : ['octo-acme', 'hubot'],
    milestone:
      seq % 6 === 0
        ? { title: 'v1.0', due_on: '2025-06-30T07:00:00Z' }
        : seq % 6 === 1
          ? { title: 'Someday', due_on: null }
          : null,
  };
};

/** A pull request's own fields before anyone edits it; merged or not follows its closed state. */
const seededPullFields = (seq: number): Required<Omit<GitHubPullRequestFields, keyof GitHubIssueFields>> => ({
  draft: seq % 5 === 1,
  merged: seq % 5 === 3,
  requested_reviewers: seq % 3 === 0 ? ['hubot'] : [],
  head: `feature/change-${seq}`,
  base: 'main',
  author: seq % 2 === 0 ? 'octo-acme' : 'hubot',
});

const pullKinds: Record<GitHubPullRequestKind, GitHubPullRequestFields> = {
  open: { state: 'open', state_reason: null, draft: false, merged: false },
  draft: { state: 'open', state_reason: null, draft: true, merged: false },
  merged: { state: 'closed', state_reason: null, draft: false, merged: true },
  closed: { state: 'closed', state_reason: null, draft: false, merged: false },
};

const tokenErrorDocs =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';
const tokenErrors = {
  incorrect_client_credentials: [
    'The client_id and/or client_secret passed are incorrect.',
    '#incorrect-client-credentials',
  ],
  redirect_uri_mismatch: [
    'The redirect_uri MUST match the registered callback URL for this application.',
    '#redirect-uri-mismatch2',
  ],
  bad_verification_code: ['The code passed is incorrect or expired.', '#bad-verification-code'],
  bad_refresh_token: ['The refresh token passed is incorrect or expired.', '#bad-refresh-token'],
  unsupported_grant_type: ['The grant type is not supported.', '#unsupported-grant-type'],
} as const;

/**
 * GitHub's callback rule: same scheme, host and port as the registered callback, and a path
 * at or below its path.
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#redirect-urls
 */
const githubRedirectMatches = (registered: string, given: string): boolean => {
  let r: URL;
  let g: URL;
  try {
    r = new URL(registered);
    g = new URL(given);
  } catch {
    return false;
  }
  const base = r.pathname.replace(/\/$/, '');
  return (
    r.protocol === g.protocol &&
    r.host === g.host &&
    (g.pathname === r.pathname || g.pathname === base || g.pathname.startsWith(`${base}/`))
  );
};

const docs = 'https://docs.github.com/rest';
const undecodable = 'A JSON web token could not be decoded';

const error = (status: number, message: string, documentation_url = docs): FakeReply =>
  reply(status, { message, documentation_url, status: String(status) });

const decodeSegment = (s: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** GitHub's checks of an app JWT; returns its error message, or undefined when it passes. */
const jwtError = (jwt: string, appId: string, publicKey: string | undefined): string | undefined => {
  const [h, p, s, ...rest] = jwt.split('.');
  if (!h || !p || !s || rest.length > 0 || !publicKey) return undecodable;
  const header = decodeSegment(h);
  const payload = decodeSegment(p);
  if (!header || !payload || header.alg !== 'RS256') return undecodable;
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) {
    return undecodable;
  }
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp, iss } = payload;
  if (typeof exp !== 'number' || exp <= now) {
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
  }
  if (exp - now > 600) return "'Expiration time' claim ('exp') is too far in the future";
  if (typeof iat !== 'number' || iat > now + 60) {
    return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
  }
  if (String(iss) !== appId) return undecodable;
  return undefined;
};

export const startGitHubFake = async (options: GitHubFakeOptions = {}): Promise<GitHubFake> => {
  const appId = options.appId ?? '912345';
  const classic = `ghp_${randomToken(36)}`;
  const fineGrained = `github_pat_${randomToken(22)}_${randomToken(59)}`;
  const noScopes = `ghp_${randomToken(36)}`;
  const scopes = ['repo', 'read:user', 'read:org'];
  const user = {
    login: 'octo-acme',
    id: 583231,
    node_id: 'MDQ6VXNlcjU4MzIzMQ==',
    type: 'User',
    site_admin: false,
    name: 'Octo Acme',
    company: 'Acme',
    html_url: 'https://github.com/octo-acme',
  };
  const tokens = new Map<string, { scopes?: string[] }>([
    [classic, { scopes }],
    [fineGrained, {}],
    [noScopes, { scopes: [] }],
  ]);
  const org = { login: 'acme-corp', id: 9919, node_id: 'MDEyOk9yZ2FuaXphdGlvbjk5MTk=', type: 'Organization' };
  const insts = createInstallations({
    appId,
    appSlug: options.appSlug ?? 'acme-sync',
    defaultUser: user,
    defaultOrg: { ...org, type: 'Organization' },
    seed: [
      { id: 48213067, suspended: false },
      { id: 48213099, suspended: true },
    ],
  });
  /** Who signed in at github.com when a code was issued, then whose tokens they are. */
  const codeUser = new Map<string, string>();
  const tokenUser = new Map<string, string>();

  const expiring = options.userTokensExpire === true;
  const grants = createGrants({
    clientId: expiring ? `Iv23li${randomToken(14)}` : `Ov23li${randomToken(14)}`,
    clientSecret: randomHex(40),
    redirectUris: options.redirectUris,
    redirectMatches: githubRedirectMatches,
    codeTtlSeconds: 600, // "codes expire after 10 minutes"
    // GitHub-App user tokens: 8 hours, refresh tokens 6 months; OAuth-app tokens: forever.
    ...(expiring ? { accessTokenTtlSeconds: 28800, refreshTokenTtlSeconds: 15897600 } : {}),
    refreshTokens: expiring,
    // "Once you use a refresh token, that refresh token and the old user access token will no longer work."
    refreshRevokesAccessToken: true,
    newCode: () => randomHex(20),
    newAccessToken: () => `${expiring ? 'ghu' : 'gho'}_${randomToken(36)}`,
    newRefreshToken: () => `ghr_${randomToken(76)}`,
  });
  let tokenFormat: TokenResponseFormat = 'negotiate';
  const installationTokens = new Map<string, { installationId: string; expiresAt: number }>();

  /** A bearer token minted for an installation: 'dead' once expired. */
  const installationToken = (token: string | undefined) => {
    const t = token === undefined ? undefined : installationTokens.get(token);
    if (!t) return undefined;
    return t.expiresAt <= Date.now() ? 'dead' : t;
  };

  const authorize = (req: FakeRequest): FakeReply => {
    const q = req.query;
    // An unknown client gets GitHub's 404 page: there is no app to redirect back to.
    if (!grants.knowsClient(q.get('client_id'))) return reply(404, errorPage('Page not found', 'Not Found'));
    const state = q.get('state');
    const given = q.get('redirect_uri');
    const registered = grants.redirectUri;
    // A wrong redirect_uri goes back to the registered callback with the error, as GitHub does.
    // https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-authorization-request-errors
    if (given !== null && !grants.redirectAllowed(given)) {
      return reply(302, undefined, {
        location: withQuery(registered, {
          error: 'redirect_uri_mismatch',
          error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
          error_uri:
            'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch',
          state,
        }),
      });
    }
    const redirectUri = given ?? registered;
    // GitHub takes S256 only. https://github.blog/changelog/2025-07-14-pkce-support-for-oauth-and-github-app-authentication
    const pkce = pkceOf(q, ['S256']);
    if ('problem' in pkce) {
      return reply(302, undefined, {
        location: withQuery(redirectUri, {
          error: 'invalid_request',
          error_description: pkce.problem,
          state,
        }),
      });
    }
    if (grants.takeDenial()) {
      return reply(302, undefined, {
        location: withQuery(redirectUri, {
          error: 'access_denied',
          error_description: 'The user has denied your application access.',
          error_uri:
            'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied',
          state,
        }),
      });
    }
    // GitHub Apps ignore `scope`: their access is the app's permissions.
    const scopes = expiring ? [] : [...new Set((q.get('scope') ?? '').split(/[\s,]+/).filter(Boolean))];
    const code = grants.issueCode({
      redirectUri,
      scopes,
      ...(pkce.challenge ? { challenge: pkce.challenge } : {}),
    });
    codeUser.set(code, insts.signedIn());
    return reply(302, undefined, { location: withQuery(redirectUri, { code, state }) });
  };

  const accessToken = (req: FakeRequest): FakeReply => {
    // GitHub reads the parameters from the query string or the body, JSON or form.
    const p = tokenParams(req, true);
    const json = tokenFormat === 'negotiate' && (req.headers.accept ?? '').includes('application/json');
    const answer = (body: Record<string, string | number>): FakeReply =>
      json
        ? reply(200, body)
        : reply(
            200,
            new URLSearchParams(
              Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]),
            ).toString(),
            { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          );
    // Errors are HTTP 200 too.
    const fail = (error: keyof typeof tokenErrors) =>
      answer({
        error,
        error_description: tokenErrors[error][0],
        error_uri: `${tokenErrorDocs}/${tokenErrors[error][1]}`,
      });
    const clientId = p.get('client_id') ?? '';
    if (!grants.clientAuthenticates(clientId, p.get('client_secret')))
      return fail('incorrect_client_credentials');
    const grantType = p.get('grant_type') ?? 'authorization_code';
    let issued: ReturnType<typeof grants.redeemCode>;
    let login = user.login;
    if (grantType === 'authorization_code') {
      login = codeUser.get(p.get('code') ?? '') ?? user.login;
      issued = grants.redeemCode({
        code: p.get('code') ?? '',
        clientId,
        redirectUri: p.get('redirect_uri') ?? undefined,
        codeVerifier: p.get('code_verifier') ?? undefined,
      });
      if (!issued.ok) {
        return fail(
          issued.problem === 'redirect_mismatch' ? 'redirect_uri_mismatch' : 'bad_verification_code',
        );
      }
    } else if (grantType === 'refresh_token') {
      login = tokenUser.get(p.get('refresh_token') ?? '') ?? user.login;
      const refreshed = grants.redeemRefresh({ refreshToken: p.get('refresh_token') ?? '', clientId });
      if (!refreshed.ok) return fail('bad_refresh_token');
      issued = refreshed;
    } else {
      return fail('unsupported_grant_type');
    }
    const t = issued.tokens;
    tokenUser.set(t.accessToken, login);
    if (t.refreshToken) tokenUser.set(t.refreshToken, login);
    return answer({
      access_token: t.accessToken,
      ...(t.expiresIn !== undefined ? { expires_in: t.expiresIn } : {}),
      ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}),
      ...(t.refreshExpiresIn !== undefined ? { refresh_token_expires_in: t.refreshExpiresIn } : {}),
      scope: t.scopes.join(','),
      token_type: 'bearer',
    });
  };

  let remaining = 5000;
  const rateHeaders = (authenticated: boolean) => {
    const limit = authenticated ? 5000 : 60;
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.min(remaining, limit)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(limit - Math.min(remaining, limit)),
      'x-ratelimit-resource': 'core',
      'x-github-request-id': randomUUID().toUpperCase().slice(0, 23).replaceAll('-', ':'),
      'x-github-media-type': 'github.v3; format=json',
    };
  };

  // ---- The dataset behind the list endpoints ----
  let base = ''; // the server's URL, known once it listens
  const hooks: GitHubHook[] = [];
  const outbox = createWebhookOutbox();
  const webhookInstallation = { id: 48213067, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDgyMTMwNjc=' };
  /**
   * Posts `event` about a repository to every hook that gets it, with the repository, its
   * organization, who did it and (app hooks) the installation, as GitHub adds them.
   */
  const emit = (event: string, r: FakeRepo, payload: Record<string, unknown>, sender = user.login): void => {
    for (const hook of hooks) {
      if (!hook.events.includes('*') && !hook.events.includes(event)) continue;
      const t = hook.target;
      const sees =
        t.type === 'all' ||
        (t.type === 'app'
          ? installationSees(r)
          : t.type === 'organization'
            ? r.owner.toLowerCase() === t.login.toLowerCase()
            : t.type === 'repository' && fullNameOf(r).toLowerCase() === t.fullName.toLowerCase());
      if (!sees) continue;
      const body = JSON.stringify({
        ...payload,
        repository: repoJson(r),
        ...(r.ownerType === 'Organization' ? { organization: orgJson(r) } : {}),
        sender: sender.endsWith('[bot]') ? { ...userJson(sender), type: 'Bot' } : userJson(sender),
        ...(t.type === 'app' ? { installation: webhookInstallation } : {}),
      });
      const targetId = t.type === 'app' ? Number(appId) : t.type === 'organization' ? r.ownerId : r.id;
      void outbox.send({
        url: hook.url,
        event,
        body,
        headers: gitHubDeliveryHeaders(hook, event, body, targetId),
      });
    }
  };
  const repos = new Map<string, FakeRepo>();
  const items = new Map<number, FakeItem>();
  let seq = 0;
  let repoCount = 0;
  /** The last timestamp handed out (ms, whole seconds): never goes back. */
  let clock = 0;
  /** Bumped on every change: what the cached list of the last query is checked against. */
  let version = 0;
  let listCount = 0;
  let limitNext: { n: number; secs: number; kind: GitHubRateLimitKind; status: 403 | 429 } | undefined;
  let failures: { n: number; status: number } | undefined;
  let refusals: { n: number; status: number; message: string } | undefined;
  let revokedGrants = 0;
  let eventSeq = 0;

  const nowSecond = () => Math.floor(Date.now() / 1000) * 1000;
  /** `count` timestamps one second apart, after every earlier one, the last about now. */
  const stamps = (count: number): number => {
    const start = Math.max(clock + 1000, nowSecond() - (count - 1) * 1000);
    clock = start + (count - 1) * 1000;
    return start;
  };
  const ownerIds = new Map<string, number>([
    [org.login, org.id],
    [user.login, user.id],
  ]);
  const repoKey = (fullName: string) =>
    (fullName.includes('/') ? fullName : `${org.login}/${fullName}`).toLowerCase();
  const ensureRepo = (fullName: string): FakeRepo => {
    const key = repoKey(fullName);
    const found = repos.get(key);
    if (found) return found;
    const [owner = org.login, name = ''] = fullName.includes('/')
      ? fullName.split('/')
      : [org.login, fullName];
    if (!ownerIds.has(owner)) ownerIds.set(owner, 10_000 + ownerIds.size);
    const r: FakeRepo = {
      // The repository the installation has always listed keeps its id.
      id: key === `${org.login}/payments-api` ? 1296269 : REPO_ID_BASE + ++repoCount,
      owner,
      ownerId: ownerIds.get(owner) ?? 0,
      ownerType: owner === user.login ? 'User' : 'Organization',
      name,
      private: true,
      hasIssues: true,
      archived: false,
      description: `The ${name} repository.`,
      created: stamps(1),
      items: [],
      byUpdated: [],
      nextNumber: 1,
      commits: new Map(),
    };
    repos.set(key, r);
    version++;
    emit('repository', r, { action: 'created' });
    return r;
  };
  ensureRepo(`${org.login}/payments-api`);
  const fullNameOf = (r: FakeRepo) => `${r.owner}/${r.name}`;

  const userJson = (login: string) => ({
    login,
    id: ownerIds.get(login) ?? 5000 + login.length,
    node_id: Buffer.from(`04:User${login}`).toString('base64'),
    type: 'User',
    site_admin: false,
    html_url: `https://github.com/${login}`,
  });

  const repoJson = (r: FakeRepo) => {
    const full = fullNameOf(r);
    const live = r.items.filter(
      (i) => !i.deleted && !i.pr && (i.fields?.state ?? seededFields(i.seq).state) === 'open',
    );
    const updated = Math.max(r.created, r.byUpdated.at(-1)?.updated ?? 0);
    return {
      id: r.id,
      node_id: Buffer.from(`010:Repository${r.id}`).toString('base64'),
      name: r.name,
      full_name: full,
      private: r.private,
      owner: { login: r.owner, id: r.ownerId, type: r.ownerType },
      html_url: `https://github.com/${full}`,
      description: r.description,
      fork: false,
      url: `${base}/repos/${full}`,
      issues_url: `${base}/repos/${full}/issues{/number}`,
      created_at: isoSeconds(r.created),
      updated_at: isoSeconds(updated),
      pushed_at: isoSeconds(updated),
      homepage: null,
      size: 1024,
      language: 'TypeScript',
      has_issues: r.hasIssues,
      has_projects: true,
      has_wiki: false,
      archived: r.archived,
      disabled: false,
      visibility: r.private ? 'private' : 'public',
      open_issues_count: live.length,
      default_branch: 'main',
      permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    };
  };

  const fieldsOf = (i: FakeItem): Required<GitHubIssueFields> => ({ ...seededFields(i.seq), ...i.fields });
  /** A pull request's own fields; `merged` only ever while closed. */
  const pullFieldsOf = (i: FakeItem) => {
    const f = { ...seededPullFields(i.seq), ...i.fields };
    const closed = fieldsOf(i).state === 'closed';
    return { ...f, merged: closed && f.merged, draft: !closed && f.draft };
  };
  const authorOf = (i: FakeItem) => (i.pr ? pullFieldsOf(i).author : user.login);
  const closedAt = (i: FakeItem) =>
    fieldsOf(i).state === 'closed' ? isoSeconds(i.closed ?? i.updated) : null;

  const issueJson = (i: FakeItem) => {
    const f = fieldsOf(i);
    const full = fullNameOf(i.repo);
    const url = `${base}/repos/${full}/issues/${i.number}`;
    const html = `https://github.com/${full}/${i.pr ? 'pull' : 'issues'}/${i.number}`;
    return {
      url,
      repository_url: `${base}/repos/${full}`,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: html,
      id: i.id,
      node_id: `I_kwDO${Buffer.from(String(i.id)).toString('base64url')}`,
      number: i.number,
      title: f.title,
      user: userJson(authorOf(i)),
      labels: f.labels.map((name) => ({
        id: 208045946 + name.length,
        node_id: Buffer.from(`08:Label${name}`).toString('base64'),
        url: `${base}/repos/${full}/labels/${encodeURIComponent(name)}`,
        name,
        color: name === 'bug' ? 'd73a4a' : 'ededed',
        default: name === 'bug',
        description: null,
      })),
      state: f.state,
      locked: false,
      assignee: f.assignees[0] ? userJson(f.assignees[0]) : null,
      assignees: f.assignees.map(userJson),
      milestone: f.milestone
        ? {
            url: `${base}/repos/${full}/milestones/1`,
            id: 1002604,
            number: 1,
            state: 'open',
            title: f.milestone.title,
            description: null,
            open_issues: 4,
            closed_issues: 8,
            created_at: '2024-01-10T09:00:00Z',
            updated_at: '2024-02-10T09:00:00Z',
            closed_at: null,
            due_on: f.milestone.due_on,
          }
        : null,
      comments: (i.seq % 4) + (commentsByItem.get(i.id)?.length ?? 0),
      created_at: isoSeconds(i.created),
      updated_at: isoSeconds(i.updated),
      closed_at: closedAt(i),
      author_association: 'MEMBER',
      active_lock_reason: null,
      body: f.body,
      timeline_url: `${url}/timeline`,
      performed_via_github_app: null,
      state_reason: f.state_reason,
      ...(i.pr
        ? {
            draft: pullFieldsOf(i).draft,
            pull_request: {
              url: `${base}/repos/${full}/pulls/${i.number}`,
              html_url: html,
              diff_url: `${html}.diff`,
              patch_url: `${html}.patch`,
              merged_at: pullFieldsOf(i).merged ? closedAt(i) : null,
            },
          }
        : {}),
    };
  };

  /** A repository as a pull request's head or base names it (the listing's fields, no counts). */
  const repoRef = (r: FakeRepo) => {
    const full = fullNameOf(r);
    return {
      id: r.id,
      node_id: Buffer.from(`010:Repository${r.id}`).toString('base64'),
      name: r.name,
      full_name: full,
      private: r.private,
      owner: { login: r.owner, id: r.ownerId, type: r.ownerType },
      html_url: `https://github.com/${full}`,
      description: r.description,
      fork: false,
      url: `${base}/repos/${full}`,
      created_at: isoSeconds(r.created),
      default_branch: 'main',
    };
  };
  const sha = (s: string) => createHash('sha1').update(s).digest('hex');
  const branch = (r: FakeRepo, ref: string) => ({
    label: `${r.owner}:${ref}`,
    ref,
    sha: sha(`${fullNameOf(r)}:${ref}`),
    user: { login: r.owner, id: r.ownerId, type: r.ownerType },
    repo: repoRef(r),
  });

  /**
   * A pull request as GET /repos/{owner}/{repo}/pulls lists it ("pull request simple").
   * https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
   */
  const pullJson = (i: FakeItem) => {
    const f = fieldsOf(i);
    const p = pullFieldsOf(i);
    const full = fullNameOf(i.repo);
    const url = `${base}/repos/${full}/pulls/${i.number}`;
    const issueUrl = `${base}/repos/${full}/issues/${i.number}`;
    const html = `https://github.com/${full}/pull/${i.number}`;
    const id = pullIdOf(i);
    const asIssue = issueJson(i);
    return {
      url,
      id,
      node_id: `PR_kwDO${Buffer.from(String(id)).toString('base64url')}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueUrl,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${base}/repos/${full}/pulls/comments{/number}`,
      comments_url: `${issueUrl}/comments`,
      statuses_url: `${base}/repos/${full}/statuses/${sha(`${full}:${p.head}`)}`,
      number: i.number,
      state: f.state,
      locked: false,
      title: f.title,
      user: userJson(p.author),
      body: f.body,
      labels: asIssue.labels,
      milestone: asIssue.milestone,
      active_lock_reason: null,
      created_at: isoSeconds(i.created),
      updated_at: isoSeconds(i.updated),
      closed_at: closedAt(i),
      merged_at: p.merged ? closedAt(i) : null,
      merge_commit_sha: f.state === 'open' || p.merged ? sha(`merge:${id}`) : null,
      assignee: f.assignees[0] ? userJson(f.assignees[0]) : null,
      assignees: f.assignees.map(userJson),
      requested_reviewers: p.requested_reviewers.map(userJson),
      requested_teams: [],
      head: branch(i.repo, p.head),
      base: branch(i.repo, p.base),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: issueUrl },
        comments: { href: `${issueUrl}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${base}/repos/${full}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${base}/repos/${full}/statuses/${sha(`${full}:${p.head}`)}` },
      },
      author_association: 'MEMBER',
      auto_merge: null,
      draft: p.draft,
    };
  };

  const liveItem = (id: number): FakeItem => {
    const i = items.get(id);
    if (!i || i.deleted) throw new Error(`The GitHub fake has no issue ${id}`);
    return i;
  };

  /** A new updated_at for `i`: now, after every earlier timestamp, and after its own. */
  const touch = (i: FakeItem): number => {
    let t = Math.max(clock, nowSecond());
    if (t <= i.updated) t = i.updated + 1000;
    clock = Math.max(clock, t);
    i.updated = t;
    const at = i.repo.byUpdated.indexOf(i);
    if (at >= 0) i.repo.byUpdated.splice(at, 1);
    i.repo.byUpdated.push(i);
    version++;
    return t;
  };

  /** Adds `total` items to a repository, one second apart; returns them. */
  const addItems = (
    repo: FakeRepo,
    total: number,
    isPr: (j: number) => boolean,
    fields?: GitHubPullRequestFields,
  ): FakeItem[] => {
    const start = stamps(total);
    const added: FakeItem[] = [];
    for (let j = 0; j < total; j++) {
      seq += 1;
      const t = start + j * 1000;
      const item: FakeItem = {
        id: ISSUE_ID_BASE + seq,
        number: repo.nextNumber++,
        repo,
        seq,
        created: t,
        updated: t,
        closed: undefined,
        pr: isPr(j),
        deleted: false,
        fields,
      };
      repo.items.push(item);
      repo.byUpdated.push(item);
      items.set(item.id, item);
      added.push(item);
    }
    version++;
    return added;
  };
  const pullIdOf = (i: FakeItem) => PULL_ID_BASE + i.seq;
  const itemOfPull = (id: number): FakeItem => {
    const i = items.get(ISSUE_ID_BASE + (id - PULL_ID_BASE));
    if (!i?.pr || i.deleted) throw new Error(`The GitHub fake has no pull request ${id}`);
    return i;
  };
  const reposOf = (repo: string | undefined): FakeRepo[] =>
    repo === undefined ? [...repos.values()] : [repos.get(repoKey(repo))].filter((r) => r !== undefined);
  /** Comments by issue id. */
  const commentsByItem = new Map<number, { id: number; body: string; user: string; created: number }[]>();
  let commentSeq = 0;

  const dataControls: GitHubDataControls = {
    seedIssues: (n, o = {}) => {
      const repo = ensureRepo(o.repo ?? `${org.login}/payments-api`);
      const prs = o.pullRequests ?? 0;
      const total = n + prs;
      // Spread evenly: the j-th item is a pull request when it crosses a multiple.
      const isPr = (j: number) =>
        prs > 0 && Math.floor(((j + 1) * prs) / total) > Math.floor((j * prs) / total);
      return opened(addItems(repo, total, isPr))
        .filter((i) => !i.pr)
        .map((i) => i.id);
    },
    seedPullRequests: (n, o = {}) => {
      const repo = ensureRepo(o.repo ?? `${org.login}/payments-api`);
      const fields = o.kind === undefined ? undefined : pullKinds[o.kind];
      return opened(addItems(repo, n, () => true, fields)).map(pullIdOf);
    },
    pullRequestIds: (repo) =>
      reposOf(repo).flatMap((r) => r.items.filter((i) => !i.deleted && i.pr).map(pullIdOf)),
    pullRequest: (id) => {
      const i = items.get(ISSUE_ID_BASE + (id - PULL_ID_BASE));
      return i?.pr && !i.deleted ? pullJson(i) : undefined;
    },
    updatePullRequest: (id, fields) => {
      const i = itemOfPull(id);
      dataControls.updateIssue(i.id, fields.merged ? { ...fields, state: 'closed' } : fields);
    },
    comments: (repo, number) => {
      const r = repos.get(repoKey(repo));
      const i = r?.items.find((x) => x.number === number);
      return (i ? (commentsByItem.get(i.id) ?? []) : []).map(({ id, body, user }) => ({ id, body, user }));
    },
    seedRepositories: (n, o = {}) => {
      const owner = o.owner ?? org.login;
      const names: string[] = [];
      for (let j = 0; j < n; j++) {
        const r = ensureRepo(`${owner}/repo-${String(repoCount + 1).padStart(5, '0')}`);
        const was = repoStateOf(r);
        if (o.private !== undefined) r.private = o.private;
        announceRepo(r, was);
        names.push(fullNameOf(r));
      }
      return names;
    },
    addRepository: (fullName, o = {}) => {
      const r = ensureRepo(fullName);
      const was = repoStateOf(r);
      if (o.private !== undefined) r.private = o.private;
      if (o.hasIssues !== undefined) r.hasIssues = o.hasIssues;
      if (o.archived !== undefined) r.archived = o.archived;
      if (o.description !== undefined) r.description = o.description;
      version++;
      announceRepo(r, was);
    },
    issueIds: (repo) =>
      reposOf(repo).flatMap((r) => r.items.filter((i) => !i.deleted && !i.pr).map((i) => i.id)),
    issueDatabaseId: (id) => liveOrDeleted(id).id,
    issue: (id) => {
      const i = items.get(id);
      return i && !i.deleted ? issueJson(i) : undefined;
    },
    updateIssue: (id, fields) => {
      const i = liveItem(id);
      const was = itemStateOf(i);
      const wasClosed = fieldsOf(i).state === 'closed';
      i.fields = { ...i.fields, ...fields };
      if (fields.state === 'open') i.fields.state_reason = fields.state_reason ?? 'reopened';
      const t = touch(i);
      if (!wasClosed && fieldsOf(i).state === 'closed') i.closed = t;
      announceChanges(i, was);
    },
    deleteIssue: (id) => {
      const i = liveItem(id);
      // Pull requests cannot be deleted at GitHub: no event says so.
      if (!i.pr) announce(i, 'deleted');
      i.deleted = true;
      const at = i.repo.byUpdated.indexOf(i);
      if (at >= 0) i.repo.byUpdated.splice(at, 1);
      version++;
    },
    rateLimitNext: (n, secs, o = {}) => {
      limitNext = { n, secs, kind: o.kind ?? 'primary', status: o.status ?? 403 };
    },
    failNext: (n, status = 502) => {
      failures = { n, status };
    },
    refuseNext: (n, o = {}) => {
      refusals = {
        n,
        status: o.status ?? 403,
        message: o.message ?? 'Resource not accessible by personal access token',
      };
    },
    listCalls: () => listCount,
    seedCommits: (n, o = {}) => {
      const r = ensureRepo(o.repo ?? `${org.login}/payments-api`);
      const ref = o.branch ?? 'main';
      const list = r.commits.get(ref) ?? [];
      r.commits.set(ref, list);
      const before = list.at(-1)?.sha ?? '0'.repeat(40);
      const start = stamps(n);
      const added: FakeCommit[] = [];
      for (let j = 0; j < n; j++) {
        commitSeq += 1;
        const c: FakeCommit = {
          sha: sha(`${fullNameOf(r)}:${ref}:${commitSeq}`),
          seq: commitSeq,
          date: start + j * 1000,
          message: `Change ${commitSeq}\n\nTouches module ${commitSeq % 7}.`,
          linked: commitSeq % 5 !== 0,
        };
        added.push(c);
      }
      list.push(...added);
      version++;
      if (hooks.length > 0 && added.length > 0) pushed(r, ref, before, added);
      return added.map((c) => c.sha);
    },
    commitShas: (repo, branch = 'main') =>
      (repos.get(repoKey(repo))?.commits.get(branch) ?? []).map((c) => c.sha),
    commitJson: (repo, at) => {
      const r = repos.get(repoKey(repo));
      const c = r ? [...r.commits.values()].flat().find((x) => x.sha === at) : undefined;
      return r && c ? commitJson(r, c) : undefined;
    },
  };
  let commitSeq = 0;
  /**
   * `push` as GitHub sends it: the ref, before/after, the commits (id, message, timestamp,
   * author and committer as name/email/username), the head commit, the pusher.
   * https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
   */
  const pushed = (r: FakeRepo, ref: string, before: string, added: FakeCommit[]) => {
    const full = fullNameOf(r);
    const asPushed = (c: FakeCommit) => {
      const person = c.linked
        ? { name: user.name, email: 'octo@acme.example', username: user.login }
        : { name: 'Build Bot', email: 'build-bot@ci.acme.example' };
      return {
        id: c.sha,
        tree_id: sha(`tree:${c.sha}`),
        distinct: true,
        message: c.message,
        timestamp: isoSeconds(c.date),
        url: `https://github.com/${full}/commit/${c.sha}`,
        author: person,
        committer: person,
        added: [],
        removed: [],
        modified: [`src/module-${c.seq % 7}.ts`],
      };
    };
    const after = added.at(-1)?.sha ?? before;
    emit('push', r, {
      ref: `refs/heads/${ref}`,
      before,
      after,
      created: before === '0'.repeat(40),
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `https://github.com/${full}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits: added.map(asPushed),
      head_commit: added.length > 0 ? asPushed(added.at(-1) as FakeCommit) : null,
      pusher: { name: user.login, email: 'octo@acme.example' },
    });
  };
  const liveOrDeleted = (id: number): FakeItem => {
    const i = items.get(id);
    if (!i) throw new Error(`The GitHub fake has no issue ${id}`);
    return i;
  };

  // ---- Webhook events of the changes above ----
  const orgJson = (r: FakeRepo) => ({
    login: r.owner,
    id: r.ownerId,
    node_id: Buffer.from(`012:Organization${r.ownerId}`).toString('base64'),
    url: `${base}/orgs/${r.owner}`,
    repos_url: `${base}/orgs/${r.owner}/repos`,
    description: null,
  });
  const labelJson = (r: FakeRepo, name: string) => ({
    id: 208045946 + name.length,
    node_id: Buffer.from(`08:Label${name}`).toString('base64'),
    url: `${base}/repos/${fullNameOf(r)}/labels/${encodeURIComponent(name)}`,
    name,
    color: name === 'bug' ? 'd73a4a' : 'ededed',
    default: name === 'bug',
    description: null,
  });
  /** A pull request as its events carry it: the full object, beyond what the listing answers. */
  const pullEventJson = (i: FakeItem) => {
    const merged = pullFieldsOf(i).merged;
    return {
      ...pullJson(i),
      merged,
      mergeable: null,
      rebaseable: null,
      mergeable_state: 'unknown',
      merged_by: merged ? userJson(user.login) : null,
      comments: (i.seq % 4) + (commentsByItem.get(i.id)?.length ?? 0),
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1 + (i.seq % 3),
      additions: 10 * i.seq,
      deletions: i.seq,
      changed_files: 1 + (i.seq % 5),
    };
  };
  const announce = (i: FakeItem, action: string, extra: Record<string, unknown> = {}) => {
    // Nothing is built while no hook listens (seeding 100,000 issues stays cheap).
    if (hooks.length === 0) return;
    if (i.pr)
      emit('pull_request', i.repo, { action, number: i.number, pull_request: pullEventJson(i), ...extra });
    else emit('issues', i.repo, { action, issue: issueJson(i), ...extra });
  };
  const opened = (added: FakeItem[]): FakeItem[] => {
    for (const i of added) announce(i, 'opened');
    return added;
  };
  type ItemState = { f: Required<GitHubIssueFields>; p: ReturnType<typeof pullFieldsOf> };
  const itemStateOf = (i: FakeItem): ItemState => ({ f: fieldsOf(i), p: pullFieldsOf(i) });
  const added = <T>(now: T[], was: T[]) => now.filter((x) => !was.includes(x));
  /** One update as GitHub tells it: an event per kind of change, each with the item as it now is. */
  const announceChanges = (i: FakeItem, was: ItemState) => {
    if (hooks.length === 0) return;
    const { f, p } = itemStateOf(i);
    const changes: Record<string, { from: unknown }> = {};
    if (f.title !== was.f.title) changes.title = { from: was.f.title };
    if (f.body !== was.f.body) changes.body = { from: was.f.body };
    if (Object.keys(changes).length > 0) announce(i, 'edited', { changes });
    if (f.state !== was.f.state) announce(i, f.state === 'closed' ? 'closed' : 'reopened');
    for (const l of added(f.labels, was.f.labels)) announce(i, 'labeled', { label: labelJson(i.repo, l) });
    for (const l of added(was.f.labels, f.labels)) announce(i, 'unlabeled', { label: labelJson(i.repo, l) });
    for (const a of added(f.assignees, was.f.assignees)) announce(i, 'assigned', { assignee: userJson(a) });
    for (const a of added(was.f.assignees, f.assignees)) announce(i, 'unassigned', { assignee: userJson(a) });
    if (f.milestone && !was.f.milestone) announce(i, 'milestoned', { milestone: issueJson(i).milestone });
    if (!f.milestone && was.f.milestone)
      announce(i, 'demilestoned', { milestone: { title: was.f.milestone.title } });
    if (!i.pr) return;
    if (p.draft !== was.p.draft) announce(i, p.draft ? 'converted_to_draft' : 'ready_for_review');
    for (const u of added(p.requested_reviewers, was.p.requested_reviewers)) {
      announce(i, 'review_requested', { requested_reviewer: userJson(u) });
    }
    for (const u of added(was.p.requested_reviewers, p.requested_reviewers)) {
      announce(i, 'review_request_removed', { requested_reviewer: userJson(u) });
    }
  };
  type RepoState = Pick<FakeRepo, 'private' | 'hasIssues' | 'archived' | 'description'>;
  const repoStateOf = (r: FakeRepo): RepoState => ({
    private: r.private,
    hasIssues: r.hasIssues,
    archived: r.archived,
    description: r.description,
  });
  const announceRepo = (r: FakeRepo, was: RepoState) => {
    if (r.archived !== was.archived)
      emit('repository', r, { action: r.archived ? 'archived' : 'unarchived' });
    if (r.private !== was.private) emit('repository', r, { action: r.private ? 'privatized' : 'publicized' });
    const changes: Record<string, { from: unknown }> = {};
    if (r.description !== was.description) changes.description = { from: was.description };
    if (r.hasIssues !== was.hasIssues) changes.has_issues = { from: was.hasIssues };
    if (Object.keys(changes).length > 0) emit('repository', r, { action: 'edited', changes });
  };

  const webhookControls: GitHubWebhookControls = {
    registerWebhook: (url, secret, o = {}) => {
      const hook: GitHubHook = {
        id: 470_000_000 + hooks.length + 1,
        url,
        secret: sensitive(secret),
        target: o.target ?? { type: 'all' },
        events: o.events ?? ['*'],
      };
      hooks.push(hook);
      const t = hook.target;
      const r = t.type === 'repository' ? repos.get(repoKey(t.fullName)) : undefined;
      const owner =
        t.type === 'organization' ? [...repos.values()].find((x) => x.owner === t.login) : undefined;
      const at = isoSeconds(nowSecond());
      // https://docs.github.com/en/webhooks/webhook-events-and-payloads#ping
      const body = JSON.stringify({
        zen: 'Keep it logically awesome.',
        hook_id: hook.id,
        hook: {
          type: t.type === 'app' ? 'App' : t.type === 'organization' ? 'Organization' : 'Repository',
          id: hook.id,
          name: 'web',
          active: true,
          events: hook.events,
          config: { content_type: 'json', insecure_ssl: '0', url },
          updated_at: at,
          created_at: at,
          ...(t.type === 'app' ? { app_id: Number(appId) } : {}),
        },
        ...(r ? { repository: repoJson(r) } : {}),
        ...(owner ? { organization: orgJson(owner) } : {}),
        sender: userJson(user.login),
      });
      const targetId = t.type === 'app' ? Number(appId) : (r?.id ?? owner?.ownerId ?? 0);
      void outbox.send({
        url,
        event: 'ping',
        body,
        headers: gitHubDeliveryHeaders(hook, 'ping', body, targetId),
      });
      return hook.id;
    },
    ...outbox.controls,
    transferIssue: (id, toRepo) => {
      const i = liveItem(id);
      if (i.pr) throw new Error('GitHub transfers issues, not pull requests');
      const old = issueJson(i);
      const target = ensureRepo(toRepo);
      const [moved] = addItems(target, 1, () => false, fieldsOf(i));
      if (!moved) throw new Error('no issue created');
      i.deleted = true;
      const at = i.repo.byUpdated.indexOf(i);
      if (at >= 0) i.repo.byUpdated.splice(at, 1);
      version++;
      // https://docs.github.com/en/webhooks/webhook-events-and-payloads?actionType=transferred#issues
      emit('issues', i.repo, {
        action: 'transferred',
        issue: old,
        changes: { new_issue: issueJson(moved), new_repository: repoJson(target) },
      });
      return moved.id;
    },
    sendDeploymentStatus: (repo, state) => {
      const r = ensureRepo(repo);
      const full = fullNameOf(r);
      const head = r.commits.get('main')?.at(-1)?.sha ?? sha(`${full}:main`);
      const deploymentId = 1_200_000_000 + ++eventSeq;
      const at = isoSeconds(nowSecond());
      const deployment = {
        url: `${base}/repos/${full}/deployments/${deploymentId}`,
        id: deploymentId,
        node_id: Buffer.from(`010:Deployment${deploymentId}`).toString('base64'),
        sha: head,
        ref: 'main',
        task: 'deploy',
        payload: {},
        original_environment: 'production',
        environment: 'production',
        description: null,
        creator: userJson(user.login),
        created_at: at,
        updated_at: at,
        statuses_url: `${base}/repos/${full}/deployments/${deploymentId}/statuses`,
        repository_url: `${base}/repos/${full}`,
      };
      emit('deployment_status', r, {
        action: 'created',
        deployment_status: {
          url: `${deployment.url}/statuses/${deploymentId + 1}`,
          id: deploymentId + 1,
          state,
          creator: userJson(user.login),
          description: '',
          environment: 'production',
          target_url: '',
          log_url: '',
          created_at: at,
          updated_at: at,
          deployment_url: deployment.url,
          repository_url: `${base}/repos/${full}`,
        },
        deployment,
      });
    },
    sendWorkflowRun: (repo, action, conclusion) => {
      const r = ensureRepo(repo);
      const full = fullNameOf(r);
      const head = r.commits.get('main')?.at(-1)?.sha ?? sha(`${full}:main`);
      const id = 9_000_000_000 + ++eventSeq;
      const at = isoSeconds(nowSecond());
      emit('workflow_run', r, {
        action,
        workflow_run: {
          id,
          name: 'CI',
          node_id: Buffer.from(`011:WorkflowRun${id}`).toString('base64'),
          head_branch: 'main',
          head_sha: head,
          path: '.github/workflows/ci.yml',
          run_number: eventSeq,
          event: 'push',
          status: action === 'completed' ? 'completed' : action === 'requested' ? 'queued' : 'in_progress',
          conclusion: action === 'completed' ? (conclusion ?? 'success') : null,
          workflow_id: 161335,
          url: `${base}/repos/${full}/actions/runs/${id}`,
          html_url: `https://github.com/${full}/actions/runs/${id}`,
          created_at: at,
          updated_at: at,
          run_attempt: 1,
          run_started_at: at,
        },
        workflow: {
          id: 161335,
          name: 'CI',
          path: '.github/workflows/ci.yml',
          state: 'active',
          url: `${base}/repos/${full}/actions/workflows/161335`,
          html_url: `https://github.com/${full}/blob/main/.github/workflows/ci.yml`,
        },
      });
    },
    deleteRepository: (fullName) => {
      const r = repos.get(repoKey(fullName));
      if (!r) throw new Error(`The GitHub fake has no repository ${fullName}`);
      emit('repository', r, { action: 'deleted' });
      repos.delete(repoKey(fullName));
      for (const i of r.items) i.deleted = true;
      r.byUpdated = [];
      version++;
    },
  };

  /** The filtered, ordered list of the last issues query, kept while nothing changes. */
  let cached: { key: string; version: number; list: FakeItem[] } | undefined;
  const perPageOf = (q: URLSearchParams) => {
    const n = Number(q.get('per_page') ?? 30);
    return Number.isInteger(n) ? Math.min(100, Math.max(1, n)) : 30;
  };
  const pageOf = (q: URLSearchParams) => {
    const n = Number(q.get('page') ?? 1);
    return Number.isInteger(n) && n > 0 ? n : 1;
  };
  /** GitHub's Link header: next/last while there are more, first/prev after the first page. */
  const paged = <T>(list: T[], path: string, q: URLSearchParams) => {
    const perPage = perPageOf(q);
    const page = pageOf(q);
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const at = (p: number) => {
      const u = new URL(`${base}${path}`);
      for (const [k, v] of q) if (k !== 'page') u.searchParams.set(k, v);
      u.searchParams.set('page', String(p));
      return u.toString();
    };
    const links: string[] = [];
    if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
    if (page > 1) links.push(`<${at(Math.min(page - 1, last))}>; rel="prev"`, `<${at(1)}>; rel="first"`);
    return {
      slice: list.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : ({} as Record<string, string>),
    };
  };
  const validationFailed = (
    resource: string,
    field: string,
    o: { code?: string; value?: unknown; documentation_url?: string } = {},
  ) =>
    reply(422, {
      message: 'Validation Failed',
      errors: [
        { ...(o.value !== undefined ? { value: o.value } : {}), resource, field, code: o.code ?? 'invalid' },
      ],
      documentation_url: o.documentation_url ?? `${docs}/issues/issues#list-repository-issues`,
      status: '422',
    });

  // https://docs.github.com/en/rest/issues/issues#list-repository-issues
  const listIssues = (r: FakeRepo, q: URLSearchParams): FakeReply => {
    if (!r.hasIssues) {
      return error(410, 'Issues are disabled for this repo', `${docs}/issues/issues#list-repository-issues`);
    }
    const state = q.get('state') ?? 'open';
    const sort = q.get('sort') ?? 'created';
    const direction = q.get('direction') ?? 'desc';
    const sinceRaw = q.get('since');
    const since = sinceRaw === null ? undefined : Date.parse(sinceRaw);
    if (!['open', 'closed', 'all'].includes(state)) return validationFailed('Issue', 'state');
    if (!['created', 'updated', 'comments'].includes(sort)) return validationFailed('Issue', 'sort');
    if (!['asc', 'desc'].includes(direction)) return validationFailed('Issue', 'direction');
    if (since !== undefined && Number.isNaN(since)) return validationFailed('Issue', 'since');
    // `labels`: comma-separated names, an issue carrying all of them.
    const labels = (q.get('labels') ?? '').split(',').filter(Boolean);
    const key = `${r.id}|${state}|${sort}|${direction}|${since}|${labels.join(',')}`;
    if (cached?.key !== key || cached.version !== version) {
      const source = sort === 'updated' ? r.byUpdated : r.items;
      const list = source.filter(
        (i) =>
          !i.deleted &&
          (state === 'all' || fieldsOf(i).state === state) &&
          (since === undefined || i.updated >= since) &&
          (labels.length === 0 || labels.every((l) => fieldsOf(i).labels.includes(l))),
      );
      if (direction === 'desc') list.reverse();
      cached = { key, version, list };
    }
    const { slice, headers } = paged(cached.list, `/repositories/${r.id}/issues`, q);
    return reply(200, slice.map(issueJson), headers);
  };

  /** The filtered, ordered list of the last pull requests query, kept while nothing changes. */
  let cachedPulls: { key: string; version: number; list: FakeItem[] } | undefined;

  // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
  const listPulls = (r: FakeRepo, q: URLSearchParams): FakeReply => {
    const doc = `${docs}/pulls/pulls#list-pull-requests`;
    const state = q.get('state') ?? 'open';
    const sort = q.get('sort') ?? 'created';
    // "Default: desc when sort is created or sort is not specified, otherwise asc."
    const direction = q.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
    if (!['open', 'closed', 'all'].includes(state))
      return validationFailed('PullRequest', 'state', { documentation_url: doc });
    if (!['created', 'updated', 'popularity', 'long-running'].includes(sort))
      return validationFailed('PullRequest', 'sort', { documentation_url: doc });
    if (!['asc', 'desc'].includes(direction))
      return validationFailed('PullRequest', 'direction', { documentation_url: doc });
    // `head` is `user:ref` (or `org:ref`), `base` a branch name.
    const head = q.get('head')?.split(':').at(-1);
    const baseRef = q.get('base');
    const key = `${r.id}|${state}|${sort}|${direction}|${head}|${baseRef}`;
    if (cachedPulls?.key !== key || cachedPulls.version !== version) {
      // Popularity (comments) and long-running (age and activity) are approximated by creation.
      const source = sort === 'updated' ? r.byUpdated : r.items;
      const list = source.filter(
        (i) =>
          i.pr &&
          !i.deleted &&
          (state === 'all' || fieldsOf(i).state === state) &&
          (head === undefined || pullFieldsOf(i).head === head) &&
          (baseRef === null || pullFieldsOf(i).base === baseRef),
      );
      if (direction === 'desc') list.reverse();
      cachedPulls = { key, version, list };
    }
    const { slice, headers } = paged(cachedPulls.list, `/repositories/${r.id}/pulls`, q);
    return reply(200, slice.map(pullJson), headers);
  };

  /** A commit as GET /repos/{owner}/{repo}/commits lists it. */
  const commitJson = (r: FakeRepo, c: FakeCommit) => {
    const full = fullNameOf(r);
    const name = c.linked ? user.name : 'Build Bot';
    const email = c.linked ? 'octo@acme.example' : 'build-bot@ci.acme.example';
    const person = { name, email, date: isoSeconds(c.date) };
    return {
      sha: c.sha,
      node_id: Buffer.from(`06:Commit${c.sha}`).toString('base64'),
      commit: {
        author: person,
        committer: person,
        message: c.message,
        tree: { sha: sha(`tree:${c.sha}`), url: `${base}/repos/${full}/git/trees/${sha(`tree:${c.sha}`)}` },
        url: `${base}/repos/${full}/git/commits/${c.sha}`,
        comment_count: 0,
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
      },
      url: `${base}/repos/${full}/commits/${c.sha}`,
      html_url: `https://github.com/${full}/commit/${c.sha}`,
      comments_url: `${base}/repos/${full}/commits/${c.sha}/comments`,
      author: c.linked ? userJson(user.login) : null,
      committer: c.linked ? userJson(user.login) : null,
      parents: [],
    };
  };

  // https://docs.github.com/en/rest/commits/commits#list-commits
  const listCommits = (r: FakeRepo, q: URLSearchParams): FakeReply => {
    const doc = `${docs}/commits/commits#list-commits`;
    if ([...r.commits.values()].every((l) => l.length === 0))
      return error(409, 'Git Repository is empty.', doc);
    const ref = q.get('sha') ?? 'main';
    const onBranch = r.commits.get(ref);
    if (!onBranch) return error(404, `No commit found for SHA: ${ref}`, doc);
    const sinceRaw = q.get('since');
    const since = sinceRaw === null ? undefined : Date.parse(sinceRaw);
    if (since !== undefined && Number.isNaN(since)) return error(400, 'Invalid time', doc);
    // Newest first, as git log lists them.
    const list = onBranch.filter((c) => since === undefined || c.date >= since).reverse();
    const { slice, headers } = paged(list, `/repositories/${r.id}/commits`, q);
    return reply(
      200,
      slice.map((c) => commitJson(r, c)),
      headers,
    );
  };

  /** Users the fake's repositories may assign issues to (collaborators). */
  const assignable = new Set([user.login, 'hubot']);
  /** A JSON request body as an object, or undefined when GitHub would answer 400. */
  const jsonBody = (body: string): Record<string, unknown> | undefined => {
    try {
      const v: unknown = JSON.parse(body);
      return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };
  const problemsParsingJson = (doc: string) => error(400, 'Problems parsing JSON', doc);
  /** GitHub's answer to a request its JSON schema refuses before any validation of values. */
  const invalidRequest = (message: string, doc: string) =>
    reply(422, { message: `Invalid request.\n\n${message}`, documentation_url: doc, status: '422' });
  const stringList = (v: unknown): string[] | undefined =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;

  // https://docs.github.com/en/rest/issues/issues#create-an-issue
  const createIssue = (r: FakeRepo, body: string): FakeReply => {
    const doc = `${docs}/issues/issues#create-an-issue`;
    if (r.archived) return error(403, 'Repository was archived so is read-only.', doc);
    if (!r.hasIssues) return error(410, 'Issues are disabled for this repo', doc);
    const input = jsonBody(body);
    if (!input) return problemsParsingJson(doc);
    const { title } = input;
    if (title === undefined || title === null) return invalidRequest('"title" wasn\'t supplied.', doc);
    if (typeof title !== 'string' && typeof title !== 'number') {
      return invalidRequest(
        `For 'properties/title', ${JSON.stringify(title)} is not a string or integer.`,
        doc,
      );
    }
    if (String(title).trim() === '') {
      return validationFailed('Issue', 'title', { code: 'missing_field', documentation_url: doc });
    }
    const labels = input.labels === undefined ? [] : stringList(input.labels);
    const assignees = input.assignees === undefined ? [] : stringList(input.assignees);
    if (labels === undefined)
      return invalidRequest(`For 'properties/labels', ${JSON.stringify(input.labels)} is not an array.`, doc);
    if (assignees === undefined) {
      return invalidRequest(
        `For 'properties/assignees', ${JSON.stringify(input.assignees)} is not an array.`,
        doc,
      );
    }
    const stranger = assignees.find((a) => !assignable.has(a));
    if (stranger !== undefined) {
      return validationFailed('Issue', 'assignees', { value: stranger, documentation_url: doc });
    }
    if (input.body !== undefined && input.body !== null && typeof input.body !== 'string') {
      return invalidRequest(
        `For 'properties/body', ${JSON.stringify(input.body)} is not a string or null.`,
        doc,
      );
    }
    const [created] = addItems(r, 1, () => false, {
      title: String(title),
      body: typeof input.body === 'string' ? input.body : null,
      state: 'open',
      state_reason: null,
      labels: [...new Set(labels)],
      assignees: [...new Set(assignees)],
      milestone: null,
    });
    if (!created) throw new Error('no issue created');
    opened([created]);
    const json = issueJson(created);
    return reply(201, json, { location: json.url });
  };

  // https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
  const createComment = (
    r: FakeRepo,
    number: number,
    body: string,
    who: 'user' | 'installation',
  ): FakeReply => {
    const doc = `${docs}/issues/comments#create-an-issue-comment`;
    // Items are numbered in creation order from 1.
    const i = r.items[number - 1];
    if (!i || i.number !== number || i.deleted) return error(404, 'Not Found', doc);
    if (!i.pr && !r.hasIssues) return error(410, 'Issues are disabled for this repo', doc);
    if (r.archived) return error(403, 'Repository was archived so is read-only.', doc);
    const input = jsonBody(body);
    if (!input) return problemsParsingJson(doc);
    if (input.body === undefined || input.body === null)
      return invalidRequest('"body" wasn\'t supplied.', doc);
    if (typeof input.body !== 'string') {
      return invalidRequest(`For 'properties/body', ${JSON.stringify(input.body)} is not a string.`, doc);
    }
    if (input.body.trim() === '') {
      return validationFailed('IssueComment', 'body', { code: 'missing_field', documentation_url: doc });
    }
    const author = who === 'installation' ? 'acme-integrations[bot]' : user.login;
    const t = touch(i);
    const c = { id: 1_900_000_000 + ++commentSeq, body: input.body, user: author, created: t };
    commentsByItem.set(i.id, [...(commentsByItem.get(i.id) ?? []), c]);
    const full = fullNameOf(r);
    const url = `${base}/repos/${full}/issues/comments/${c.id}`;
    const comment = {
      id: c.id,
      node_id: `IC_kwDO${Buffer.from(String(c.id)).toString('base64url')}`,
      url,
      html_url: `https://github.com/${full}/${i.pr ? 'pull' : 'issues'}/${number}#issuecomment-${c.id}`,
      body: c.body,
      user: who === 'installation' ? { ...userJson(author), type: 'Bot' } : userJson(author),
      created_at: isoSeconds(t),
      updated_at: isoSeconds(t),
      issue_url: `${base}/repos/${full}/issues/${number}`,
      author_association: who === 'installation' ? 'NONE' : 'MEMBER',
      performed_via_github_app: null,
    };
    emit('issue_comment', r, { action: 'created', issue: issueJson(i), comment }, author);
    return reply(201, comment, { location: url });
  };

  const rateLimited = (): FakeReply | undefined => {
    if (limitNext && limitNext.n > 0) {
      limitNext.n -= 1;
      const { secs, kind, status } = limitNext;
      if (kind === 'secondary') {
        return reply(
          status,
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
            documentation_url: `${docs}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          },
          { 'retry-after': String(secs) },
        );
      }
      return reply(
        status,
        {
          message: `API rate limit exceeded for user ID ${user.id}. If you reach out to GitHub Support for help, please include the request ID.`,
          documentation_url: `${docs}/overview/rate-limits-for-the-rest-api`,
        },
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + secs),
        },
      );
    }
    if (failures && failures.n > 0) {
      failures.n -= 1;
      return reply(failures.status, { message: 'Server Error', documentation_url: docs });
    }
    if (refusals && refusals.n > 0) {
      refusals.n -= 1;
      return error(refusals.status, refusals.message);
    }
    if (remaining <= 0) {
      return error(
        403,
        `API rate limit exceeded for user ID ${user.id}. If you reach out to GitHub Support for help, please include the request ID.`,
        `${docs}/overview/rate-limits-for-the-rest-api`,
      );
    }
    return undefined;
  };

  /** Who a list call is from: a user's token, an installation's, or a refusal to answer. */
  const caller = (auth: string | undefined): 'user' | 'installation' | FakeReply => {
    const inst = installationToken(auth);
    if (inst === 'dead' || (inst === undefined && !auth)) return error(401, 'Bad credentials');
    if (inst !== undefined) return 'installation';
    const known = tokens.has(auth ?? '') || grants.accessState(auth)?.state === 'valid';
    return known ? 'user' : error(401, 'Bad credentials');
  };
  /**
   * Whose GitHub-App user token this is, for the endpoints that want one: an OAuth app's
   * token (or a classic or fine-grained PAT) or an installation's is refused there.
   */
  const userTokenOwner = (
    auth: string | undefined,
  ): { login: string } | 'oauth_app' | 'installation' | 'none' | 'bad' => {
    if (!auth) return 'none';
    const inst = installationToken(auth);
    if (inst === 'dead') return 'bad';
    if (inst !== undefined) return 'installation';
    if (tokens.has(auth)) return 'oauth_app';
    const issued = grants.accessState(auth);
    if (issued?.state !== 'valid') return 'bad';
    return expiring ? { login: tokenUser.get(auth) ?? user.login } : 'oauth_app';
  };
  const installationSees = (r: FakeRepo) => r.owner.toLowerCase() === org.login.toLowerCase();

  const repoByName = (owner: string | undefined, name: string | undefined) =>
    repos.get(`${decodeURIComponent(owner ?? '')}/${decodeURIComponent(name ?? '')}`.toLowerCase());

  /** The write endpoints: a new issue, a new comment on an issue or pull request. */
  const writeCall = (req: FakeRequest, auth: string | undefined): FakeReply | undefined => {
    if (req.method !== 'POST') return undefined;
    const issue = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(req.path);
    const comment = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(req.path);
    const m = issue ?? comment;
    if (!m) return undefined;
    const who = caller(auth);
    if (typeof who !== 'string') return who;
    const limited = rateLimited();
    if (limited) return limited;
    const r = repoByName(m[1], m[2]);
    if (!r || (who === 'installation' && !installationSees(r))) {
      return error(
        404,
        'Not Found',
        issue ? `${docs}/issues/issues#create-an-issue` : `${docs}/issues/comments#create-an-issue-comment`,
      );
    }
    return issue ? createIssue(r, req.body) : createComment(r, Number(comment?.[3]), req.body, who);
  };

  /** The list endpoints: repositories of a user or an installation, a repository's issues and pull requests. */
  const listCall = (req: FakeRequest, auth: string | undefined): FakeReply | undefined => {
    if (req.method !== 'GET') return undefined;
    const byName = /^\/repos\/([^/]+)\/([^/]+)\/(issues|pulls|commits)$/.exec(req.path);
    const byId = /^\/repositories\/(\d+)\/(issues|pulls|commits)$/.exec(req.path);
    const isList =
      req.path === '/user/repos' ||
      req.path === '/installation/repositories' ||
      byName !== null ||
      byId !== null;
    if (!isList) return undefined;
    listCount += 1;
    const who = caller(auth);
    if (typeof who !== 'string') return who;
    const limited = rateLimited();
    if (limited) return limited;

    // https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation
    if (req.path === '/installation/repositories') {
      if (who !== 'installation') {
        return error(
          403,
          'You must authenticate with an installation access token in order to list repositories for an installation.',
          `${docs}/apps/installations#list-repositories-accessible-to-the-app-installation`,
        );
      }
      const visible = [...repos.values()].filter(installationSees).sort((a, b) => a.id - b.id);
      const { slice, headers } = paged(visible, req.path, req.query);
      return reply(
        200,
        { total_count: visible.length, repository_selection: 'selected', repositories: slice.map(repoJson) },
        headers,
      );
    }
    // https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user
    if (req.path === '/user/repos') {
      if (who !== 'user') {
        return error(
          403,
          'Resource not accessible by integration',
          `${docs}/repos/repos#list-repositories-for-the-authenticated-user`,
        );
      }
      const sort = req.query.get('sort') ?? 'full_name';
      const direction = req.query.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
      if (!['created', 'updated', 'pushed', 'full_name'].includes(sort))
        return validationFailed('Repository', 'sort');
      const keyOf = (r: FakeRepo): number | string =>
        sort === 'full_name'
          ? fullNameOf(r).toLowerCase()
          : sort === 'created'
            ? r.created
            : Math.max(r.created, r.byUpdated.at(-1)?.updated ?? 0);
      const visible = [...repos.values()].sort((a, b) => {
        const [x, y] = [keyOf(a), keyOf(b)];
        const c = x < y ? -1 : x > y ? 1 : a.id - b.id;
        return direction === 'desc' ? -c : c;
      });
      const { slice, headers } = paged(visible, req.path, req.query);
      return reply(200, slice.map(repoJson), headers);
    }
    const r = byId
      ? [...repos.values()].find((x) => String(x.id) === byId[1])
      : repoByName(byName?.[1], byName?.[2]);
    const what = byId?.[2] ?? byName?.[3];
    const pulls = what === 'pulls';
    if (!r || (who === 'installation' && !installationSees(r))) {
      return error(
        404,
        'Not Found',
        what === 'commits'
          ? `${docs}/commits/commits#list-commits`
          : pulls
            ? `${docs}/pulls/pulls#list-pull-requests`
            : `${docs}/issues/issues#list-repository-issues`,
      );
    }
    if (what === 'commits') return listCommits(r, req.query);
    return pulls ? listPulls(r, req.query) : listIssues(r, req.query);
  };

  /**
   * DELETE /applications/{client_id}/grant: basic auth of the OAuth app, `{access_token}` in
   * the body; 204, or 404 for a bad client or a token the app did not issue, 422 without a
   * token — GitHub's answers.
   */
  const deleteGrant = (req: FakeRequest, clientId: string): FakeReply => {
    const doc = `${docs}/apps/oauth-applications#delete-an-app-authorization`;
    const basic = /^basic (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = Buffer.from(basic ?? '', 'base64')
      .toString('utf8')
      .split(':');
    if (!basic || id !== clientId || !grants.clientAuthenticates(id, secret))
      return error(404, 'Not Found', doc);
    let token: string | undefined;
    try {
      token = (JSON.parse(req.body) as { access_token?: string }).access_token;
    } catch {
      token = undefined;
    }
    if (!token) return error(422, 'Invalid request.\n\n"access_token" wasn\'t supplied.', doc);
    if (!grants.revokeGrant(token)) return error(404, 'Not Found', doc);
    revokedGrants += 1;
    return reply(204);
  };

  const server = await startFakeServer(
    (req) => {
      // github.com's web flow, outside the REST API's rules (no rate-limit headers).
      if (req.method === 'GET' && req.path === '/login/oauth/authorize') return authorize(req);
      if (req.method === 'POST' && req.path === '/login/oauth/access_token') return accessToken(req);
      const installPage = insts.installPage(req, {
        callbackUrl: grants.redirectUri,
        requestOAuth: options.requestOAuthOnInstall !== false,
        issueCode: (login) => {
          // The app's user token, as the authorize step of a GitHub App would issue it.
          const code = grants.issueCode({ redirectUri: grants.redirectUri, scopes: [] });
          codeUser.set(code, login);
          return code;
        },
      });
      if (installPage) return installPage;

      // https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization
      const grantPath = /^\/applications\/([^/]+)\/grant$/.exec(req.path);
      if (req.method === 'DELETE' && grantPath)
        return deleteGrant(req, decodeURIComponent(grantPath[1] ?? ''));

      // https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent
      if (!req.headers['user-agent']) {
        return reply(
          403,
          'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n',
        );
      }
      // GitHub takes both `Bearer` and the older `token` scheme.
      const auth = /^(?:bearer|token) (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const withHeaders = (r: FakeReply, authenticated = true): FakeReply => ({
        ...r,
        headers: { ...rateHeaders(authenticated), ...r.headers },
      });

      if (req.method === 'GET' && req.path === '/user') {
        if (!auth) {
          return withHeaders(
            error(401, 'Requires authentication', `${docs}/users/users#get-the-authenticated-user`),
            false,
          );
        }
        if (installationToken(auth) !== undefined) {
          if (installationToken(auth) === 'dead') return withHeaders(error(401, 'Bad credentials'), false);
          return withHeaders(
            error(
              403,
              'Resource not accessible by integration',
              `${docs}/users/users#get-the-authenticated-user`,
            ),
          );
        }
        const issued = grants.accessState(auth);
        if (issued && issued.state !== 'valid') return withHeaders(error(401, 'Bad credentials'), false);
        // OAuth-app tokens carry the scopes granted; GitHub-App user tokens carry none.
        const token = issued ? (expiring ? {} : { scopes: issued.scopes }) : tokens.get(auth);
        if (!token) return withHeaders(error(401, 'Bad credentials'), false);
        if (remaining <= 0) {
          return withHeaders(
            error(
              403,
              `API rate limit exceeded for user ID ${user.id}. If you reach out to GitHub Support for help, please include the request ID.`,
              `${docs}/overview/rate-limits-for-the-rest-api`,
            ),
          );
        }
        remaining -= 1;
        const login = tokenUser.get(auth) ?? user.login;
        return withHeaders(
          reply(200, login === user.login ? user : insts.userJson(login), {
            ...(token.scopes ? { 'x-oauth-scopes': token.scopes.join(', ') } : {}),
            'x-accepted-oauth-scopes': '',
          }),
        );
      }

      const inst = /^\/app\/installations\/(\d+)$/.exec(req.path);
      if (req.method === 'GET' && inst) {
        const problem = jwtError(auth ?? '', appId, options.appPublicKey);
        if (problem) return withHeaders(error(401, problem), false);
        const found = insts.get(inst[1] ?? '');
        if (!found) {
          return withHeaders(
            error(404, 'Not Found', `${docs}/apps/apps#get-an-installation-for-the-authenticated-app`),
          );
        }
        return withHeaders(reply(200, found));
      }

      // https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app
      const mint = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.path);
      if (req.method === 'POST' && mint) {
        const problem = jwtError(auth ?? '', appId, options.appPublicKey);
        if (problem) return withHeaders(error(401, problem), false);
        const id = mint[1] ?? '';
        const found = insts.get(id);
        if (!found) {
          return withHeaders(
            error(404, 'Not Found', `${docs}/apps/apps#create-an-installation-access-token-for-an-app`),
          );
        }
        if (found.suspended_at) {
          return withHeaders(
            error(
              403,
              'This installation has been suspended',
              `${docs}/apps/apps#create-an-installation-access-token-for-an-app`,
            ),
          );
        }
        const token = sensitive(`ghs_${randomToken(36)}`);
        // One hour, reported to the second as GitHub does ("2016-07-11T22:14:10Z").
        const expiresAt = Math.floor(Date.now() / 1000) * 1000 + 3600_000;
        installationTokens.set(token, { installationId: id, expiresAt });
        return withHeaders(
          reply(201, {
            token,
            expires_at: new Date(expiresAt).toISOString().replace('.000Z', 'Z'),
            permissions: found.permissions,
            repository_selection: found.repository_selection,
          }),
        );
      }

      const mine = insts.userInstallations(req, userTokenOwner(auth), paged, error);
      if (mine) return withHeaders(mine, mine.status !== 401);

      const listed = listCall(req, auth) ?? writeCall(req, auth);
      if (listed) return withHeaders(listed, listed.status !== 401);

      return error(404, 'Not Found');
    },
    // GitHub's JSON 5xx; the unicorn page is HTML, but API clients get this.
    reply(503, { message: 'Service Unavailable', documentation_url: docs }),
  );

  base = server.url;

  return {
    ...server,
    ...dataControls,
    ...webhookControls,
    apiBaseUrl: server.url,
    valid: registerSecrets({ type: 'oauth2', access_token: classic }),
    fineGrained: { type: 'oauth2', access_token: fineGrained },
    noScopes: { type: 'oauth2', access_token: noScopes },
    account: { id: String(user.id), name: user.login },
    scopes,
    appId,
    installationId: '48213067',
    suspendedInstallationId: '48213099',
    installationAccount: { id: String(org.id), name: org.login },
    revokedGrants: () => revokedGrants,
    setRateLimitRemaining: (n) => {
      remaining = n;
    },
    oauthClient: {
      clientId: grants.clientId,
      clientSecret: grants.clientSecret,
      redirectUri: grants.redirectUri,
    },
    authorizationUrl: `${server.url}/login/oauth/authorize`,
    tokenUrl: `${server.url}/login/oauth/access_token`,
    denyNext: grants.denyNext,
    expireCodes: grants.expireCodes,
    refreshCount: grants.refreshCount,
    expireAccessTokens: () => {
      grants.expireAccessTokens();
      const past = Date.now() - 1000;
      for (const t of installationTokens.values()) t.expiresAt = past;
    },
    setTokenResponseFormat: (format) => {
      tokenFormat = format;
    },
    installationTokenCount: () => installationTokens.size,
    ...insts.controls,
  };
};
