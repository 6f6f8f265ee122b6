import { ChildVisitsResolver } from 'src/visits/resolvers/child-visits.resolver.js';
import { VisitResolver } from 'src/visits/resolvers/visit.resolver.js';

export const VISITS_RESOLVERS = [VisitResolver, ChildVisitsResolver];
