// /connect.js — opens a connect session's hosted page in a popup and resolves with the
// connection it made:
//
//   <script src="https://<the service>/connect.js"></script>
//   const { connection_id } = await openConnect(connectUrl); // connect_url of POST /v1/connect/sessions
//
// The page posts `{ status, connection_id | error }` to this window only (its target origin
// is the origin of the session's redirect_url, so call this from a page of that origin); this
// script takes messages only from the popup it opened, at the service's origin. Call it from
// a click: browsers block popups opened without one. Rejections are Errors with a `code`:
// `popup_blocked`, `popup_closed` (closed before connecting), or the page's error
// (`access_denied`, `token_exchange_failed`, …).
(() => {
  const failure = (code, message) => Object.assign(new Error(message ?? `Connect failed: ${code}`), { code });

  const openConnect = (connectUrl, options = {}) =>
    new Promise((resolve, reject) => {
      let url;
      try {
        url = new URL(connectUrl, window.location.href);
      } catch {
        reject(failure('invalid_url', 'openConnect needs the connect_url of a connect session.'));
        return;
      }
      url.searchParams.set('display', 'popup');
      const width = options.width ?? 480;
      const height = options.height ?? 720;
      const left = Math.max(0, (window.screenX ?? 0) + ((window.outerWidth ?? width) - width) / 2);
      const top = Math.max(0, (window.screenY ?? 0) + ((window.outerHeight ?? height) - height) / 2);
      // No `noopener`: the page needs its opener to post the result back.
      const popup = window.open(
        url.href,
        'integrations-connect',
        `popup=yes,width=${width},height=${height},left=${Math.round(left)},top=${Math.round(top)}`,
      );
      if (!popup) {
        reject(
          failure('popup_blocked', 'The browser blocked the connect popup; call openConnect from a click.'),
        );
        return;
      }

      let settled = false;
      let watch;
      const finish = (settle, value) => {
        if (settled) return;
        settled = true;
        window.removeEventListener('message', onMessage);
        clearInterval(watch);
        settle(value);
      };
      function onMessage(event) {
        if (event.origin !== url.origin || event.source !== popup) return;
        const data = event.data;
        if (!data || typeof data !== 'object') return;
        if (data.status === 'success' && typeof data.connection_id === 'string') {
          finish(resolve, { connection_id: data.connection_id });
        } else if (data.status === 'error') {
          finish(reject, failure(typeof data.error === 'string' ? data.error : 'unknown_error'));
        }
      }
      window.addEventListener('message', onMessage);
      // The page closes itself right after posting: give its message a moment to arrive
      // before calling a closed popup a cancellation.
      watch = setInterval(() => {
        if (!popup.closed) return;
        clearInterval(watch);
        setTimeout(() => finish(reject, failure('popup_closed', 'The connect window was closed.')), 500);
      }, 300);
    });

  window.openConnect = openConnect;
})();
