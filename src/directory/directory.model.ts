import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AgencyKind } from 'src/vocabulary/children.enums.js';

@ObjectType({ description: 'A local authority (council) whose services use Tandem.' })
export class LocalAuthority {
  @Field(() => ID, { description: "Tandem's id for the authority." })
  id: string;

  @Field({ description: 'A short stable code, e.g. "derby".' })
  code: string;

  @Field({ description: "The authority's name." })
  name: string;
}

@ObjectType({ description: 'How to reach a team on duty: its work telephone line and mailbox.' })
export class DutyContact {
  @Field(() => String, { nullable: true, description: 'The duty telephone number; null if not supplied.' })
  phone: string | null;

  @Field(() => String, { nullable: true, description: 'The duty e-mail address; null if not supplied.' })
  email: string | null;
}

@ObjectType({ description: 'A team of an agency: a front door (CSCT, ICAT), an emergency duty team, a case team.' })
export class Team {
  @Field({ description: 'A short stable code, e.g. "hammersmith-fulham-icat".' })
  code: string;

  @Field({ description: "The team's name." })
  name: string;

  @Field(() => DutyContact, { description: "The team's duty contact (each part null until the authority supplies it)." })
  dutyContact: DutyContact;
}

@ObjectType({ description: 'A service of a local authority (YOS, CSC, leaving care) or a secure establishment.' })
export class Agency {
  @Field(() => ID, { description: "Tandem's id for the agency." })
  id: string;

  @Field({ description: 'A short stable code, e.g. "derby-yos"; tokens name the caller\'s agency by it.' })
  code: string;

  @Field({ description: "The agency's name." })
  name: string;

  @Field(() => AgencyKind, { description: 'What kind of organisation it is.' })
  kind: AgencyKind;

  @Field(() => LocalAuthority, { nullable: true, description: 'The authority it belongs to; null for the secure estate.' })
  localAuthority: LocalAuthority | null;

  @Field(() => Team, {
    nullable: true,
    description: 'The team that receives contacts, referrals and notices when nobody is allocated (e.g. CSCT, ICAT).',
  })
  frontDoorTeam: Team | null;

  @Field(() => Team, { nullable: true, description: 'The team that answers outside office hours (an Emergency Duty Team).' })
  outOfHoursTeam: Team | null;
}

@ObjectType({ description: "A local authority and its services: youth justice, children's social care, leaving care." })
export class LocalAuthorityServices {
  @Field(() => LocalAuthority, { description: 'The authority.' })
  localAuthority: LocalAuthority;

  @Field(() => [Agency], { description: 'Every agency of the authority, by code.' })
  agencies: Agency[];

  @Field(() => Agency, { nullable: true, description: 'Its youth justice service (YOS, YOT or YJS).' })
  youthJustice: Agency | null;

  @Field(() => Agency, { nullable: true, description: "Its children's social care." })
  childrensSocialCare: Agency | null;

  @Field(() => Agency, { nullable: true, description: 'Its leaving-care service.' })
  leavingCare: Agency | null;

  @Field(() => Team, { nullable: true, description: "The front door of its children's social care (e.g. CSCT, ICAT)." })
  frontDoorTeam: Team | null;

  @Field(() => Team, { nullable: true, description: "The out-of-hours team of its children's social care." })
  outOfHoursTeam: Team | null;
}

@ObjectType({ description: 'A case-management system connected to Tandem on behalf of one agency.' })
export class CaseSystem {
  @Field({ description: 'A short stable code, e.g. "derby-csc-case".' })
  code: string;

  @Field({ description: "The system's name." })
  name: string;

  @Field(() => Agency, { description: 'The agency that uses it.' })
  agency: Agency;
}

/** A practitioner's work contact, as the directory holds it (the children module labels each part). */
export interface PractitionerContact {
  readonly phone: string | null;
  readonly email: string | null;
  readonly teamDutyContact: DutyContact | null;
}
