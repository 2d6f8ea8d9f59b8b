import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type IndexDefinition, type KeyAttr, type TableName, tables } from '../core/platform/resources';

const attr = (k: KeyAttr) => ({
  name: k.name,
  type: k.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * The DynamoDB tables, built from the same definitions `local/` provisions, so key
 * layouts can't drift between the two.
 *
 * Classic `Table` (AWS::DynamoDB::Table) rather than `TableV2`: cdk-nag's PITR rule only
 * inspects AWS::DynamoDB::Table, so with TableV2 a missing PITR would go unreported.
 */
export class Data extends Construct {
  readonly tables: Record<TableName, Table>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const build = (name: TableName): Table => {
      const def = tables[name];
      const table = new Table(this, def.id, {
        partitionKey: attr(def.partitionKey),
        ...('sortKey' in def ? { sortKey: attr(def.sortKey) } : {}),
        ...('ttlAttribute' in def ? { timeToLiveAttribute: def.ttlAttribute } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        // Tenants' data and connection state: a stack deletion must not take it along.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const index of def.indexes as readonly IndexDefinition[]) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attr(index.partitionKey),
          ...('sortKey' in index ? { sortKey: attr(index.sortKey) } : {}),
          ...(index.include
            ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
            : { projectionType: ProjectionType.ALL }),
        });
      }
      return table;
    };
    this.tables = {
      state: build('state'),
      runs: build('runs'),
      records: build('records'),
      dedupe: build('dedupe'),
      audit: build('audit'),
    };
  }
}
