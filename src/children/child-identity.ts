import { TandemError } from 'src/common/errors/tandem-error.js';
import { optionalText } from 'src/common/validation/text.js';
import type { ChildDescription, RecordedSex } from 'src/identity/child-description.js';
import { validateNhsNumber } from 'src/identity/nhs-number.js';
import { validatePncId } from 'src/identity/pnc-id.js';
import { validateUpn } from 'src/identity/upn.js';
import type { ChildEntity, StoredChildName } from 'src/children/entities/child.entity.js';
import type { ChildNameInput } from 'src/children/models/child-identity.model.js';
import type { MatchCandidate } from 'src/children/repositories/child.repository.js';

/** More previous and alternative names than any child's record needs; keeps a match request's cost bounded. */
const MAX_OTHER_NAMES = 10;

/** The identity fields an input may carry, as the API accepts them. */
export interface IdentityInput {
  readonly sex?: RecordedSex | null;
  readonly otherNames?: readonly ChildNameInput[] | null;
  readonly nhsNumber?: string | null;
  readonly pncId?: string | null;
  readonly upn?: string | null;
}

export type IdentityColumns = Partial<
  Pick<ChildEntity, 'sex' | 'otherNames' | 'nhsNumber' | 'pncId' | 'upn' | 'identifiersAgencyId'>
>;

/**
 * The identity fields given, checked and normalised as stored; a field not given (null or absent)
 * is left out, so an update leaves it as it was. An identifier that fails its check is refused
 * (BAD_USER_INPUT naming the field): stored, it would match nothing, or the wrong child.
 */
export function checkedIdentity(input: IdentityInput, prefix: string, recordingAgencyId?: string): IdentityColumns {
  const columns: { -readonly [K in keyof IdentityColumns]: IdentityColumns[K] } = {};
  if (input.sex != null) columns.sex = input.sex;
  if (input.otherNames != null) columns.otherNames = checkedNames(input.otherNames, `${prefix}.otherNames`);
  const nhsNumber = optionalText(input.nhsNumber, `${prefix}.nhsNumber`, 40);
  if (nhsNumber !== null) {
    const result = validateNhsNumber(nhsNumber);
    if (!result.valid) throw TandemError.badInput(`Not a valid NHS number (${result.reason})`, `${prefix}.nhsNumber`);
    columns.nhsNumber = result.value;
  }
  const pncId = optionalText(input.pncId, `${prefix}.pncId`, 40);
  if (pncId !== null) {
    const result = validatePncId(pncId);
    if (!result.valid) throw TandemError.badInput(`Not a valid PNC ID (${result.reason})`, `${prefix}.pncId`);
    columns.pncId = result.value;
  }
  const upn = optionalText(input.upn, `${prefix}.upn`, 40);
  if (upn !== null) {
    const result = validateUpn(upn);
    if (!result.valid) throw TandemError.badInput(`Not a valid UPN (${result.reason})`, `${prefix}.upn`);
    columns.upn = result.value.value;
  }
  if (recordingAgencyId && (columns.nhsNumber || columns.pncId || columns.upn)) columns.identifiersAgencyId = recordingAgencyId;
  return columns;
}

function checkedNames(names: readonly ChildNameInput[], field: string): StoredChildName[] {
  if (names.length > MAX_OTHER_NAMES) throw TandemError.badInput(`At most ${MAX_OTHER_NAMES} other names`, field);
  return names.map((name, index) => {
    const givenNames = optionalText(name.givenNames, `${field}.${index}.givenNames`, 200);
    const familyName = optionalText(name.familyName, `${field}.${index}.familyName`, 200);
    if (givenNames === null && familyName === null) {
      throw TandemError.badInput('A name needs a given or a family name', `${field}.${index}`);
    }
    return { givenNames, familyName };
  });
}

/** A stored child as the matcher reads it; `postcode` is one of the addresses its placements hold. */
export function describeChild(child: MatchCandidate, postcode: string | null): ChildDescription {
  return {
    givenNames: child.givenName,
    familyName: child.familyName,
    otherNames: child.otherNames,
    dateOfBirth: child.dateOfBirth,
    sex: child.sex,
    nhsNumber: child.nhsNumber,
    pncId: child.pncId,
    upn: child.upn,
    postcode,
  };
}
