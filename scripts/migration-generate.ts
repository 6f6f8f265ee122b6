import { readFileSync, writeFileSync } from 'node:fs';
import { diffEntitiesAgainstMigrations } from './schema-diff.js';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('Usage: npm run migration:generate -- <VerbNoun>   (e.g. AddPlacementReason)');
  process.exit(2);
}

function quote(query: string): string {
  return '`' + query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

function statements(queries: readonly { query: string; parameters?: unknown[] }[]): string {
  return queries
    .map(({ query, parameters }) =>
      parameters && parameters.length > 0
        ? `    await queryRunner.query(${quote(query)}, ${JSON.stringify(parameters)});`
        : `    await queryRunner.query(${quote(query)});`,
    )
    .join('\n');
}

const diff = await diffEntitiesAgainstMigrations();
if (diff.up.length === 0) {
  console.log('No changes: the migrations already match the entities.');
  process.exit(0);
}

const timestamp = Date.now();
const className = `${name}${timestamp}`;
const file = `migrations/${timestamp}-${name}.ts`;
writeFileSync(
  file,
  `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${statements(diff.up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${statements([...diff.down].reverse())}
  }
}
`,
);

const index = readFileSync('migrations/index.ts', 'utf8');
const withImport = `import { ${className} } from './${timestamp}-${name}.js';\n` + index;
writeFileSync('migrations/index.ts', withImport.replace(/\];\s*$/, `  ${className},\n];\n`).replace('[  ', '[\n  '));
console.log(`Wrote ${file} (${diff.up.length} statements). Review it before committing.`);
