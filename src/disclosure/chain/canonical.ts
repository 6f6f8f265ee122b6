/**
 * Canonical bytes of a JSON value: object keys sorted by code unit, no whitespace, UTF-8 (the
 * RFC 8785 form for the values receipts hold: strings, integers, booleans, null, arrays, objects).
 * Built in the application so that the bytes hashed are the bytes stored, never a database's text
 * rendering of a row. `shared`: the text of objects already written in this batch (the receipts of
 * one response share their caller's parts); only for values that no one changes meanwhile.
 */
export function canonicalJson(value: unknown, shared?: Map<object, string>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error('Canonical JSON has no non-finite numbers');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new Error(`Canonical JSON cannot hold a ${typeof value}`);
  }
  const known = shared?.get(value);
  if (known !== undefined) return known;
  let text: string;
  if (Array.isArray(value)) {
    text = '[';
    for (let index = 0; index < value.length; index++) text += (index === 0 ? '' : ',') + canonicalJson(value[index], shared);
    text += ']';
  } else if (value instanceof Date) {
    text = JSON.stringify(value.toISOString());
  } else {
    const record = value as Record<string, unknown>;
    text = '{';
    let first = true;
    for (const key of sortedKeys(record)) {
      const item = record[key];
      if (item === undefined) continue;
      text += `${first ? '' : ','}${quotedKey(key)}:${canonicalJson(item, shared)}`;
      first = false;
    }
    text += '}';
  }
  shared?.set(value, text);
  return text;
}

/** An object's own keys in code-unit order; sorted only when they are not already (a copy a sort would make, saved). */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  for (let index = 1; index < keys.length; index++) {
    if ((keys[index - 1] as string) > (keys[index] as string)) return keys.sort();
  }
  return keys;
}

/** Keys repeat across every receipt (a few dozen names): each is quoted once. */
const QUOTED = new Map<string, string>();
const MAX_QUOTED = 10_000;

function quotedKey(key: string): string {
  let quoted = QUOTED.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    // Keys of auditors' query filters are the callers' own: bounded, so none can grow this without end.
    if (QUOTED.size < MAX_QUOTED) QUOTED.set(key, quoted);
  }
  return quoted;
}

export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
