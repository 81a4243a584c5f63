import type { Encoding } from '../decode';

export const DP_REG: Encoding[] = [];
