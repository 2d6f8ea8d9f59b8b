import { createApp } from '../lib/app';

// Synthesized by the CDK CLI when the process exits (`cdk synth`, `cdk deploy`).
createApp();
