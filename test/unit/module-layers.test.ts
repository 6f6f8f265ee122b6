import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_DOC, backArrows, measureGraph, readLayers, renderArchitectureDoc } from '../../scripts/module-graph.js';

/** The project's own ESLint configuration, without the type-aware rules (the files linted here are made up). */
const eslint = new ESLint({ overrideConfig: [tseslint.configs.disableTypeChecked] });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('module layers', () => {
  it('fails lint on an import that runs back up, sideways or around the zones by a relative path', async () => {
    const up = await restrictedImports(
      'src/policy/back-arrow.ts',
      "import { ChildrenService } from 'src/children/children.service.js';\nexport const used = ChildrenService;\n",
    );
    expect(up).toEqual([expect.stringContaining('policy (policy) may not import children (children)')]);
    const sideways = await restrictedImports(
      'src/audit-api/sideways.ts',
      "import { PolicyResolver } from 'src/policy-api/policy.resolver.js';\nexport const used = PolicyResolver;\n",
    );
    expect(sideways).toEqual([expect.stringContaining('audit-api (wings) may not import policy-api (wings)')]);
    const toTheTop = await restrictedImports(
      'src/common/top.ts',
      "import { createApp } from 'src/app.js';\nexport const used = createApp;\n",
    );
    expect(toTheTop).toEqual([expect.stringContaining('common (foundation) may not import app (composition)')]);
    const relative = await restrictedImports(
      'src/policy/relative.ts',
      "import { ChildrenService } from '../children/children.service.js';\nexport const used = ChildrenService;\n",
    );
    expect(relative).toEqual([expect.stringContaining('Import by the src/… path')]);
  });

  it('lets an import point down', async () => {
    const down = await restrictedImports(
      'src/children/down-arrow.ts',
      "import { PolicyService } from 'src/policy/policy.service.js';\nexport const used = PolicyService;\n",
    );
    expect(down).toEqual([]);
  });

  it('holds for the code as it is: every arrow points down, and no two modules import each other', () => {
    const graph = measureGraph();
    expect(backArrows(readLayers(), graph)).toEqual([]);
    const mutual = [...graph].flatMap(([from, arrows]) =>
      [...arrows.keys()].filter((to) => from < to && graph.get(to)?.has(from)).map((to) => `${from} ↔ ${to}`),
    );
    expect(mutual).toEqual([]);
  });

  it('docs/ARCHITECTURE.md shows the modules as the code has them (npm run docs:architecture)', async () => {
    const current = readFileSync(ARCHITECTURE_DOC, 'utf8');
    expect(await renderArchitectureDoc(current)).toBe(current);
  });
});
