import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalSecretsManager, startSecretsManager } from '../../local/secrets-manager';

// The local Secrets Manager, driven by the real AWS SDK client over its JSON protocol.
let sm: LocalSecretsManager | undefined;
const clientFor = (url: string) =>
  new SecretsManagerClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });

afterEach(async () => {
  await sm?.stop();
  sm = undefined;
});

describe('local Secrets Manager', () => {
  it('counts requests per operation and secret, in process and on /_local/request-counts', async () => {
    sm = await startSecretsManager();
    const c = clientFor(sm.url);
    const { ARN } = await c.send(new CreateSecretCommand({ Name: 'int/counted', SecretString: 'v' }));
    await c.send(new GetSecretValueCommand({ SecretId: 'int/counted' }));
    await c.send(new GetSecretValueCommand({ SecretId: ARN }));
    await expect(c.send(new GetSecretValueCommand({ SecretId: 'int/absent' }))).rejects.toThrow();
    const expected = {
      CreateSecret: { 'int/counted': 1 },
      GetSecretValue: { 'int/counted': 2, 'int/absent': 1 },
    };
    expect(sm.store.requestCounts()).toEqual(expected);
    expect(await (await fetch(`${sm.url}/_local/request-counts`)).json()).toEqual(expected);
  });

  it('creates, reads, versions and describes secrets', async () => {
    sm = await startSecretsManager();
    const c = clientFor(sm.url);
    const created = await c.send(new CreateSecretCommand({ Name: 'int/one', SecretString: 'v1' }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:int\/one-[0-9a-f]{6}$/);
    expect((await c.send(new GetSecretValueCommand({ SecretId: 'int/one' }))).SecretString).toBe('v1');
    // by ARN too
    expect((await c.send(new GetSecretValueCommand({ SecretId: created.ARN }))).SecretString).toBe('v1');

    await c.send(new PutSecretValueCommand({ SecretId: 'int/one', SecretString: 'v2' }));
    expect((await c.send(new GetSecretValueCommand({ SecretId: 'int/one' }))).SecretString).toBe('v2');
    const prev = await c.send(
      new GetSecretValueCommand({ SecretId: 'int/one', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(prev.SecretString).toBe('v1');

    await c.send(new UpdateSecretCommand({ SecretId: 'int/one', SecretString: 'v3', Description: 'd' }));
    const d = await c.send(new DescribeSecretCommand({ SecretId: 'int/one' }));
    expect(d.Description).toBe('d');
    expect(
      Object.values(d.VersionIdsToStages ?? {})
        .flat()
        .sort(),
    ).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
  });

  it('answers the SDK errors AWS answers', async () => {
    sm = await startSecretsManager();
    const c = clientFor(sm.url);
    await expect(c.send(new GetSecretValueCommand({ SecretId: 'missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await c.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'x' }));
    await expect(c.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'x' }))).rejects.toMatchObject({
      name: 'ResourceExistsException',
    });
  });

  it('schedules deletion (unreadable, name not reusable) unless forced', async () => {
    sm = await startSecretsManager();
    const c = clientFor(sm.url);
    await c.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'x' }));
    const del = await c.send(new DeleteSecretCommand({ SecretId: 'gone', RecoveryWindowInDays: 7 }));
    expect(del.DeletionDate).toBeInstanceOf(Date);
    await expect(c.send(new GetSecretValueCommand({ SecretId: 'gone' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
    await expect(c.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'y' }))).rejects.toMatchObject({
      name: 'ResourceExistsException',
    });
    await c.send(new DeleteSecretCommand({ SecretId: 'gone', ForceDeleteWithoutRecovery: true }));
    await c.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'y' }));
    expect((await c.send(new GetSecretValueCommand({ SecretId: 'gone' }))).SecretString).toBe('y');
  });

  it('keeps secrets across restarts when given a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sm-')), 'secrets.json');
    sm = await startSecretsManager({ file });
    await clientFor(sm.url).send(new CreateSecretCommand({ Name: 'kept', SecretString: 'still here' }));
    await sm.stop();
    sm = await startSecretsManager({ file });
    const v = await clientFor(sm.url).send(new GetSecretValueCommand({ SecretId: 'kept' }));
    expect(v.SecretString).toBe('still here');
  });
});
