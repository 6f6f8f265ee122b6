import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { AppConfig } from 'src/config/app-config.js';
import { type Consultation, collectorFor, existingCollector } from 'src/disclosure/disclosure-collector.js';
import { DisclosureRepository } from 'src/disclosure/disclosure.repository.js';
import { buildConsultationBodies, buildDisclosureBodies, type OperationMeta } from 'src/disclosure/receipt-builder.js';
import { callerPart, type ReceiptBody, rowOf } from 'src/disclosure/receipt.js';
import { DisclosureLogUnavailable } from 'src/disclosure/disclosure-log-unavailable.js';
import { ReceiptWriter } from 'src/disclosure/receipt-writer.js';
import { DictionaryConflict, ResponseLog } from 'src/disclosure/response-log.js';
import type { StoredResponse } from 'src/disclosure/response-log.repository.js';
import { CompactFormError } from 'src/disclosure/compact/compact-bytes.js';
import { MAX_ENTRIES } from 'src/disclosure/compact/response-columns.js';
import type { ReceiptRow } from 'src/disclosure/receipt.js';

/** Encodings of one response tried when other instances keep storing its new dictionary values first. */
const DICTIONARY_ATTEMPTS = 4;

/** A change to child data, logged in the same transaction as the change. */
export interface Alteration {
  readonly action: string;
  readonly childId: string | null;
  readonly kind: string;
  readonly id: string;
  readonly versionBefore: number | null;
  readonly versionAfter: number | null;
  readonly owningAgencyId: string | null;
}

/**
 * The disclosure log's writer. Reads collect what they disclose while they execute; `commit`
 * writes one receipt per thing disclosed (and per consultation that found nothing) before the
 * response may leave. Alterations and auditors' queries are written where they happen.
 */
@Injectable()
export class DisclosureService {
  /** Tests only: makes the next commits fail, to prove that a response then carries no data. */
  private failNext = 0;
  private readonly writer: ReceiptWriter<ReceiptRow>;
  private readonly responses: ReceiptWriter<StoredResponse>;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DisclosureRepository) private readonly repository: DisclosureRepository,
    @Inject(ResponseLog) private readonly responseLog: ResponseLog,
  ) {
    this.writer = new ReceiptWriter((rows) => this.repository.insert(rows));
    this.responses = new ReceiptWriter((stored) => this.responseLog.insert(stored), 500);
  }

  /** Notes a look-up of a child or record that disclosed nothing. */
  noteConsultation(principal: Principal, consultation: Consultation): void {
    collectorFor(principal).consultations.push(consultation);
  }

  /**
   * Writes the receipts of what the request disclosed; throws if they could not be committed.
   * What was collected is taken at once; operations of one request that finish while an earlier
   * commit is in flight wait for it (their subjects may be in it) and fail with it.
   */
  async commit(principal: Principal, operation: OperationMeta): Promise<number> {
    const collector = existingCollector(principal);
    if (!collector) return 0;
    const subjects = collector.subjects.splice(0);
    const consultations = collector.consultations.splice(0);
    const earlier = collector.inFlight;
    const mine = (async () => {
      if (earlier) await earlier;
      if (subjects.length === 0 && consultations.length === 0) return 0;
      const at = new Date();
      const bodies = [
        ...buildDisclosureBodies(principal, subjects, operation, at),
        ...buildConsultationBodies(principal, consultations, operation, at),
      ];
      await this.write(bodies);
      return bodies.length;
    })();
    const settled = mine.then(() => undefined);
    // Marked handled here; a later operation of the request that awaits it still sees the failure.
    settled.catch(() => undefined);
    collector.inFlight = settled;
    return mine;
  }

  /** Logs a change to child data through the transaction that makes it, so neither happens alone. */
  async recordAlteration(manager: EntityManager, principal: Principal, alteration: Alteration): Promise<void> {
    const body: ReceiptBody = {
      ...callerPart(principal, new Date()),
      entry: 'ALTERATION',
      outcome: 'ALTERED',
      operation: { channel: 'GRAPHQL', name: alteration.action, hash: null },
      breakGlass: false,
      afterAllocationEnded: false,
      child: alteration.childId,
      record: {
        kind: alteration.kind,
        id: alteration.id,
        version: alteration.versionAfter,
        owningAgencyId: alteration.owningAgencyId,
      },
      disclosed: [],
      withheld: [],
      bases: [],
      alteration: {
        action: alteration.action,
        versionBefore: alteration.versionBefore,
        versionAfter: alteration.versionAfter,
      },
    };
    await this.repository.insert([rowOf(body)], manager);
  }

  /** Logs an auditor's query (its filter and how many entries it returned) before its answer is returned. */
  async recordAuditQuery(
    principal: Principal,
    name: string,
    query: Record<string, unknown>,
    childId: string | null = null,
  ): Promise<void> {
    const body: ReceiptBody = {
      ...callerPart(principal, new Date()),
      entry: 'AUDIT_QUERY',
      outcome: 'AUDITED',
      operation: { channel: 'GRAPHQL', name, hash: null },
      breakGlass: false,
      afterAllocationEnded: false,
      child: childId,
      record: null,
      disclosed: [],
      withheld: [],
      bases: [],
      query,
    };
    await this.write([body]);
  }

  /** Writes receipts built elsewhere (deliveries, exports) through the same path. */
  async write(bodies: readonly ReceiptBody[]): Promise<void> {
    if (bodies.length === 0) return;
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new DisclosureLogUnavailable(new Error('simulated'));
    }
    try {
      if (this.config.audit.logForm === 'compact') {
        for (let attempt = 1; ; attempt++) {
          const stored = this.compact(bodies);
          if (!stored) break;
          try {
            return await this.responses.write(stored);
          } catch (error) {
            // Another instance stored one of its dictionary values first: encoded again, it uses that
            // number. Still conflicting after a few tries, the receipts go in the JSON form.
            if (!(error instanceof DictionaryConflict)) throw error;
            if (attempt >= DICTIONARY_ATTEMPTS) break;
          }
        }
      }
      await this.writeReceipts(bodies);
    } catch (error) {
      throw new DisclosureLogUnavailable(error);
    }
  }

  private writeReceipts(bodies: readonly ReceiptBody[]): Promise<void> {
    const shared = new Map<object, string>();
    return this.writer.write(bodies.map((body) => rowOf(body, shared)));
  }

  /**
   * The response in the compact form, as rows of at most MAX_ENTRIES receipts; null when the form
   * cannot hold it exactly, or a value new to the dictionary finds no number reserved (it is then
   * written as receipts).
   */
  private compact(bodies: readonly ReceiptBody[]): StoredResponse[] | null {
    try {
      const rows: StoredResponse[] = [];
      for (let from = 0; from < bodies.length; from += MAX_ENTRIES)
        rows.push(this.responseLog.encode(bodies.slice(from, from + MAX_ENTRIES)));
      return rows;
    } catch (error) {
      if (error instanceof CompactFormError) return null;
      throw error;
    }
  }

  /** Tests only. */
  failNextCommits(count: number): void {
    if (this.config.isProduction) return;
    this.failNext = count;
  }

  logFailure(principal: Principal, error: unknown): void {
    principal.log.error(`disclosure receipts not committed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
