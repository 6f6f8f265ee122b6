// Arrows point down: each module (folder under src/) may import only modules of lower layers, as
// listed in module-layers.json. One `no-restricted-imports` block per module; a module importing a
// module of its own layer or of a higher one fails `npm run check`.
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';

const { layers } = JSON.parse(readFileSync(new URL('./module-layers.json', import.meta.url), 'utf8'));

/** The import specifiers that reach a module: its folder, or the root files for `app`. */
function specifiersOf(module) {
  return module === 'app' ? ['src/main.js', 'src/app.js', 'src/app.module.js'] : [`src/${module}/**`];
}

function filesOf(module) {
  return module === 'app' ? ['src/*.ts'] : [`src/${module}/**/*.ts`];
}

export function layerRules() {
  return layers.flatMap((layer, index) => {
    const above = layers.slice(0, index + 1);
    return Object.keys(layer.modules).map((module) => {
      const forbidden = above.flatMap((upper) =>
        Object.keys(upper.modules)
          .filter((other) => other !== module)
          .map((other) => ({
            group: specifiersOf(other),
            message: `Arrows point down: ${module} (${layer.name}) may not import ${other} (${upper.name}); see module-layers.json.`,
          })),
      );
      // Everything is imported by its src/ path, so a relative import cannot slip past the zones
      // (the migrations, outside src/, are the one exception, for the DataSource).
      const relative = {
        regex: module === 'database' ? '^\\.(?!\\./\\.\\./migrations/)' : '^\\.',
        message: 'Import by the src/… path, so the module layers can be checked.',
      };
      return {
        files: filesOf(module),
        rules: { 'no-restricted-imports': ['error', { patterns: [...forbidden, relative] }] },
      };
    });
  });
}
