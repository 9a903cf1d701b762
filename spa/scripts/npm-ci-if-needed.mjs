// Runs `npm ci` unless node_modules was installed by `npm ci` from exactly this package.json and package-lock.json
// with this Node version on this platform. The Maven build calls it so a repeated `./mvnw verify` does not spend a
// minute reinstalling identical packages, while any change to the lockfile (or a switch of Node version, which
// matters for native packages) still triggers a clean install. Delete node_modules, or set SPA_NPM_CI=always,
// to force one.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'node_modules', '.gatehouse-npm-ci.stamp');

const hash = createHash('sha256');
for (const file of ['package.json', 'package-lock.json'])
  hash.update(readFileSync(join(root, file)));
hash.update(`${process.version} ${process.platform} ${process.arch}`);
const stamp = hash.digest('hex');

const installed = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null;
if (installed === stamp && process.env.SPA_NPM_CI !== 'always') {
  console.log('node_modules matches package-lock.json: skipping npm ci.');
  process.exit(0);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const install = () => spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
let result = install();
if (result.status !== 0) {
  // npm ci occasionally fails half-way with TAR_ENTRY_ERROR/ENOENT while another npm writes the shared cache
  // (seen on a CI machine running two builds at once); npm ci starts from an empty node_modules, so once more is safe.
  console.error('npm ci failed; trying once more.');
  result = install();
}
if (result.status !== 0) {
  console.error(`npm ci failed (${result.error?.message ?? `exit ${result.status}`}).`);
  process.exit(result.status ?? 1);
}
writeFileSync(stampFile, `${stamp}\n`);
