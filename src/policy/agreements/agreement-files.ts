import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agreementSchema, type SharingAgreement } from 'src/policy/agreements/agreement.schema.js';

export interface AgreementFile {
  readonly file: string;
  readonly agreement: SharingAgreement;
  readonly checksum: string;
}

/** JSON with keys sorted, so the checksum does not depend on formatting. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Reads and validates every agreement file in a directory; one bad file stops the start. */
export function readAgreementFiles(directory: string): AgreementFile[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(directory, name);
      const parsed = agreementSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
        throw new Error(`Sharing agreement ${name} is invalid: ${problems}`);
      }
      return {
        file: name,
        agreement: parsed.data,
        checksum: createHash('sha256').update(canonicalJson(parsed.data)).digest('hex'),
      };
    });
}
