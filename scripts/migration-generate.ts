import { readdirSync, writeFileSync } from 'node:fs';
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

// The index lists every migration file in timestamp order, rewritten whole each time.
const migrations = readdirSync('migrations')
  .filter((entry) => /^\d+-[A-Z][A-Za-z0-9]+\.ts$/.test(entry))
  .sort()
  .map((entry) => {
    const [stamp, rest] = entry.replace(/\.ts$/, '').split('-') as [string, string];
    return { module: `./${stamp}-${rest}.js`, className: `${rest}${stamp}` };
  });
writeFileSync(
  'migrations/index.ts',
  `${migrations.map((m) => `import { ${m.className} } from '${m.module}';`).join('\n')}

/** Every migration in order; \`npm run migration:generate\` rewrites this list. */
export const MIGRATIONS: Function[] = [${migrations.map((m) => `\n  ${m.className},`).join('')}
];
`,
);
console.log(`Wrote ${file} (${diff.up.length} statements). Review it before committing.`);
