import { ErrorCode } from 'src/common/errors/tandem-error.js';

/**
 * Receipts could not be written to the disclosure log, so what they were for must not be sent.
 * Thrown by every write of receipts, so that any operation failing on it (a query's commit, the
 * notifications feed, an auditor's query) gets the one documented answer: HTTP 503, no data.
 */
export class DisclosureLogUnavailable extends Error {
  constructor(cause: unknown) {
    // The cause's SQLSTATE only: a database error's text and parameters can hold the receipts.
    const state = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? ` (${cause.code})` : '';
    super(`The disclosure log could not record receipts${state}`, { cause });
    this.name = 'DisclosureLogUnavailable';
  }
}

/** The error a client gets, with HTTP 503 and no data, when its response could not be recorded. */
export function disclosureLogRefusal(correlationId: string): {
  message: string;
  extensions: { code: ErrorCode; correlationId: string };
} {
  return {
    message: `The disclosure log could not record this response, so it was not sent. Quote ${correlationId}.`,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, correlationId },
  };
}
