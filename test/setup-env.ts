import { inject } from 'vitest';
import { recordOutput } from './leak-watch';

// Every test process sees the environment a deployed Lambda would, pointing at the
// counterparts of this run. Set before any test imports a handler.
Object.assign(process.env, inject('awsEnv'));

// Request lines are noise in test output; tests that check logging raise the level.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

// Fake providers listen on http://127.0.0.1: allow loopback http, as npm start does.
process.env.ALLOW_HTTP_LOOPBACK = 'true';

// Tee everything this worker prints into the run-wide leak check (test/leak-watch.ts).
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    recordOutput(chunk.toString());
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[m].bind(console);
  console[m] = (...args: unknown[]) => {
    recordOutput(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    original(...args);
  };
}
