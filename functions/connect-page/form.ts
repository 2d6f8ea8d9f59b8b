import type { PageField } from '../../core/connections/connect-page';
import type { ApiError } from '../../core/platform/errors';
import type { FormState } from './html';

const MAX_FORM_BYTES = 64 * 1024;

/**
 * A form post of the connect page (`credentials.<name>=…&config.<name>=…`), as the JSON body
 * of POST /v1/connect/sessions/{id}/credentials. Empty fields are left out, as the script
 * leaves them out. Undefined when the body is no such form.
 */
export const parseForm = (
  body: string | undefined,
  base64: boolean,
):
  | {
      body: { credentials: Record<string, string>; config: Record<string, string> };
      values: Record<string, string>;
    }
  | undefined => {
  if (!body) return undefined;
  const text = base64 ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) return undefined;
  const credentials: Record<string, string> = {};
  const config: Record<string, string> = {};
  const values: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const m = /^(credentials|config)\.([\w-]{1,100})$/.exec(key);
    if (!m || value === '') continue;
    (m[1] === 'credentials' ? credentials : config)[m[2] as string] = value;
    values[key] = value;
  }
  return { body: { credentials, config }, values };
};

/**
 * An API error as the form shows it: each issue by its field (`body.credentials.api_key` →
 * `credentials.api_key`), the message above the form. A refusal that names no field goes to
 * the only secret field when there is one (the key that was refused), else stays above the form.
 * connect-page.js does the same with the JSON answer.
 */
export const formErrors = (e: ApiError, fields: PageField[], values: Record<string, string>): FormState => {
  const errors: Record<string, string> = {};
  const known = new Set(fields.map((f) => `${f.group}.${f.name}`));
  const secrets = fields.filter((f) => f.secret);
  const issues = (e.details.issues as { path: string; message: string }[] | undefined) ?? [];
  for (const issue of issues) {
    let key = issue.path.replace(/^body\./, '');
    if (key === 'credentials' && secrets.length === 1) key = `credentials.${(secrets[0] as PageField).name}`;
    if (known.has(key) && !errors[key]) errors[key] = issue.message;
  }
  // What was typed stays, but a secret is never sent back into the page.
  const kept = Object.fromEntries(
    Object.entries(values).filter(([k]) => !secrets.some((f) => `credentials.${f.name}` === k)),
  );
  return { values: kept, errors, message: e.message };
};
