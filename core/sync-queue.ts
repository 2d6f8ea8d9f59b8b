import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from './aws';
import { queueUrl } from './config';

export type SyncMessage = {
  tenant_id: string;
  connection_id: string;
  sync: string;
  run_id: string;
  mode: 'incremental' | 'full';
};

export const enqueueSync = async (msg: SyncMessage, delaySeconds = 0): Promise<void> => {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: queueUrl('sync'),
      MessageBody: JSON.stringify(msg),
      ...(delaySeconds ? { DelaySeconds: Math.min(900, Math.max(0, Math.round(delaySeconds))) } : {}),
    }),
  );
};
