#!/usr/bin/env node
// `npm run dist:deb`: the headless server as a Debian package (klustera-server) for a mini PC or a Raspberry Pi-class
// board, built with dpkg-deb from what this checkout already has: the server's release bundle, the built renderer,
// bin/ and the npm packages the bundle loads, with the native better-sqlite3 built for the Node running this script.
//
//   npm run dist:deb                  build the server bundle and the renderer, then the package
//   npm run dist:deb -- --no-build    package the existing dist/server/release and renderer/dist
//   npm run dist:deb -- --out DIR     where the .deb goes (default dist/installers)
//
// Prints the path of the .deb on stdout. See installers/README.md.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const here = path.join(root, 'installers', 'deb');

export const PACKAGE_NAME = 'klustera-server';
export const INSTALL_DIR = '/usr/lib/klustera';
/** The oldest Node the server supports (package.json `engines`). */
export const NODE_MIN = '20.19';

/** Debian's name for the CPU a Node binary was built for. */
export function debianArchitecture(nodeArch) {
  const names = { x64: 'amd64', arm64: 'arm64', arm: 'armhf', ia32: 'i386', riscv64: 'riscv64', ppc64: 'ppc64el', s390x: 's390x' };
  const name = names[nodeArch];
  if (!name) throw new Error(`no Debian architecture for Node's ${nodeArch}`);
  return name;
}

/**
 * The nodejs versions the package can run on. better-sqlite3's .node file only loads into the Node major it was built
 * for (each major has its own ABI), so the upper bound is as real as the lower one: a Node 20 build on a machine that
 * upgrades to Node 22 must be rebuilt, and apt says so instead of the service failing to start.
 */
export function nodeDependency(nodeVersion) {
  const major = Number(nodeVersion.split('.')[0]);
  const [minMajor, minMinor] = NODE_MIN.split('.').map(Number);
  const lower = major > minMajor ? `${major}.0` : `${minMajor}.${minMinor}`;
  if (major < minMajor || (major === minMajor && Number(nodeVersion.split('.')[1]) < minMinor)) {
    throw new Error(`Node ${nodeVersion} is older than ${NODE_MIN}, the oldest the server supports`);
  }
  return `nodejs (>= ${lower}), nodejs (<< ${major + 1})`;
}

/**
 * `libraryDepends`: the shared libraries the native modules link against, as dpkg-shlibdeps names them
 * (e.g. `libc6 (>= 2.34), libgcc-s1 (>= 3.0), libstdc++6 (>= 11)`).
 */
export function controlFile({ version, architecture, nodeVersion, installedSizeKb, libraryDepends = '' }) {
  return [
    `Package: ${PACKAGE_NAME}`,
    `Version: ${version}`,
    `Architecture: ${architecture}`,
    'Maintainer: Klustera contributors <klustera@users.noreply.github.com>',
    `Installed-Size: ${installedSizeKb}`,
    // init-system-helpers 1.54: the deb-systemd-helper and deb-systemd-invoke that debhelper's scripts of 2022 on use.
    `Depends: ${[nodeDependency(nodeVersion), libraryDepends, 'passwd', 'init-system-helpers (>= 1.54~)'].filter(Boolean).join(', ')}`,
    // The desktop package (electron-builder) also installs /usr/bin/klustera.
    'Conflicts: klustera',
    'Section: web',
    'Priority: optional',
    'Description: Klustera housing estate server (headless)',
    ' Klustera mengelola perumahan dan RT/RW: data unit dan warga, tagihan iuran,',
    ' pembayaran dan kuitansi, buku kas, pos satpam dan portal warga.',
    ' .',
    ' This package runs the server without a desktop, as the klustera system',
    ' service on port 4780; browsers on the estate network open its pages. Data',
    ' lives in /var/lib/klustera and stays when the package is removed (not purged).',
    '',
  ].join('\n');
}

/**
 * The packaged unit: installers/systemd/klustera.service with the package's paths, reading /etc/default/klustera
 * (which systemd lets override the defaults set here), so there is one set of hardening lines to keep.
 */
