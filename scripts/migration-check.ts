import { diffEntitiesAgainstMigrations } from './schema-diff.js';

const diff = await diffEntitiesAgainstMigrations();
if (diff.up.length > 0) {
  console.error('The entities and the migrations differ. Run `npm run migration:generate -- <VerbNoun>`. Missing SQL:');
  for (const { query } of diff.up) console.error(`  ${query};`);
  process.exit(1);
}
console.log('Migrations are up to date with the entities.');
