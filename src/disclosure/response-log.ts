import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { brokenUniqueConstraint } from 'src/common/database/postgres-errors.js';
import { CompactFormError } from 'src/disclosure/compact/compact-bytes.js';
import { MAX_ENTRIES, type ResponseColumns, responseColumns } from 'src/disclosure/compact/response-columns.js';
import { StoredDictionary } from 'src/disclosure/compact/stored-dictionary.js';
import type { ReceiptBody } from 'src/disclosure/receipt.js';
import { ResponseLogRepository, type StoredResponse } from 'src/disclosure/response-log.repository.js';

/** A row of the view disclosure_entry, as its readers select it. */
export interface LoggedEntry {
  readonly id: string;
  /** The row the entry is stored in: the receipt's id, or the response's. */
  readonly base: string;
  readonly place: number;
  readonly compact: boolean;
  /** The receipt's canonical JSON, or the response's compact bytes. */
  readonly body: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

  /** Reads the stored dictionary and reserves numbers for new values (at start: the first responses then ask nothing of the store). */
  warm(): Promise<void> {
    return this.dictionary.warm();
  }

  /**
   * The response as a row, never waiting: refused (CompactFormError) when the form cannot hold it
   * exactly, or when no dictionary number is left for a value new to it; its writer then logs JSON
   * receipts.
   */
  encode(bodies: readonly ReceiptBody[]): StoredResponse {
    const columns = this.columnsOf(bodies);
    const { bytes, entries } = this.dictionary.encode(bodies);
    return { columns, body: bytes, entries };
  }

  /**
   * Each entry's receipt as sealed, for rows of the view disclosure_entry: a JSON receipt parsed, a
   * compact response decoded once for all its entries among the rows.
   */
  async receiptsOf(rows: readonly LoggedEntry[]): Promise<ReceiptBody[]> {
    const responses = new Map<string, Promise<ReceiptBody[]>>();
    return Promise.all(
      rows.map(async (row) => {
        if (!row.compact) return JSON.parse(row.body.toString('utf8')) as ReceiptBody;
        let decoded = responses.get(row.base);
        if (!decoded) {
          decoded = this.dictionary.decode(row.body);
          responses.set(row.base, decoded);
        }
        const receipt = (await decoded)[row.place];
        if (!receipt) throw new Error(`Entry ${row.id} is not in its response`);
        return receipt;
      }),
    );
  }

  /**
   * Responses already encoded, in one statement with the dictionary entries they bring (in
   * `manager`'s transaction when given). When another instance stored one of those values first,
   * this instance's numbers for them are forgotten and DictionaryConflict thrown: encode again.
   */
  async insert(stored: readonly StoredResponse[], manager?: EntityManager): Promise<void> {
    const entries = stored.flatMap((response) => response.entries);
    try {
      await this.repository.insert(stored, manager);
    } catch (error) {
      if (brokenUniqueConstraint(error) !== DICTIONARY_VALUE_INDEX) throw error;
      await this.dictionary.forget(entries);
      throw new DictionaryConflict(error);
    }
    // In a caller's transaction the entries are stored only if it commits: they are sent again until an insert of our own commits.
    if (!manager) this.dictionary.confirm(entries);
  }

  /** As `encode`, waiting for dictionary numbers when none are left (off the request path: tests, the bench). */
  async encodeWaiting(bodies: readonly ReceiptBody[]): Promise<StoredResponse> {
    const columns = this.columnsOf(bodies);
    const { bytes, entries } = await this.dictionary.encodeWaiting(bodies);
    return { columns, body: bytes, entries };
  }

  /** Each response's receipts, in one statement (in `manager`'s transaction when given), waiting for numbers if need be. */
  async write(responses: readonly (readonly ReceiptBody[])[], manager?: EntityManager): Promise<void> {
    const encode = () => Promise.all(responses.map((bodies) => this.encodeWaiting(bodies)));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.insert(await encode(), manager);
      } catch (error) {
        // Outside a transaction another statement may follow the failed one; each round stores at least one instance's values.
        if (!(error instanceof DictionaryConflict) || manager || attempt >= 4) throw error;
      }
    }
  }

  private columnsOf(bodies: readonly ReceiptBody[]): ResponseColumns {
    if (bodies.length > MAX_ENTRIES) throw new CompactFormError(`A response row holds at most ${MAX_ENTRIES} receipts`);
    const columns = responseColumns(bodies);
    // The arrays are uuid[]: an id of another shape stays in the JSON form, never cast or trimmed.
    for (const ids of [columns.children, columns.records, columns.owners])
      if (ids.some((id) => !UUID.test(id))) throw new CompactFormError('A response refers to an id that is not a UUID');
    return columns;
  }
}

/** The unique index that keeps each dictionary value once. */
const DICTIONARY_VALUE_INDEX = 'disclosure_dictionary_value_idx';

/** Another instance stored a value of these responses first; encoded again, they use its number. */
export class DictionaryConflict extends Error {
  constructor(cause: unknown) {
    super('Another instance added a dictionary value first', { cause });
  }
}
