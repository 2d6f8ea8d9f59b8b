import type { Adapter } from '../types';
import { manifest } from './manifest';

export const csv: Adapter = { manifest };
