import type { EntityManager } from 'typeorm';
import { TandemError } from 'src/common/errors/tandem-error.js';
import type { InvolvementRepository } from 'src/children/repositories/involvement.repository.js';
import { InvolvementRole } from 'src/vocabulary/children.enums.js';

/**
 * A child has one home YOS at a time: it keeps case management and enforcement, and records the
 * justice status; another YOS working with the child caretakes as its host (DOMAIN §4.4 H1, H2;
 * 001 §6.16, 002 §9.1). Whatever makes an agency involved (recording its own involvement, accepting
 * a referral, linking its reference) is refused the home role while another agency holds it.
 */
export async function refuseSecondHomeYos(
  involvements: InvolvementRepository,
  manager: EntityManager,
  involvement: { readonly childId: string; readonly agencyId: string; readonly role: InvolvementRole },
): Promise<void> {
  if (involvement.role !== InvolvementRole.YOS_HOME) return;
  if (await involvements.homeYosOtherThan(manager, involvement.childId, involvement.agencyId)) {
    throw TandemError.conflict(
      'The child has a home YOS already: another YOS works with the child as its host (caretaking), or the home YOS ends its involvement first',
    );
  }
}