export function packagedUnit(unitText) {
  const execStart = 'ExecStart=/usr/local/bin/klustera serve --host 0.0.0.0 --data-dir /var/lib/klustera';
  if (!unitText.includes(execStart)) throw new Error('installers/systemd/klustera.service: ExecStart changed, update packagedUnit()');
  return unitText
    .replace(/^Documentation=.*$/m, `Documentation=file:///usr/share/doc/${PACKAGE_NAME}/README.md`)
    .replace(/^Environment=PORT=(.*)$/m, 'Environment=PORT=$1\nEnvironment=HOST=0.0.0.0\nEnvironmentFile=-/etc/default/klustera')
    .replace(execStart, 'ExecStart=/usr/bin/klustera serve --host ${HOST} --data-dir /var/lib/klustera $KLUSTERA_OPTS');
}

/**
 * Dependencies in package.json that the installed server never loads, with the reason. They stay out of the package
 * together with whatever only they pull in; `bundleImports` checks at build time that the bundle asks for none of them.
 */
export const NOT_RUN_BY_THE_SERVER = {
  // tsx brings esbuild and its Go binary for this CPU (about 22 MB).
  tsx: 'bin/klustera.mjs runs the TypeScript sources through it only where there is no bundle; the package ships the bundle',
  'electron-updater': "the desktop window's update check (main/), which the headless package does not have",
};

/**
 * The packages the server needs at run time: package.json's dependencies except `leftOut`, and everything they load
 * in turn (dependencies, optional and peer dependencies that are installed), each found the way Node's resolver finds
 * it, from the requiring package's own node_modules up to the top. Optional packages for other platforms are in the
 * lock but not on disk, and are left out; so are dev-only entries, which `npm ci --omit=dev` does not install.
 */
export function runtimePackages(lock, exists, leftOut = Object.keys(NOT_RUN_BY_THE_SERVER)) {
  const entries = lock.packages ?? {};
  const installed = (key) => Boolean(entries[key]) && !entries[key].dev && !entries[key].link && exists(key);
  const find = (from, name) => {
    for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
      const key = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (installed(key)) return key;
      if (!base) return null;
    }
  };
  const root = entries[''] ?? {};
  const needed = new Set();
  const queue = [];
  for (const name of Object.keys({ ...root.dependencies, ...root.optionalDependencies })) {
    if (leftOut.includes(name)) continue;
    const key = find('', name);
    if (!key) throw new Error(`${name} is in package.json's dependencies but not installed: run npm ci`);
    queue.push(key);
  }
  while (queue.length > 0) {
    const key = queue.shift();
    if (needed.has(key)) continue;
    needed.add(key);
    const entry = entries[key];
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })) {
      const found = find(key, name);
      if (found) queue.push(found);
    }
  }
  return [...needed].sort();
}

/**
 * The npm packages a bundle file loads: its import statements, import() calls, require() calls (in the worker
 * sources it carries as strings) and createRequire(import.meta.url)("…") calls and resolves. Node's built-ins are
 * not packages. A package name, not a file: `csv-parse/sync` is `csv-parse`, `@scope/name/x` is `@scope/name`.
 */
