import { readFileSync, writeFileSync } from 'node:fs';
import { CONFIGURATION_DOC_PATH, renderConfigurationDoc } from '../src/config/config-docs.js';

/** Writes docs/CONFIGURATION.md from the environment schema, or with --check fails when it is out of date. */
const markdown = renderConfigurationDoc();
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(CONFIGURATION_DOC_PATH, 'utf8');
  } catch {
    // A missing file is simply out of date.
  }
  if (committed !== markdown) {
    console.error(`${CONFIGURATION_DOC_PATH} is out of date: run \`npm run docs:config\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${CONFIGURATION_DOC_PATH} is up to date.`);
} else {
  writeFileSync(CONFIGURATION_DOC_PATH, markdown);
  console.log(`Wrote ${CONFIGURATION_DOC_PATH}.`);
}
