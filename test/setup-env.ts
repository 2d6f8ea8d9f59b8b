import { inject } from 'vitest';

// Every test process sees the environment a deployed Lambda would, pointing at the
// counterparts of this run. Set before any test imports a handler.
Object.assign(process.env, inject('awsEnv'));

// Request lines are noise in test output; tests that check logging raise the level.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

// Fake providers listen on http://127.0.0.1: allow loopback http, as npm start does.
process.env.ALLOW_HTTP_LOOPBACK = 'true';
