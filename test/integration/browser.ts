import { holdToContract } from './harness';

/**
 * A browser as far as the connect flow needs one: it opens URLs one redirect at a time
 * (`redirect: 'manual'`) and keeps the cookies each origin sets, sending them back to that
 * origin only. Each `newBrowser()` is its own cookie jar — another browser, another person.
 * The local gateway is plain http on 127.0.0.1, so `Secure` is not enforced here (as
 * Chromium and Firefox do not for localhost); everything else about the cookie is kept.
 */
export type Opened = { status: number; location: string | undefined; headers: Headers; body: string };

export type Browser = {
  open(url: string): Promise<Opened>;
  /** The cookies this browser holds for an origin, by name. */
  cookies(origin: string): Map<string, string>;
  /**
   * The whole connect journey from an `auth_url`: our start page, the provider's consent
   * (its fake answers at once), our callback. Returns where the callback sends the user.
   */
  connect(authUrl: string): Promise<URL>;
};

export const newBrowser = (): Browser => {
  const jar = new Map<string, Map<string, { value: string; expires: number }>>();
  const forOrigin = (origin: string) => {
    let m = jar.get(origin);
    if (!m) {
      m = new Map();
      jar.set(origin, m);
    }
    return m;
  };
  const live = (origin: string) => {
    const now = Date.now();
    const out = new Map<string, string>();
    for (const [name, c] of forOrigin(origin)) if (c.expires > now) out.set(name, c.value);
    return out;
  };
  const keep = (origin: string, setCookie: string) => {
    const [pair = '', ...attributes] = setCookie.split(';').map((p) => p.trim());
    const i = pair.indexOf('=');
    if (i <= 0) return;
    const name = pair.slice(0, i);
    const maxAge = attributes.find((a) => /^max-age=/i.test(a));
    const seconds = maxAge ? Number(maxAge.split('=')[1]) : Number.POSITIVE_INFINITY;
    if (seconds <= 0) forOrigin(origin).delete(name);
    else forOrigin(origin).set(name, { value: pair.slice(i + 1), expires: Date.now() + seconds * 1000 });
  };

  const open = async (url: string): Promise<Opened> => {
    const origin = new URL(url).origin;
    const cookies = [...live(origin)].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookies ? { cookie: cookies } : {} });
    for (const c of res.headers.getSetCookie()) keep(origin, c);
    const location = res.headers.get('location') ?? undefined;
    const body = await res.text();
    // The service's answers (connect start, callback, pages) keep their contract; a fake
    // provider's are no route of ours (holdToContract checks harness gateways only).
    let parsed: unknown = body;
    try {
      parsed = JSON.parse(body);
    } catch {
      // a page or an empty redirect body
    }
    await holdToContract('GET', url, { status: res.status, headers: res.headers, body: parsed });
    return {
      status: res.status,
      location: location === undefined ? undefined : new URL(location, url).toString(),
      headers: res.headers,
      body,
    };
  };

  const step = async (url: string, what: string) => {
    const r = await open(url);
    if (r.status !== 302 || !r.location) throw new Error(`${what} answered ${r.status}: ${r.body}`);
    return r.location;
  };

  return {
    open,
    cookies: live,
    connect: async (authUrl) => {
      const provider = await step(authUrl, 'GET /v1/connect/start');
      const callback = await step(provider, 'the provider');
      return new URL(await step(callback, 'GET /v1/oauth/callback'));
    },
  };
};
