import { errorStatus } from '../../core/platform/errors';
import { errorMeaning } from './errors';

/**
 * docs/api.md: the OpenAPI document rendered for people, by the same generator, so the
 * reference can't say something the contract doesn't. Reads only the document.
 */
type Json = Record<string, unknown>;
type Schema = Json;

const AUTH: Record<string, string> = {
  none: 'public',
  secret_key: 'secret key',
  end_user: 'secret key or end-user token',
};

const anchor = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/ /g, '-');
const schemaAnchor = (id: string) => `schema-${id.toLowerCase()}`;
const refName = (r: string) => r.replace('#/components/schemas/', '');
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

/** A schema as a short type: `string`, `Connection[]`, `"a" | "b"`, `string | null`. */
export const typeOf = (s: Schema | undefined): string => {
  if (!s || Object.keys(s).length === 0 || (s.description && Object.keys(s).length === 1)) return 'any';
  if (typeof s.$ref === 'string') return `[${refName(s.$ref)}](#${schemaAnchor(refName(s.$ref))})`;
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' | ');
  const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (union) return union.map(typeOf).join(' | ');
  if (Array.isArray(s.allOf)) return (s.allOf as Schema[]).map(typeOf).join(' & ');
  if (Array.isArray(s.type)) {
    return (s.type as string[]).map((t) => typeOf({ ...s, type: t })).join(' | ');
  }
  if (s.type === 'array') return `${typeOf(s.items as Schema)}[]`;
  if (s.type === 'string' && s.format) return `string (${s.format})`;
  if (s.type === 'object' && !s.properties) return 'object';
  return String(s.type ?? 'any');
};

const constraints = (s: Schema): string => {
  const out: string[] = [];
  if (s.default !== undefined) out.push(`default \`${JSON.stringify(s.default)}\``);
  if (s.minimum !== undefined || s.maximum !== undefined) out.push(`${s.minimum ?? ''}..${s.maximum ?? ''}`);
  if (s.maxLength !== undefined) out.push(`≤ ${s.maxLength} chars`);
  if (s.maxItems !== undefined) out.push(`≤ ${s.maxItems} items`);
  if (s.pattern !== undefined) out.push(`pattern \`${s.pattern}\``);
  return out.join(', ');
};

/** The rows of an object schema: nested inline objects flattened as `a.b`. */
const fieldRows = (s: Schema, prefix = '', depth = 0): string[] => {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const rows: string[] = [];
  for (const [name, p] of Object.entries(props)) {
    const inner = unwrapNullable(p);
    const nested = inner.type === 'object' && inner.properties && depth < 3;
    const notes = [p.description ?? inner.description, constraints(inner)].filter(Boolean).join(' ');
    rows.push(
      `| \`${prefix}${name}\` | ${cell(nested ? (p === inner ? 'object' : 'object | null') : typeOf(p))} | ${required.has(name) ? 'yes' : ''} | ${cell(String(notes))} |`,
    );
    if (nested) rows.push(...fieldRows(inner, `${prefix}${name}.`, depth + 1));
  }
  return rows;
};

const unwrapNullable = (p: Schema): Schema => {
  const union = p.anyOf as Schema[] | undefined;
  if (union?.length === 2) {
    const other = union.find((u) => u.type !== 'null');
    if (other && union.some((u) => u.type === 'null')) return other;
  }
  return p;
};

const fieldTable = (s: Schema): string[] => {
  const rows = fieldRows(s);
  return rows.length ? ['| field | type | required | notes |', '|---|---|---|---|', ...rows] : [];
};

const resolve = (doc: Json, s: Schema): Schema => {
  if (typeof s.$ref !== 'string') return s;
  const [, , kind, name] = s.$ref.split('/');
  return ((doc.components as Json)[kind as string] as Json)[name as string] as Schema;
};

