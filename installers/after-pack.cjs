// electron-builder afterPack hook: refuses to produce an installer whose native modules are missing or built for
// another platform. Without better-sqlite3's .node file the app installs fine and then cannot open its database,
// which an estate office would only find out after the installer has been handed round on a USB stick.
const { existsSync, openSync, readSync, closeSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

/** Native files the app cannot run without, relative to app.asar.unpacked. */
const REQUIRED_NATIVE_FILES = ['node_modules/better-sqlite3/build/Release/better_sqlite3.node'];

// electron-builder's Arch enum: ia32 0, x64 1, armv7l 2, arm64 3, universal 4.
const ELF_MACHINE_BY_ARCH = { 0: 0x03, 1: 0x3e, 2: 0x28, 3: 0xb7 };

function resourcesDir(context) {
  if (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas') {
    return path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources');
  }
  return path.join(context.appOutDir, 'resources');
}

function listNativeFiles(dir) {
  const found = [];
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listNativeFiles(full));
    else if (entry.name.endsWith('.node')) found.push(full);
  }
  return found;
}

function readHeader(file) {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(20);
    readSync(fd, buffer, 0, 20, 0);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** What a native file was built for, from its first bytes; null when it is no shared library at all. */
function binaryFormat(header) {
  if (header[0] === 0x7f && header.toString('latin1', 1, 4) === 'ELF') {
    const littleEndian = header[5] === 1;
    return { platform: 'linux', machine: littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18) };
  }
  if (header.toString('latin1', 0, 2) === 'MZ') return { platform: 'win32' };
  const magic = header.readUInt32BE(0);
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) return { platform: 'darwin' };
  return null;
}

/**
 * Every native file under the package's app.asar.unpacked must be a shared library for the target platform (and,
 * on Linux, the target CPU); prebuilt binaries for other platforms that a module carries (e.g. usb's `prebuilds/`)
 * are skipped by their folder name. Returns the problems found; an empty list means the package is whole.
 */
function checkNativeModules(context) {
  const unpacked = path.join(resourcesDir(context), 'app.asar.unpacked');
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const problems = [];
  for (const required of REQUIRED_NATIVE_FILES) {
    const file = path.join(unpacked, required);
    if (!existsSync(file) || statSync(file).size === 0) problems.push(`missing native module: ${required}`);
  }
  for (const file of listNativeFiles(unpacked)) {
    const relative = path.relative(unpacked, file);
    const prebuildFolder = relative.split(path.sep).find((part) => /^(darwin|linux|win32|android)-/.test(part));
    if (prebuildFolder && !prebuildFolder.startsWith(`${platform}-`)) continue;
    const format = binaryFormat(readHeader(file));
    if (!format) {
      problems.push(`not a native library: ${relative}`);
    } else if (format.platform !== platform) {
      problems.push(`${relative} is built for ${format.platform}, the package is for ${platform}`);
    } else if (
      format.platform === 'linux' &&
      ELF_MACHINE_BY_ARCH[context.arch] !== undefined &&
      format.machine !== ELF_MACHINE_BY_ARCH[context.arch]
    ) {
      problems.push(`${relative} is built for another CPU (ELF machine 0x${format.machine.toString(16)})`);
    }
  }
  return problems;
}

async function afterPack(context) {
  const problems = checkNativeModules(context);
  if (problems.length > 0) {
    throw new Error(
      `Klustera package is incomplete:\n- ${problems.join('\n- ')}\nRebuild the native modules for Electron (npmRebuild) and package again.`,
    );
  }
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.checkNativeModules = checkNativeModules;
