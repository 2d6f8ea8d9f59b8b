/** Generated from docs/openapi.json by `npm run openapi` (openapi-typescript): do not edit. */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description The process is up. Touches no dependency.
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description DynamoDB, SQS and Secrets Manager answer. Else 503 `service_unavailable` with `details.checks` naming each dependency and its state.
         */
        get: operations["healthReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List providers
         * @description The catalog: what the adapters declare, the same for every tenant. Curated providers first.
         */
        get: operations["listProviders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/providers/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a provider
         * @description One provider in detail: auth modes and credential fields, config schema, syncs, actions with their input schemas, webhooks.
         */
        get: operations["getProvider"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List integrations */
        get: operations["listIntegrations"];
        put?: never;
        /**
         * Create an integration
         * @description Your configuration of a provider. Secrets (`oauth_client_secret`, `webhook_secret`, `app.private_key`) go to Secrets Manager and are never returned. `endpoints` may point only at the provider's own domains or hosts the operator allow-lists.
         */
        post: operations["createIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrations/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an integration */
        get: operations["getIntegration"];
        put?: never;
        post?: never;
        /**
         * Delete an integration
         * @description With its connections, their credentials, and its secrets.
         */
        delete: operations["deleteIntegration"];
        options?: never;
        head?: never;
        /**
         * Update an integration
         * @description Any field but unique_key and provider; null clears one (a secret, the app, the endpoints).
         */
        patch: operations["updateIntegration"];
        trace?: never;
    };
    "/v1/integrations/{key}/webhook-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List an integration's unused provider webhook events
         * @description Provider events that no connection matched (`unrouted`) or that failed to apply (`failed`), newest first, kept 7 days.
         */
        get: operations["listWebhookEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List connections
         * @description With an end-user token, only that user's connections (an `end_user_id` naming another is 403).
         */
        get: operations["listConnections"];
        put?: never;
        /**
         * Create a connection from credentials you hold
         * @description The provider verifies the credentials first (and says whose account they are): refused credentials are 422 `validation_failed`, an unreachable provider 502. The same account connected again by the same end user refreshes its connection (200).
         */
        post: operations["createConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a connection
         * @description With its syncs and its last 10 runs. Another end user's connection is 404 to an end-user token.
         */
        get: operations["getConnection"];
        put?: never;
        post?: never;
        /**
         * Delete a connection
         * @description Revokes the grant at the provider where it documents revocation, then deletes: its credentials go; its synced records stay unless `purge_records=true`.
         */
        delete: operations["deleteConnection"];
        options?: never;
        head?: never;
        /**
         * Update a connection
         * @description `name`; `metadata` merged key by key (null removes a key); `config` replaced whole and validated by the provider's manifest.
         */
        patch: operations["updateConnection"];
        trace?: never;
    };
    "/v1/connections/{id}/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a connection's token
         * @description Usable credentials for your own calls to the provider: refreshed when they expire within 5 minutes or when forced; concurrent callers share one refresh. A refresh the provider refuses marks the connection `expired` (409 `connection_not_ready`).
         */
        get: operations["getToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a connect session
         * @description An `auth_url` to send the end user to: OAuth2 or an app install, bound to the browser that opens it, with PKCE where the provider supports it. `redirect_url` must be on your settings' allow-list. With `connection_id` the session re-authorises that connection (the end user's, of this integration: else 404 / 422); while it is open, a connection that is not `active` reads `pending_auth`.
         */
        post: operations["createConnectSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start a connect session (the session's auth_url)
         * @description Public: the end user's browser opens it. Sets the cookie that binds the flow to this browser and redirects to the provider's authorization or install page; a credentials session (API key, basic) goes to its connect page instead. `display=page|popup` (the connect page's button) makes the callback land on the page's result. An unknown session is 404; one that expired or already connected an account is 410.
         */
        get: operations["connectStart"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * OAuth / app-install callback
         * @description Public: where providers send the end user back. Redirects to the session's `redirect_url` with `?status=success&connection_id=conn_…`, or `?status=error&error=` (`access_denied`, `invalid_state`, `state_expired`, `token_exchange_failed`, `session_mismatch`). A state never issued has nowhere safe to go: 422.
         */
        get: operations["oauthCallback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/connect/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The hosted connect page
         * @description Public, authorised by the session: the session's `connect_url`, for the end user's browser. A Connect button for OAuth and app installs (through the session's `auth_url`), or a form from the provider's credential fields for API-key and basic providers. `?display=popup` when opened by /connect.js. The page loads only its own stylesheet and script (a strict CSP), is never framed, and is not cached.
         */
        get: operations["connectPage"];
        put?: never;
        /**
         * The connect page's form, posted without its script
         * @description Public: the same submission as POST /v1/connect/sessions/{id}/credentials, as a plain HTML form post, answered as a page. Success is a 303 to the page's result; a refusal renders the form again with the error by its field.
         */
        post: operations["connectPageSubmit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/connect/{session_id}/done": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The connect page's result
         * @description Public: where a flow started on the connect page ends. Shows the outcome, then forwards to the session's `redirect_url` with `status=success&connection_id=…` or `status=error&error=…` (in a popup opened by /connect.js, posts it to the opener and closes). A success is read from the session, never from this URL; `?error=` (the callback's codes) is shown only while the session has not connected, and a session still open shows a way back to the page.
         */
        get: operations["connectDone"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/connect/assets/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The connect page's stylesheet and script
         * @description Public. The page asks for them with `?v=<hash of the content>`: that exact version may be cached for good (`immutable`); any other for five minutes. Same-origin only (`Cross-Origin-Resource-Policy`).
         */
        get: operations["connectAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/connect.js": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * /connect.js, to open the connect page as a popup
         * @description Public, for your frontend: `openConnect(connectUrl) → Promise<{ connection_id }>` opens the session's `connect_url` in a popup (call it from a click) and resolves when the page posts the outcome back (`postMessage`, taken only from that popup at this service's origin); it rejects with an Error whose `code` is `popup_blocked`, `popup_closed` or the page's error (`access_denied`, …). Loadable from any origin (`Access-Control-Allow-Origin: *`, `Cross-Origin-Resource-Policy: cross-origin`), cached five minutes.
         */
        get: operations["connectScript"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/sessions/{id}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit credentials for a connect session
         * @description Public, authorised by the session (single use): what the connect page's form sends, for the session's integration, end user and workspace. `credentials` are the provider's credential fields (`type` optional; it must be the session's `auth_mode`), `config` as POST /v1/connections takes it. Verified at the provider before anything is stored. A refusal is 422 `validation_failed` with the issue at the refused field (`body.credentials.api_key`), and the session stays open for another try, up to ten; then, or once connected, 410 `invalid_state`. An expired session is 410 `state_expired`; an OAuth or app-install session is 422 (send the user to its `auth_url`).
         */
        post: operations["submitConnectCredentials"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/end-user-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint an end-user token
         * @description An `eut_…` for your frontend, bound to one end user and, with `workspace_ids`, to those workspaces. It may call only the end-user routes; revoking the key that minted it revokes it.
         */
        post: operations["createEndUserToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/syncs/trigger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trigger syncs
         * @description Omitted `syncs` means all. A sync already queued or running is not queued twice: its run is answered.
         */
        post: operations["triggerSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}/syncs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a connection's syncs */
        get: operations["listSyncs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connections/{id}/syncs/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a sync */
        get: operations["getSync"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update a sync
         * @description Its frequency (1m to 30d), or pause it.
         */
        patch: operations["updateSync"];
        trace?: never;
    };
    "/v1/sync-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List sync runs
         * @description Newest first; runs are kept 30 days.
         */
        get: operations["listSyncRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sync-runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a sync run */
        get: operations["getSyncRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the records change feed
         * @description Synced data of one connection and model, in the order changes were written. `next_cursor` is always returned: keep it, and come back later to see exactly what changed since, each change once. A full sync marks records the provider no longer returns `deleted`.
         */
        get: operations["listRecords"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List imports
         * @description Newest first.
         */
        get: operations["listImports"];
        put?: never;
        /**
         * Import a CSV export
         * @description Two forms. `Content-Type: text/csv` with the file as the body (≤ 5 MB; `model`, `end_user_id`, `filename`, `mode` and `mapping` as query parameters) → 202, the import queued. JSON `{ filename, model, end_user_id, workspace_id?, mapping?, mode? }` → 201 with a presigned `upload_url` to PUT the file to within 15 minutes (up to 1 GB); the import starts when the file lands. API Gateway takes at most 10 MB a request and Lambda 6 MB: larger files go straight to S3.
         */
        post: operations["createImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an import
         * @description Its status and progress: rows imported and failed, bytes read of the total, the first 100 row errors.
         */
        get: operations["getImport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tools
         * @description With `workspace_id`, only the tools enabled there (a token bound to workspaces must name one of them).
         */
        get: operations["listTools"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tools/execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Execute a tool
         * @description Runs a provider action against a connection. Input failing the tool's schema → 422 `validation_failed`; the provider's refusal → 422 `action_failed`; its rate limit → 429; network or 5xx → 502 `provider_unreachable`; a tool not enabled for the workspace → 403. A writing tool with an `Idempotency-Key` runs at most once per key (24 h).
         */
        post: operations["executeTool"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mcp/{workspace_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A workspace's MCP server
         * @description A Model Context Protocol server (Streamable HTTP, stateless, JSON answers: no SSE stream, no session). Auth: an end-user token bound to this workspace (or not bound), or a secret key with `?end_user_id=`. `tools/list` lists the tools granted in the workspace on that user's connections (a name gets `__<account>` when two connections offer it); `tools/call` runs one as POST /v1/tools/execute does: input failing its schema and the provider's refusal are results with `isError: true`, a tool not granted is error -32602. A writing call runs once per `params._meta.idempotency_key` (or `Idempotency-Key`). Every answer is JSON-RPC, this API's own errors included: they keep their HTTP status and carry their code in `error.data.code`. Methods other than POST are 405 (`Allow: POST`).
         */
        post: operations["mcp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tool-calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tool calls (the audit trail)
         * @description Every tool call, through POST /v1/tools/execute or MCP, and every write through the proxy, whatever its outcome: who, which tool, on which connection and workspace, the outcome, how long, and the SHA-256 of the input (never the input). Newest first, kept 90 days; the filters combine.
         */
        get: operations["listToolCalls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/proxy/{connection_id}/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Call the provider's API (GET)
         * @description The connection's provider API (its base URL, or the integration's `endpoints.api_base_url`) at `path`, with the query and body passed through and the stored credentials (refreshed when expired, and once on a 401); the caller's own credentials, cookies and forwarding headers are not sent. Answers the provider's status and body as they are, not in the envelope; this API's own refusals are in the envelope. End-user tokens: their own connections only, and not when bound to workspaces (they act through the tools granted there). A write (any method but GET) is recorded in the audit trail (GET /v1/tool-calls); with an `Idempotency-Key` it reaches the provider once, a retry answering the first answer with `Idempotent-Replayed: true`. HEAD has no proxy route (404); OPTIONS is the CORS preflight.
         */
        get: operations["proxyGet"];
        /**
         * Call the provider's API (PUT)
         * @description The connection's provider API (its base URL, or the integration's `endpoints.api_base_url`) at `path`, with the query and body passed through and the stored credentials (refreshed when expired, and once on a 401); the caller's own credentials, cookies and forwarding headers are not sent. Answers the provider's status and body as they are, not in the envelope; this API's own refusals are in the envelope. End-user tokens: their own connections only, and not when bound to workspaces (they act through the tools granted there). A write (any method but GET) is recorded in the audit trail (GET /v1/tool-calls); with an `Idempotency-Key` it reaches the provider once, a retry answering the first answer with `Idempotent-Replayed: true`. HEAD has no proxy route (404); OPTIONS is the CORS preflight.
         */
        put: operations["proxyPut"];
        /**
         * Call the provider's API (POST)
         * @description The connection's provider API (its base URL, or the integration's `endpoints.api_base_url`) at `path`, with the query and body passed through and the stored credentials (refreshed when expired, and once on a 401); the caller's own credentials, cookies and forwarding headers are not sent. Answers the provider's status and body as they are, not in the envelope; this API's own refusals are in the envelope. End-user tokens: their own connections only, and not when bound to workspaces (they act through the tools granted there). A write (any method but GET) is recorded in the audit trail (GET /v1/tool-calls); with an `Idempotency-Key` it reaches the provider once, a retry answering the first answer with `Idempotent-Replayed: true`. HEAD has no proxy route (404); OPTIONS is the CORS preflight.
         */
        post: operations["proxyPost"];
        /**
         * Call the provider's API (DELETE)
         * @description The connection's provider API (its base URL, or the integration's `endpoints.api_base_url`) at `path`, with the query and body passed through and the stored credentials (refreshed when expired, and once on a 401); the caller's own credentials, cookies and forwarding headers are not sent. Answers the provider's status and body as they are, not in the envelope; this API's own refusals are in the envelope. End-user tokens: their own connections only, and not when bound to workspaces (they act through the tools granted there). A write (any method but GET) is recorded in the audit trail (GET /v1/tool-calls); with an `Idempotency-Key` it reaches the provider once, a retry answering the first answer with `Idempotent-Replayed: true`. HEAD has no proxy route (404); OPTIONS is the CORS preflight.
         */
        delete: operations["proxyDelete"];
        options?: never;
        head?: never;
        /**
         * Call the provider's API (PATCH)
         * @description The connection's provider API (its base URL, or the integration's `endpoints.api_base_url`) at `path`, with the query and body passed through and the stored credentials (refreshed when expired, and once on a 401); the caller's own credentials, cookies and forwarding headers are not sent. Answers the provider's status and body as they are, not in the envelope; this API's own refusals are in the envelope. End-user tokens: their own connections only, and not when bound to workspaces (they act through the tools granted there). A write (any method but GET) is recorded in the audit trail (GET /v1/tool-calls); with an `Idempotency-Key` it reaches the provider once, a retry answering the first answer with `Idempotent-Replayed: true`. HEAD has no proxy route (404); OPTIONS is the CORS preflight.
         */
        patch: operations["proxyPatch"];
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/integrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a workspace's grants */
        get: operations["listWorkspaceIntegrations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workspaces/{workspace_id}/integrations/{connection_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a grant */
        get: operations["getWorkspaceIntegration"];
        /**
         * Grant a connection to a workspace
         * @description Creates or replaces the grant. Every enabled tool must be one of the connection's provider.
         */
        put: operations["putWorkspaceIntegration"];
        post?: never;
        /** Revoke a grant */
        delete: operations["deleteWorkspaceIntegration"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook subscriptions */
        get: operations["listWebhookSubscriptions"];
        put?: never;
        /**
         * Subscribe a URL to events
         * @description The answer carries the signing `secret`, shown this once. URLs must be https and public. At most 20 subscriptions per tenant.
         */
        post: operations["createWebhookSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-subscriptions/{subscription_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook subscription */
        get: operations["getWebhookSubscription"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook subscription
         * @description Deliveries under way are dropped.
         */
        delete: operations["deleteWebhookSubscription"];
        options?: never;
        head?: never;
        /**
         * Update a webhook subscription
         * @description `url`, `events`, `enabled`.
         */
        patch: operations["updateWebhookSubscription"];
        trace?: never;
    };
    "/v1/webhook-subscriptions/{subscription_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a subscription's secret
         * @description A new secret, shown this once. The old one keeps signing beside it for 24 h.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-subscriptions/{subscription_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event
         * @description Queues a `ping` through the same queue, signing and retries, whatever the subscription's events. 409 when it is disabled.
         */
        post: operations["testWebhookSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-subscriptions/{subscription_id}/deliveries/{delivery_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay a dead delivery
         * @description A delivery that ended `dead` or `failed`, as a new delivery of the same event. Anything else is 404.
         */
        post: operations["retryWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-subscriptions/{subscription_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a subscription's delivery attempts
         * @description Every attempt, newest first, kept 30 days.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get settings */
        get: operations["getSettings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update settings
         * @description The redirect URL allow-list (exact matches) and the default sync frequency.
         */
        patch: operations["updateSettings"];
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document
         * @description Public: the contract holds no secret, and clients and tools read it before they have a key.
         */
        get: operations["getOpenapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "sync.completed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * sync.completed
         * @description A sync run finished: the run as GET /v1/sync-runs/{id} shows it, `run_id` for `id`.
         */
        post: operations["syncCompletedEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "sync.failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * sync.failed
         * @description A sync run ended in error: `status: "error"` and `error`.
         */
        post: operations["syncFailedEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "records.changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * records.changed
         * @description A run or a provider webhook added, updated or deleted records; sent once the feed shows them.
         */
        post: operations["recordsChangedEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "connection.created": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * connection.created
         * @description A new connection (POST /v1/connections or the OAuth / app-install callback).
         */
        post: operations["connectionCreatedEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "connection.expired": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * connection.expired
         * @description The provider refused to refresh the credentials: the end user must connect again.
         */
        post: operations["connectionExpiredEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "connection.status_changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * connection.status_changed
         * @description A connection changed status, written by the flow that learned it (API.md "Connections").
         */
        post: operations["connectionStatusChangedEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "connection.recovered": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * connection.recovered
         * @description A renewed grant brought a connection back to `active` (sent beside `connection.status_changed`).
         */
        post: operations["connectionRecoveredEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "connection.sync_status_changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * connection.sync_status_changed
         * @description A connection's `sync_status` changed.
         */
        post: operations["connectionSyncStatusChangedEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "connection.deleted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * connection.deleted
         * @description A connection was deleted (DELETE /v1/connections/{id}).
         */
        post: operations["connectionDeletedEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "import.completed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * import.completed
         * @description A CSV import ended `success` or `partial`: the import as GET /v1/imports/{id} shows it.
         */
        post: operations["importCompletedEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "import.failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * import.failed
         * @description A CSV import ended `error`, with `error` saying why.
         */
        post: operations["importFailedEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "provider.event": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * provider.event
         * @description A provider webhook was received for one of your connections.
         */
        post: operations["providerEventEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    ping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * ping
         * @description POST /v1/webhook-subscriptions/{id}/test.
         */
        post: operations["pingEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description A `calendar_event` record. */
        CalendarEventRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            title: string;
            description: string | null;
            /** @enum {string} */
            status: "confirmed" | "tentative" | "cancelled";
            start: string;
            end: string;
            all_day: boolean;
            location: string | null;
            organizer: string | null;
            attendees: {
                email: string;
                response_status: string | null;
            }[];
            url: string | null;
            calendar: string;
            created_at: string | null;
            updated_at: string | null;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description A `channel` record. */
        ChannelRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            name: string;
            /** @enum {string} */
            kind: "channel" | "team";
            description: string | null;
            is_private: boolean;
            is_archived: boolean;
            member_count: number | null;
            url: string | null;
            parent: string | null;
            created_at: string | null;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description A `commit` record. */
        CommitRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            sha: string;
            message: string;
            author: string | null;
            author_email: string | null;
            repository: string;
            branch: string | null;
            url: string | null;
            /** Format: date-time */
            committed_at: string;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description A customer's account at a provider. Never any token, key or password. */
        Connection: {
            /** @description `conn_…` */
            id: string;
            /** @description The integration's unique_key. */
            integration: string;
            provider: string;
            name: string;
            /**
             * @description `expired`: a refresh failed for good; `error`: the provider refuses credentials a refresh cannot renew; `disconnected`: the grant is gone at the provider.
             * @enum {string}
             */
            status: "pending_auth" | "active" | "expired" | "error" | "disconnected";
            /**
             * @description `degraded`: a last run partly failed or a sync is late; `failed`: the last runs failed.
             * @enum {string}
             */
            sync_status: "healthy" | "degraded" | "failed";
            end_user_id: string;
            workspace_id: string | null;
            /** @description Whose account it is, as the provider says. */
            provider_account: {
                id: string;
                name: string;
            };
            /** @description What kind of credentials it holds; never the credentials themselves. */
            credentials: {
                /**
                 * @description `none`: a CSV import connection, which holds no credentials.
                 * @enum {string}
                 */
                type: "oauth2" | "api_key" | "basic" | "app_install" | "none";
                scopes: string[] | null;
                expires_at: string | null;
            };
            /** @description Yours: PATCH merges it key by key. */
            metadata: {
                [key: string]: unknown;
            };
            /** @description Provider-specific, validated by the provider's manifest. */
            config: {
                [key: string]: unknown;
            };
            last_synced_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description A new connection (POST /v1/connections or the OAuth / app-install callback). */
        ConnectionCreatedEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "connection.created";
            /** Format: date-time */
            created_at: string;
            data: {
                connection_id: string;
                connection: components["schemas"]["Connection"];
            };
        };
        ConnectionDeleted: {
            id: string;
            /** @constant */
            deleted: true;
            /** @description Whether the grant was revoked at the provider first (GitHub, Google, GitLab, Linear, Slack); a provider that is down or refuses never blocks the delete. */
            revoked: boolean;
            /** @description Why it was not revoked. */
            revoke_error?: string;
            /** @description Records deleted with it (`?purge_records=true`), else 0. */
            records_purged: number;
        };
        /** @description A connection was deleted (DELETE /v1/connections/{id}). */
        ConnectionDeletedEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "connection.deleted";
            /** Format: date-time */
            created_at: string;
            data: {
                connection_id: string;
                integration: string;
                provider: string;
                end_user_id: string;
                /** @description Whether the grant was revoked at the provider first. */
                revoked: boolean;
                /** @description Why not, when it was not. */
                revoke_error?: string;
            };
        };
        ConnectionDetail: {
            /** @description `conn_…` */
            id: string;
            /** @description The integration's unique_key. */
            integration: string;
            provider: string;
            name: string;
            /**
             * @description `expired`: a refresh failed for good; `error`: the provider refuses credentials a refresh cannot renew; `disconnected`: the grant is gone at the provider.
             * @enum {string}
             */
            status: "pending_auth" | "active" | "expired" | "error" | "disconnected";
            /**
             * @description `degraded`: a last run partly failed or a sync is late; `failed`: the last runs failed.
             * @enum {string}
             */
            sync_status: "healthy" | "degraded" | "failed";
            end_user_id: string;
            workspace_id: string | null;
            /** @description Whose account it is, as the provider says. */
            provider_account: {
                id: string;
                name: string;
            };
            /** @description What kind of credentials it holds; never the credentials themselves. */
            credentials: {
                /**
                 * @description `none`: a CSV import connection, which holds no credentials.
                 * @enum {string}
                 */
                type: "oauth2" | "api_key" | "basic" | "app_install" | "none";
                scopes: string[] | null;
                expires_at: string | null;
            };
            /** @description Yours: PATCH merges it key by key. */
            metadata: {
                [key: string]: unknown;
            };
            /** @description Provider-specific, validated by the provider's manifest. */
            config: {
                [key: string]: unknown;
            };
            last_synced_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            syncs: components["schemas"]["Sync"][];
            /** @description The last 10 runs, newest first. */
            sync_runs: components["schemas"]["SyncRun"][];
        };
        /** @description The provider refused to refresh the credentials: the end user must connect again. */
        ConnectionExpiredEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "connection.expired";
            /** Format: date-time */
            created_at: string;
            data: {
                connection_id: string;
                integration: string;
                provider: string;
                end_user_id: string;
                provider_message: string;
            };
        };
        ConnectionList: {
            connections: components["schemas"]["Connection"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        /** @description A renewed grant brought a connection back to `active` (sent beside `connection.status_changed`). */
        ConnectionRecoveredEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "connection.recovered";
            /** Format: date-time */
            created_at: string;
            data: {
                connection_id: string;
                integration: string;
                provider: string;
                end_user_id: string;
                /** @enum {string} */
                old_status: "pending_auth" | "active" | "expired" | "error" | "disconnected";
                /** @enum {string} */
                new_status: "pending_auth" | "active" | "expired" | "error" | "disconnected";
                /** @description What the provider said, when it said something (≤ 500 characters). */
                reason?: string;
            };
        };
        /** @description A connection changed status, written by the flow that learned it (API.md "Connections"). */
        ConnectionStatusChangedEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "connection.status_changed";
            /** Format: date-time */
            created_at: string;
            data: {
                connection_id: string;
                integration: string;
                provider: string;
                end_user_id: string;
                /** @enum {string} */
                old_status: "pending_auth" | "active" | "expired" | "error" | "disconnected";
                /** @enum {string} */
                new_status: "pending_auth" | "active" | "expired" | "error" | "disconnected";
                /** @description What the provider said, when it said something (≤ 500 characters). */
                reason?: string;
            };
        };
        /** @description A connection's `sync_status` changed. */
        ConnectionSyncStatusChangedEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "connection.sync_status_changed";
            /** Format: date-time */
            created_at: string;
            data: {
                connection_id: string;
                integration: string;
                provider: string;
                end_user_id: string;
                /** @enum {string} */
                old_sync_status: "healthy" | "degraded" | "failed";
                /** @enum {string} */
                new_sync_status: "healthy" | "degraded" | "failed";
            };
        };
        /** @description Usable credentials for your backend's own calls to the provider. */
        ConnectionToken: {
            /** @constant */
            type: "bearer";
            access_token: string;
            expires_at: string | null;
        } | {
            /** @constant */
            type: "api_key";
            api_key: string;
            app_key?: string;
        } | {
            /** @constant */
            type: "basic";
            username: string;
            password: string;
        };
        /** @description Ten minutes to connect an account. */
        ConnectSession: {
            /** @description `cs_…` */
            id: string;
            /** @description Send the end user here (GET /v1/connect/start): straight to the provider for OAuth and app installs, to the connect page's form for API-key and basic providers. */
            auth_url: string;
            /** @description The hosted connect page for this session (GET /connect/{session_id}): a Connect button, or the credentials form. Open it as a popup with /connect.js. */
            connect_url: string;
            /**
             * @description How the end user connects: the one asked for, or the provider's default.
             * @enum {string}
             */
            auth_mode: "oauth2" | "app_install" | "api_key" | "basic";
            /** Format: date-time */
            expires_at: string;
        };
        /** @description A `customer` record. */
        CustomerRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            name: string | null;
            email: string | null;
            currency: string | null;
            balance: number;
            delinquent: boolean;
            url: string | null;
            /** Format: date-time */
            created_at: string;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description A `document` record. */
        DocumentRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            title: string;
            /** @enum {string} */
            kind: "page" | "file" | "design";
            url: string | null;
            parent: string | null;
            author: string | null;
            content_excerpt: string | null;
            created_at: string | null;
            last_edited_at: string | null;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        EndUserToken: {
            /** @description `eut_…`, for your frontend. */
            token: string;
            end_user_id: string;
            /** @description The workspaces it is bound to; null: not bound. */
            workspace_ids: string[] | null;
            /** Format: date-time */
            expires_at: string;
        };
        /** @description The error envelope: every answer that is not a success. */
        Error: {
            /** @constant */
            status: "error";
            error: {
                /**
                 * @description Stable and machine-readable: branch on it, not on the message.
                 * @enum {string}
                 */
                code: "invalid_json" | "validation_failed" | "unsupported_api_version" | "invalid_cursor" | "unauthorized" | "forbidden" | "not_found" | "unknown_provider" | "integration_not_configured" | "connection_not_ready" | "conflict" | "payload_too_large" | "rate_limited" | "action_failed" | "provider_unreachable" | "service_unavailable" | "internal_error" | "state_expired" | "invalid_state";
                /** @description For a human; may change. */
                message: string;
                /** @description Facts about the failure, by code. */
                details: {
                    [key: string]: unknown;
                };
                /** @description What to do about it. */
                remediation?: string;
                /** @description The `X-Request-Id` of this answer (`req_…`). */
                request_id: string;
            };
        };
        Health: {
            /** @constant */
            status: "ok";
        };
        Import: {
            /** @description `imp_…` */
            id: string;
            /** @enum {string} */
            status: "awaiting_upload" | "queued" | "running" | "success" | "partial" | "error";
            model: string;
            /** @enum {string} */
            mode: "incremental" | "full";
            end_user_id: string;
            workspace_id: string | null;
            filename: string | null;
            /** @description The export recognised from the headers (`jira`, `trello`, …) or `custom`. */
            source: string | null;
            /** @description Once the whole file was read. */
            rows_total: number | null;
            rows_imported: number;
            rows_failed: number;
            /** @description Cells a spreadsheet would run as a formula: kept as text. */
            cells_flagged: number;
            bytes_read: number;
            bytes_total: number | null;
            /** @description The first 100 row errors; `row` counts the header as row 1. */
            errors: {
                row: number;
                column?: string;
                message: string;
            }[];
            /** @description Why the import ended `error`. */
            error: string | null;
            suggested_mapping?: {
                /** @description CSV column → model field. */
                columns: {
                    [key: string]: string;
                };
                /** @description The column holding the source's own id: a re-import updates by it. */
                id_column: string;
            };
            /** @description The `csv` connection its rows are records of. */
            connection_id: string | null;
            /** Format: date-time */
            created_at: string;
            started_at: string | null;
            finished_at: string | null;
        };
        /** @description A CSV import ended `success` or `partial`: the import as GET /v1/imports/{id} shows it. */
        ImportCompletedEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "import.completed";
            /** Format: date-time */
            created_at: string;
            data: components["schemas"]["Import"];
        };
        /** @description A CSV import ended `error`, with `error` saying why. */
        ImportFailedEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "import.failed";
            /** Format: date-time */
            created_at: string;
            data: components["schemas"]["Import"];
        };
        ImportList: {
            imports: components["schemas"]["Import"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        ImportUpload: {
            /** @description `imp_…` */
            id: string;
            /** @enum {string} */
            status: "awaiting_upload" | "queued" | "running" | "success" | "partial" | "error";
            model: string;
            /** @enum {string} */
            mode: "incremental" | "full";
            end_user_id: string;
            workspace_id: string | null;
            filename: string | null;
            /** @description The export recognised from the headers (`jira`, `trello`, …) or `custom`. */
            source: string | null;
            /** @description Once the whole file was read. */
            rows_total: number | null;
            rows_imported: number;
            rows_failed: number;
            /** @description Cells a spreadsheet would run as a formula: kept as text. */
            cells_flagged: number;
            bytes_read: number;
            bytes_total: number | null;
            /** @description The first 100 row errors; `row` counts the header as row 1. */
            errors: {
                row: number;
                column?: string;
                message: string;
            }[];
            /** @description Why the import ended `error`. */
            error: string | null;
            suggested_mapping?: {
                /** @description CSV column → model field. */
                columns: {
                    [key: string]: string;
                };
                /** @description The column holding the source's own id: a re-import updates by it. */
                id_column: string;
            };
            /** @description The `csv` connection its rows are records of. */
            connection_id: string | null;
            /** Format: date-time */
            created_at: string;
            started_at: string | null;
            finished_at: string | null;
            /** @description PUT the file here (presigned S3 URL, no other header needed). */
            upload_url: string;
            /** Format: date-time */
            upload_expires_at: string;
        };
        /** @description A tenant's configuration of a provider. Secrets are never returned: `has_…` says they are set. */
        Integration: {
            /** @description Your key for it, unique in your tenant (`github-prod`). */
            unique_key: string;
            provider: string;
            display_name: string;
            oauth_client_id: string | null;
            /** @description Asked for at connect; null: the provider's defaults. */
            scopes: string[] | null;
            app: {
                app_id: string;
                slug: string | null;
                has_private_key: boolean;
            } | null;
            /** @description Overrides of the provider's URLs (self-hosted and enterprise instances). */
            endpoints: {
                api_base_url?: string;
                authorization_url?: string;
                token_url?: string;
            } | null;
            has_oauth_client_secret: boolean;
            has_webhook_secret: boolean;
            has_app_private_key: boolean;
            /** @description Paste into the provider's webhook settings. */
            webhook_url: string;
            /** @description Register as the redirect / callback URL of your OAuth app. */
            callback_url: string;
            connection_count: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        IntegrationDeleted: {
            unique_key: string;
            /** @constant */
            deleted: true;
        };
        IntegrationList: {
            integrations: components["schemas"]["Integration"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        /** @description A `invoice` record. */
        InvoiceRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            customer: string;
            subscription: string | null;
            number: string | null;
            /** @enum {string} */
            status: "draft" | "open" | "paid" | "uncollectible" | "void";
            amount_due: number;
            amount_paid: number;
            amount_remaining: number;
            currency: string;
            url: string | null;
            due_date: string | null;
            paid_at: string | null;
            /** Format: date-time */
            created_at: string;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description An error of the HTTP request as JSON-RPC: the API's own errors (auth, rate limit, validation) keep their HTTP status and carry their code in `error.data.code`; the transport's (parse error, method, media type) have none. */
        JsonRpcError: {
            /** @constant */
            jsonrpc: "2.0";
            /** @description Null: the error is of the HTTP request, before any message was read. */
            id: null;
            error: {
                /** @description -32700 parse error, -32600 invalid request, -32601 unknown method, -32602 invalid params (a tool not granted), -32603 internal error, -32000 an error of this API (`data.code`). */
                code: number;
                message: string;
                data?: {
                    /**
                     * @description This API's error code, as in the envelope.
                     * @enum {string}
                     */
                    code?: "invalid_json" | "validation_failed" | "unsupported_api_version" | "invalid_cursor" | "unauthorized" | "forbidden" | "not_found" | "unknown_provider" | "integration_not_configured" | "connection_not_ready" | "conflict" | "payload_too_large" | "rate_limited" | "action_failed" | "provider_unreachable" | "service_unavailable" | "internal_error" | "state_expired" | "invalid_state";
                    details?: {
                        [key: string]: unknown;
                    };
                    remediation?: string;
                    /** @description The `X-Request-Id` of this answer. */
                    request_id?: string;
                    /** @description The MCP protocol versions served. */
                    supported?: string[];
                };
            };
        };
        /** @description One JSON-RPC 2.0 message a request: a request, a notification, or a response to the server (it sends no requests, so answers are only accepted). No batches. */
        JsonRpcMessage: {
            /** @constant */
            jsonrpc: "2.0";
            /** @description A request has one; a notification has none. */
            id?: string | number;
            /** @description `initialize`, `ping`, `tools/list`, `tools/call`; notifications (`notifications/initialized`) are accepted and ignored. */
            method?: string;
            params?: {
                [key: string]: unknown;
            };
        };
        /** @description The answer to a request, with its id: the method's result or a JSON-RPC error. A tool's failure (input failing its schema, the provider's refusal) is a result with `isError: true`. */
        JsonRpcResponse: {
            /** @constant */
            jsonrpc: "2.0";
            /** @description A request has one; a notification has none. */
            id: string | number;
            /** @description The method's result. */
            result: {
                [key: string]: unknown;
            };
        } | {
            /** @constant */
            jsonrpc: "2.0";
            /** @description A request has one; a notification has none. */
            id: string | number;
            error: {
                /** @description -32700 parse error, -32600 invalid request, -32601 unknown method, -32602 invalid params (a tool not granted), -32603 internal error, -32000 an error of this API (`data.code`). */
                code: number;
                message: string;
                data?: unknown;
            };
        };
        /** @description A `message` record. */
        MessageRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            text: string;
            subject?: string | null;
            recipients?: string[];
            channel: string | null;
            author: string | null;
            url: string | null;
            thread_id: string | null;
            /** Format: date-time */
            created_at: string;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description A `metric` record. */
        MetricRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            name: string;
            /** @enum {string} */
            kind: "monitor" | "slo";
            /** @enum {string} */
            status: "ok" | "warn" | "alert" | "no_data" | "muted" | "unknown";
            raw_status: string | null;
            value: number | null;
            target: number | null;
            tags: string[];
            url: string | null;
            updated_at: string | null;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description POST /v1/webhook-subscriptions/{id}/test. */
        PingEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "ping";
            /** Format: date-time */
            created_at: string;
            data: {
                subscription_id: string;
                message: string;
            };
        };
        /** @description A `pipeline_run` record. */
        PipelineRunRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            pipeline: string;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled" | "skipped";
            raw_status: string;
            repository: string | null;
            ref: string | null;
            sha: string | null;
            url: string | null;
            started_at: string | null;
            finished_at: string | null;
            /** Format: date-time */
            created_at: string;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description A `project` record. */
        ProjectRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            name: string;
            /** @enum {string} */
            kind: "project" | "cycle" | "sprint" | "list" | "database";
            key: string | null;
            description: string | null;
            /** @enum {string} */
            status: "active" | "planned" | "completed" | "cancelled" | "archived";
            raw_status: string | null;
            url: string | null;
            parent: string | null;
            starts_at: string | null;
            ends_at: string | null;
            created_at: string | null;
            updated_at: string | null;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        ProviderDetail: {
            name: string;
            display_name: string;
            categories: ("task_manager" | "code_host" | "communication" | "calendar" | "mail" | "docs" | "design" | "monitoring" | "quality" | "billing" | "file_import")[];
            auth_modes: ("oauth2" | "api_key" | "basic" | "app_install")[];
            capabilities: {
                syncs: string[];
                actions: string[];
                webhooks: boolean;
                csv_import: boolean;
            };
            curated: boolean;
            docs_url: string;
            api_base_url: string;
            /** @description Per auth mode: endpoints, scopes, and the credential fields POST /v1/connections takes. */
            auth: {
                oauth2?: {
                    authorization_url: string;
                    token_url: string;
                    default_scopes: string[];
                    /** @enum {string} */
                    scope_separator: " " | ",";
                    pkce: boolean;
                    refresh_tokens: boolean;
                    credential_fields: {
                        name: string;
                        label: string;
                        /** @description Encrypted at rest and never returned. */
                        secret: boolean;
                        optional: boolean;
                        /** @description Where to find it at the provider (the connect page shows it under the field). */
                        help?: string;
                    }[];
                    docs_url: string;
                };
                api_key?: {
                    credential_fields: {
                        name: string;
                        label: string;
                        /** @description Encrypted at rest and never returned. */
                        secret: boolean;
                        optional: boolean;
                        /** @description Where to find it at the provider (the connect page shows it under the field). */
                        help?: string;
                    }[];
                    docs_url: string;
                };
                basic?: {
                    credential_fields: {
                        name: string;
                        label: string;
                        /** @description Encrypted at rest and never returned. */
                        secret: boolean;
                        optional: boolean;
                        /** @description Where to find it at the provider (the connect page shows it under the field). */
                        help?: string;
                    }[];
                    docs_url: string;
                };
                app_install?: {
                    install_url: string;
                    credential_fields: {
                        name: string;
                        label: string;
                        /** @description Encrypted at rest and never returned. */
                        secret: boolean;
                        optional: boolean;
                        /** @description Where to find it at the provider (the connect page shows it under the field). */
                        help?: string;
                    }[];
                    docs_url: string;
                };
            };
            /** @description JSON Schema of a connection's `config`. */
            config_schema: {
                [key: string]: unknown;
            };
            syncs: {
                name: string;
                model: string;
                description: string;
                default_frequency: string;
                incremental: boolean;
                /** @description JSON Schema of its records. */
                model_schema: {
                    [key: string]: unknown;
                } | null;
            }[];
            actions: {
                name: string;
                description: string;
                /** @description Its name in /v1/tools. */
                tool: string;
                writes: boolean;
                input_schema: {
                    [key: string]: unknown;
                };
            }[];
            webhooks: {
                events: string[];
                signature: {
                    scheme: string;
                    header: string;
                };
                docs_url: string;
            } | null;
        };
        /** @description A provider webhook was received for one of your connections. */
        ProviderEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "provider.event";
            /** Format: date-time */
            created_at: string;
            data: {
                connection_id: string;
                integration: string;
                provider: string;
                event_type: string;
                delivery_id: string;
                /** Format: date-time */
                received_at: string;
                /** @description False when only the sender was authenticated (Jira app webhooks): treat the payload as a hint. */
                payload_verified: boolean;
                /** @description The event as the provider described it. */
                payload: unknown;
            };
        };
        ProviderList: {
            providers: components["schemas"]["ProviderSummary"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        ProviderSummary: {
            name: string;
            display_name: string;
            categories: ("task_manager" | "code_host" | "communication" | "calendar" | "mail" | "docs" | "design" | "monitoring" | "quality" | "billing" | "file_import")[];
            auth_modes: ("oauth2" | "api_key" | "basic" | "app_install")[];
            capabilities: {
                syncs: string[];
                actions: string[];
                webhooks: boolean;
                csv_import: boolean;
            };
            curated: boolean;
        };
        /** @description A provider webhook event that could not be used, kept 7 days. */
        ProviderWebhookEvent: {
            id: string;
            integration_key: string;
            delivery_id: string;
            event_type: string;
            /**
             * @description `unrouted`: no connection matched; `failed`: applying it failed for good.
             * @enum {string}
             */
            status: "unrouted" | "failed";
            reason: string;
            /** Format: date-time */
            received_at: string;
            /** @description The body as received, when it fits (≤ 300 KB). */
            body?: string;
            /**
             * @description Set when `body` is base64 (not UTF-8 text).
             * @constant
             */
            body_encoding?: "base64";
            body_bytes: number;
        };
        ProviderWebhookEventList: {
            webhook_events: components["schemas"]["ProviderWebhookEvent"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        /** @description A `pull_request` record. */
        PullRequestRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            title: string;
            description: string | null;
            /** @enum {string} */
            status: "open" | "in_progress" | "done" | "cancelled";
            raw_status: string;
            number: number;
            author: string | null;
            assignees: string[];
            reviewers: string[];
            labels: string[];
            url: string | null;
            repository: string;
            source_branch: string | null;
            target_branch: string | null;
            draft: boolean;
            merged_at: string | null;
            closed_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description A `quality_gate` record. */
        QualityGateRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            project: string;
            /** @enum {string} */
            status: "passed" | "failed" | "warn" | "none";
            conditions: {
                metric: string;
                status: string;
                actual: string | null;
                threshold: string | null;
            }[];
            url: string | null;
            analysed_at: string | null;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        Readiness: {
            /** @constant */
            status: "ok";
            checks: {
                dynamodb: {
                    /** @enum {string} */
                    status: "ok" | "error";
                    latency_ms: number;
                };
                sqs: {
                    /** @enum {string} */
                    status: "ok" | "error";
                    latency_ms: number;
                };
                secrets_manager: {
                    /** @enum {string} */
                    status: "ok" | "error";
                    latency_ms: number;
                };
            };
        };
        RecordMeta: {
            /** @enum {string} */
            last_action: "added" | "updated" | "deleted";
            /** Format: date-time */
            first_seen_at: string;
            /** Format: date-time */
            last_modified_at: string;
            deleted_at: string | null;
            /** @description The provider's own id. */
            source_id: string;
            /** @description Where this change sits in the feed. */
            cursor: string;
            /**
             * @description Present when the provider's object was larger than a record may be (350 KB): its longest values were cut, marked `… [truncated]`.
             * @constant
             */
            truncated?: true;
        };
        /** @description A page of the change feed of one connection and model, in the order changes were written. */
        RecordPage: {
            records: (components["schemas"]["WorkItemRecord"] | components["schemas"]["PullRequestRecord"] | components["schemas"]["RepositoryRecord"] | components["schemas"]["ProjectRecord"] | components["schemas"]["ChannelRecord"] | components["schemas"]["MessageRecord"] | components["schemas"]["UserRecord"] | components["schemas"]["CalendarEventRecord"] | components["schemas"]["MetricRecord"] | components["schemas"]["QualityGateRecord"] | components["schemas"]["DocumentRecord"] | components["schemas"]["PipelineRunRecord"] | components["schemas"]["CommitRecord"] | components["schemas"]["CustomerRecord"] | components["schemas"]["SubscriptionRecord"] | components["schemas"]["InvoiceRecord"])[];
            /** @description Keep it: from it, the feed shows exactly what changed since, each change once. Null only when the page is empty and there was no cursor. */
            next_cursor: string | null;
            /** @description False: caught up (for now). */
            has_more: boolean;
        };
        /** @description A run or a provider webhook added, updated or deleted records; sent once the feed shows them. */
        RecordsChangedEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "records.changed";
            /** Format: date-time */
            created_at: string;
            data: {
                connection_id: string;
                sync: string;
                model: string;
                /** @description Null when a provider webhook made the change. */
                run_id: string | null;
                /** @enum {string} */
                source: "sync" | "webhook" | "import";
                records: {
                    added: number;
                    updated: number;
                    deleted: number;
                };
                /** @description Where to read the changes: `GET /v1/records?connection_id=…&model=…`. */
                feed: string;
            };
        };
        /** @description A `repository` record. */
        RepositoryRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            name: string;
            full_name: string;
            description: string | null;
            url: string;
            private: boolean;
            default_branch: string | null;
            archived: boolean;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        Settings: {
            /** @description Where connect sessions may send users back: exact matches of a session's `redirect_url`. */
            redirect_url_allowlist: string[];
            default_sync_frequency: string;
        };
        /** @description A `subscription` record. */
        SubscriptionRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            customer: string;
            /** @enum {string} */
            status: "trialing" | "active" | "past_due" | "unpaid" | "paused" | "cancelled" | "incomplete";
            raw_status: string;
            items: {
                price: string;
                product: string | null;
                quantity: number | null;
                unit_amount: number | null;
                interval: string | null;
            }[];
            currency: string;
            cancel_at_period_end: boolean;
            current_period_end: string | null;
            cancelled_at: string | null;
            /** Format: date-time */
            created_at: string;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description One of a connection's syncs: its schedule and its last outcome. */
        Sync: {
            name: string;
            /** @description The model its records have in GET /v1/records. */
            model: string;
            /** @enum {string} */
            status: "idle" | "queued" | "running" | "success" | "error" | "paused";
            /** @description `15m`, `1h`, `1d` … */
            frequency: string;
            last_sync_date: string | null;
            /** @description Null while paused. */
            next_sync_date: string | null;
            records_count: number;
            error: string | null;
        };
        /** @description A sync run finished: the run as GET /v1/sync-runs/{id} shows it, `run_id` for `id`. */
        SyncCompletedEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "sync.completed";
            /** Format: date-time */
            created_at: string;
            data: {
                run_id: string;
                connection_id: string;
                sync: string;
                /** @enum {string} */
                trigger: "manual" | "schedule" | "webhook";
                /** @enum {string} */
                mode: "incremental" | "full";
                /** @enum {string} */
                status: "queued" | "running" | "success" | "error";
                started_at: string | null;
                finished_at: string | null;
                duration_ms: number | null;
                /** @description What the run changed in the feed. */
                records: {
                    added: number;
                    updated: number;
                    deleted: number;
                };
                pages: number;
                error: string | null;
            };
        };
        /** @description A sync run ended in error: `status: "error"` and `error`. */
        SyncFailedEvent: {
            /** @description `evt_…`, the same on every retry: dedupe by it. */
            id: string;
            /** @constant */
            type: "sync.failed";
            /** Format: date-time */
            created_at: string;
            data: {
                run_id: string;
                connection_id: string;
                sync: string;
                /** @enum {string} */
                trigger: "manual" | "schedule" | "webhook";
                /** @enum {string} */
                mode: "incremental" | "full";
                /** @enum {string} */
                status: "queued" | "running" | "success" | "error";
                started_at: string | null;
                finished_at: string | null;
                duration_ms: number | null;
                /** @description What the run changed in the feed. */
                records: {
                    added: number;
                    updated: number;
                    deleted: number;
                };
                pages: number;
                error: string | null;
            };
        };
        SyncList: {
            syncs: components["schemas"]["Sync"][];
        };
        /** @description One run of a sync. It reads `success` only once every change it wrote is visible in the feed. */
        SyncRun: {
            /** @description `run_…` */
            id: string;
            connection_id: string;
            sync: string;
            /** @enum {string} */
            trigger: "manual" | "schedule" | "webhook";
            /** @enum {string} */
            mode: "incremental" | "full";
            /** @enum {string} */
            status: "queued" | "running" | "success" | "error";
            started_at: string | null;
            finished_at: string | null;
            duration_ms: number | null;
            /** @description What the run changed in the feed. */
            records: {
                added: number;
                updated: number;
                deleted: number;
            };
            pages: number;
            error: string | null;
        };
        SyncRunList: {
            sync_runs: components["schemas"]["SyncRun"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        Tool: {
            /** @description `<provider>_<action>` (`github_create_issue`). */
            name: string;
            provider: string;
            description: string;
            /** @description It changes something at the provider: send an `Idempotency-Key`. */
            writes: boolean;
            /** @description JSON Schema of `input` in POST /v1/tools/execute. */
            input_schema: {
                [key: string]: unknown;
            };
        };
        /** @description One tool call (REST or MCP) or proxied write, kept 90 days. */
        ToolCall: {
            /** @description `tc_…` */
            id: string;
            /** @description The tool (`github_create_issue`), or `proxy:<METHOD> <path>` for a write through the proxy. */
            tool: string;
            /** @description Null when the id the caller sent named none of its connections. */
            connection_id: string | null;
            workspace_id: string | null;
            /** @description The end user whose connection it acted on (or who acted, when no connection was found). */
            end_user_id: string | null;
            /** @description Who called: a secret key (its id), or an end-user token (its end user's id). */
            actor: {
                /** @enum {string} */
                type: "key" | "end_user";
                id: string;
            };
            /**
             * @description POST /v1/tools/execute, MCP `tools/call`, or the proxy.
             * @enum {string}
             */
            via: "api" | "mcp" | "proxy";
            /**
             * @description `success`, or the error code the call ended with.
             * @enum {string}
             */
            outcome: "success" | "invalid_json" | "validation_failed" | "unsupported_api_version" | "invalid_cursor" | "unauthorized" | "forbidden" | "not_found" | "unknown_provider" | "integration_not_configured" | "connection_not_ready" | "conflict" | "payload_too_large" | "rate_limited" | "action_failed" | "provider_unreachable" | "service_unavailable" | "internal_error" | "state_expired" | "invalid_state";
            /** @description The provider's HTTP status, for a call through the proxy; else null. */
            provider_status: number | null;
            duration_ms: number;
            /** @description SHA-256 (hex) of the input as canonical JSON (keys sorted at every depth), or of the proxied body. Never the input itself. */
            input_sha256: string;
            /** Format: date-time */
            created_at: string;
        };
        ToolCallList: {
            tool_calls: components["schemas"]["ToolCall"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        ToolList: {
            tools: components["schemas"]["Tool"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        ToolResult: {
            /** @constant */
            successful: true;
            /** @description The provider's answer, mapped to the unified models where it has one. */
            data: {
                [key: string]: unknown;
            };
        };
        TriggeredRuns: {
            runs: {
                id: string;
                sync: string;
                /**
                 * @description A sync already queued or running answers its run.
                 * @enum {string}
                 */
                status: "queued" | "running";
            }[];
        };
        /** @description A `user` record. */
        UserRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            name: string;
            display_name: string | null;
            email: string | null;
            is_bot: boolean;
            is_deleted: boolean;
            avatar_url: string | null;
            timezone: string | null;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description One delivery attempt. */
        WebhookDelivery: {
            /** @description The event id: one event is one delivery, in one or more attempts. */
            delivery_id: string;
            event_id: string;
            /** @enum {string} */
            event: "sync.completed" | "sync.failed" | "connection.created" | "connection.expired" | "connection.status_changed" | "connection.deleted" | "connection.recovered" | "connection.sync_status_changed" | "records.changed" | "provider.event" | "import.completed" | "import.failed" | "ping";
            attempt: number;
            /**
             * @description `dead`: 24 h of failures; `failed`: refused without retry (the URL resolves to a private address).
             * @enum {string}
             */
            status: "delivered" | "retrying" | "dead" | "failed";
            /** @description Null when nothing answered. */
            response_status: number | null;
            duration_ms: number;
            error: string | null;
            /** Format: date-time */
            attempted_at: string;
            next_attempt_at: string | null;
        };
        WebhookDeliveryList: {
            deliveries: components["schemas"]["WebhookDelivery"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        WebhookRetryQueued: {
            delivery_id: string;
            event_id: string;
            /** @constant */
            status: "queued";
        };
        /** @description A URL of yours and the events it is sent. Never its secret, but at creation and rotation. */
        WebhookSubscription: {
            /** @description `whs_…` */
            id: string;
            url: string;
            events: ("sync.completed" | "sync.failed" | "connection.created" | "connection.expired" | "connection.status_changed" | "connection.deleted" | "connection.recovered" | "connection.sync_status_changed" | "records.changed" | "provider.event" | "import.completed" | "import.failed")[];
            /** @description A disabled subscription is sent nothing. */
            enabled: boolean;
            /** @description After rotate-secret: until when the old secret keeps signing beside the new one. */
            previous_secret_expires_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        WebhookSubscriptionDeleted: {
            id: string;
            /** @constant */
            deleted: true;
        };
        WebhookSubscriptionList: {
            webhook_subscriptions: components["schemas"]["WebhookSubscription"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        WebhookSubscriptionWithSecret: {
            /** @description `whs_…` */
            id: string;
            url: string;
            events: ("sync.completed" | "sync.failed" | "connection.created" | "connection.expired" | "connection.status_changed" | "connection.deleted" | "connection.recovered" | "connection.sync_status_changed" | "records.changed" | "provider.event" | "import.completed" | "import.failed")[];
            /** @description A disabled subscription is sent nothing. */
            enabled: boolean;
            /** @description After rotate-secret: until when the old secret keeps signing beside the new one. */
            previous_secret_expires_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description `whsec_…`: shown this once. Verify every delivery with it. */
            secret: string;
        };
        WebhookTestQueued: {
            event_id: string;
            delivery_id: string;
            /** @constant */
            type: "ping";
            /** @constant */
            status: "queued";
        };
        /** @description A `work_item` record. */
        WorkItemRecord: {
            /** @description Stable per provider object (`gh_issue_1347`). */
            id: string;
            title: string;
            description: string | null;
            /** @enum {string} */
            status: "open" | "in_progress" | "done" | "cancelled";
            raw_status: string;
            assignees: string[];
            labels: string[];
            url: string | null;
            project: string | null;
            due_date: string | null;
            created_at: string | null;
            updated_at: string | null;
            _meta: components["schemas"]["RecordMeta"];
        } & {
            [key: string]: unknown;
        };
        /** @description A connection granted to one of your workspaces. */
        WorkspaceGrant: {
            workspace_id: string;
            connection_id: string;
            provider: string;
            integration: string;
            /** @description What agents may run in this workspace on this connection. */
            enabled_tools: string[];
            /** @description Fills the tool's project field (`repo`, `project_key`, …) when a call leaves it out. */
            default_project: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        WorkspaceGrantDeleted: {
            workspace_id: string;
            connection_id: string;
            /** @constant */
            deleted: true;
        };
        WorkspaceGrantList: {
            integrations: components["schemas"]["WorkspaceGrant"][];
            /** @description Pass as `?cursor=` for the next page; null on the last. */
            next_cursor: string | null;
        };
        CreateConnectionRequest: {
            integration: string;
            end_user_id: string;
            workspace_id?: string;
            name?: string;
            credentials: {
                /** @constant */
                type: "api_key";
                api_key: string;
                app_key?: string;
            } | {
                /** @constant */
                type: "basic";
                username: string;
                password: string;
            } | {
                /** @constant */
                type: "oauth2";
                access_token: string;
                refresh_token?: string;
                /** Format: date-time */
                expires_at?: string;
            } | {
                /** @constant */
                type: "app_install";
                installation_id: string;
            };
            config?: {
                [key: string]: unknown;
            };
            metadata?: {
                [key: string]: unknown;
            };
        };
        CreateConnectSessionRequest: {
            integration: string;
            end_user_id?: string;
            workspace_id?: string;
            redirect_url: string;
            scopes?: string[];
            /** @enum {string} */
            auth_mode?: "oauth2" | "app_install" | "api_key" | "basic";
            connection_id?: string;
        };
        CreateEndUserTokenRequest: {
            end_user_id: string;
            workspace_ids?: string[];
            /** @default 3600 */
            ttl_seconds?: number;
        };
        CreateIntegrationRequest: {
            unique_key: string;
            provider: string;
            display_name?: string;
            oauth_client_id?: string;
            oauth_client_secret?: string;
            scopes?: string[];
            webhook_secret?: string;
            app?: {
                app_id: string;
                slug?: string;
                private_key?: string;
            };
            endpoints?: {
                api_base_url?: string;
                authorization_url?: string;
                token_url?: string;
            };
        };
        CreateWebhookSubscriptionRequest: {
            url: string;
            events: ("sync.completed" | "sync.failed" | "connection.created" | "connection.expired" | "connection.status_changed" | "connection.deleted" | "connection.recovered" | "connection.sync_status_changed" | "records.changed" | "provider.event" | "import.completed" | "import.failed")[];
        };
        ExecuteToolRequest: {
            tool: string;
            connection_id: string;
            workspace_id?: string;
            end_user_id?: string;
            /** @default {} */
            input?: {
                [key: string]: unknown;
            };
        };
        PutWorkspaceIntegrationRequest: {
            enabled_tools: string[];
            default_project?: string | null;
        };
        SubmitConnectCredentialsRequest: {
            credentials: {
                [key: string]: string;
            };
            config?: {
                [key: string]: unknown;
            };
        };
        TriggerSyncRequest: {
            connection_id: string;
            syncs?: string[];
            /**
             * @default incremental
             * @enum {string}
             */
            mode?: "incremental" | "full";
        };
        UpdateConnectionRequest: {
            name?: string;
            metadata?: {
                [key: string]: unknown;
            };
            config?: {
                [key: string]: unknown;
            };
        };
        UpdateIntegrationRequest: {
            display_name?: string;
            oauth_client_id?: string | null;
            oauth_client_secret?: string | null;
            scopes?: string[] | null;
            webhook_secret?: string | null;
            app?: {
                app_id: string;
                slug?: string;
                private_key?: string;
            } | null;
            endpoints?: {
                api_base_url?: string;
                authorization_url?: string;
                token_url?: string;
            } | null;
        };
        UpdateSettingsRequest: {
            redirect_url_allowlist?: string[];
            default_sync_frequency?: string;
        };
        UpdateSyncRequest: {
            frequency?: string;
            paused?: boolean;
        };
        UpdateWebhookSubscriptionRequest: {
            url?: string;
            events?: ("sync.completed" | "sync.failed" | "connection.created" | "connection.expired" | "connection.status_changed" | "connection.deleted" | "connection.recovered" | "connection.sync_status_changed" | "records.changed" | "provider.event" | "import.completed" | "import.failed")[];
            enabled?: boolean;
        };
    };
    responses: {
        /** @description `invalid_json`, `unsupported_api_version`, `invalid_cursor`, `integration_not_configured` */
        Error400: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "invalid_json" | "unsupported_api_version" | "invalid_cursor" | "integration_not_configured";
                    };
                };
            };
        };
        /** @description `unauthorized` */
        Error401: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "unauthorized";
                    };
                };
            };
        };
        /** @description `forbidden` */
        Error403: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "forbidden";
                    };
                };
            };
        };
        /** @description `not_found`, `unknown_provider` */
        Error404: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "not_found" | "unknown_provider";
                    };
                };
            };
        };
        /** @description `connection_not_ready`, `conflict` */
        Error409: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "connection_not_ready" | "conflict";
                    };
                };
            };
        };
        /** @description `state_expired`, `invalid_state` */
        Error410: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "state_expired" | "invalid_state";
                    };
                };
            };
        };
        /** @description `payload_too_large` */
        Error413: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "payload_too_large";
                    };
                };
            };
        };
        /** @description `validation_failed`, `action_failed` */
        Error422: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "validation_failed" | "action_failed";
                    };
                };
            };
        };
        /** @description `rate_limited` */
        Error429: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Retry-After": components["headers"]["RetryAfter"];
                "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "rate_limited";
                    };
                };
            };
        };
        /** @description `internal_error` */
        Error500: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "internal_error";
                    };
                };
            };
        };
        /** @description `provider_unreachable` */
        Error502: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "provider_unreachable";
                    };
                };
            };
        };
        /** @description `service_unavailable` */
        Error503: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] & {
                    error?: {
                        /** @enum {unknown} */
                        code?: "service_unavailable";
                    };
                };
            };
        };
    };
    parameters: {
        /** @description The API version to serve; absent means the latest. */
        ApiVersion: "2026-11-01";
    };
    requestBodies: never;
    headers: {
        /** @description This request's id (`req_…`). */
        XRequestId: string;
        /** @description The API version served. */
        XApiVersion: string;
        /** @description Requests allowed a minute. */
        XRateLimitLimit: number;
        /** @description Requests left in this minute. */
        XRateLimitRemaining: number;
        /** @description When the window resets (epoch seconds). */
        XRateLimitReset: number;
        /** @description Seconds to wait before retrying. */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Up. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Health"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    healthReady: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every dependency answers. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Readiness"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
            /** @description `service_unavailable`: A dependency (DynamoDB, SQS, Secrets Manager) is not answering. */
            503: components["responses"]["Error503"];
        };
    };
    listProviders: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                /** @description Matches names, categories, syncs, models and tools. */
                search?: string;
                /** @description One category. */
                category?: "task_manager" | "code_host" | "communication" | "calendar" | "mail" | "docs" | "design" | "monitoring" | "quality" | "billing" | "file_import";
                /** @description A capability kind (`syncs`, `actions`, `webhooks`, `csv_import`), an auth mode, or a model. */
                capability?: "syncs" | "actions" | "webhooks" | "csv_import" | "oauth2" | "api_key" | "basic" | "app_install" | "work_item" | "pull_request" | "repository" | "project" | "channel" | "message" | "calendar_event" | "user" | "metric" | "quality_gate" | "commit" | "pipeline_run" | "document" | "customer" | "subscription" | "invoice";
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of providers. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ProviderList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    getProvider: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ProviderDetail"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `unknown_provider`: No such provider. */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    listIntegrations: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of integrations, each with its connection_count. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["IntegrationList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    createIntegration: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateIntegrationRequest"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Integration"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `unknown_provider`: No such provider. */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. */
            409: components["responses"]["Error409"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    getIntegration: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description The integration's unique_key. */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The integration. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Integration"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    deleteIntegration: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description The integration's unique_key. */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["IntegrationDeleted"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    updateIntegration: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description The integration's unique_key. */
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateIntegrationRequest"];
            };
        };
        responses: {
            /** @description The integration as it is now. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Integration"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. */
            409: components["responses"]["Error409"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    listWebhookEvents: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                /** @description Only `unrouted` or only `failed` events. */
                status?: "unrouted" | "failed";
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description The integration's unique_key. */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ProviderWebhookEventList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    listConnections: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                integration?: string;
                provider?: string;
                status?: "pending_auth" | "active" | "expired" | "error" | "disconnected";
                end_user_id?: string;
                workspace_id?: string;
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of connections. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ConnectionList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    createConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateConnectionRequest"];
            };
        };
        responses: {
            /** @description The same account was connected again: its connection, refreshed. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Connection"];
                    };
                };
            };
            /** @description A new connection. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Connection"];
                    };
                };
            };
            /** @description `integration_not_configured`: The tenant has no integration with that key. `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. */
            409: components["responses"]["Error409"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
            /** @description `provider_unreachable`: A network error or a 5xx from the provider. */
            502: components["responses"]["Error502"];
        };
    };
    getConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ConnectionDetail"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    deleteConnection: {
        parameters: {
            query?: {
                /** @description Delete its records too. */
                purge_records?: "true" | "false";
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ConnectionDeleted"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    updateConnection: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateConnectionRequest"];
            };
        };
        responses: {
            /** @description The connection as it is now. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Connection"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    getToken: {
        parameters: {
            query?: {
                /** @description Refresh now, even if the token is fresh. */
                force_refresh?: "true" | "false";
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The credentials. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ConnectionToken"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `connection_not_ready`: The connection is `pending_auth`, `expired` or `error`; `details.status` says which. */
            409: components["responses"]["Error409"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
            /** @description `provider_unreachable`: A network error or a 5xx from the provider. */
            502: components["responses"]["Error502"];
            /** @description `service_unavailable`: A dependency (DynamoDB, SQS, Secrets Manager) is not answering. */
            503: components["responses"]["Error503"];
        };
    };
    createConnectSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateConnectSessionRequest"];
            };
        };
        responses: {
            /** @description The session. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ConnectSession"];
                    };
                };
            };
            /** @description `integration_not_configured`: The tenant has no integration with that key. `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    connectStart: {
        parameters: {
            query: {
                /** @description The connect session id (`cs_…`). */
                session: string;
                display?: "page" | "popup";
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the provider's authorization or install page, or a credentials session's connect page. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `invalid_state`: The connect session has already connected an account. `state_expired`: The connect session has expired. */
            410: components["responses"]["Error410"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    oauthCallback: {
        parameters: {
            query?: {
                state?: string;
                code?: string;
                error?: string;
                error_description?: string;
                installation_id?: string;
                setup_action?: string;
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the session's redirect_url. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    connectPage: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description The connect session id (`cs_…`). */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description An unknown (or malformed) session: a page saying the link is not valid, naming no provider or tenant. */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description An expired or already used session: a page saying so. */
            410: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. A failure of ours: a page with the request id to quote. */
            500: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                    "text/html": string;
                };
            };
            /** @description A dependency is briefly unavailable: a page saying so, with the request id. */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    connectPageSubmit: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description The connect session id (`cs_…`). */
                session_id: string;
            };
            cookie?: never;
        };
        /** @description The form: `credentials.<field>=…` and `config.<field>=…` as the page names its inputs (empty ones left out), and `display=popup` in a popup. */
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    [key: string]: string;
                };
            };
        };
        responses: {
            /** @description Connected: to the page's result (`/connect/{session_id}/done`), which forwards to the app. */
            303: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. The integration is no longer configured: the form again, saying so. */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_api_version";
                        };
                    };
                    "text/html": string;
                };
            };
            /** @description An unknown (or malformed) session: a page saying the link is not valid, naming no provider or tenant. */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description A concurrent change: the form again, saying so. */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description An expired or already used session: a page saying so. */
            410: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The provider refused the credentials, or they do not fit it: the form again, the error by its field. */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The provider is rate limiting these credentials: the form again, saying so. */
            429: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. A failure of ours: a page with the request id to quote. */
            500: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                    "text/html": string;
                };
            };
            /** @description A dependency is briefly unavailable: a page saying so, with the request id. */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    connectDone: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description The connect session id (`cs_…`). */
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The outcome: connected, not connected (with a way to try again), or not finished yet. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description An unknown (or malformed) session: a page saying the link is not valid, naming no provider or tenant. */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description An expired or already used session: a page saying so. */
            410: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. A failure of ours: a page with the request id to quote. */
            500: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                    "text/html": string;
                };
            };
            /** @description A dependency is briefly unavailable: a page saying so, with the request id. */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    connectAsset: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `connect.css` or `connect-page.js`. */
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    [name: string]: unknown;
                };
                content: {
                    "text/css": string;
                    "text/javascript": string;
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description Any other file: this route serves only those two. */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. A failure of ours: a page with the request id to quote. */
            500: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                    "text/html": string;
                };
            };
            /** @description A dependency is briefly unavailable: a page saying so, with the request id. */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    connectScript: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The script. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. A failure of ours: a page with the request id to quote. */
            500: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "internal_error";
                        };
                    };
                    "text/html": string;
                };
            };
            /** @description A dependency is briefly unavailable: a page saying so, with the request id. */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    submitConnectCredentials: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description The connect session id (`cs_…`). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitConnectCredentialsRequest"];
            };
        };
        responses: {
            /** @description The same account was connected again: its connection, refreshed; the session is spent. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Connection"];
                    };
                };
            };
            /** @description Connected: the new connection; the session is spent. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Connection"];
                    };
                };
            };
            /** @description `integration_not_configured`: The tenant has no integration with that key. `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. */
            409: components["responses"]["Error409"];
            /** @description `invalid_state`: The connect session has already connected an account. `state_expired`: The connect session has expired. */
            410: components["responses"]["Error410"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
            /** @description `provider_unreachable`: A network error or a 5xx from the provider. */
            502: components["responses"]["Error502"];
        };
    };
    createEndUserToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEndUserTokenRequest"];
            };
        };
        responses: {
            /** @description The token. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["EndUserToken"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    triggerSync: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TriggerSyncRequest"];
            };
        };
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["TriggeredRuns"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `connection_not_ready`: The connection is `pending_auth`, `expired` or `error`; `details.status` says which. */
            409: components["responses"]["Error409"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    listSyncs: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every sync of its provider. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["SyncList"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    getSync: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                id: string;
                /** @description The sync (`issues`). */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sync. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Sync"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    updateSync: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                id: string;
                /** @description The sync (`issues`). */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSyncRequest"];
            };
        };
        responses: {
            /** @description The sync as it is now. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Sync"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    listSyncRuns: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                connection_id?: string;
                sync?: string;
                status?: "queued" | "running" | "success" | "error";
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of runs. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["SyncRunList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    getSyncRun: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `run_…` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["SyncRun"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    listRecords: {
        parameters: {
            query: {
                limit?: number;
                cursor?: string;
                connection_id: string;
                /** @description The model: `work_item`, `pull_request`, `repository`, … (one its provider syncs). */
                model: string;
                /** @description Only records changed after this instant. */
                modified_after?: string;
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the feed. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["RecordPage"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    listImports: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                /** @description Only this end user's imports. */
                end_user_id?: string;
                /** @description Only imports in this status. */
                status?: "awaiting_upload" | "queued" | "running" | "success" | "partial" | "error";
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of imports. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ImportList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    createImport: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The CSV file (text/csv), or the JSON form (application/json). */
        requestBody?: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            /** @description The import, waiting for its file at `upload_url`. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ImportUpload"];
                    };
                };
            };
            /** @description The inline file, queued. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Import"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    getImport: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `imp_…` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The import. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Import"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    listTools: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                provider?: string;
                connection_id?: string;
                workspace_id?: string;
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tools. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ToolList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    executeTool: {
        parameters: {
            query?: never;
            header?: {
                /** @description Printable ASCII, 1 to 255 characters: a writing tool runs at most once per key for 24 h; a retry answers the first result. */
                "Idempotency-Key"?: string;
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExecuteToolRequest"];
            };
        };
        responses: {
            /** @description The provider's answer. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ToolResult"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. `connection_not_ready`: The connection is `pending_auth`, `expired` or `error`; `details.status` says which. */
            409: components["responses"]["Error409"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `action_failed`: The provider refused the action; nothing was changed there. `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
            /** @description `provider_unreachable`: A network error or a 5xx from the provider. */
            502: components["responses"]["Error502"];
        };
    };
    mcp: {
        parameters: {
            query?: {
                /** @description With a secret key: the end user to act for (required). With an end-user token: its own, if given. */
                end_user_id?: string;
            };
            header?: {
                /** @description The MCP version the client speaks after initialize: `2025-11-25`, `2025-06-18` or `2025-03-26`. */
                "MCP-Protocol-Version"?: string;
                /** @description Printable ASCII, 1 to 255 characters: a writing `tools/call` runs at most once per key for 24 h (or `params._meta.idempotency_key`). */
                "Idempotency-Key"?: string;
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description Your workspace id: the tools granted there (PUT /v1/workspaces/{workspace_id}/integrations/{connection_id}). */
                workspace_id: string;
            };
            cookie?: never;
        };
        /** @description One JSON-RPC 2.0 message. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["JsonRpcMessage"];
            };
        };
        responses: {
            /** @description A request's answer, with its id: the result, or a JSON-RPC error. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcResponse"];
                };
            };
            /** @description A notification (or a response) was accepted: no body. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. Not one JSON-RPC 2.0 request: not JSON (-32700), a batch or no `jsonrpc: "2.0"` (-32600), or an `MCP-Protocol-Version` not served (`error.data.supported`). */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description A method other than POST (`Allow: POST`). */
            405: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description The request does not accept `application/json`. */
            406: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description A body over 1 MB. */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description A body that is not `application/json`. */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
        };
    };
    listToolCalls: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                /** @description Only calls in this workspace. */
                workspace_id?: string;
                /** @description Only calls on this connection. */
                connection_id?: string;
                /** @description Only calls on this end user's connections. */
                end_user_id?: string;
                /** @description Only calls of this tool (`github_create_issue`, `proxy:POST /repos/o/r/issues`). */
                tool?: string;
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tool calls. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["ToolCallList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    proxyGet: {
        parameters: {
            query?: never;
            header?: {
                /** @description Printable ASCII, 1 to 255 characters: a write reaches the provider at most once per key for 24 h; a retry answers the first answer (`Idempotent-Replayed: true`); the same key with another request is 409 `conflict`. */
                "Idempotency-Key"?: string;
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                connection_id: string;
                /** @description The provider API's path, one segment or several (`repos/acme/app/issues`): this parameter spans `/`, unlike OpenAPI's usual single segment. Sent to the provider percent-encoded as the client wrote it. */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. `validation_failed`: A path that would leave the API base (dot segments, encoded dots, slashes or backslashes, an empty segment, a second host, an absolute URL, a NUL, a malformed escape), or credentials the proxy cannot send to this provider; nothing reaches the provider. */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_api_version" | "validation_failed";
                        };
                    };
                };
            };
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. `connection_not_ready`: The connection is `pending_auth`, `expired` or `error`; `details.status` says which. */
            409: components["responses"]["Error409"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
            /** @description `provider_unreachable`: A network error or a 5xx from the provider. */
            502: components["responses"]["Error502"];
            /** @description The provider's answer, whatever its status (2xx, 3xx, its own 4xx and 5xx, a 429 with its `Retry-After`): its body (≤ 6 MB) and an allow-list of its headers (`content-type`, `link`, its rate-limit headers, `retry-after`), with `X-Request-Id`. */
            default: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
        };
    };
    proxyPut: {
        parameters: {
            query?: never;
            header?: {
                /** @description Printable ASCII, 1 to 255 characters: a write reaches the provider at most once per key for 24 h; a retry answers the first answer (`Idempotent-Replayed: true`); the same key with another request is 409 `conflict`. */
                "Idempotency-Key"?: string;
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                connection_id: string;
                /** @description The provider API's path, one segment or several (`repos/acme/app/issues`): this parameter spans `/`, unlike OpenAPI's usual single segment. Sent to the provider percent-encoded as the client wrote it. */
                path: string;
            };
            cookie?: never;
        };
        /** @description Sent to the provider as is, with its Content-Type. */
        requestBody?: {
            content: {
                "*/*": unknown;
            };
        };
        responses: {
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. `validation_failed`: A path that would leave the API base (dot segments, encoded dots, slashes or backslashes, an empty segment, a second host, an absolute URL, a NUL, a malformed escape), or credentials the proxy cannot send to this provider; nothing reaches the provider. */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_api_version" | "validation_failed";
                        };
                    };
                };
            };
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. `connection_not_ready`: The connection is `pending_auth`, `expired` or `error`; `details.status` says which. */
            409: components["responses"]["Error409"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
            /** @description `provider_unreachable`: A network error or a 5xx from the provider. */
            502: components["responses"]["Error502"];
            /** @description The provider's answer, whatever its status (2xx, 3xx, its own 4xx and 5xx, a 429 with its `Retry-After`): its body (≤ 6 MB) and an allow-list of its headers (`content-type`, `link`, its rate-limit headers, `retry-after`), with `X-Request-Id`. */
            default: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
        };
    };
    proxyPost: {
        parameters: {
            query?: never;
            header?: {
                /** @description Printable ASCII, 1 to 255 characters: a write reaches the provider at most once per key for 24 h; a retry answers the first answer (`Idempotent-Replayed: true`); the same key with another request is 409 `conflict`. */
                "Idempotency-Key"?: string;
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                connection_id: string;
                /** @description The provider API's path, one segment or several (`repos/acme/app/issues`): this parameter spans `/`, unlike OpenAPI's usual single segment. Sent to the provider percent-encoded as the client wrote it. */
                path: string;
            };
            cookie?: never;
        };
        /** @description Sent to the provider as is, with its Content-Type. */
        requestBody?: {
            content: {
                "*/*": unknown;
            };
        };
        responses: {
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. `validation_failed`: A path that would leave the API base (dot segments, encoded dots, slashes or backslashes, an empty segment, a second host, an absolute URL, a NUL, a malformed escape), or credentials the proxy cannot send to this provider; nothing reaches the provider. */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_api_version" | "validation_failed";
                        };
                    };
                };
            };
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. `connection_not_ready`: The connection is `pending_auth`, `expired` or `error`; `details.status` says which. */
            409: components["responses"]["Error409"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
            /** @description `provider_unreachable`: A network error or a 5xx from the provider. */
            502: components["responses"]["Error502"];
            /** @description The provider's answer, whatever its status (2xx, 3xx, its own 4xx and 5xx, a 429 with its `Retry-After`): its body (≤ 6 MB) and an allow-list of its headers (`content-type`, `link`, its rate-limit headers, `retry-after`), with `X-Request-Id`. */
            default: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
        };
    };
    proxyDelete: {
        parameters: {
            query?: never;
            header?: {
                /** @description Printable ASCII, 1 to 255 characters: a write reaches the provider at most once per key for 24 h; a retry answers the first answer (`Idempotent-Replayed: true`); the same key with another request is 409 `conflict`. */
                "Idempotency-Key"?: string;
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                connection_id: string;
                /** @description The provider API's path, one segment or several (`repos/acme/app/issues`): this parameter spans `/`, unlike OpenAPI's usual single segment. Sent to the provider percent-encoded as the client wrote it. */
                path: string;
            };
            cookie?: never;
        };
        /** @description Sent to the provider as is, with its Content-Type. */
        requestBody?: {
            content: {
                "*/*": unknown;
            };
        };
        responses: {
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. `validation_failed`: A path that would leave the API base (dot segments, encoded dots, slashes or backslashes, an empty segment, a second host, an absolute URL, a NUL, a malformed escape), or credentials the proxy cannot send to this provider; nothing reaches the provider. */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_api_version" | "validation_failed";
                        };
                    };
                };
            };
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. `connection_not_ready`: The connection is `pending_auth`, `expired` or `error`; `details.status` says which. */
            409: components["responses"]["Error409"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
            /** @description `provider_unreachable`: A network error or a 5xx from the provider. */
            502: components["responses"]["Error502"];
            /** @description The provider's answer, whatever its status (2xx, 3xx, its own 4xx and 5xx, a 429 with its `Retry-After`): its body (≤ 6 MB) and an allow-list of its headers (`content-type`, `link`, its rate-limit headers, `retry-after`), with `X-Request-Id`. */
            default: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
        };
    };
    proxyPatch: {
        parameters: {
            query?: never;
            header?: {
                /** @description Printable ASCII, 1 to 255 characters: a write reaches the provider at most once per key for 24 h; a retry answers the first answer (`Idempotent-Replayed: true`); the same key with another request is 409 `conflict`. */
                "Idempotency-Key"?: string;
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                /** @description `conn_…` */
                connection_id: string;
                /** @description The provider API's path, one segment or several (`repos/acme/app/issues`): this parameter spans `/`, unlike OpenAPI's usual single segment. Sent to the provider percent-encoded as the client wrote it. */
                path: string;
            };
            cookie?: never;
        };
        /** @description Sent to the provider as is, with its Content-Type. */
        requestBody?: {
            content: {
                "*/*": unknown;
            };
        };
        responses: {
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. `validation_failed`: A path that would leave the API base (dot segments, encoded dots, slashes or backslashes, an empty segment, a second host, an absolute URL, a NUL, a malformed escape), or credentials the proxy cannot send to this provider; nothing reaches the provider. */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        error?: {
                            /** @enum {unknown} */
                            code?: "unsupported_api_version" | "validation_failed";
                        };
                    };
                };
            };
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. `connection_not_ready`: The connection is `pending_auth`, `expired` or `error`; `details.status` says which. */
            409: components["responses"]["Error409"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
            /** @description `provider_unreachable`: A network error or a 5xx from the provider. */
            502: components["responses"]["Error502"];
            /** @description The provider's answer, whatever its status (2xx, 3xx, its own 4xx and 5xx, a 429 with its `Retry-After`): its body (≤ 6 MB) and an allow-list of its headers (`content-type`, `link`, its rate-limit headers, `retry-after`), with `X-Request-Id`. */
            default: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "*/*": unknown;
                };
            };
        };
    };
    listWorkspaceIntegrations: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                workspace_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of grants. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WorkspaceGrantList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    getWorkspaceIntegration: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                workspace_id: string;
                connection_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The grant. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WorkspaceGrant"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    putWorkspaceIntegration: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                workspace_id: string;
                connection_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutWorkspaceIntegrationRequest"];
            };
        };
        responses: {
            /** @description The grant. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WorkspaceGrant"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    deleteWorkspaceIntegration: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                workspace_id: string;
                connection_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WorkspaceGrantDeleted"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    listWebhookSubscriptions: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of subscriptions, without secrets. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WebhookSubscriptionList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    createWebhookSubscription: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookSubscriptionRequest"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WebhookSubscriptionWithSecret"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    getWebhookSubscription: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                subscription_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscription, without its secret. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WebhookSubscription"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    deleteWebhookSubscription: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                subscription_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WebhookSubscriptionDeleted"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    updateWebhookSubscription: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                subscription_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookSubscriptionRequest"];
            };
        };
        responses: {
            /** @description The subscription as it is now. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WebhookSubscription"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                subscription_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscription with its new secret. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WebhookSubscriptionWithSecret"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. */
            409: components["responses"]["Error409"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    testWebhookSubscription: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                subscription_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WebhookTestQueued"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. */
            409: components["responses"]["Error409"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    retryWebhookDelivery: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                subscription_id: string;
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WebhookRetryQueued"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `conflict`: A duplicate unique key, or a concurrent update lost. */
            409: components["responses"]["Error409"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path: {
                subscription_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of attempts. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["WebhookDeliveryList"];
                    };
                };
            };
            /** @description `invalid_cursor`: A forged, foreign or stale cursor. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `not_found`: The route or resource does not exist (or belongs to another tenant). */
            404: components["responses"]["Error404"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    getSettings: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Your settings. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Settings"];
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    updateSettings: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSettingsRequest"];
            };
        };
        responses: {
            /** @description Your settings as they are now. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    "X-RateLimit-Limit": components["headers"]["XRateLimitLimit"];
                    "X-RateLimit-Remaining": components["headers"]["XRateLimitRemaining"];
                    "X-RateLimit-Reset": components["headers"]["XRateLimitReset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "success";
                        data: components["schemas"]["Settings"];
                    };
                };
            };
            /** @description `invalid_json`: The body is not JSON. `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `unauthorized`: Missing, malformed, unknown, revoked or expired credential. */
            401: components["responses"]["Error401"];
            /** @description `forbidden`: The credential is valid but not allowed this. */
            403: components["responses"]["Error403"];
            /** @description `payload_too_large`: The body is over the limit. */
            413: components["responses"]["Error413"];
            /** @description `validation_failed`: Body, query or path fails the schema; `details.issues[]` = `{path, message}`. */
            422: components["responses"]["Error422"];
            /** @description `rate_limited`: Over a rate limit; `Retry-After` says when to retry. */
            429: components["responses"]["Error429"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    getOpenapi: {
        parameters: {
            query?: never;
            header?: {
                /** @description The API version to serve; absent means the latest. */
                "X-Api-Version"?: components["parameters"]["ApiVersion"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document itself, not in the envelope. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "X-Api-Version": components["headers"]["XApiVersion"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description `unsupported_api_version`: Unknown `X-Api-Version`; `details.supported` lists the versions served. */
            400: components["responses"]["Error400"];
            /** @description `internal_error`: Anything else; the message never leaks internals. Quote the request id. */
            500: components["responses"]["Error500"];
        };
    };
    syncCompletedEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SyncCompletedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    syncFailedEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SyncFailedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    recordsChangedEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordsChangedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    connectionCreatedEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectionCreatedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    connectionExpiredEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectionExpiredEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    connectionStatusChangedEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectionStatusChangedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    connectionRecoveredEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectionRecoveredEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    connectionSyncStatusChangedEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectionSyncStatusChangedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    connectionDeletedEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectionDeletedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    importCompletedEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportCompletedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    importFailedEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportFailedEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    providerEventEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProviderEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    pingEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description `t=<unix>,v1=<hex>`: HMAC-SHA256 of `"<t>.<body>"` keyed by the secret; a `v1=` per live secret. */
                "X-Signature": string;
                /** @description Standard Webhooks: the event id. */
                "webhook-id": string;
                /** @description Standard Webhooks: unix seconds. */
                "webhook-timestamp": string;
                /** @description Standard Webhooks: `v1,<base64>`, one per live secret, space-separated. */
                "webhook-signature": string;
                /** @description The event id (`evt_…`), the same on every retry: dedupe by it. */
                "X-Webhook-Id": string;
                /** @description The event type. */
                "X-Webhook-Event": string;
                /** @description 1, 2, … */
                "X-Webhook-Attempt": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PingEvent"];
            };
        };
        responses: {
            /** @description Any 2xx within 10 seconds acknowledges it. Anything else (or no answer) is retried with backoff for 24 h. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
