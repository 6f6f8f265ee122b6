import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { responseColumns } from 'src/disclosure/compact/response-columns.js';
import { StoredDictionary } from 'src/disclosure/compact/stored-dictionary.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { ResponseLogRepository, type StoredResponse } from 'src/disclosure/response-log.repository.js';

/**
 * The compact form of the log (docs/COMPACT-RECEIPTS.md): each response's receipts as one row,
 * encoded against the stored dictionary, with the columns auditors filter on; sealed and verified
 * with the receipts. Requests write it when `AUDIT_LOG_FORM` is `compact`.
 */
@Injectable()
export class ResponseLog {
  private readonly dictionary: StoredDictionary;

  constructor(@Inject(ResponseLogRepository) private readonly repository: ResponseLogRepository) {
    this.dictionary = new StoredDictionary(repository);
  }

  async encode(bodies: readonly ReceiptBody[]): Promise<StoredResponse> {
    return { columns: responseColumns(bodies), body: await this.dictionary.encode(bodies) };
  }

  /** Responses already encoded, in one statement (in `manager`'s transaction when given). */
  insert(stored: readonly StoredResponse[], manager?: EntityManager): Promise<void> {
    return this.repository.insert(stored, manager);
  }

  /** Each response's receipts, in one statement (in `manager`'s transaction when given). */
  async write(responses: readonly (readonly ReceiptBody[])[], manager?: EntityManager): Promise<void> {
    const stored = await Promise.all(responses.map((bodies) => this.encode(bodies)));
    await this.repository.insert(stored, manager);
  }
}
