import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { secrets } from '../core/platform/resources';

/**
 * The data-key secret: `{ "current": "1", "k1": "<64 random characters>" }`, the shape
 * core/keys/data-key.ts parses. Rotation adds `k2`, … and moves `current`
 * (`npm run admin -- rotate-data-key`), re-encrypting the stored credentials.
 */
export class Secrets extends Construct {
  readonly dataKey: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const def = secrets.dataKey;
    this.dataKey = new Secret(this, def.id, {
      secretName: def.name,
      description: 'Data-encryption keys for per-connection credentials and cursor signing (versioned).',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: '1' }),
        generateStringKey: 'k1',
        passwordLength: 64,
        excludePunctuation: true,
      },
      // Losing it would make every stored connection credential undecryptable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.dataKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by `npm run admin -- rotate-data-key`, which adds a key version and re-encrypts the stored ' +
        'credentials; the Secrets Manager rotation Lambda would replace the key without re-encrypting.',
    });
  }
}
