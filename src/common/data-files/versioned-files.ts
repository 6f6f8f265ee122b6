import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';

/**
 * The reviewed data files Tandem loads at start (sharing agreements, the directory): each is JSON,
 * validated by its schema, and known by a checksum that does not depend on formatting, so an edit
 * without a new version number is noticed.
 */

/** JSON with keys sorted: what the checksum is taken over. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface ParsedFile<T> {
  readonly file: string;
  readonly document: T;
  readonly checksum: string;
}

/** Validates one file's content; `label` names the kind of file in the error ("Sharing agreement"). */
export function parseDataFile<T>(
  label: string,
  name: string,
  content: unknown,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
): ParsedFile<T> {
  const parsed = schema.safeParse(content);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`${label} ${name} is invalid: ${problems}`);
  }
  return { file: name, document: parsed.data, checksum: createHash('sha256').update(canonicalJson(parsed.data)).digest('hex') };
}

/** Reads and validates every `.json` file of a folder, by name; one bad file stops the start. */
export function readDataFiles<T>(label: string, folder: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>): ParsedFile<T>[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      let content: unknown;
      try {
        content = JSON.parse(readFileSync(join(folder, name), 'utf8'));
      } catch (error) {
        throw new Error(`${label} ${name} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      return parseDataFile(label, name, content, schema);
    });
}
