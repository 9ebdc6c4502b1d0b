// Child process for the webhook crash test: a real server that stores gateway callbacks but runs no jobs, so the
// parent can SIGKILL it between acknowledging a callback and processing it. Prints READY <url> once listening.
import { startServer } from '../../server/start.ts';

const [dataDir, databaseUrl] = process.argv.slice(2);
process.env.KLUSTERA_VALIDATE_RESPONSES = '1';
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  databaseUrl: databaseUrl || undefined,
  backgroundJobs: false,
  schedules: false,
  liveSync: false,
});
process.stdout.write(`READY ${server.url}\n`);
await new Promise(() => {});
