// The connect page's script (served from this origin; the CSP allows no other). It submits
// the credentials form as JSON to POST /v1/connect/sessions/{id}/credentials and shows a
// refusal by its field, and on the result page tells the opener (/connect.js) the outcome.
// It only ever sets text, never HTML (the CSP requires Trusted Types for HTML sinks).
(() => {
  const main = document.getElementById('main');
  if (!main) return;
  const display = main.dataset.display;
  const returnOrigin = main.dataset.returnOrigin;

  // The result page, opened as a popup: hand the outcome to the page that opened it — only
  // to the origin of the session's redirect_url — and close.
  const status = main.dataset.status;
  if (status && display === 'popup' && window.opener && returnOrigin) {
    const message =
      status === 'success'
        ? { status: 'success', connection_id: main.dataset.connectionId }
        : { status: 'error', error: main.dataset.error };
    window.opener.postMessage(message, returnOrigin);
    window.close();
    return;
  }

  const form = document.getElementById('credentials-form');
  if (!(form instanceof HTMLFormElement)) return;
  const statusBox = document.getElementById('form-status');
  const submit = document.getElementById('submit');
  const endpoint = new URL(main.dataset.endpoint, window.location.href);
  const doneUrl = new URL(main.dataset.doneUrl, window.location.href);

  const controls = () =>
    Array.from(form.querySelectorAll('input[name^="credentials."], input[name^="config."], select'));
  const fieldOf = (name) => form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  const errorOf = (control) => document.getElementById(`${control.id}-error`);

  const clearErrors = () => {
    for (const c of controls()) {
      c.removeAttribute('aria-invalid');
      const e = errorOf(c);
      if (e) e.textContent = '';
    }
    statusBox.textContent = '';
  };

  const showError = (name, message) => {
    const field = fieldOf(name);
    const control = field?.querySelector('input, select');
    if (!control) return undefined;
    control.setAttribute('aria-invalid', 'true');
    const e = errorOf(control);
    if (e && !e.textContent) e.textContent = message;
    return control;
  };

  const busy = (on) => {
    submit.disabled = on;
    submit.setAttribute('aria-busy', on ? 'true' : 'false');
  };

  // The body as the API takes it; empty fields left out (they are optional or refused anyway).
  const body = () => {
    const out = { credentials: {}, config: {} };
    for (const c of controls()) {
      if (c.value === '') continue;
      const [group, ...rest] = c.name.split('.');
      out[group][rest.join('.')] = c.value;
    }
    return out;
  };

  /** Puts each issue by its field; a refusal naming no field goes to the only secret field. */
  const showProblem = (error) => {
    const secrets = controls().filter((c) => c.type === 'password');
    let first;
    for (const issue of error?.details?.issues ?? []) {
      let name = String(issue.path).replace(/^body\./, '');
      if (name === 'credentials' && secrets.length === 1) name = secrets[0].name;
      const control = showError(name, issue.message);
      first ??= control;
    }
    // Announced by the live region; the secrets go, what else was typed stays.
    statusBox.textContent = error?.message ?? 'Something went wrong. Try again.';
    for (const s of secrets) s.value = '';
    (first ?? statusBox).focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    let missing;
    for (const c of controls()) {
      if (c.required && c.value.trim() === '') missing ??= showError(c.name, 'Required.');
    }
    if (missing) {
      statusBox.textContent = 'Fill in the required fields.';
      missing.focus();
      return;
    }
    busy(true);
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body()),
        credentials: 'omit',
      });
      if (res.ok) {
        window.location.assign(doneUrl.href);
        return;
      }
      // A refusal, or the session over (expired, used, out of attempts): said above the form.
      const answer = await res.json().catch(() => undefined);
      showProblem(answer?.error);
    } catch {
      showProblem({ message: 'The service could not be reached. Check your connection and try again.' });
    } finally {
      busy(false);
    }
  });
  statusBox.setAttribute('tabindex', '-1');
})();
