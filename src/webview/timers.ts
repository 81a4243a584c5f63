import { startTablesPanel } from './tables-panel';

startTablesPanel();
