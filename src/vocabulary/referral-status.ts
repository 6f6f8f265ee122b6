import { registerEnumType } from '@nestjs/graphql';

/** Where a referral (one agency asking another to become involved with a child) stands. */
export enum ReferralStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  WITHDRAWN = 'WITHDRAWN',
}

registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'Where a referral stands: waiting for the receiving agency, accepted, declined or withdrawn.',
  valuesMap: {
    PENDING: { description: 'Waiting for the receiving agency to accept or decline.' },
    ACCEPTED: { description: 'Accepted: the receiving agency is involved with the child.' },
    DECLINED: { description: 'Declined by the receiving agency.' },
    WITHDRAWN: {
      description: 'Withdrawn before an answer: the planned move that opened it was cancelled or now goes elsewhere.',
    },
  },
});
