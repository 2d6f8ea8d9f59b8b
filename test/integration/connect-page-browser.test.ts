import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatadogFake, startDatadogFake } from '../fakes/datadog';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { recordOutput } from '../leak-watch';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * The hosted connect page in a real browser: Debian's Chromium, driven by playwright-core
 * (no browser download). One browser for the file, a fresh context (cookie jar) per test.
 * The service runs on http://127.0.0.1:<port>; the tenant's app — where redirect_url points
 * and where /connect.js is embedded — on http://localhost:<port>, another origin and site.
 *
 * Screenshots of each state go to docs/connect-page/ when CONNECT_PAGE_SCREENSHOTS=1
 * (`npm run screenshots`), else to a temporary folder: taken every run, committed on purpose.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS =
  process.env.CONNECT_PAGE_SCREENSHOTS === '1'
    ? resolve(import.meta.dirname, '../../docs/connect-page')
    : mkdtempSync(join(tmpdir(), 'connect-page-shots-'));

let h: Harness;
let gh: GitHubFake;
let dd: DatadogFake;
let browser: Browser;
let app: Server;
let appOrigin: string;
let redirectUrl: string;

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
const session = async (integration: string, endUser: string) => {
  const r = await api('/v1/connect/sessions', {
    method: 'POST',
    body: { integration, end_user_id: endUser, redirect_url: redirectUrl },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data as { id: string; auth_url: string; connect_url: string };
};

/** The tenant's app: a page embedding /connect.js, and the redirect_url. */
const appPage = (gateway: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme settings</title>
<script src="${gateway}/connect.js"></script></head>
<body><h1>Acme</h1><button id="connect">Connect</button><output id="result"></output>
<script>
document.getElementById('connect').addEventListener('click', async () => {
  const connectUrl = new URLSearchParams(location.search).get('connect_url');
  try {
    const r = await openConnect(connectUrl);
    document.getElementById('result').textContent = 'connected ' + r.connection_id;
  } catch (e) {
    document.getElementById('result').textContent = 'failed ' + e.code;
  }
});
</script></body></html>`;

/** A page with what the service answered recorded for the leak check, and CSP reports collected. */
const newPage = async (viewport = { width: 720, height: 560 }) => {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  const watch = (p: Page) => {
    p.on('console', (m) => {
      const where = m.location().url;
      // Chromium asks every origin for a favicon, and logs the form's expected 422s.
      if (/Failed to load resource/.test(m.text()) && /\/favicon\.ico$|\/credentials$/.test(where)) return;
      if (m.type() === 'error' || /Content Security Policy|Trusted Type/i.test(m.text())) {
        problems.push(`${m.text()} (${where})`);
      }
    });
    p.on('pageerror', (e) => problems.push(e.message));
    p.on('response', async (res) => {
      if (!res.url().startsWith(h.gateway.url) || res.status() >= 300) return;
      recordOutput(await res.text().catch(() => ''));
    });
  };
  watch(page);
  context.on('page', watch);
  return { page, context, problems };
};

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const connection = async (id: string) => (await api(`/v1/connections/${id}`)).body.data as Json;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness();
  [gh, dd] = await Promise.all([startGitHubFake(), startDatadogFake()]);
  app = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      req.url?.startsWith('/connected')
        ? '<!doctype html><title>Acme</title><h1>Back in Acme</h1>'
        : appPage(h.gateway.url),
    );
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appOrigin = `http://localhost:${(app.address() as AddressInfo).port}`;
  redirectUrl = `${appOrigin}/connected`;
  await api('/v1/settings', { method: 'PATCH', body: { redirect_url_allowlist: [redirectUrl] } });
  await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'github',
      provider: 'github',
      oauth_client_id: gh.oauthClient.clientId,
      oauth_client_secret: gh.oauthClient.clientSecret,
      endpoints: {
        authorization_url: gh.authorizationUrl,
        token_url: gh.tokenUrl,
        api_base_url: gh.apiBaseUrl,
      },
    },
  });
  await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'datadog', provider: 'datadog', endpoints: { api_base_url: dd.apiBaseUrl } },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => app?.close(r));
  await h?.stop();
  await Promise.all([gh?.stop(), dd?.stop()]);
});

