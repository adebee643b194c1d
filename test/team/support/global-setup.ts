import type { TestProject } from 'vitest/node';
import { startCluster } from './cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The admin URL of the run's PostgreSQL cluster (superuser idv_admin). */
    pgAdminUrl: string;
  }
}

/** One PostgreSQL cluster for the whole team run; tests reach it with inject('pgAdminUrl'). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startCluster();
  project.provide('pgAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
