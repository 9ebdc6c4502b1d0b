// Vitest global setup: makes a PostgreSQL server available to the test files that need one.
//
// `inject('pgUrl')` yields a connection URL to a server where tests may CREATE DATABASE (see
// tests/setup/pg-database.ts). It is KLUSTERA_TEST_DATABASE_URL when set; otherwise an embedded PostgreSQL is
// started, but only when a selected test file needs it, because initdb costs most of a second on every run.
import type { TestProject } from 'vitest/node';
import { needsPostgres } from './pg-need.ts';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-pg.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server URL (database `postgres`) or '' when no PostgreSQL was started for this run. */
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Test servers answer thousands of requests: their access lines would bury the test output. Errors still show;
  // KLUSTERA_LOG_LEVEL=info (or debug) brings the rest back when a test needs reading.
  process.env.KLUSTERA_LOG_LEVEL ||= 'error';
  const external = process.env.KLUSTERA_TEST_DATABASE_URL;
  if (external) {
    project.provide('pgUrl', external);
    return async () => {};
  }

  let running: RunningPostgres | undefined;
  if (await needsPostgres(project)) {
    running = await startEmbeddedPostgres();
    project.provide('pgUrl', running.url);
  } else {
    project.provide('pgUrl', '');
  }
  return async () => {
    await running?.stop();
  };
}
