import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { RequestLoaders } from 'src/common/loaders/request-loaders.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { AgencyDirectory } from 'src/directory/agency-directory.service.js';
import type { AuditChild, DisclosureSeal } from 'src/audit-api/audit-lookup.models.js';
import { AuditRepository } from 'src/audit-api/audit.repository.js';
import { logReader, readerNote } from 'src/audit-api/log-readers.js';
import type { EntryKind } from 'src/disclosure/receipt.js';

const CANDIDATES = 50;
const FOUND = 20;

/**
 * The entries that put a child in a reader's scope: what its agencies disclosed, received or changed
 * about the child. A refused look-up or an audit query names a child the asker could not see (they
 * are still the reader's to audit, by id), so they do not tell the reader the child's name.
 */
const FINDS_THE_CHILD: readonly EntryKind[] = ['DISCLOSURE', 'ALTERATION'];

/** What an auditor needs beside the entries: where an entry sits in the chain, and whose subject-access report to produce. */
@Injectable()
export class AuditLookupService {
  private readonly loaders = new RequestLoaders('auditLookup');

  constructor(
    @Inject(AuditRepository) private readonly log: AuditRepository,
    @Inject(AgencyDirectory) private readonly directory: AgencyDirectory,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
  ) {}

  /** The entry's place in the hash chain, batched per request; null while it waits to be sealed. */
  seal(principal: Principal, entryId: string): Promise<DisclosureSeal | null> {
    return this.loaders
      .loader<string, DisclosureSeal | null>(principal, 'seals', async (ids) => {
        const rows = new Map((await this.log.seals(ids)).map((row) => [row.receipt_id, row]));
        return ids.map((id) => {
          const row = rows.get(id);
          return row ? { seq: row.seq, checkpointId: row.checkpoint_id } : null;
        });
      })
      .load(entryId);
  }

  /**
   * Children by family name (with given name and date of birth), or by a case reference, among
   * those with entries the caller may read (an auditor's authority, a manager's team): the search
   * itself is a logged consultation of the log, and finds nobody outside the caller's scope
   * (FINDS_THE_CHILD).
   */
  async children(
    principal: Principal,
    search: { familyName?: string | null; givenName?: string | null; dateOfBirth?: string | null; caseReference?: string | null },
  ): Promise<AuditChild[]> {
    const reader = await logReader(principal, this.directory);
    const familyName = search.familyName?.trim() || null;
    const caseReference = search.caseReference?.trim() || null;
    if (!familyName && !caseReference) {
      throw TandemError.badInput('Search by family name (with date of birth) or by a case reference', 'familyName');
    }
    if (familyName && !search.dateOfBirth && !search.givenName) {
      throw TandemError.badInput('A family name alone is too wide: add a given name or the date of birth', 'dateOfBirth');
    }
    const candidates = await this.log.childCandidates(
      { familyName, givenName: search.givenName?.trim() || null, dateOfBirth: search.dateOfBirth ?? null, caseReference },
      CANDIDATES,
    );
    const readable = reader.kind === 'TEAM_MANAGER' ? reader.scope.entryKinds : null;
    const kinds = readable ? FINDS_THE_CHILD.filter((kind) => readable.includes(kind)) : FINDS_THE_CHILD;
    const found: AuditChild[] = [];
    for (const candidate of candidates) {
      if (found.length >= FOUND) break;
      const [entry] = await this.log.page({ childId: candidate.id, ...reader.scope, entryKinds: kinds }, 1);
      if (entry) {
        found.push({
          id: candidate.id,
          givenName: candidate.given_name,
          familyName: candidate.family_name,
          dateOfBirth: candidate.date_of_birth,
        });
      }
    }
    await this.disclosure.recordAuditQuery(
      principal,
      'auditChildren',
      {
        search: {
          familyName: familyName !== null,
          givenName: Boolean(search.givenName),
          dateOfBirth: Boolean(search.dateOfBirth),
          caseReference: caseReference !== null,
        },
        ...readerNote(reader),
        returned: found.length,
      },
      found.length === 1 ? (found[0]?.id ?? null) : null,
    );
    return found;
  }
}
