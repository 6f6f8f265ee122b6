import { DEMO_CHILDREN } from 'src/seed/demo-children.js';
import type { RecordKind } from 'src/vocabulary/record-kind.js';

function child(index: number) {
  const found = DEMO_CHILDREN[index];
  if (!found) throw new Error(`No demo child ${index}`);
  return found;
}

/** Jordan: Derby, s20 then remanded to youth detention accommodation. */
export const JORDAN = child(0);
/** Kayla: Islington looked-after child placed in Derby (home and host YOS). */
export const KAYLA = child(1);
/** Reece: Derby care leaver. */
export const REECE = child(2);

export function recordOf(owner: typeof JORDAN, kind: RecordKind): string {
  const found = owner.records.find((record) => record.kind === kind);
  if (!found) throw new Error(`No ${kind} for ${owner.givenName}`);
  return found.id;
}
