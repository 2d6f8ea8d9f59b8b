import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The run-wide secret check: every worker appends what the service printed (log
 * lines, console) and every response body it got to files in one run directory; tests
 * register the secret values they hand out. After the run, global teardown greps all
 * of it for those values and for known credential shapes.
 */
const dir = () => process.env.LEAK_WATCH_DIR;

const append = (suffix: string, text: string) => {
  const d = dir();
  if (!d) return;
  mkdirSync(d, { recursive: true });
  appendFileSync(join(d, `${process.pid}.${suffix}`), `${text}\n`);
};

export const recordOutput = (text: string): void => append('out', text);

/** Registers a secret value that must never appear in output; returns it unchanged. */
export const sensitive = <T extends string>(value: T): T => {
  append('secrets', JSON.stringify(value));
  return value;
};

/** Shapes of credentials that must never be printed, whoever made them. */
export const SECRET_SHAPES: RegExp[] = [
  /ghp_[A-Za-z0-9]{36}/,
  /github_pat_[A-Za-z0-9_]{40,}/,
  /glpat-[A-Za-z0-9_-]{20}/,
  /lin_api_[A-Za-z0-9]{20,}/,
  /pk_\d+_[A-Z0-9]{20,}/,
  /sk_(live|test)_[A-Za-z0-9_-]{32,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /"(access_token|refresh_token|api_key|app_key|password|client_secret|oauth_client_secret|webhook_secret|private_key)":"(?!\[REDACTED\])[^"]+"/,
];

export const findLeaks = (runDir: string): string[] => {
  let files: string[] = [];
  try {
    files = readdirSync(runDir);
  } catch {
    return [];
  }
  const secrets = new Set<string>();
  let output = '';
  for (const f of files) {
    const text = readFileSync(join(runDir, f), 'utf8');
    if (f.endsWith('.secrets')) {
      for (const line of text.split('\n')) if (line) secrets.add(JSON.parse(line) as string);
    } else output += text;
  }
  const leaks = [...secrets]
    .filter((s) => s.length >= 8 && output.includes(s))
    .map((s) => `value ${s.slice(0, 4)}…`);
  for (const shape of SECRET_SHAPES) {
    const m = shape.exec(output);
    if (m) leaks.push(`shape ${shape.source}: ${m[0].slice(0, 12)}…`);
  }
  return leaks;
};
