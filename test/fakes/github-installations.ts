import { errorPage, withQuery } from './oauth-grants';
import { type FakeReply, type FakeRequest, reply } from './server';

/**
 * Who is who at the GitHub fake as far as app installations go: users, the organizations
 * they belong to, the app's installations (ids handed out in sequence, as GitHub's are) and
 * who may access each; the browser's signed-in user; the install page
 * (`/apps/{slug}/installations/new`), which redirects back with `installation_id`,
 * `setup_action` and the `state` it was given — and, with "Request user authorization (OAuth)
 * during installation" (on unless the fake is told otherwise), a `code` for the installing
 * user, to the app's user authorization callback URL; and
 * `GET /user/installations` for a GitHub-App user token, paginated with a Link header.
 * https://docs.github.com/en/apps/creating-github-apps/setting-up-a-github-app/about-the-setup-url
 * https://docs.github.com/en/apps/creating-github-apps/registering-a-github-app/registering-a-github-app
 * https://docs.github.com/en/rest/apps/installations#list-app-installations-accessible-to-the-user-access-token
 */

export type FakeAccount = {
  login: string;
  id: number;
  node_id: string;
  type: 'User' | 'Organization';
};

type FakeInstallation = { id: number; account: FakeAccount; members: Set<string>; suspended: boolean };

export type GitHubInstallationControls = {
  /** A user (created on first use), member of `org` when given (created on first use). */
  addUser(login: string, options?: { org?: string }): { id: string; login: string };
  /**
   * The user signed in at github.com in the test's browser: who authorizes and installs next.
   * `installOn`: the account they pick on the install page (default: their first organization,
   * else their own account). Default user: octo-acme, installing on acme-corp.
   */
  signIn(login: string, options?: { installOn?: string }): void;
  /**
   * Installs the app on an account (an organization or a user), as its owner would; the new
   * installation id is the next in sequence. `members`: users who can access it (default: the
   * organization's members, or the user themself).
   */
  addInstallation(account: string, options?: { members?: string[]; suspended?: boolean }): string;
  /** The installation on an account, if the app is installed there. */
  installationOn(account: string): string | undefined;
};

const nodeId = (kind: string, id: number) => Buffer.from(`04:${kind}${id}`).toString('base64');

