import type { ConnectPageView, ConnectResultView, PageField } from '../../core/connections/connect-page';
import type { Reply } from '../middleware';
import { asset } from './assets';

/**
 * The hosted connect page, rendered on the server: plain HTML, no framework. The page loads
 * only its own stylesheet and script, from this origin (a strict CSP allows nothing else,
 * inline code included), and works to the end without the script for OAuth and app installs;
 * the credentials form needs it to submit as JSON.
 */

/** Escapes text for HTML content and double-quoted attribute values. */
export const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/**
 * The page's own headers. CSP: everything from this origin and nothing inline; no frames
 * (clickjacking a Connect button), no `<base>`, no plugins; forms post here only; scripts
 * may not build HTML from strings (Trusted Types: ours only sets text).
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

export const pageHeaders = (): Record<string, string> => ({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  // Not `same-origin`: the page opened as a popup by /connect.js must keep its opener.
  'cross-origin-opener-policy': 'unsafe-none',
});

export const htmlReply = (status: number, html: string): Reply => ({
  status,
  data: null,
  headers: pageHeaders(),
  raw: { contentType: 'text/html; charset=utf-8', body: html },
});

type Display = 'page' | 'popup';

/**
 * `root`: the way from the page's URL to `/connect/` (`''` from /connect/{id}, `../` from
 * /connect/{id}/done), so the page works under any base path.
 */
