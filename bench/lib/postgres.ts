// A PostgreSQL database for one benchmark run: the test suite's embedded PostgreSQL (tests/setup/embedded-pg.ts),
// or the server named by KLUSTERA_BENCH_DATABASE_URL (a role that may CREATE DATABASE), with a fresh database in it.
// The database is dropped and an embedded server stopped and its data dir removed when the benchmark ends, also
// when it throws or is interrupted (Ctrl-C, SIGTERM).
import { startEmbeddedPostgres, type RunningPostgres } from '../../tests/setup/embedded-pg.ts';
import { createTestDatabase, type TestDatabase } from '../../tests/setup/pg-database.ts';

export interface BenchPostgres {
  /** Connection URL of the benchmark's own, empty database. */
  url: string;
}

export async function withPostgres<T>(work: (pg: BenchPostgres) => Promise<T>): Promise<T> {
  const external = process.env.KLUSTERA_BENCH_DATABASE_URL;
  let embedded: RunningPostgres | undefined;
  let database: TestDatabase | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      // Dropping is pointless on a server that is about to be removed with its data dir.
      if (database && !embedded)
        await database.drop().catch((err: Error) => process.stderr.write(`[bench] drop database: ${err.message}\n`));
      await embedded?.stop();
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`[bench] ${signal}: stopping PostgreSQL\n`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!external) embedded = await startEmbeddedPostgres();
    database = await createTestDatabase(external ?? embedded!.url);
    return await work({ url: database.url });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanUp();
  }
}
