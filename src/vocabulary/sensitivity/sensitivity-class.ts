import { registerEnumType } from '@nestjs/graphql';

/**
 * What kind of information a field holds, for deciding who may receive it. Every field of every
 * shared record is labelled with exactly one class (see sensitive-field.decorator.ts).
 */
export enum SensitivityClass {
  IDENTITY_BASIC = 'IDENTITY_BASIC',
  CASE_ADMINISTRATION = 'CASE_ADMINISTRATION',
  LEGAL_STATUS = 'LEGAL_STATUS',
  PLACEMENT_LOCATION = 'PLACEMENT_LOCATION',
  CARE_PLANNING = 'CARE_PLANNING',
  EDUCATION = 'EDUCATION',
  FAMILY_CONTACT = 'FAMILY_CONTACT',
  OFFENDING_CRIMINAL = 'OFFENDING_CRIMINAL',
  RISK = 'RISK',
  WELFARE_CP = 'WELFARE_CP',
  HEALTH = 'HEALTH',
  ETHNICITY_RELIGION = 'ETHNICITY_RELIGION',
  SEXUAL_BEHAVIOUR = 'SEXUAL_BEHAVIOUR',
  COURT_RESTRICTED = 'COURT_RESTRICTED',
  THIRD_PARTY = 'THIRD_PARTY',
}

/** UK GDPR Art 9 special categories, which need a condition beyond the Art 6 basis. */
export const SPECIAL_CATEGORY_CLASSES: ReadonlySet<SensitivityClass> = new Set([
  SensitivityClass.HEALTH,
  SensitivityClass.ETHNICITY_RELIGION,
  SensitivityClass.SEXUAL_BEHAVIOUR,
]);

registerEnumType(SensitivityClass, {
  name: 'SensitivityClass',
  description: 'The sensitivity class of a field, which decides who may receive it and on what lawful basis.',
  valuesMap: {
    IDENTITY_BASIC: { description: 'Name, date of birth, allocated workers and their contacts.' },
    CASE_ADMINISTRATION: { description: 'Dates, versions, statuses and signatures of records.' },
    LEGAL_STATUS: { description: 'Looked-after and remand status, care-leaver category and history.' },
    PLACEMENT_LOCATION: { description: 'Placement and establishment addresses.' },
    CARE_PLANNING: { description: 'Needs, plans, arrangements and wishes and feelings.' },
    EDUCATION: { description: 'Education, training and employment.' },
    FAMILY_CONTACT: { description: 'Family relationships and contact arrangements.' },
    OFFENDING_CRIMINAL: { description: 'Offences, orders, criminal history (criminal-offence data).' },
    RISK: { description: 'Risk of serious harm, safety and wellbeing, vulnerability.' },
    WELFARE_CP: { description: 'Child-in-need and child-protection information.' },
    HEALTH: { description: 'Physical, emotional and mental health (special category).' },
    ETHNICITY_RELIGION: { description: 'Racial origin, religion, culture and language (special category).' },
    SEXUAL_BEHAVIOUR: { description: 'Harmful sexual behaviour and AIM3 (special category).' },
    COURT_RESTRICTED: { description: 'Material from family or other court proceedings.' },
    THIRD_PARTY: { description: 'Information supplied by a third party.' },
  },
});