const layout = (p: {
  title: string;
  root: string;
  body: string;
  data?: Record<string, string>;
  refresh?: string;
}): string => {
  const css = asset('connect.css');
  const js = asset('connect-page.js');
  const data = Object.entries(p.data ?? {})
    .map(([k, v]) => ` data-${k}="${esc(v)}"`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
${p.refresh ? `<meta http-equiv="refresh" content="2;url=${esc(p.refresh)}">\n` : ''}<title>${esc(p.title)}</title>
<link rel="stylesheet" href="${p.root}assets/connect.css?v=${css.hash}">
<script src="${p.root}assets/connect-page.js?v=${js.hash}" defer></script>
</head>
<body>
<main id="main" class="card"${data}>
${p.body}
</main>
</body>
</html>
`;
};

/** Initials and a hue class for the provider's monogram: no logo is loaded from anywhere. */
const monogram = (displayName: string): string => {
  const words = displayName.split(/[\s-]+/).filter(Boolean);
  const letters = (words.length > 1 ? words.slice(0, 2).map((w) => w[0]) : [displayName[0]]).join('');
  let h = 0;
  for (const c of displayName) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `<span class="monogram hue-${h % 8}" aria-hidden="true">${esc(letters.toUpperCase())}</span>`;
};

const header = (displayName: string, title: string) => `<header class="provider">
${monogram(displayName)}
<h1>${esc(title)}</h1>
</header>`;

const minutesLeft = (validUntil: string) =>
  Math.max(1, Math.ceil((Date.parse(validUntil) - Date.now()) / 60_000));

const withDisplay = (url: string, display: Display): string => {
  const u = new URL(url);
  u.searchParams.set('display', display);
  return u.toString();
};

const fieldId = (f: PageField) => `f-${f.group}-${f.name}`;

/** One labelled input, its help and its error, tied together for assistive technology. */
const fieldHtml = (f: PageField, value: string | undefined, error: string | undefined): string => {
  const id = fieldId(f);
  const described = [f.help ? `${id}-help` : '', `${id}-error`].filter(Boolean).join(' ');
  const common =
    `id="${id}" name="${f.group}.${esc(f.name)}" aria-describedby="${described}"` +
    (f.optional ? '' : ' required aria-required="true"') +
    (error ? ' aria-invalid="true"' : '');
  let control: string;
  if (f.options) {
    const options = [
      `<option value="">${f.optional ? 'Default' : 'Choose…'}</option>`,
      ...f.options.map(
        (o) => `<option value="${esc(o)}"${o === value ? ' selected' : ''}>${esc(o)}</option>`,
      ),
    ].join('');
    control = `<select ${common}>${options}</select>`;
  } else {
    const type = f.secret ? 'password' : f.url ? 'url' : 'text';
    const auto = f.secret ? 'off' : f.name === 'username' ? 'username' : 'off';
    // A secret is never written back into the page.
    const shown = f.secret || value === undefined ? '' : ` value="${esc(value)}"`;
    control =
      `<input ${common} type="${type}" autocomplete="${auto}" spellcheck="false" autocapitalize="none"` +
      `${f.pattern ? ` pattern="${esc(f.pattern)}"` : ''}${shown}>`;
  }
  return `<div class="field" data-field="${f.group}.${esc(f.name)}">
<label for="${id}">${esc(f.label)}${f.optional ? ' <span class="optional">(optional)</span>' : ''}</label>
${f.help ? `<p class="help" id="${id}-help">${esc(f.help)}</p>\n` : ''}${control}
<p class="field-error" id="${id}-error">${error ? esc(error) : ''}</p>
</div>`;
};

export type FormState = { values: Record<string, string>; errors: Record<string, string>; message?: string };

/** GET /connect/{session_id}: the Connect button, or the credentials form. */
export const renderConnectPage = (
  view: Extract<ConnectPageView, { state: 'ready' }>,
  display: Display,
  form: FormState = { values: {}, errors: {} },
): string => {
  const name = view.provider.display_name;
  const expires = `<p class="expires">This link works for ${minutesLeft(view.expires_at)} more minute${minutesLeft(view.expires_at) === 1 ? '' : 's'}.</p>`;
  const data = {
    display,
    'return-origin': new URL(view.redirect_url).origin,
    'done-url': display === 'popup' ? `${view.session_id}/done?display=popup` : `${view.session_id}/done`,
  };
  if (view.mode === 'oauth2' || view.mode === 'app_install') {
    const scopes = view.scopes.length
      ? `<h2 id="scopes-heading">${esc(name)} will let the app</h2>
<ul class="scopes" aria-labelledby="scopes-heading">
${view.scopes
  .map((s) =>
    s.description
      ? `<li>${esc(s.description)} <code class="scope">${esc(s.scope)}</code></li>`
      : `<li><code class="scope">${esc(s.scope)}</code></li>`,
  )
  .join('\n')}
</ul>`
      : '';
    const lead =
      view.mode === 'app_install'
        ? `You will choose, at ${esc(name)}, which account and repositories to install the app on.`
        : `You will sign in at ${esc(name)} and approve access there. Your password is never shared with the app.`;
    return layout({
      title: `Connect ${name}`,
      root: '',
      data,
      body: `${header(name, `Connect ${name}`)}
<p class="lead">${lead}</p>
${scopes}
<p class="actions"><a class="button" id="connect" href="${esc(withDisplay(view.start_url, display))}">Continue to ${esc(name)}</a></p>
${expires}`,
    });
  }
  const fields = view.fields.map((f) => {
    const key = `${f.group}.${f.name}`;
    return fieldHtml(f, form.values[key], form.errors[key]);
  });
  const docs = view.docs_url
    ? `<p class="docs"><a href="${esc(view.docs_url)}" target="_blank" rel="noopener noreferrer">Where do I find ${view.fields.filter((f) => f.group === 'credentials').length > 1 ? 'these' : 'this'}? (${esc(name)}’s documentation, opens in a new tab)</a></p>`
    : '';
  return layout({
    title: `Connect ${name}`,
    root: '',
    data: { ...data, endpoint: `../v1/connect/sessions/${view.session_id}/credentials` },
    body: `${header(name, `Connect ${name}`)}
<p class="lead">Paste your ${esc(name)} credentials. ${esc(name)} checks them before anything is saved; they are stored encrypted and never shown again.</p>
<form id="credentials-form" method="post" action="${esc(view.session_id)}" novalidate>
${display === 'popup' ? '<input type="hidden" name="display" value="popup">\n' : ''}
<div id="form-status" class="status" role="alert" aria-live="assertive">${form.message ? esc(form.message) : ''}</div>
${fields.join('\n')}
${docs}
<p class="actions"><button type="submit" id="submit">Connect ${esc(name)}</button></p>
</form>
${expires}`,
  });
};

const callbackMessages: Record<string, string> = {
  access_denied:
    'Access was not granted. If an organization owner must approve the install, ask them and try again.',
  invalid_state: 'This sign-in was already used. Start again from the app.',
  state_expired: 'This sign-in took too long and expired. Start again from the app.',
  token_exchange_failed: 'The provider did not complete the sign-in, or could not be reached. Try again.',
  installation_not_yours: 'That installation does not belong to the account that signed in.',
  session_mismatch:
    'The sign-in came back in a different browser from the one that started it. Start again in one browser.',
};

/** A failure of ours (a dependency down, a bug): the request id to quote, nothing else. */
export const renderFailure = (root: string, requestId: string, unavailable: boolean): string =>
  layout({
    title: 'Something went wrong',
    root,
    body: `<h1>Something went wrong</h1>
<p class="lead">${unavailable ? 'The service is briefly unavailable.' : 'This is our fault.'} Try again in a moment.</p>
<p class="help">Reference: <code>${esc(requestId)}</code></p>`,
  });

/** GET /connect/{session_id}/done: the outcome; forwards to the app or, in a popup, tells the opener. */
export const renderResult = (view: ConnectResultView, display: Display): { status: number; html: string } => {
  if (view.state === 'unknown' || view.state === 'expired') return renderProblem(view.state, '../');
  const name = view.provider.display_name;
  if (view.state === 'pending') {
    return {
      status: 200,
      html: layout({
        title: `Connect ${name}`,
        root: '../',
        body: `${header(name, `Connect ${name}`)}
<p class="lead">This connection is not finished yet.</p>
<p class="actions"><a class="button" href="${esc(view.retry_url)}">Back to the connect page</a></p>`,
      }),
    };
  }
  const origin = new URL(view.redirect_url).origin;
  if (view.state === 'success') {
    const account = view.account_name ? ` as <strong>${esc(view.account_name)}</strong>` : '';
    return {
      status: 200,
      html: layout({
        title: `${name} connected`,
        root: '../',
        data: {
          display,
          status: 'success',
          'connection-id': view.connection_id,
          'return-origin': origin,
        },
        ...(display === 'page' ? { refresh: view.forward_url } : {}),
        body: `${header(name, `${name} connected`)}
<p class="lead result-success" role="status">Connected${account}.</p>
<p>${display === 'popup' ? 'You can close this window.' : 'Taking you back to the app…'}</p>
<p class="actions"><a class="button" id="continue" href="${esc(view.forward_url)}">Continue</a></p>`,
      }),
    };
  }
  return {
    status: 200,
    html: layout({
      title: `${name} not connected`,
      root: '../',
      data: { display, status: 'error', error: view.error, 'return-origin': origin },
      body: `${header(name, `${name} not connected`)}
<p class="lead result-error" role="alert">${esc(callbackMessages[view.error] ?? 'Something went wrong.')}</p>
<p class="actions">${view.retry_url ? `<a class="button" id="retry" href="${esc(view.retry_url)}">Try again</a> ` : ''}<a class="button secondary" id="back" href="${esc(view.forward_url)}">Back to the app</a></p>`,
    }),
  };
};

/**
 * An unknown, expired or used session: the same page whoever's it was — no provider, no
 * tenant, nothing to tell a real session from a guessed one beyond its state.
 */
export const renderProblem = (
  state: 'unknown' | 'expired' | 'used',
  root: string,
): { status: number; html: string } => {
  const text = {
    unknown: [
      'This link is not valid',
      'Check that the whole link was copied, or start connecting again from the app.',
    ],
    expired: [
      'This link has expired',
      'Connect links work for ten minutes. Start connecting again from the app.',
    ],
    used: [
      'This link was already used',
      'It connected an account already. To connect another, start again from the app.',
    ],
  }[state];
  return {
    status: state === 'unknown' ? 404 : 410,
    html: layout({
      title: text[0] as string,
      root,
      body: `<h1>${esc(text[0] as string)}</h1>
<p class="lead">${esc(text[1] as string)}</p>`,
    }),
  };
};
