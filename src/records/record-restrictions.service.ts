import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from 'src/auth/principal.js';
import { AgencyKind } from 'src/vocabulary/children.enums.js';
import { TandemError } from 'src/common/errors/tandem-error.js';
import { PolicyService } from 'src/policy/policy.service.js';
import { RecordKind } from 'src/vocabulary/record-kind.js';

/** The protocols' restrictions on writing records (DOMAIN §5.1), each refused with its code. */
@Injectable()
export class RecordRestrictions {
  constructor(@Inject(PolicyService) private readonly policy: PolicyService) {}

  async checkWrite(principal: Principal, childId: string, kind: RecordKind, content: Record<string, unknown>): Promise<void> {
    if (kind === RecordKind.AIM3_ASSESSMENT) {
      const access = await this.policy.childAccess(principal, childId);
      if (access.policeInvestigationSince) {
        throw TandemError.forbidden(
          'C3: no AIM3 assessment may be completed while a police investigation into harmful sexual behaviour is open (003 §6.2)',
        );
      }
    }
    if (
      kind === RecordKind.INTERVENTION_PLAN &&
      content.parentOrCarerSignature != null &&
      principal.agency.kind !== AgencyKind.CHILDRENS_SOCIAL_CARE
    ) {
      throw TandemError.forbidden(
        'C16: the YOS cannot sign as parent/carer; the allocated social worker signs with signInterventionPlanAsParentCarer (001 §5.4, §5.8)',
      );
    }
    // A signature typed in by CSC would read as the establishment's agreement, which only the establishment gives.
    if (kind === RecordKind.DETENTION_PLACEMENT_PLAN && content.establishmentSignature != null) {
      throw TandemError.forbidden(
        "The establishment's governor signs the plan with signDetentionPlacementPlan (001 §6.11); CSC cannot write that signature",
      );
    }
  }
}
