import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir, parseTrustProxy } from './config.ts';
import { openDatabase } from './db/knex.ts';
import { migrateToLatest } from './db/migrate.ts';
import { backupDatabase, restoreDatabase } from './db/backup.ts';
import { decryptFile, isEncryptedBackup } from './backups/index.ts';
import { createAdmin } from './system/create-admin.ts';
import { seedDemo } from './system/seed-demo.ts';
import { startServer } from './start.ts';
import { effectivePublicUrl, phoneAddressLines } from './public-url/index.ts';
import { printCashbookVerification } from './cashbook/verify-report.ts';
import { loadSyncContext } from './db/sync-context.ts';
import { DEFAULT_SERVER_OPTIONS } from './http/app-context.ts';
import { runSyncCommand } from './sync/sync-command.ts';
import { packageVersion } from './start.ts';
import { metricsTokenFromEnv } from './observability/index.ts';
import { exportEstate, importEstate } from './estate-transfer/service.ts';
import { fileBucketFromConfig, useFileBucket } from './files/index.ts';

const USAGE = `klustera — housing estate management

Usage:
  klustera serve [--port 4780] [--host 127.0.0.1|0.0.0.0] [--data-dir DIR] [--database-url postgres://…]
                 [--trust-proxy loopback|ADDRESSES|HOPS|false]   proxies whose X-Forwarded-* count (KLUSTERA_TRUST_PROXY)
                 [--public-url https://klustera.example.id]   the address phones open, for links and QR codes
                 (KLUSTERA_PUBLIC_URL; otherwise the office settings, else the LAN address when serving on 0.0.0.0)
                 [--metrics-port 9464]   Prometheus /metrics on 127.0.0.1 only (KLUSTERA_METRICS_PORT; or
                 KLUSTERA_METRICS_TOKEN for /metrics on the main port behind a bearer token)
                 [--files-s3-endpoint https://s3.example.com --files-s3-bucket NAME [--files-s3-region us-east-1]
                 [--files-s3-path-style]]   uploaded files (proofs, attachments) in an S3-compatible bucket instead of
                 the database, for several server processes (KLUSTERA_FILES_S3_ENDPOINT, _BUCKET, _REGION, _PATH_STYLE=1;
                 the key pair only from KLUSTERA_FILES_S3_ACCESS_KEY_ID and KLUSTERA_FILES_S3_SECRET_ACCESS_KEY)
  klustera migrate [--data-dir DIR] [--database-url …]
  klustera create-admin --name NAME (--email EMAIL | --phone PHONE) --password PASSWORD [--estate NAME]
  klustera seed-demo [--data-dir DIR] [--database-url …]
  klustera backup <file> [--data-dir DIR]        online copy, safe while the server runs
  klustera restore <file> [--data-dir DIR] [--passphrase-file FILE]   stop the server first: refused while one uses
                 the data folder; an encrypted copy (.klbk) opens with the passphrase in FILE or KLUSTERA_BACKUP_PASSPHRASE
  klustera verify-cashbook [--data-dir DIR] [--database-url …]   exit 1 when a cash-book hash chain is broken
  klustera sync [--data-dir DIR] [--database-url …]   one push+pull with the linked hosted instance; exit 1 on an error
  klustera export-estate <estate-id> <file.tar.gz> [--data-dir DIR] [--database-url …]   one estate as an archive
  klustera import-estate <file.tar.gz> [--data-dir DIR] [--database-url …]   an estate archive as a new estate here

Data folder: --data-dir, else KLUSTERA_DATA_DIR, else ${defaultDataDir()}
Database: --database-url, else DATABASE_URL, else the SQLite file in the data folder.`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'trust-proxy': { type: 'string' },
  'public-url': { type: 'string' },
  'metrics-port': { type: 'string' },
  'files-s3-endpoint': { type: 'string' },
  'files-s3-bucket': { type: 'string' },
  'files-s3-region': { type: 'string' },
  'files-s3-path-style': { type: 'boolean' },
  name: { type: 'string' },
  email: { type: 'string' },
  phone: { type: 'string' },
  password: { type: 'string' },
  estate: { type: 'string' },
  kiosk: { type: 'boolean' },
  'passphrase-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command = 'serve', ...rest] = positionals;
  if (values.help || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
  try {
    // Serving and exporting an estate read uploaded files: both need to know where their bytes are.
    const files = fileBucketFromConfig({
      endpoint: values['files-s3-endpoint'],
      bucket: values['files-s3-bucket'],
      region: values['files-s3-region'],
      pathStyle: values['files-s3-path-style'],
    });
    useFileBucket(files);
    switch (command) {
      case 'serve': {
        const port = values.port !== undefined ? Number(values.port) : Number(process.env.PORT ?? 4780);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${values.port}`);
        const trustProxy = parseTrustProxy(values['trust-proxy']);
        const metricsPortText = values['metrics-port'] ?? process.env.KLUSTERA_METRICS_PORT;
        const metricsPort = metricsPortText ? Number(metricsPortText) : undefined;
        if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 1 || metricsPort > 65535))
          throw new Error(`--metrics-port must be 1–65535, got ${metricsPortText}`);
        const metricsToken = metricsTokenFromEnv();
        const server = await startServer({
          dataDir,
          databaseUrl,
          port,
          host: values.host ?? process.env.KLUSTERA_HOST,
          options: trustProxy === undefined ? undefined : { trustProxy },
          publicUrl: values['public-url'] ?? (process.env.KLUSTERA_PUBLIC_URL || undefined),
          metrics: metricsPort !== undefined || metricsToken ? { port: metricsPort, token: metricsToken } : undefined,
          files,
        });
        const health = await server.db.knex('users').first('id');
        console.log(`Klustera is ready at ${server.url}${values.kiosk ? '/kiosk' : ''}`);
        console.log(`  data: ${databaseUrl ? 'PostgreSQL' : server.dataDir}`);
        if (files) console.log(`  uploaded files: bucket ${files.bucket} at ${files.endpoint}`);
        if (!health) console.log(`  first run: open ${server.url} to set up your estate and its first administrator`);
        if (values.host === '0.0.0.0')
          console.log('  listening on every network interface: residents on the estate Wi-Fi can open the portal');
        const phones = server.app.publicAddress
          ? effectivePublicUrl(server.app.publicAddress)
          : { url: server.app.publicUrl, source: 'local' as const };
        for (const line of await phoneAddressLines(phones.url, phones.source, Boolean(values.kiosk))) console.log(line);
        // The ready line is for a parent process reading a pipe; a person at a terminal has the lines above.
        if (!process.stdout.isTTY || process.env.KLUSTERA_READY_LINE === '1')
          console.log(`KLUSTERA_READY ${JSON.stringify({ url: server.url, port: server.port })}`);
        const log = server.app.observability?.log;
        log?.info({ url: server.url, port: server.port, metrics_port: server.metricsPort }, 'server started');
        const stop = async () => {
          await server.close();
          log?.info('server stopped');
          await new Promise<void>((resolve) => (log ? log.flush(() => resolve()) : resolve()));
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await new Promise(() => {});
        return 0;
      }
      case 'migrate': {
        const db = openDatabase({ dataDir, databaseUrl });
        try {
          const result = await migrateToLatest(db);
          console.log(result.applied.length ? `Applied: ${result.applied.join(', ')}` : 'Already up to date.');
          if (result.backupFile) console.log(`Backup before migrating: ${result.backupFile}`);
        } finally {
          await db.close();
        }
        return 0;
      }
      case 'create-admin': {
        const db = openDatabase({ dataDir, databaseUrl });
        try {
          await migrateToLatest(db);
          const out = await createAdmin(db, {
            name: values.name,
            email: values.email,
            phone: values.phone,
            password: values.password,
            estate: values.estate,
          });
          console.log(`Administrator ${out.login} created${out.estateName ? ` for ${out.estateName}` : ''}.`);
        } finally {
          await db.close();
        }
        return 0;
      }
      case 'seed-demo': {
        const db = openDatabase({ dataDir, databaseUrl });
        try {
          await migrateToLatest(db);
          const out = await seedDemo(db);
          console.log(
            `Demo estate "${out.estateName}": ${out.units} units, ${out.residents} residents. Sign in as ${out.login} / ${out.password}`,
          );
        } finally {
          await db.close();
        }
        return 0;
      }
      case 'backup': {
        const file = rest[0];
        if (!file) throw new Error('backup needs a target file: klustera backup <file>');
        const out = await backupDatabase(dataDir, path.resolve(file));
        console.log(`Backup written to ${out.file} (${Math.round(out.bytes / 1024)} KB, checked, in ${out.seconds.toFixed(1)} s).`);
        return 0;
      }
      case 'restore': {
        const file = rest[0];
        if (!file || !fs.existsSync(file)) throw new Error('restore needs an existing backup file: klustera restore <file>');
        let source = path.resolve(file);
        let decrypted: string | null = null;
        if (isEncryptedBackup(source)) {
          const passphrase = values['passphrase-file']
            ? fs.readFileSync(values['passphrase-file'], 'utf8').replace(/\r?\n$/, '')
            : process.env.KLUSTERA_BACKUP_PASSPHRASE;
          if (!passphrase)
            throw new Error('this backup is encrypted: give its passphrase with --passphrase-file FILE or KLUSTERA_BACKUP_PASSPHRASE');
          fs.mkdirSync(dataDir, { recursive: true });
          decrypted = path.join(dataDir, `.klustera-decrypting-${process.pid}.sqlite`);
          await decryptFile(source, decrypted, passphrase);
          source = decrypted;
        }
        try {
          const out = await restoreDatabase(dataDir, source);
          console.log(`Restored from ${file}.${out.previous ? ` The previous database was kept at ${out.previous}.` : ''}`);
        } finally {
          if (decrypted) fs.rmSync(decrypted, { force: true });
        }
        return 0;
      }
      case 'verify-cashbook': {
        const db = openDatabase({ dataDir, databaseUrl });
        try {
          return await printCashbookVerification(db.knex);
        } finally {
          await db.close();
        }
      }
      case 'sync': {
        const db = openDatabase({ dataDir, databaseUrl });
        try {
          await migrateToLatest(db);
          const sync = await loadSyncContext(db.knex);
          return await runSyncCommand({ db, sync, dataDir, version: packageVersion(), publicUrl: '', options: DEFAULT_SERVER_OPTIONS });
        } finally {
          await db.close();
        }
      }
      case 'export-estate': {
        const [estateId, file] = rest;
        if (!estateId || !file) throw new Error('export-estate needs an estate id and a target file: klustera export-estate <id> <file>');
        const db = openDatabase({ dataDir, databaseUrl });
        try {
          await migrateToLatest(db);
          const sync = await loadSyncContext(db.knex);
          const target = path.resolve(file);
          const manifest = await exportEstate(db, estateId, sync.siteId, () => fs.createWriteStream(target));
          if (!manifest) throw new Error(`no estate ${estateId} in this database`);
          const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
          console.log(`Estate "${manifest.estate_name}" written to ${target}: ${rows} rows, ${manifest.files.length} files.`);
        } finally {
          await db.close();
        }
        return 0;
      }
      case 'import-estate': {
        const file = rest[0];
        if (!file || !fs.existsSync(file)) throw new Error('import-estate needs an existing archive: klustera import-estate <file>');
        const db = openDatabase({ dataDir, databaseUrl });
        try {
          await migrateToLatest(db);
          const sync = await loadSyncContext(db.knex);
          const out = await importEstate(db, fs.createReadStream(file), { actor: { userId: null, role: 'system' }, sync });
          const a = out.accounts;
          console.log(
            `Estate "${out.estate_name}" (${out.estate_id}) imported: ${out.rows} rows, ${out.files} files; accounts: ` +
              `${a.same_id} already here, ${a.matched_by_email} matched by e-mail, ${a.created_invited} created as invited (send them an invite link).`,
          );
        } finally {
          await db.close();
        }
        return 0;
      }
      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    console.error(`klustera ${command}: ${(err as Error).message}`);
    return 1;
  }
}
