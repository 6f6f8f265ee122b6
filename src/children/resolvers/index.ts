import { ChildIdentityResolver } from 'src/children/resolvers/child-identity.resolver.js';
import { ChildFieldsResolver } from 'src/children/resolvers/child-fields.resolver.js';
import { ChildMutationResolver } from 'src/children/resolvers/child-mutation.resolver.js';
import { ChildQueryResolver } from 'src/children/resolvers/child-query.resolver.js';
import { PlacementResolver } from 'src/children/resolvers/placement.resolver.js';
import { ReferralResolver } from 'src/children/resolvers/referral.resolver.js';

export const CHILDREN_RESOLVERS = [
  ChildQueryResolver,
  ChildFieldsResolver,
  ChildMutationResolver,
  PlacementResolver,
  ReferralResolver,
  ChildIdentityResolver,
];
