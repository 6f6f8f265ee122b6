import type { ReceiptBody } from 'src/disclosure/receipt.js';

/**
 * The columns of one compact response that auditors' queries filter on, each derived from its
 * receipts: what the writer stores beside the bytes and the verifier derives again from the sealed
 * bytes to compare. A response's receipts share the caller's part (the form refuses any other).
 */
export interface ResponseColumns {
  readonly recordedAt: Date;
  readonly correlationId: string;
  readonly userSubject: string;
  readonly agencyId: string;
  readonly caseSystemId: string;
  readonly purpose: string | null;
  readonly entries: number;
  /** Any receipt a break-glass read. */
  readonly breakGlass: boolean;
  readonly afterAllocationEnded: boolean;
  /** Any receipt an auditor looks at first: break-glass, after an allocation ended, or not a plain disclosure. */
  readonly flagged: boolean;
  /** Each distinct value once, in order of first appearance. */
  readonly children: readonly string[];
  readonly records: readonly string[];
  readonly owners: readonly string[];
}

export function responseColumns(bodies: readonly ReceiptBody[]): ResponseColumns {
  const [first] = bodies;
  if (!first) throw new Error('A response with no receipts');
  const children = new Set<string>();
  const records = new Set<string>();
  const owners = new Set<string>();
  let breakGlass = false;
  let afterAllocationEnded = false;
  let flagged = false;
  for (const body of bodies) {
    if (body.child !== null) children.add(body.child);
    if (body.record) {
      records.add(body.record.id);
      if (body.record.owningAgencyId !== null) owners.add(body.record.owningAgencyId);
    }
    breakGlass ||= body.breakGlass;
    afterAllocationEnded ||= body.afterAllocationEnded;
    flagged ||= body.breakGlass || body.afterAllocationEnded || body.outcome !== 'DISCLOSED';
  }
  return {
    recordedAt: new Date(first.at),
    correlationId: first.correlationId,
    userSubject: first.user.subject,
    agencyId: first.recipient.agencyId,
    caseSystemId: first.recipient.caseSystemId,
    purpose: first.purpose,
    entries: bodies.length,
    breakGlass,
    afterAllocationEnded,
    flagged,
    children: [...children],
    records: [...records],
    owners: [...owners],
  };
}
