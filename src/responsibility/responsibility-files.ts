import { readDataFiles } from 'src/common/data-files/versioned-files.js';
import { responsibilityPolicySchema, type ResponsibilityPolicy } from 'src/responsibility/protocol-policy.schema.js';

/** The authority whose rules apply where an authority has no file of its own (DECISIONS §1). */
export const DEFAULT_AUTHORITY = 'derby';

export interface ResponsibilityFile {
  readonly file: string;
  readonly policy: ResponsibilityPolicy;
  readonly checksum: string;
}

/** What no single file can check: one file per policy id and per authority, and the default authority's file present. */
export function checkResponsibilityFiles(files: readonly ResponsibilityFile[]): void {
  const problems: string[] = [];
  const seen = (key: (file: ResponsibilityFile) => string, what: string) => {
    const first = new Map<string, string>();
    for (const file of files) {
      const value = key(file);
      const earlier = first.get(value);
      if (earlier) problems.push(`${file.file} repeats the ${what} ${value} of ${earlier}`);
      else first.set(value, file.file);
    }
  };
  seen((file) => file.policy.id, 'policy id');
  seen((file) => file.policy.localAuthority, 'local authority');
  if (!files.some((file) => file.policy.localAuthority === DEFAULT_AUTHORITY)) {
    problems.push(`no responsibility policy for ${DEFAULT_AUTHORITY}, the default for authorities without one`);
  }
  if (problems.length > 0) throw new Error(`Responsibility policies are inconsistent: ${problems.join('; ')}`);
}

/** Reads and validates every responsibility-policy file in a folder; one bad file stops the start. */
export function readResponsibilityFiles(folder: string): ResponsibilityFile[] {
  const files = readDataFiles('Responsibility policy', folder, responsibilityPolicySchema).map(
    ({ file, document, checksum }) => ({
      file,
      policy: document,
      checksum,
    }),
  );
  checkResponsibilityFiles(files);
  return files;
}
