import { readFileSync, writeFileSync } from 'node:fs';
import { printGatewaySchema } from '../src/graphql/print-schema.js';

/** Writes schema.graphql, or with --check fails when the committed file is out of date. */
const sdl = await printGatewaySchema();
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync('schema.graphql', 'utf8');
  } catch {
    // A missing file is simply out of date.
  }
  if (committed !== sdl) {
    console.error('schema.graphql is out of date: run `npm run schema:print` and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql is up to date.');
} else {
  writeFileSync('schema.graphql', sdl);
  console.log('Wrote schema.graphql.');
}
