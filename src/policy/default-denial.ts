import type { Principal } from 'src/auth/principal.js';
import type { SubjectAttributes } from 'src/policy/access-subject.js';
import type { LoadedAgreement } from 'src/policy/agreements/agreement-registry.service.js';
import { GrantRequirement } from 'src/policy/agreements/agreement.schema.js';
import type { ClassDecision } from 'src/policy/projection.js';
import type { SensitivityClass } from 'src/vocabulary/sensitivity/sensitivity-class.js';

/** Why nothing granted a class: a gate (C1, C2) is not met, an agreement not in force would have, or none covers it. */
export function defaultDenial(
  agreements: readonly LoadedAgreement[],
  principal: Principal,
  sensitivity: SensitivityClass,
  attributes: SubjectAttributes,
  /** The day agreements are read on (PolicyService.agreementDay), as YYYY-MM-DD. */
  today: string,
): ClassDecision {
  const purpose = principal.requirePurpose();
  for (const { agreement } of agreements) {
    if (agreement.reviewDate < today || agreement.effectiveFrom > today) continue;
    const gate = agreement.grants.find(
      (grant) =>
        grant.requires &&
        grant.to === principal.agency.code &&
        grant.purposes.includes(purpose) &&
        grant.classes.includes(sensitivity) &&
        grant.roles.some((role) => principal.roles.includes(role)),
    );
    if (gate?.requires === GrantRequirement.COURT_ORDER_OR_CONSENT) {
      return {
        allowed: false,
        rule: 'C1',
        reason: 'Court-proceedings material needs a recorded court order or specific consent (003 §4.2)',
      };
    }
    if (gate?.requires === GrantRequirement.THIRD_PARTY_PERMISSION) {
      return {
        allowed: false,
        rule: 'C2',
        reason: "Third-party information needs the third party's recorded permission (003 §4.3)",
      };
    }
  }
  for (const { agreement } of agreements) {
    if (agreement.reviewDate >= today && agreement.effectiveFrom <= today) continue;
    const covers = agreement.grants.some(
      (grant) =>
        grant.to === principal.agency.code &&
        grant.purposes.includes(purpose) &&
        grant.classes.includes(sensitivity) &&
        grant.roles.some((role) => principal.roles.includes(role)),
    );
    if (covers) {
      const when = agreement.reviewDate < today ? `expired on ${agreement.reviewDate}` : `starts on ${agreement.effectiveFrom}`;
      return {
        allowed: false,
        rule: `${agreement.id}@v${agreement.version} (not in force)`,
        reason: `Sharing agreement ${agreement.id} ${when}`,
      };
    }
  }
  const owner = attributes.owningAgencyId ? `the owning agency` : 'any agency';
  return {
    allowed: false,
    rule: 'DEFAULT-DENY',
    reason: `No sharing agreement in force gives ${sensitivity} from ${owner} to ${principal.roles.join('/')} at ${principal.agency.code} for ${purpose}`,
  };
}
