import { sql as teamSchema } from './0001-team-schema';
import { sql as approveSample } from './0002-approve-sample';
import { sql as openQueue } from './0003-open-queue';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In order; a migration once released is never edited (the runner refuses a changed one). */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'team-schema', sql: teamSchema },
  { version: 2, name: 'approve-sample', sql: approveSample },
  { version: 3, name: 'open-queue', sql: openQueue },
];
