import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports, readTree } from './import-rules';

const root = resolve(import.meta.dirname, '../..');

describe('dependency rules (docs/architecture.md)', () => {
  it('hold for every import of the tree', () => {
    const violations = checkImports(readTree(root));
    expect(violations.map((v) => `${v.rule}: ${v.file} → ${v.detail}`)).toEqual([]);
  });

  // The check must be able to fail: one planted violation of each rule, each reported.
  const planted = new Map<string, string>([
    ['core/platform/errors.ts', 'export const e = 1;\n'],
    ['core/store/connections-repo.ts', "export const pk = 'TENANT#';\n"],
    [
      'core/a.ts',
      "import { routes } from '../functions/routes';\nimport type { Context } from 'aws-lambda';\n",
    ],
    ['core/outbound/sign.ts', "import { hmacHex } from '../../adapters/webhook-signatures';\n"],
    ['core/b.ts', "import { github } from '../adapters/github';\nexport const k = `CONN#` + n;\n"],
    ['core/c.ts', "import { d } from './d';\nexport const c = 1;\n"],
    ['core/d.ts', "import { c } from './c';\nexport const d = 1;\n"],
    ['core/index.ts', "export * from './c';\n"],
    ['core/e.ts', "import { PutCommand } from '@aws-sdk/lib-dynamodb';\n"],
    [
      'adapters/x/sync.ts',
      "import { dynamo } from '../../core/platform/aws';\nimport { SQSClient } from '@aws-sdk/client-sqs';\n",
    ],
    ['adapters/webhook-signatures.ts', 'export const hmacHex = 1;\n'],
    [
      'adapters/y/rest.ts',
      "import { request } from 'node:https';\n// fetch(url) in a comment is fine\nexport const y = () => fetch(url);\n",
    ],
    ['core/f.ts', "import { Agent } from 'undici';\nimport * as http from 'node:http';\n"],
    ['adapters/github/index.ts', 'export const github = 1;\n'],
    ['functions/routes.ts', 'export const routes = [];\n'],
    [
      'functions/workers.ts',
      "import { syncMessage } from '../core/syncs/message';\nimport { enqueueSync } from '../core/syncs/queue';\n",
    ],
    ['core/syncs/message.ts', "import * as z from 'zod/mini';\nexport const syncMessage = z.object({});\n"],
    [
      'core/syncs/queue.ts',
      "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const enqueueSync = 1;\n",
    ],
    [
      'functions/http/h.ts',
      "import { x } from '../../core/store/connections-repo';\nimport { SQSClient } from '@aws-sdk/client-sqs';\nimport { s } from '../../local/start';\n",
    ],
    ['local/start.ts', 'export const s = 1;\n'],
    ['functions/http/g.ts', "import { contract } from './responses/g';\n"],
    [
      'functions/http/responses/g.ts',
      "import { shape } from '../../openapi/shapes/g';\nexport const contract = 1;\n",
    ],
    ['lib/api.ts', "import { e } from '../core/platform/errors';\n"],
    ['adapters/types.ts', 'export type WebhookFunctions = {};\nexport const ISSUE = 1;\n'],
    ['adapters/webhook-routing.ts', 'export const routingKeys = 1;\n'],
    ['adapters/z/mapping.ts', "import * as z from 'zod/mini';\nexport const mapIssue = z.object({});\n"],
    ['adapters/w/webhook-keys.ts', "import { routingKeys } from '../webhook-routing';\n"],
    [
      'adapters/z/webhook-keys.ts',
      [
        // Allowed: types as types, routing keys, node builtins, another provider's keys.
        "import type { WebhookFunctions } from '../types';",
        "import { routingKeys } from '../webhook-routing';",
        "import { createHash } from 'node:crypto';",
        "export { connectionKeys } from '../w/webhook-keys';",
        // Refused: a payload schema library, the provider's mapping, a value import of the types.
        "import * as z from 'zod/mini';",
        "import { mapIssue } from './mapping';",
        "import { ISSUE } from '../types';",
        '',
      ].join('\n'),
    ],
    [
      'test/ok.test.ts',
      "import { s } from '../local/start';\nimport { x } from '../core/store/connections-repo';\n",
    ],
  ]);

  it('reports each planted violation, and nothing in tests', () => {
    const found = checkImports(planted).map((v) => `${v.rule} ${v.file}`);
    expect(found.sort()).toEqual(
      [
        'adapters-no-aws adapters/x/sync.ts',
        'adapters-no-core adapters/x/sync.ts',
        'core-inward-only core/a.ts',
        'core-no-lambda-types core/a.ts',
        'dynamodb-only-in-store core/e.ts',
        'contracts-out-of-handlers functions/http/g.ts',
        'handlers-no-aws-sdk functions/http/h.ts',
        'handlers-no-store functions/http/h.ts',
        'key-layout-in-store core/b.ts',
        'network-through-guard adapters/y/rest.ts',
        'network-through-guard adapters/y/rest.ts',
        'network-through-guard core/f.ts',
        'network-through-guard core/f.ts',
        'lib-reads-definitions-only lib/api.ts',
        'no-barrels core/index.ts',
        'no-cycles core/c.ts',
        'nothing-imports-local functions/http/h.ts',
        'outbound-signing-is-ours core/outbound/sign.ts',
        'tables-read-definitions-only functions/workers.ts',
        'providers-through-registry core/b.ts',
        'webhook-keys-light adapters/z/webhook-keys.ts',
        'webhook-keys-light adapters/z/webhook-keys.ts',
        'webhook-keys-light adapters/z/webhook-keys.ts',
      ].sort(),
    );
  });

  it('leaves imports named only in comments alone, type-only imports out of cycles, and webhook keys to what they may read', () => {
    const ok = new Map([
      ['core/c.ts', "// import { x } from '../functions/routes';\nimport type { D } from './d';\n"],
      ['core/d.ts', "import { c } from './c';\nexport type D = 1;\n"],
      ['functions/routes.ts', ''],
      ['adapters/types.ts', ''],
      ['adapters/webhook-routing.ts', ''],
      ['adapters/b/webhook-keys.ts', ''],
      [
        'adapters/a/webhook-keys.ts',
        "import type { WebhookFunctions } from '../types';\nimport { routingKeys } from '../webhook-routing';\nimport { createHash } from 'node:crypto';\nexport { connectionKeys } from '../b/webhook-keys';\n",
      ],
    ]);
    expect(checkImports(ok)).toEqual([]);
  });
});
