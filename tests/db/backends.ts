// The two databases the data layer must behave the same on: SQLite (a real file in a temp dir) and PostgreSQL
// (a fresh database on the server from `inject('pgUrl')`). Suites run `describe.each(BACKENDS)`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../server/db/knex.ts';
import { createTestDatabase } from '../setup/pg-database.ts';

export interface OpenedBackend {
  db: Database;
  dataDir: string;
  /** Connection URL when PostgreSQL; undefined for SQLite. */
  databaseUrl?: string;
  /** Opens another connection to the same database (the first must be closed first on SQLite). */
  reopen(): Database;
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  open(): Promise<OpenedBackend>;
}

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'klustera-db-test-'));
}

const sqlite: Backend = {
  name: 'sqlite',
  async open() {
    const dataDir = tempDir();
    const opened: Database[] = [];
    const reopen = () => {
      const db = openDatabase({ dataDir });
      opened.push(db);
      return db;
    };
    return {
      db: reopen(),
      dataDir,
      reopen,
      async dispose() {
        for (const db of opened) await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  async open() {
    const database = await createTestDatabase(inject('pgUrl'));
    const dataDir = tempDir();
    const opened: Database[] = [];
    const reopen = () => {
      const db = openDatabase({ dataDir, databaseUrl: database.url });
      opened.push(db);
      return db;
    };
    return {
      db: reopen(),
      dataDir,
      databaseUrl: database.url,
      reopen,
      async dispose() {
        for (const db of opened) await db.close();
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

export const BACKENDS: Backend[] = [sqlite, postgres];
