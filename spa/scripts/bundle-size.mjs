// Measures what a browser downloads before the app starts: the scripts, module preloads and stylesheets that
// dist/spa/browser/index.html references, each gzipped (level 9, as a typical server would). Angular's budgets in
// angular.json count raw bytes; this check holds the gzipped total under the limit the issue sets.
//
//   node scripts/bundle-size.mjs [limitInBytes]      (default 200000; exit 1 when over)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'spa', 'browser');
const limit = Number(process.argv[2] ?? 200_000);
const html = readFileSync(join(dist, 'index.html'), 'utf8');

const initial = new Set(['index.html']);
for (const [, attributes] of html.matchAll(/<(?:script|link)\b([^>]*)>/g)) {
  const rel = /\brel="([^"]+)"/.exec(attributes)?.[1];
  const url = /\b(?:src|href)="([^"]+)"/.exec(attributes)?.[1];
  if (!url || /^[a-z]+:/i.test(url)) continue;
  if (attributes.includes('src=') || rel === 'modulepreload' || rel === 'stylesheet')
    initial.add(url);
}

let raw = 0;
let gzipped = 0;
for (const file of initial) {
  const bytes = readFileSync(join(dist, file));
  const size = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzipped += size;
  console.log(
    `${file.padEnd(28)} ${String(bytes.length).padStart(9)} B raw ${String(size).padStart(9)} B gzip`,
  );
}
console.log(
  `${'initial total'.padEnd(28)} ${String(raw).padStart(9)} B raw ${String(gzipped).padStart(9)} B gzip (limit ${limit} B gzip)`,
);
if (gzipped > limit) {
  console.error(`Initial JavaScript and CSS is ${gzipped} B gzipped, over the ${limit} B limit.`);
  process.exit(1);
}
