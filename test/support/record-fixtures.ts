/** A DPP with every Appendix 2 item Tandem can check (001 §6.11, App.2). */
export const COMPLETE_DPP = {
  establishmentName: 'HMYOI Wetherby',
  establishmentAddress: 'York Road, Wetherby LS22 5ED',
  howNeedsWillBeMet: 'Keyworker sessions twice weekly.',
  dayToDayCareAndSafeguarding: 'Wing staff; safeguarding lead on the unit.',
  contactArrangements: 'Weekly visits from mother.',
  healthArrangements: 'Healthcare unit; CAMHS follow-up; dentist on reception.',
  healthConsentArrangements: 'Mother gives consent.',
  educationAndTraining: 'Keppel unit education placement.',
  socialWorkerVisits: 'Within 10 working days, then every 6 weeks.',
  supportBetweenVisits: 'Phone calls weekly with the social worker.',
  personalHistory: 'Accommodated under s20 since 2025.',
  religiousPersuasion: 'None stated',
  culturalAndLinguisticBackground: 'English speaking; British',
  racialOrigin: 'White British',
  independentReviewingOfficer: { name: 'Irene Walsh' },
  socialWorker: { name: 'Sam Okafor' },
  wishesAndFeelingsConsidered: true,
};

/** The complete DPP of a child not known to children's social care before the remand. */
export const COMPLETE_REMAND_DPP = {
  ...COMPLETE_DPP,
  personalHistory: 'Not known to children’s social care before the remand.',
  independentReviewingOfficer: { name: 'Imran Ola' },
  socialWorker: { name: 'Ben Carter' },
};