const valid = () => dd.valid as { api_key: string; app_key: string };

describe('the connect page in Chromium', () => {
  it('OAuth: the page, GitHub (fake), our callback, the result, back to the app with the connection', async () => {
    const { page, context, problems } = await newPage();
    const s = await session('github', 'u_oauth');
    await page.goto(s.connect_url);
    await expect.poll(() => page.title()).toBe('Connect GitHub');
    expect(await page.getByRole('listitem').first().textContent()).toContain('Read and write code');
    await shot(page, 'oauth');

    await page.getByRole('link', { name: 'Continue to GitHub' }).click();
    await page.waitForURL(`${s.connect_url}/done`);
    expect(await page.getByRole('status').textContent()).toContain(`Connected as ${gh.account.name}`);
    await shot(page, 'connected');
    // It forwards by itself, with the contract's query.
    await page.waitForURL(/\/connected\?/, { timeout: 10_000 });
    const back = new URL(page.url());
    expect(back.origin + back.pathname).toBe(redirectUrl);
    expect(back.searchParams.get('status')).toBe('success');
    const id = back.searchParams.get('connection_id') as string;
    expect(await connection(id)).toMatchObject({
      status: 'active',
      provider: 'github',
      end_user_id: 'u_oauth',
    });
    // The browser binding held: the flow ran in this browser with its __Host- cookie.
    expect((await context.cookies(h.gateway.url)).map((c) => c.name)).toContain(`__Host-${s.id}`);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('API key: a wrong key is refused by its field and announced; the right one connects', async () => {
    const { page, context, problems } = await newPage();
    const s = await session('datadog', 'u_key');
    await page.goto(s.connect_url);
    await shot(page, 'api-key-form');

    await page.getByLabel('API key').fill(`${valid().api_key.slice(0, -1)}x`);
    await page.getByLabel('Application key').fill(valid().app_key);
    await page.getByLabel('Site').selectOption('datadoghq.com');
    await page.getByRole('button', { name: 'Connect Datadog' }).click();

    const apiKey = page.locator('#f-credentials-api_key');
    await expect.poll(() => apiKey.getAttribute('aria-invalid')).toBe('true');
    const fieldError = page.locator('#f-credentials-api_key-error');
    expect(await fieldError.textContent()).toContain('Datadog rejected the API key');
    expect(await fieldError.isVisible()).toBe(true);
    // Announced: the live region says it, the field is described by it and has the focus.
    const status = page.getByRole('alert');
    expect(await status.getAttribute('aria-live')).toBe('assertive');
    expect(await status.textContent()).toContain('Datadog refused');
    expect((await apiKey.getAttribute('aria-describedby'))?.split(' ')).toContain(
      'f-credentials-api_key-error',
    );
    expect(await page.evaluate('document.activeElement?.id')).toBe('f-credentials-api_key');
    const cdp = await context.newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { name?: { value: string }; description?: { value: string } }[];
    };
    const described = nodes.find((n) => n.name?.value === 'API key');
    expect(described?.description?.value).toContain('Datadog rejected the API key');
    // What was typed stays, but the secrets.
    expect(await apiKey.inputValue()).toBe('');
    expect(await page.getByLabel('Application key').inputValue()).toBe('');
    expect(await page.getByLabel('Site').inputValue()).toBe('datadoghq.com');
    await shot(page, 'api-key-error');

    await apiKey.fill(valid().api_key);
    await page.getByLabel('Application key').fill(valid().app_key);
    await page.getByRole('button', { name: 'Connect Datadog' }).click();
    await page.waitForURL(/\/connected\?/, { timeout: 15_000 });
    const id = new URL(page.url()).searchParams.get('connection_id') as string;
    expect(await connection(id)).toMatchObject({
      status: 'active',
      provider: 'datadog',
      end_user_id: 'u_key',
      config: { site: 'datadoghq.com' },
      provider_account: dd.account,
    });
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('keyboard only: Tab to each field, type, Enter — with a focus ring on every stop', async () => {
    const { page, context, problems } = await newPage();
    const s = await session('datadog', 'u_keys');
    await page.goto(s.connect_url);
    // Evaluated in the page (a string: this file is compiled without the DOM's types).
    const focused = () =>
      page.evaluate(`(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return { id: el.id, tag: el.tagName, outline: style.outlineStyle + ' ' + style.outlineWidth };
      })()`) as Promise<{ id: string; tag: string; outline: string }>;
    /** Presses Tab until `id` has the focus (never a click), checking the ring at each stop. */
    const tabTo = async (id: string) => {
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press('Tab');
        const f = await focused();
        expect(f.outline, `focus ring on ${f.tag}#${f.id}`).toBe('solid 3px');
        if (f.id === id) return;
      }
      throw new Error(`Tab never reached #${id}`);
    };
    await tabTo('f-credentials-api_key');
    await page.keyboard.type(valid().api_key);
    await tabTo('f-credentials-app_key');
    await page.keyboard.type(valid().app_key);
    await tabTo('submit');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${s.connect_url}/done`);
    // On the result page, Enter on the focused Continue link goes back at once.
    await tabTo('continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/connected\?/);
    const id = new URL(page.url()).searchParams.get('connection_id') as string;
    expect((await connection(id)).end_user_id).toBe('u_keys');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('popup: /connect.js on the app’s origin opens the page, and the page posts the connection back', async () => {
    const { page, context, problems } = await newPage();
    const s = await session('github', 'u_popup');
    await page.goto(`${appOrigin}/?connect_url=${encodeURIComponent(s.connect_url)}`);
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Connect' }).click(),
    ]);
    await popup.waitForLoadState();
    expect(new URL(popup.url()).searchParams.get('display')).toBe('popup');
    // The popup closes itself as soon as it has posted: wait on the app's page, not on it.
    await popup.getByRole('link', { name: 'Continue to GitHub' }).click({ noWaitAfter: true });
    await expect
      .poll(() => page.locator('#result').textContent(), { timeout: 15_000 })
      .toMatch(/^connected conn_/);
    // It closed itself: the browser's word for that may reach Playwright a moment after the
    // message reached the app's page (seen under load), so it is waited for, not read once.
    await expect.poll(() => popup.isClosed(), { timeout: 5_000 }).toBe(true);
    const id = ((await page.locator('#result').textContent()) as string).replace('connected ', '');
    expect(await connection(id)).toMatchObject({ status: 'active', end_user_id: 'u_popup' });
    // The app's page never left: the connection came by postMessage.
    expect(page.url().startsWith(appOrigin)).toBe(true);

    // Closing the popup instead rejects with popup_closed.
    const again = await session('datadog', 'u_popup');
    await page.goto(`${appOrigin}/?connect_url=${encodeURIComponent(again.connect_url)}`);
    const [second] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Connect' }).click(),
    ]);
    await second.waitForLoadState();
    await second.close();
    await expect
      .poll(() => page.locator('#result').textContent(), { timeout: 5_000 })
      .toBe('failed popup_closed');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('at 360 px: nothing overflows; an unknown link says so', async () => {
    const { page, context, problems } = await newPage({ width: 360, height: 740 });
    const s = await session('datadog', 'u_small');
    await page.goto(s.connect_url);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await shot(page, 'api-key-form-360');
    const gone = await page.goto(`${h.gateway.url}/connect/cs_00000000000000000000000000`);
    expect(gone?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link is not valid');
    await shot(page, 'unknown-link');
    // The page's own 404 is the one resource that may fail.
    expect(problems.filter((p) => !p.includes('/connect/cs_000'))).toEqual([]);
    await context.close();
  }, 60_000);
});
