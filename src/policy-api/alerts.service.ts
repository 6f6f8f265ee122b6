import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, toPage } from 'src/common/pagination/connection.js';
import { shapedCursor, encodeCursor, pageSize } from 'src/common/pagination/cursor.js';
import type { PractitionerAlert } from 'src/policy-api/alert.model.js';
import { AlertRepository } from 'src/policy-api/alert.repository.js';

/** The alerts addressed to the caller as a practitioner (e.g. a break-glass read of a child allocated to them). */
@Injectable()
export class AlertsService {
  constructor(@Inject(AlertRepository) private readonly alerts: AlertRepository) {}

  /** The caller's own alerts only; they name children and why others read them, so a purpose is needed. */
  async mine(
    principal: Principal,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<PractitionerAlert>> {
    principal.requirePurpose();
    const size = pageSize(first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const rows = await this.alerts.forPractitioner(
      principal.subject,
      principal.agency.id,
      size + 1,
      after ? shapedCursor(after, { id: 'uuid', sortKey: 'instant' }) : undefined,
    );
    return toPage(
      rows.map((row) => ({ id: row.id, kind: row.kind, childId: row.childId, message: row.message, createdAt: row.createdAt })),
      size,
      (alert) => encodeCursor(alert.createdAt.toISOString(), alert.id),
    );
  }
}