export function bundleImports(source) {
  const patterns = [
    /^import\s[^;]*?\sfrom\s*["']([^"']+)["']/gm,
    /^import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
    /\bcreateRequire\w*\(import\.meta\.url\)(?:\.resolve)?\(\s*["']([^"']+)["']\s*\)/g,
  ];
  const names = new Set();
  for (const pattern of patterns) {
    for (const [, specifier] of source.matchAll(pattern)) {
      if (/^(\.|\/|node:)/.test(specifier) || builtinModules.includes(specifier.split('/')[0])) continue;
      const parts = specifier.split('/');
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return [...names].sort();
}

// Compiler leftovers and sources of the native modules (the .node file is all they load), the prebuilt usb modules
// for other systems and CPUs, and files that only serve the packages' own development: none is read at run time.
export function skippedInPackages(platform = process.platform, arch = process.arch) {
  return [
    /^better-sqlite3\/(deps|src)$/,
    /^better-sqlite3\/build\/(?!Release(\/|$))/,
    /^better-sqlite3\/build\/Release\/(?!better_sqlite3\.node$)/,
    /^usb\/libusb$/,
    new RegExp(`^usb/prebuilds/(?!${platform}-${arch}(/|$))`),
    // Debian's C library is glibc.
    /^usb\/prebuilds\/[^/]+\/[^/]*\.musl\.node$/,
    /(^|\/)\.(eslintrc(\.\w+)?|npmignore|gitattributes|gitignore|editorconfig|travis\.yml|husky|github)$/,
    /^@swc\/helpers\/scripts$/,
    // pino's documentation site, which loads scripts from CDNs.
    /^pino\/index\.html$/,
  ];
}

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

function firstBytes(file, count) {
  const buffer = Buffer.alloc(count);
  const fd = fs.openSync(file, 'r');
  try {
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, count, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Executable only if it can be executed: a script with a #! line or an ELF program. npm packages set the bit on
 * licences and typings and leave it off scripts; a .node file is a shared library, loaded, never run.
 */
export function packagedMode(name, head) {
  if (name.endsWith('.node')) return 0o644;
  if (head.subarray(0, 2).toString('latin1') === '#!' || head.subarray(0, 4).equals(ELF_MAGIC)) return 0o755;
  return 0o644;
}

function copyTree(from, to, relative, skip) {
  const stat = fs.lstatSync(from);
  if (stat.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true, mode: 0o755 });
    for (const entry of fs.readdirSync(from)) {
      const rel = relative ? `${relative}/${entry}` : entry;
      if (skip(rel, entry)) continue;
      copyTree(path.join(from, entry), path.join(to, entry), rel, skip);
    }
  } else {
    fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o755 });
    fs.copyFileSync(from, to);
    fs.chmodSync(to, packagedMode(path.basename(to), firstBytes(from, 4)));
  }
}

function copyRuntimeModules(stage) {
  const skipped = skippedInPackages();
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const packages = runtimePackages(lock, (key) => fs.existsSync(path.join(root, key, 'package.json')));
  for (const key of packages) {
    const pkgRel = key.replace(/^node_modules\//, '');
    // Nested node_modules are entries of their own in the lock; copying them here would drag unneeded ones along.
    copyTree(path.join(root, key), path.join(stage, key), '', (rel, name) => {
      if (name === 'node_modules') return true;
      const full = `${pkgRel}/${rel}`;
      return skipped.some((pattern) => pattern.test(full));
    });
  }
  return packages;
}

/** Fails when a file of the release bundle loads a package that `packages` (lock keys) has not at the top level. */
function checkBundleImports(releaseDir, packages) {
  const shipped = new Set(packages);
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : entry.name.endsWith('.mjs') ? [full] : [];
    });
  for (const file of walk(releaseDir)) {
    for (const name of bundleImports(fs.readFileSync(file, 'utf8'))) {
      if (!shipped.has(`node_modules/${name}`)) {
        throw new Error(`${path.relative(root, file)} loads ${name}, which the package would not carry (NOT_RUN_BY_THE_SERVER?)`);
      }
    }
  }
}

/**
 * debian/copyright in the machine-readable format. The npm packages under node_modules keep their own licence files
 * next to their code, where their licences ask for them to travel.
 */
export function copyrightFile(license) {
  if (license !== 'AGPL-3.0-or-later') throw new Error(`package.json's licence is ${license}: update copyrightFile()`);
  return [
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
    'Upstream-Name: Klustera',
    'Upstream-Contact: Klustera contributors <klustera@users.noreply.github.com>',
    '',
    'Files: *',
    'Copyright: 2025-2026 Klustera contributors',
    `License: ${license}`,
    '',
    'Files: usr/lib/klustera/node_modules/*',
    'Copyright: the authors of each package, as its licence file says',
    'License: npm-packages',
    '',
    `License: ${license}`,
    ' This program is free software: you can redistribute it and/or modify it under',
    ' the terms of the GNU Affero General Public License as published by the Free',
    ' Software Foundation, either version 3 of the License, or (at your option) any',
    ' later version.',
    ' .',
    ' This program is distributed in the hope that it will be useful, but WITHOUT',
    ' ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS',
    ' FOR A PARTICULAR PURPOSE. See the GNU Affero General Public License for more',
    ' details.',
    ' .',
    ' The full text is at https://www.gnu.org/licenses/agpl-3.0.txt.',
    '',
    'License: npm-packages',
    ' Each package in /usr/lib/klustera/node_modules is under the licence named in',
    ' its package.json, whose text (MIT, ISC, BSD, Apache-2.0 and others) is in the',
    " package's own LICENSE file.",
    '',
  ].join('\n');
}

