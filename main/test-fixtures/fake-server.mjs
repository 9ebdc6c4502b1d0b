// Stands in for `bin/klustera.mjs serve` in launcher tests: behaves like the real server's process contract.
import http from 'node:http';

const mode = process.argv[2] ?? 'ok';

if (mode === 'crash') {
  process.stdout.write('loading configuration\n');
  process.stderr.write('Error: database is locked\n');
  process.exit(3);
}
if (mode === 'silent') {
  setInterval(() => {}, 1_000);
} else {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'ok', args: process.argv.slice(2), electron_run_as_node: process.env.ELECTRON_RUN_AS_NODE ?? null }));
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    process.stdout.write(`Klustera is ready at http://127.0.0.1:${port}\nKLUSTERA_READY {"url":`);
    // The second half arrives in a separate write so the parent must reassemble the line.
    setTimeout(() => process.stdout.write(`"http://127.0.0.1:${port}"}\n`), 20);
  });
  process.on('SIGTERM', () => {
    process.stdout.write('shutting down\n');
    server.close(() => process.exit(0));
  });
}
