import { canonicalBytes } from 'src/disclosure/chain/canonical.js';

/** What a checkpoint signs. The previous checkpoint's hash links checkpoints into a chain of their own. */
export interface CheckpointStatement {
  readonly v: 1;
  readonly log: 'tandem-disclosures';
  readonly checkpoint: number;
  readonly firstSeq: string;
  readonly lastSeq: string;
  readonly treeSize: number;
  readonly merkleRoot: string;
  readonly chainHead: string;
  readonly previous: string | null;
  readonly signedAt: string;
  readonly keyId: string;
}

export function statementBytes(statement: CheckpointStatement): Buffer {
  return canonicalBytes(statement);
}
