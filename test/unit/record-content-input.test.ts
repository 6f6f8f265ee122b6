import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECORD_CONTENTS } from 'src/records/content/record-contents.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';

/** Kinds written only through a narrow mutation of their own, never createRecord. */
const NARROW: readonly RecordKind[] = [RecordKind.SETTLING_IN_REPORT];

describe('RecordContentInput', () => {
  it('takes the content of every record kind createRecord writes (a duty waiting for a kind nobody can write would never close)', () => {
    const schema = readFileSync('schema.graphql', 'utf8');
    const input = /input RecordContentInput \{([^}]*)\}/.exec(schema)?.[1] ?? '';
    const fields = new Set([...input.matchAll(/^\s+(\w+):/gm)].map((match) => match[1]));
    for (const kind of Object.values(RecordKind).filter((candidate) => !NARROW.includes(candidate))) {
      expect(fields.has(RECORD_CONTENTS[kind].inputField), `${kind}: ${RECORD_CONTENTS[kind].inputField}`).toBe(true);
    }
  });
});