function directorySizeKb(dir) {
  let bytes = 0;
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) bytes += fs.statSync(full).size;
    }
  };
  walk(dir);
  return Math.ceil(bytes / 1024);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
  return result;
}

function writeFile(file, text, mode = 0o644) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
}

/** Every ELF file under `dir` (the native modules and the binaries some packages ship). */
function elfFiles(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && firstBytes(full, 4).equals(ELF_MAGIC)) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * The Depends entries for the libraries `files` link against, from dpkg-shlibdeps (dpkg-dev), which wants a
 * debian/control to read: a throwaway one in a folder of its own.
 */
function sharedLibraryDepends(files) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-shlibdeps-'));
  try {
    writeFile(path.join(work, 'debian', 'control'), `Source: ${PACKAGE_NAME}\n\nPackage: ${PACKAGE_NAME}\nArchitecture: any\n`);
    const result = spawnSync('dpkg-shlibdeps', ['-O', ...files], { cwd: work, encoding: 'utf8' });
    if (result.error || result.status !== 0) {
      throw new Error(`dpkg-shlibdeps failed (apt-get install dpkg-dev): ${result.error?.message ?? result.stderr.trim()}`);
    }
    const line = result.stdout.split('\n').find((l) => l.startsWith('shlibs:Depends='));
    return line ? line.slice('shlibs:Depends='.length).trim() : '';
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function md5sums(stage) {
  const lines = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && full !== path.join(stage, 'DEBIAN')) walk(full);
      else if (entry.isFile()) {
        const hash = crypto.createHash('md5').update(fs.readFileSync(full)).digest('hex');
        lines.push(`${hash}  ${path.relative(stage, full)}`);
      }
    }
  };
  walk(stage);
  return `${lines.sort().join('\n')}\n`;
}

