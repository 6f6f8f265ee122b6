import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from 'src/auth/principal.js';
import { type Alteration, DisclosureService } from 'src/disclosure/disclosure.service.js';
import type { DomainEvent } from 'src/events/domain-event.js';
import { OutboxService } from 'src/events/outbox.service.js';

/** One change in progress: its writes go through `manager`; what it altered and raised is noted. */
export interface Work {
  /** The transaction's manager: every write of the change goes through it. */
  readonly manager: EntityManager;
  /** Notes the alteration receipt of one thing the change altered. */
  readonly altered: (alteration: Alteration) => void;
  /** Notes a domain event for the outbox. */
  readonly emit: (event: DomainEvent) => void;
}

type Noted = { readonly alteration: Alteration } | { readonly event: DomainEvent };

/**
 * The one write path: a change, the alteration receipt of each thing it altered and the domain
 * events it raised commit in one transaction, or none of them does.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DisclosureService) private readonly disclosure: DisclosureService,
    @Inject(OutboxService) private readonly outbox: OutboxService,
  ) {}

  /**
   * Runs `change` in a transaction, then writes what it noted, in the order noted, before the
   * commit. A change that throws rolls back with nothing written; one that notes nothing writes
   * only its own rows.
   */
  run<T>(principal: Principal, change: (work: Work) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const noted: Noted[] = [];
      let open = true;
      const note = (item: Noted) => {
        // A note after the change returned would be lost silently: fail instead.
        if (!open) throw new Error('The unit of work has already been written');
        noted.push(item);
      };
      const result = await change({
        manager,
        altered: (alteration) => note({ alteration }),
        emit: (event) => note({ event }),
      });
      open = false;
      for (const item of noted) {
        if ('alteration' in item) await this.disclosure.recordAlteration(manager, principal, item.alteration);
        else await this.outbox.record(manager, principal, item.event);
      }
      return result;
    });
  }
}
