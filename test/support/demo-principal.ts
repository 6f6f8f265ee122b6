import { Principal } from 'src/auth/principal.js';
import { DEMO_AGENCIES, DEMO_CASE_SYSTEMS, DEMO_USERS } from 'src/seed/demo-directory.js';

/** A request context of a demo user, as the authenticator makes it (a fresh one per call: one request). */
export function demoPrincipal(subject: string, purpose = 'CASE_MANAGEMENT'): Principal {
  const user = DEMO_USERS.find((candidate) => candidate.subject === subject);
  const agency = DEMO_AGENCIES.find((candidate) => candidate.code === user?.agency);
  const caseSystem = DEMO_CASE_SYSTEMS.find((candidate) => candidate.code === user?.caseSystem);
  if (!user || !agency || !caseSystem) throw new Error(`No demo user ${subject}`);
  return new Principal(user.subject, user.name, agency, caseSystem, user.roles, { header: purpose, justification: undefined });
}