export const createInstallations = (o: {
  appId: string;
  appSlug: string;
  defaultUser: { login: string; id: number };
  defaultOrg: FakeAccount;
  /** The first two installations of acme-corp (the second suspended), as the fake always had. */
  seed: { id: number; suspended: boolean }[];
}) => {
  const accounts = new Map<string, FakeAccount>();
  const orgMembers = new Map<string, Set<string>>();
  const installations = new Map<number, FakeInstallation>();
  let nextAccountId = 7_000_000;
  let nextInstallationId = Math.max(...o.seed.map((s) => s.id)) + 1;
  let signedIn = o.defaultUser.login;
  const installOn = new Map<string, string>();

  accounts.set(o.defaultUser.login.toLowerCase(), {
    login: o.defaultUser.login,
    id: o.defaultUser.id,
    node_id: nodeId('User', o.defaultUser.id),
    type: 'User',
  });
  accounts.set(o.defaultOrg.login.toLowerCase(), o.defaultOrg);
  orgMembers.set(o.defaultOrg.login.toLowerCase(), new Set([o.defaultUser.login]));
  for (const s of o.seed) {
    installations.set(s.id, {
      id: s.id,
      account: o.defaultOrg,
      members: new Set([o.defaultUser.login]),
      suspended: s.suspended,
    });
  }

  const account = (login: string, type: FakeAccount['type']): FakeAccount => {
    const key = login.toLowerCase();
    const found = accounts.get(key);
    if (found) return found;
    const id = nextAccountId++;
    const created: FakeAccount = { login, id, node_id: nodeId(type, id), type };
    accounts.set(key, created);
    if (type === 'Organization') orgMembers.set(key, new Set());
    return created;
  };
  const orgsOf = (login: string) =>
    [...orgMembers.entries()]
      .filter(([, m]) => m.has(login))
      .map(([org]) => accounts.get(org) as FakeAccount);

  const install = (login: string, options: { members?: string[]; suspended?: boolean } = {}) => {
    const acc = accounts.get(login.toLowerCase()) ?? account(login, 'Organization');
    const members =
      options.members ??
      (acc.type === 'Organization' ? [...(orgMembers.get(acc.login.toLowerCase()) ?? [])] : [acc.login]);
    const id = nextInstallationId++;
    installations.set(id, {
      id,
      account: acc,
      members: new Set(members),
      suspended: options.suspended === true,
    });
    return id;
  };
  const installationOn = (login: string) =>
    [...installations.values()].find((i) => i.account.login.toLowerCase() === login.toLowerCase());

  /** An installation as the REST API answers it. */
  const json = (i: FakeInstallation) => ({
    id: i.id,
    client_id: 'Iv23liAcmeFakeClient',
    account: i.account,
    repository_selection: 'selected',
    access_tokens_url: `https://api.github.com/app/installations/${i.id}/access_tokens`,
    repositories_url: 'https://api.github.com/installation/repositories',
    html_url:
      i.account.type === 'Organization'
        ? `https://github.com/organizations/${i.account.login}/settings/installations/${i.id}`
        : `https://github.com/settings/installations/${i.id}`,
    app_id: Number(o.appId),
    app_slug: 'acme-integrations',
    target_id: i.account.id,
    target_type: i.account.type,
    permissions: { issues: 'write', metadata: 'read', pull_requests: 'write' },
    events: ['issues', 'pull_request'],
    created_at: '2025-01-14T10:12:03.000Z',
    updated_at: '2025-01-14T10:12:04.000Z',
    single_file_name: null,
    suspended_by: null,
    suspended_at: i.suspended ? '2025-03-01T08:00:00.000Z' : null,
  });

  const controls: GitHubInstallationControls = {
    addUser: (login, options = {}) => {
      const u = account(login, 'User');
      if (options.org) {
        account(options.org, 'Organization');
        orgMembers.get(options.org.toLowerCase())?.add(u.login);
      }
      return { id: String(u.id), login: u.login };
    },
    signIn: (login, options = {}) => {
      const u = account(login, 'User');
      signedIn = u.login;
      if (options.installOn) installOn.set(u.login, options.installOn);
      else installOn.delete(u.login);
    },
    addInstallation: (login, options) => String(install(login, options)),
    installationOn: (login) => {
      const i = installationOn(login);
      return i ? String(i.id) : undefined;
    },
  };

  return {
    controls,
    /** The installation answered by GET /app/installations/{id}, if it exists. */
    get: (id: string) => {
      const i = /^\d+$/.test(id) ? installations.get(Number(id)) : undefined;
      return i ? json(i) : undefined;
    },
    signedIn: () => signedIn,
    /** A user as GET /user answers it. */
    userJson: (login: string) => {
      const u = accounts.get(login.toLowerCase()) ?? account(login, 'User');
      return {
        login: u.login,
        id: u.id,
        node_id: u.node_id,
        type: 'User',
        site_admin: false,
        name: u.login,
        html_url: `https://github.com/${u.login}`,
      };
    },

    /**
     * github.com/apps/{slug}/installations/new: the signed-in user installs the app on the
     * account they pick (or, where it is installed already, saves its configuration) and is
     * sent back. With user authorization during installation, GitHub authorizes the app for
     * them on the way and sends a code to the first callback URL.
     */
    installPage: (
      req: FakeRequest,
      web: { callbackUrl: string; requestOAuth: boolean; issueCode: (login: string) => string },
    ): FakeReply | undefined => {
      const m = /^\/apps\/([^/]+)\/installations\/new$/.exec(req.path);
      if (req.method !== 'GET' || !m) return undefined;
      if (decodeURIComponent(m[1] ?? '') !== o.appSlug)
        return reply(404, errorPage('Page not found', 'Not Found'));
      const user = signedIn;
      const target = installOn.get(user) ?? orgsOf(user)[0]?.login ?? user;
      // Whoever installs on an organization owns it, and so can access the installation.
      if (target.toLowerCase() !== user.toLowerCase()) {
        account(target, 'Organization');
        orgMembers.get(target.toLowerCase())?.add(user);
      }
      const existing = installationOn(target);
      const id = existing?.id ?? install(target);
      const params: Record<string, string | null> = {
        installation_id: String(id),
        setup_action: existing ? 'update' : 'install',
        state: req.query.get('state'),
      };
      if (web.requestOAuth) params.code = web.issueCode(user);
      return reply(302, undefined, { location: withQuery(web.callbackUrl, params) });
    },

    /**
     * GET /user/installations: the app's installations the user can access, ascending ids,
     * `per_page` (default 30, max 100) and `page`, with GitHub's Link header.
     */
    userInstallations: (
      req: FakeRequest,
      who: { login: string } | 'oauth_app' | 'installation' | 'none' | 'bad',
      paged: <T>(
        list: T[],
        path: string,
        q: URLSearchParams,
      ) => { slice: T[]; headers: Record<string, string> },
      error: (status: number, message: string, documentationUrl?: string) => FakeReply,
    ): FakeReply | undefined => {
      if (req.method !== 'GET' || req.path !== '/user/installations') return undefined;
      const docsUrl =
        'https://docs.github.com/rest/apps/installations#list-app-installations-accessible-to-the-user-access-token';
      if (who === 'none') return error(401, 'Requires authentication', docsUrl);
      if (who === 'bad') return error(401, 'Bad credentials');
      if (who === 'installation') return error(403, 'Resource not accessible by integration', docsUrl);
      if (who === 'oauth_app') {
        return error(
          403,
          'You must authenticate with an access token authorized to a GitHub App in order to list installations',
          docsUrl,
        );
      }
      const visible = [...installations.values()]
        .filter((i) => i.members.has(who.login))
        .sort((a, b) => a.id - b.id);
      const { slice, headers } = paged(visible, req.path, req.query);
      return reply(200, { total_count: visible.length, installations: slice.map(json) }, headers);
    },
  };
};
