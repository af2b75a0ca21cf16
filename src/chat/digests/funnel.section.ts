// The digest's own sections: the teams and the total, the customers at risk (each with its
// buttons), and each rep's funnel, moves and relationships.
import { RELEASING_SOON_DAYS, STALE_OPPORTUNITY_DAYS } from '../../core/digests/digest.ts';
import { dateText } from '../customer-format.ts';
import { t } from '../i18n.ts';
import type { ReplyBlock, ReplyButton } from '../reply.ts';
import { countsText, personLabel, repDetailLines, verdictText } from './digest-format.ts';
import type { DigestSection } from './sections.ts';

/** Customers at risk with buttons on the first page; the rest are counted. */
export const AT_RISK_WITH_BUTTONS = 8;

export const teamsSection: DigestSection = {
  id: 'teams',
  async build({ digest, directory, locale }) {
    if (digest.scope !== 'line' || digest.reps.length === 0) return [];
    const lines = digest.teams.map((team) =>
      t(locale, 'digest.teamLine', { lead: personLabel(directory, team.leadId), reps: team.memberIds.filter((id) => digest.reps.some((r) => r.personId === id)).length, counts: countsText(team.figures.stages), verdict: verdictText(locale, team.diagnosis) }),
    );
    if (digest.teams.length > 1) lines.push(t(locale, 'digest.totalLine', { counts: countsText(digest.total.figures.stages), verdict: verdictText(locale, digest.total.diagnosis) }));
    return [[{ kind: 'text', text: t(locale, 'digest.section.teams') }, { kind: 'list', items: lines }]];
  },
};

export const atRiskSection: DigestSection = {
  id: 'at-risk',
  async build({ digest, directory, locale }) {
    const counts = digest.total.figures.atRisk;
    const total = counts.releasingSoon + counts.staleOpportunities;
    if (total === 0) return [];
    const shown = digest.atRisk.slice(0, AT_RISK_WITH_BUTTONS);
    const items = shown.map((c) =>
      t(locale, `digest.atRiskLine.${c.reason}`, {
        name: c.name,
        owner: personLabel(directory, c.ownerId),
        stage: `${c.stage}%`,
        date: dateText(directory, c.reason === 'releasingSoon' ? c.releaseAt : c.lastTouchAt, locale),
      }),
    );
    const buttons: ReplyButton[] = shown.flatMap((c) => [
      { label: t(locale, 'digest.button.log', { name: c.name }), action: 'pool.logHint', value: { customerId: c.id } },
      // Only the owner may ask for more time; a manager's press is answered "not yours".
      ...(c.reason === 'releasingSoon' ? [{ label: t(locale, 'digest.button.extend', { name: c.name }), action: 'pool.askExtension' as const, value: { customerId: c.id } }] : []),
    ]);
    const blocks: ReplyBlock[] = [
      { kind: 'text', text: t(locale, 'digest.section.atRisk', { count: total }) },
      { kind: 'context', text: t(locale, 'digest.atRiskCounts', { releasing: counts.releasingSoon, stale: counts.staleOpportunities, days: RELEASING_SOON_DAYS, staleDays: STALE_OPPORTUNITY_DAYS }) },
      { kind: 'list', items },
    ];
    if (buttons.length) blocks.push({ kind: 'actions', buttons });
    return [blocks];
  },
};

export const repsSection: DigestSection = {
  id: 'reps',
  async build({ digest, directory, locale }) {
    return digest.reps.map((rep, i) => {
      const lines = repDetailLines(locale, personLabel(directory, rep.personId), rep.figures, verdictText(locale, rep.diagnosis, digest.scope === 'line' ? rep.vsTeam : undefined));
      const chunk: ReplyBlock[] = [];
      if (i === 0) chunk.push({ kind: 'text', text: t(locale, 'digest.section.funnel') });
      chunk.push({ kind: 'text', text: lines.join('\n') });
      return chunk;
    });
  },
};
