import { Aws, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type BucketName, buckets, type QueueName } from '../core/platform/resources';

export type ImportsProps = { queues: Record<QueueName, Queue> };

/**
 * The buckets of core/platform/resources.ts — today the CSV imports bucket: uploads (inline
 * bodies and presigned PUTs) land under its prefix, S3 notifies the import queue of each
 * object created there, and objects are deleted after a week. Private, encrypted, TLS only,
 * with server access logs in a bucket of their own.
 */
export class Buckets extends Construct {
  readonly buckets: Record<BucketName, s3.Bucket>;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: ImportsProps) {
    super(scope, id);
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The server access log bucket itself: logging it would log into itself.',
    });

    const stack = Stack.of(this);
    const stackName = Token.isUnresolved(stack.stackName) ? 'integrations' : stack.stackName.toLowerCase();
    const build = (name: BucketName): s3.Bucket => {
      const def = buckets[name];
      const queue = props.queues[def.notifies];
      // S3 checks that it may send to the queue when the notification is set, so the queue's
      // policy must exist first and name the bucket by ARN — which therefore can't be a
      // reference to the bucket (a cycle): the bucket gets a name of its own, unique by
      // account and region. Set by CloudFormation itself (NotificationConfiguration), not by
      // CDK's addEventNotification, whose helper Lambda (Python, a managed policy, no log
      // retention) would be the only function here that isn't ours.
      const bucketName = `${stackName}-${def.id.toLowerCase()}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
      const allowed = queue.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `${def.id}Notifications`,
          principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
          conditions: {
            ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:s3:::${bucketName}` },
            StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          },
        }),
      );
      const bucket = new s3.Bucket(this, def.id, {
        bucketName,
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        serverAccessLogsBucket: this.accessLogs as s3.IBucket,
        serverAccessLogsPrefix: `${def.id}/`,
        lifecycleRules: [
          { expiration: Duration.days(def.expireAfterDays) },
          // A multipart upload given up half-way holds its parts until this.
          { abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ],
        // Customers' files for a week at most: nothing to keep when the stack goes.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
        queueConfigurations: [
          {
            event: 's3:ObjectCreated:*',
            queue: queue.queueArn,
            filter: { s3Key: { rules: [{ name: 'prefix', value: def.prefix }] } },
          },
        ],
      };
      if (allowed.policyDependable) bucket.node.addDependency(allowed.policyDependable);
      return bucket;
    };
    this.buckets = { imports: build('imports') };
  }
}
