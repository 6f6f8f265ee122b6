import { z } from 'zod';
import { AgencyKind } from 'src/vocabulary/children.enums.js';

/** Codes are how tokens, agreements and other files name an entry: lower case, words joined by hyphens. */
const code = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens');
const id = z.string().uuid();
const name = z.string().trim().min(1).max(200);
const source = z.string().trim().min(1);
/** A UK number as people write it (spaces allowed, optional +44). */
const phone = z
  .string()
  .regex(/^\+?[0-9][0-9 ]{5,19}$/, 'a telephone number')
  .nullable();
const email = z.string().email().max(254).nullable();

const localAuthoritySchema = z.object({ id, code, name, source }).strict();

const agencySchema = z
  .object({
    id,
    code,
    name,
    kind: z.nativeEnum(AgencyKind),
    /** Null for agencies that serve no single authority (the secure estate, police, probation). */
    localAuthority: code.nullable(),
    frontDoorTeam: code.nullable(),
    outOfHoursTeam: code.nullable(),
    source,
  })
  .strict();

const teamSchema = z.object({ id, code, agency: code, name, dutyPhone: phone, dutyEmail: email, source }).strict();

const caseSystemSchema = z
  .object({
    id,
    code,
    name,
    agency: code,
    /** The team that answers for the system's webhook receiver; null until the agency names one. */
    webhookOwnerTeam: code.nullable(),
  })
  .strict();

/**
 * One reviewed directory file (policy/directory/*.json): a group of authorities and agencies with
 * their teams and case systems, versioned like a sharing agreement and citing its source.
 */
export const directoryFileSchema = z
  .object({
    id: code,
    version: z.number().int().positive(),
    title: name,
    source,
    localAuthorities: z.array(localAuthoritySchema),
    agencies: z.array(agencySchema),
    teams: z.array(teamSchema),
    caseSystems: z.array(caseSystemSchema),
  })
  .strict();

export type DirectoryFile = z.infer<typeof directoryFileSchema>;
export type DirectoryLocalAuthority = z.infer<typeof localAuthoritySchema>;
export type DirectoryAgency = z.infer<typeof agencySchema>;
export type DirectoryTeam = z.infer<typeof teamSchema>;
export type DirectoryCaseSystem = z.infer<typeof caseSystemSchema>;