const operationSection = (doc: Json, method: string, path: string, op: Json, said: Set<string>): string[] => {
  const out: string[] = [
    `### \`${method.toUpperCase()} ${path}\``,
    '',
    `**${op.summary}** — ${AUTH[op['x-auth'] as string]}.`,
    '',
  ];
  // One row published under several methods (the proxy) says its description once.
  if (op.description && !said.has(`${path} ${op.description}`)) {
    said.add(`${path} ${op.description}`);
    out.push(String(op.description), '');
  } else if (op.description) out.push('As above.', '');
  const params = ((op.parameters ?? []) as Json[]).filter((p) => !p.$ref);
  if (params.length) {
    out.push('| parameter | in | type | required | notes |', '|---|---|---|---|---|');
    for (const p of params) {
      const s = p.schema as Schema;
      const notes = [p.description, constraints(s)].filter(Boolean).join(' ');
      out.push(
        `| \`${p.name}\` | ${p.in} | ${cell(typeOf(s))} | ${p.required ? 'yes' : ''} | ${cell(String(notes))} |`,
      );
    }
    out.push('');
  }
  const requestBody = op.requestBody as Json | undefined;
  const bodies = (requestBody?.content ?? {}) as Record<string, Json>;
  const body = bodies['application/json'];
  if (body && !requestBody?.description) {
    const s = body.schema as Schema;
    out.push(`Body ${typeOf(s)}:`, '', ...fieldTable(resolve(doc, s)), '');
  } else if (requestBody) {
    // A body the route reads as it is (a form, JSON-RPC, the proxy's pass-through).
    const types = Object.keys(bodies).map((t) => `\`${t}\``);
    const s = body?.schema as Schema | undefined;
    out.push(`Body (${types.join(', ')}${s ? `: ${typeOf(s)}` : ''}): ${requestBody.description}`, '');
  }
  const typesOf = (r: Json) =>
    Object.keys((r.content as Json | undefined) ?? {})
      .map((t) => `\`${t}\``)
      .join(', ');
  for (const [status, r] of Object.entries(op.responses as Record<string, Json>)) {
    if (Number(status) >= 400) continue;
    const content = (r.content as Record<string, Json> | undefined) ?? {};
    const json = content['application/json']?.schema as Schema | undefined;
    const data = (json?.properties as Record<string, Schema> | undefined)?.data;
    const what = data
      ? ` → \`data\`: ${typeOf(data)}`
      : r.headers && (r.headers as Json).Location
        ? ' → `Location`'
        : json
          ? ` → ${typeOf(json)}`
          : r.content
            ? ` → ${typesOf(r)}`
            : '';
    out.push(`- **${status}** ${r.description}${what}`);
  }
  // Error statuses answered with a body of the route's own (a page, JSON-RPC) or at a status
  // other than the error table's: their own line.
  for (const [status, r] of Object.entries(op.responses as Record<string, Json>)) {
    if (!(Number(status) >= 400) || r.$ref) continue;
    out.push(`- **${status}** (${typesOf(r)}) ${r.description}`);
  }
  const codes = (op['x-error-codes'] ?? []) as (keyof typeof errorStatus)[];
  if (codes.length) out.push(`- **Errors**: ${codes.map((c) => `${errorStatus[c]} \`${c}\``).join(' · ')}`);
  out.push('');
  return out;
};

export const renderMarkdown = (doc: Json): string => {
  const info = doc.info as Json;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const tags = (doc.tags as { name: string; description: string }[]).filter(
    (t) => t.name !== 'Webhook events',
  );
  const ops = Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );
  const schemas = (doc.components as Json).schemas as Record<string, Schema>;
  const webhooks = doc.webhooks as Record<string, { post: Json }>;

  const out: string[] = [
    '# API reference',
    '',
    '<!-- Generated by `npm run openapi` (scripts/openapi.ts) from the code: do not edit. -->',
    '',
    `Version \`${info.version}\`. The same contract as OpenAPI 3.1: [openapi.json](openapi.json), also served at`,
    '`GET /v1/openapi.json`. A typed client generated from it: [client/](../client/README.md).',
    '',
    String(info.description),
    '',
    '## Contents',
    '',
    ...tags.map((t) => `- [${t.name}](#${anchor(t.name)}) — ${t.description}`),
    '- [Outbound webhook events](#outbound-webhook-events)',
    '- [Errors](#errors)',
    '- [Schemas](#schemas)',
    '',
  ];
  const said = new Set<string>();
  for (const t of tags) {
    out.push(`## ${t.name}`, '', t.description, '');
    for (const { path, method, op } of ops) {
      if ((op.tags as string[])[0] === t.name) out.push(...operationSection(doc, method, path, op, said));
    }
  }

  out.push(
    '## Outbound webhook events',
    '',
    'Each event is a `POST` to your subscription\'s URL with a JSON body `{"id","type","created_at","data"}` and these headers:',
    '',
    '| header | meaning |',
    '|---|---|',
  );
  const first = Object.values(webhooks)[0]?.post;
  for (const p of (first?.parameters ?? []) as Json[])
    out.push(`| \`${p.name}\` | ${cell(String(p.description))} |`);
  out.push('', 'Answer any 2xx within 10 seconds; anything else is retried with backoff for 24 hours.', '');
  out.push('| event | body | when |', '|---|---|---|');
  for (const [type, { post }] of Object.entries(webhooks)) {
    const schema = (((post.requestBody as Json).content as Json)['application/json'] as Json)
      .schema as Schema;
    out.push(`| \`${type}\` | ${typeOf(schema)} | ${cell(String(post.description ?? ''))} |`);
  }
  out.push('');

  out.push('## Errors', '', 'Every error is the [Error](#schema-error) envelope; `code` is one of:', '');
  out.push('| code | HTTP | when |', '|---|---|---|');
  for (const [code, status] of Object.entries(errorStatus)) {
    out.push(`| \`${code}\` | ${status} | ${cell(errorMeaning[code as keyof typeof errorStatus])} |`);
  }
  out.push('', 'Each operation above lists the codes it can answer (`x-error-codes` in the document).', '');

  out.push('## Schemas', '');
  for (const [id, s] of Object.entries(schemas)) {
    out.push(`### <a id="${schemaAnchor(id)}"></a>${id}`, '');
    if (s.description) out.push(String(s.description), '');
    const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (union) {
      out.push(`One of: ${union.map(typeOf).join(', ')}.`, '');
      for (const u of union) if (u.properties) out.push(...fieldTable(u), '');
    } else if (s.properties) {
      out.push(...fieldTable(s));
      if (s.additionalProperties !== false) out.push('', 'Other fields may follow.');
      out.push('');
    } else out.push(`\`${typeOf(s)}\``, '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
};
