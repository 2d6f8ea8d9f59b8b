import type { Adapter } from '../types';
import { manifest } from './manifest';

export const linear: Adapter = { manifest };
