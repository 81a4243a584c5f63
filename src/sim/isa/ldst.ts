import type { Encoding } from '../decode';

export const LDST: Encoding[] = [];
