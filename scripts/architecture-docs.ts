import { readFileSync, writeFileSync } from 'node:fs';
import { ARCHITECTURE_DOC, renderArchitectureDoc } from './module-graph.js';

/** Rewrites docs/ARCHITECTURE.md's module table from the code, or with --check fails when it is stale. */
const current = readFileSync(ARCHITECTURE_DOC, 'utf8');
const next = await renderArchitectureDoc(current);
if (process.argv.includes('--check')) {
  if (current !== next) {
    console.error(`${ARCHITECTURE_DOC} is out of date: run \`npm run docs:architecture\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${ARCHITECTURE_DOC} is up to date.`);
} else {
  writeFileSync(ARCHITECTURE_DOC, next);
  console.log(`Wrote ${ARCHITECTURE_DOC}.`);
}
