// The digest's sections, a registry: each is a function of the built digest (and the
// services, for a capability that reads its own figures through its use cases) that
// answers the blocks it adds, or none. The digest's pages are packed from them in this
// order. A capability (service requests, visitors, handovers) adds its section as one file,
// src/chat/digests/<capability>.section.ts, and one line in DIGEST_SECTIONS.
import type { Digest } from '../../core/digests/digest.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import type { Services } from '../command.ts';
import type { ReplyBlock } from '../reply.ts';
import { atRiskSection, repsSection, teamsSection } from './funnel.section.ts';
import { visitorsSection } from './visitors.section.ts';
import { handoversSection } from './handovers.section.ts';
import { requestsSection } from './requests.section.ts';

export interface DigestSectionContext {
  digest: Digest;
  directory: OrgDirectory;
  locale: Locale;
  services: Services;
}

/**
 * One section: its blocks in chunks that stay together on a page (a rep's lines, a list and
 * its buttons). A section with nothing to say answers [].
 */
export interface DigestSection {
  id: string;
  build(ctx: DigestSectionContext): Promise<ReplyBlock[][]>;
}

export const DIGEST_SECTIONS: readonly DigestSection[] = [
  teamsSection,
  atRiskSection,
  repsSection,
  visitorsSection,
  handoversSection,
  requestsSection,
];
