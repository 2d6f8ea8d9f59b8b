import type { Adapter } from '../types';
import { manifest } from './manifest';

export const slack: Adapter = { manifest };