export function buildDeb({ build = true, outDir = path.join(root, 'dist', 'installers') } = {}) {
  const note = (message) => process.stderr.write(`[deb] ${message}\n`);
  if (build) {
    note('npm run build:server');
    run('npm', ['run', '--silent', 'build:server']);
    note('npm run build:renderer');
    run('npm', ['run', '--silent', 'build:renderer']);
  }
  for (const needed of ['dist/server/release/cli.mjs', 'renderer/dist/index.html']) {
    if (!fs.existsSync(path.join(root, needed))) throw new Error(`${needed} is missing: run without --no-build`);
  }
  const architecture = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout?.trim();
  if (!architecture) throw new Error('dpkg --print-architecture failed: build the package on Debian or Ubuntu');
  if (architecture !== debianArchitecture(process.arch)) {
    throw new Error(`this Node is for ${process.arch} but dpkg says ${architecture}: the native module would not load`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const nodeVersion = process.versions.node;

  fs.mkdirSync(outDir, { recursive: true });
  const stage = fs.mkdtempSync(path.join(outDir, '.deb-stage-'));
  try {
    fs.chmodSync(stage, 0o755);
    const app = path.join(stage, INSTALL_DIR.slice(1));
    note(`staging in ${stage}`);
    copyTree(path.join(root, 'dist', 'server', 'release'), path.join(app, 'dist', 'server', 'release'), '', (_, name) =>
      name.endsWith('.map'),
    );
    copyTree(path.join(root, 'renderer', 'dist'), path.join(app, 'renderer', 'dist'), '', () => false);
    for (const file of ['klustera.mjs', 'server-bundle.mjs'])
      copyTree(path.join(root, 'bin', file), path.join(app, 'bin', file), '', () => false);
    const dependencies = Object.fromEntries(Object.entries(pkg.dependencies).filter(([name]) => !(name in NOT_RUN_BY_THE_SERVER)));
    writeFile(
      path.join(app, 'package.json'),
      `${JSON.stringify({ ...pkg, dependencies, devDependencies: undefined, scripts: undefined }, null, 2)}\n`,
    );
    const packages = copyRuntimeModules(app);
    checkBundleImports(path.join(root, 'dist', 'server', 'release'), packages);
    note(
      `${packages.length} packages the server loads (left out: ${Object.keys(NOT_RUN_BY_THE_SERVER).join(', ')} and what only they need)`,
    );

    // The native module must load into this Node: it is the one the package depends on.
    const nativeFile = path.join(app, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    if (!fs.existsSync(nativeFile)) throw new Error('better-sqlite3 has no built better_sqlite3.node: run npm rebuild better-sqlite3');
    // Built with debugging symbols, as node-gyp leaves it: stripped the way dh_strip strips, before the load check.
    run('strip', ['--remove-section=.comment', '--remove-section=.note', '--strip-unneeded', nativeFile]);
    const Database = createRequire(path.join(app, 'package.json'))('better-sqlite3');
    new Database(':memory:').close();

    // /usr/bin/node explicitly: a newer Node earlier on PATH could not load the native module.
    writeFile(path.join(stage, 'usr/bin/klustera'), `#!/bin/sh\nexec /usr/bin/node ${INSTALL_DIR}/bin/klustera.mjs "$@"\n`, 0o755);
    writeFile(
      path.join(stage, 'lib/systemd/system/klustera.service'),
      packagedUnit(fs.readFileSync(path.join(root, 'installers/systemd/klustera.service'), 'utf8')),
    );
    writeFile(path.join(stage, 'etc/default/klustera'), fs.readFileSync(path.join(here, 'default'), 'utf8'));
    const doc = path.join(stage, 'usr/share/doc', PACKAGE_NAME);
    writeFile(path.join(doc, 'README.md'), fs.readFileSync(path.join(root, 'installers/README.md'), 'utf8'));
    writeFile(path.join(doc, 'copyright'), copyrightFile(pkg.license));
    writeFile(
      path.join(doc, 'changelog.gz'),
      zlib.gzipSync(
        `${PACKAGE_NAME} (${pkg.version}) stable; urgency=medium\n\n  * Release ${pkg.version}.\n\n -- Klustera contributors <klustera@users.noreply.github.com>  ${new Date().toUTCString().replace('GMT', '+0000')}\n`,
        {
          level: 9,
        },
      ),
    );

    writeFile(
      path.join(stage, 'usr/share/man/man1/klustera.1.gz'),
      zlib.gzipSync(fs.readFileSync(path.join(here, 'klustera.1')), { level: 9 }),
    );
    writeFile(path.join(stage, 'usr/share/lintian/overrides', PACKAGE_NAME), fs.readFileSync(path.join(here, 'lintian-overrides'), 'utf8'));

    const libraryDepends = sharedLibraryDepends(elfFiles(app));
    const debian = path.join(stage, 'DEBIAN');
    const installedSizeKb = directorySizeKb(stage);
    writeFile(
      path.join(debian, 'control'),
      controlFile({ version: pkg.version, architecture, nodeVersion, installedSizeKb, libraryDepends }),
    );
    writeFile(path.join(debian, 'conffiles'), '/etc/default/klustera\n');
    for (const script of ['postinst', 'prerm', 'postrm'])
      writeFile(path.join(debian, script), fs.readFileSync(path.join(here, script), 'utf8'), 0o755);
    writeFile(path.join(debian, 'md5sums'), md5sums(stage));

    const deb = path.join(outDir, `${PACKAGE_NAME}_${pkg.version}_${architecture}.deb`);
    note(`dpkg-deb --build → ${path.relative(root, deb)}`);
    run('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', stage, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
    return deb;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { 'no-build': { type: 'boolean' }, out: { type: 'string' } } });
  try {
    const deb = buildDeb({ build: !values['no-build'], outDir: values.out ? path.resolve(values.out) : undefined });
    process.stdout.write(`${deb}\n`);
  } catch (err) {
    process.stderr.write(`[deb] ${err.message}\n`);
    process.exit(1);
  }
}
