import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIGURATION_DOC_PATH, renderConfigurationDoc, variableDocs } from 'src/config/config-docs.js';
import { environmentVariables } from 'src/config/environment.js';

describe('docs/CONFIGURATION.md', () => {
  it('is what the environment schema renders (run `npm run docs:config` after changing the schema)', () => {
    const committed = readFileSync(CONFIGURATION_DOC_PATH, 'utf8');
    expect(committed, `${CONFIGURATION_DOC_PATH} is out of date: run \`npm run docs:config\``).toBe(renderConfigurationDoc());
  });

  it('describes every variable of the schema', () => {
    const undescribed = Object.entries(environmentVariables.shape)
      .filter(([, schema]) => (schema.description ?? '').trim() === '')
      .map(([name]) => name);
    expect(undescribed).toEqual([]);
  });

  it('lists every variable exactly once', () => {
    const rendered = renderConfigurationDoc();
    for (const name of Object.keys(environmentVariables.shape)) {
      expect(
        rendered.split('\n').filter((line) => line.startsWith(`| \`${name}\` `)),
        name,
      ).toHaveLength(1);
    }
  });

  it('reads defaults, accepted values and secrets from the validators', () => {
    const byName = new Map(variableDocs().map((variable) => [variable.name, variable]));
    expect(byName.get('PORT')).toMatchObject({ defaultValue: '4000', accepts: 'integer 0–65535', secret: false });
    expect(byName.get('DATABASE_POOL_SIZE')).toMatchObject({ defaultValue: '6', accepts: 'integer ≥ 1' });
    expect(byName.get('GRAPHQL_ALLOW_BATCHED_QUERIES')).toMatchObject({
      defaultValue: 'false',
      accepts: '`true`, `false`, `1`, `0`',
    });
    expect(byName.get('DATABASE_URL')).toMatchObject({ defaultValue: undefined, accepts: 'URL', secret: true });
  });
});
