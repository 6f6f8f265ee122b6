import { readDataFiles } from 'src/common/data-files/versioned-files.js';
import { agreementSchema, type SharingAgreement } from 'src/policy/agreements/agreement.schema.js';

export interface AgreementFile {
  readonly file: string;
  readonly agreement: SharingAgreement;
  readonly checksum: string;
}

/** Reads and validates every agreement file in a directory; one bad file stops the start. */
export function readAgreementFiles(directory: string): AgreementFile[] {
  return readDataFiles('Sharing agreement', directory, agreementSchema).map(({ file, document, checksum }) => ({
    file,
    agreement: document,
    checksum,
  }));
}
